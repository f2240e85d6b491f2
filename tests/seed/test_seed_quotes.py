"""Every citation in the seed files quotes its document verbatim, where it says it does."""

from pathlib import Path

import pytest
import yaml

from dataload.seed import split_articles

REPO = Path(__file__).resolve().parents[2]
SEED_DIR = REPO / "seed"
SEED_TEXT = Path(__file__).resolve().parents[3] / "shared/seeds/000_54fd4921a38bbcd8.txt"
CITING_FILES = {
    "actors.yaml": "actors",
    "affiliations.yaml": "affiliations",
    "events.yaml": "events",
}


def _load(name):
    return yaml.safe_load((SEED_DIR / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def article_texts():
    """Document key -> the text of its article in the seed file, as the loader splits
    it (from its heading to the next article's heading)."""
    if not SEED_TEXT.is_file():
        pytest.skip(f"seed text {SEED_TEXT} is not available; cannot check quotes")
    documents = _load("sources.yaml")["documents"]
    texts = split_articles(SEED_TEXT.read_text(encoding="utf-8"), documents)
    assert set(texts) == {doc["key"] for doc in documents}
    return texts


def _citations():
    for file, section in CITING_FILES.items():
        for record in _load(file)[section]:
            key = record.get("slug") or record.get("key")
            for i, citation in enumerate(record["citations"], 1):
                yield f"{file}:{key}#{i}", citation


def test_every_quote_is_verbatim_in_its_article(article_texts):
    missing = [
        f"{where}: {c['quote'][:80]!r}"
        for where, c in _citations()
        if c["quote"] not in article_texts[c["document"]]
    ]
    assert not missing, "quotes not found verbatim:\n" + "\n".join(missing)


def test_every_locator_names_the_paragraph_holding_the_quote(article_texts):
    """Locators are "para N": the N-th non-empty line of the article, its heading first."""
    wrong = []
    for where, c in _citations():
        paragraphs = [p.strip() for p in article_texts[c["document"]].splitlines() if p.strip()]
        kind, _, number = c["locator"].partition(" ")
        if kind != "para" or not number.isdigit() or int(number) > len(paragraphs):
            wrong.append(f"{where}: bad locator {c['locator']!r}")
        elif c["quote"] not in paragraphs[int(number) - 1]:
            wrong.append(f"{where}: quote not in {c['locator']}")
    assert not wrong, "\n".join(wrong)


def test_every_citation_has_a_credibility_on_the_admiralty_scale():
    assert all(c["credibility"] in range(1, 7) for _, c in _citations())
