"""A document that holds its text holds its citations' quotes to it: a quote must occur
in the text (whitespace and quote-mark variants aside) unless it is the curator's
translation; the locator is read from the text; and a change of the text that would
leave a quote unsupported is refused."""

import time

import pytest
from django.core.exceptions import ValidationError

from sources import quotes
from tests.factories import (
    ActorCitationFactory,
    DocumentFactory,
    EventCitationFactory,
    EventFactory,
)

pytestmark = pytest.mark.django_db

TEXT = """Rebels take the north

The rebels said on Monday that they had “seized the provincial
capital” after a week of fighting.

A spokesman added: ‘We will hold it.’
"""


def citation(quote, **kwargs):
    """An unsaved event citation of a document holding TEXT, validated as every write
    path validates it."""
    document = kwargs.pop("document", None) or DocumentFactory(text=TEXT)
    return EventCitationFactory.build(
        event=EventFactory(), document=document, quote=quote, **kwargs
    )


def test_a_quote_with_other_line_breaks_and_straight_quotes_is_verified():
    c = citation('they had "seized the provincial capital" after')
    c.full_clean()
    c.save()
    c.refresh_from_db()
    assert c.quote_verified is True
    # Paragraphs are the text's non-empty lines, as in the seed's locators.
    assert c.locator == "paras 2–3"


def test_a_quote_with_curly_quotes_matches_straight_ones_in_the_text():
    document = DocumentFactory(text="He said: 'We will hold it.'")
    c = citation("He said: ‘We will hold it.’", document=document)
    c.full_clean()
    c.save()
    assert c.quote_verified is True


def test_a_quote_not_in_the_text_is_refused_showing_the_nearest_passage():
    c = citation("The rebels said on Tuesday that they had seized the capital")
    with pytest.raises(ValidationError) as refused:
        c.full_clean()
    [message] = refused.value.message_dict["quote"]
    assert "does not occur in the document's text" in message
    assert "The rebels said on Monday that they had" in message
    assert "(para 2)" in message


def test_case_is_not_folded():
    c = citation("THE REBELS SAID ON MONDAY")
    with pytest.raises(ValidationError):
        c.full_clean()


def test_a_translation_is_exempt_and_recorded_as_not_verified():
    c = citation("Les rebelles ont pris la capitale", translation=True)
    c.full_clean()
    c.save()
    c.refresh_from_db()
    assert c.translation is True
    assert c.quote_verified is False


def test_a_document_without_text_leaves_the_quote_unchecked():
    c = citation("anything at all", document=DocumentFactory(text=""))
    c.full_clean()
    c.save()
    c.refresh_from_db()
    assert c.quote_verified is None
    assert c.locator == ""


def test_a_locator_given_is_kept_and_a_quote_across_paragraphs_names_both():
    kept = citation("We will hold it.", locator="p. 4")
    kept.full_clean()
    assert kept.locator == "p. 4"
    across = citation("after a week of fighting. A spokesman added:")
    across.full_clean()
    assert across.locator == "paras 3–4"


def test_a_saved_quote_not_in_the_text_is_recorded_as_not_verified():
    # A writer that skips validation (a raw loader) cannot make a quote look verified.
    c = citation("nowhere in the text")
    c.save()
    assert c.quote_verified is False


def test_giving_a_document_its_text_verifies_its_citations_and_advances_the_records():
    document = DocumentFactory()
    c = EventCitationFactory(document=document, quote="seized the provincial capital")
    event = c.event
    assert c.quote_verified is None
    version, updated = event.version, event.updated_at

    document.text = TEXT
    document.full_clean()
    document.save()

    c.refresh_from_db()
    event.refresh_from_db()
    assert (c.quote_verified, c.locator) == (True, "paras 2–3")
    assert event.version > version and event.updated_at > updated


def test_a_text_that_would_break_a_citation_is_refused_naming_it():
    document = DocumentFactory(text=TEXT)
    EventCitationFactory(document=document, quote="We will hold it.", event__title="Hold")
    ActorCitationFactory(document=document, quote="Not this", translation=True)
    document.text = "Rebels take the north"
    with pytest.raises(ValidationError) as refused:
        document.full_clean()
    [message] = refused.value.message_dict["text"]
    assert "1 citation" in message and "Hold" in message and "We will hold it." in message


def test_emptying_the_text_is_allowed_and_leaves_quotes_unchecked():
    document = DocumentFactory(text=TEXT)
    c = EventCitationFactory(document=document, quote="We will hold it.")
    assert c.quote_verified is True
    document.text = ""
    document.full_clean()
    document.save()
    c.refresh_from_db()
    assert c.quote_verified is None


def test_the_nearest_passage_of_a_long_article_is_found_quickly():
    paragraphs = [
        f"Paragraph {n} reports fighting near village {n} and {n * 7} displaced."
        for n in range(500)
    ]
    text = "\n\n".join(paragraphs)
    assert len(text) > 30_000
    started = time.perf_counter()
    passage, locator = quotes.nearest_passage(text, "fighting near village 321 and 2247 displaced")
    assert time.perf_counter() - started < 0.5
    assert "village 321 and 2247 displaced" in passage
    assert locator == "para 322"
