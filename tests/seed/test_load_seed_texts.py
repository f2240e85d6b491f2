"""load_seed --texts: the seed documents get their articles' text from the texts file as
given, and every seed citation is verified against it; without the file the quotes
stay unverified; a file that cannot be used loads nothing."""

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from actors.models import ActorCitation, AffiliationCitation
from events.models import EventCitation
from sources.models import Document
from tests.seed.test_seed_quotes import REPO, SEED_TEXT

pytestmark = pytest.mark.django_db

CITATIONS = (ActorCitation, AffiliationCitation, EventCitation)


@pytest.fixture
def seed_text():
    if not SEED_TEXT.is_file():
        pytest.skip(f"seed text {SEED_TEXT} is not available")
    return SEED_TEXT


def load(**options):
    out = StringIO()
    call_command("load_seed", stdout=out, **options)
    return out.getvalue()


def verification():
    return {
        state
        for model in CITATIONS
        for state in model.objects.values_list("quote_verified", flat=True)
    }


def test_with_texts_every_seed_citation_is_verified(seed_text):
    load(texts=str(seed_text))
    assert sum(model.objects.count() for model in CITATIONS) > 50
    assert verification() == {True}
    documents = Document.objects.filter(status="published").exclude(text="")
    assert documents.count() == 4
    # Each holds its own article, from its heading on, and not the next one.
    memri = documents.get(title__startswith="Al-Qaeda Leader Ayman Al-Zawahiri")
    assert memri.text.startswith("Al-Qaeda Leader Ayman Al-Zawahiri: The Mujahideen")
    assert "Truce Signed in Syria by Assad Regime" not in memri.text


def test_loading_with_texts_twice_changes_nothing(seed_text):
    load(texts=str(seed_text))
    assert "nothing changed" in load(texts=str(seed_text))


def test_texts_given_later_verify_the_quotes_loaded_before(seed_text):
    load()
    assert verification() == {None}
    load(texts=str(seed_text))
    assert verification() == {True}


def test_without_texts_no_quote_is_verified_and_no_text_is_stored():
    load()
    assert verification() == {None}
    assert not Document.objects.exclude(text="").exists()


def test_a_missing_texts_file_is_an_error_and_loads_nothing(tmp_path):
    with pytest.raises(CommandError, match="texts file not found"):
        load(texts=str(tmp_path / "nowhere.txt"))
    assert not Document.objects.exists()


def test_a_file_without_a_documents_heading_is_an_error_and_loads_nothing(tmp_path):
    other = tmp_path / "articles.txt"
    other.write_text("Some other article\n\nNothing of the seed's.\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"heading .* is not in the texts file"):
        load(texts=str(other))
    assert not Document.objects.exists()


def test_the_command_exits_non_zero_on_a_bad_texts_path(tmp_path):
    # Through manage.py, as a curator runs it: a message and a non-zero exit status.
    done = subprocess.run(
        [sys.executable, str(Path(REPO) / "manage.py"), "load_seed", "--texts", "/nonexistent"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "DEBUG": "1"},
        timeout=120,
    )
    assert done.returncode != 0
    assert "texts file not found" in done.stderr
