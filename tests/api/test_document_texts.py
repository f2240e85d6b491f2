"""A document's text through the API: curators read and write it, nobody else sees it
in any format; every reader sees whether each citation's quote was verified against it
and whether it is a translation; a write whose quote is not in the text is a 400
naming the quote."""

import pytest

from tests.api.helpers_personas import (
    client_as,
    detail_url,
    errors,
    fresh_throttle_counts,  # noqa: F401
    if_match,
    list_url,
)
from tests.factories import DocumentFactory, EventCitationFactory, event_type

pytestmark = pytest.mark.django_db

TEXT = "Report heading\n\nThe rebels seized the provincial capital on Monday.\n"
# Appears in no representation but the text itself.
MARK = "provincial capital on Monday"


@pytest.fixture
def document():
    return DocumentFactory(text=TEXT)


@pytest.mark.parametrize("persona", ["anonymous", "outsider"])
def test_others_never_see_the_text_in_any_format(request, persona, document):
    if persona == "outsider":
        request.getfixturevalue("outsider")
    client = client_as(request, persona)
    detail = client.get(detail_url("document", document.pk))
    assert detail.status_code == 200
    assert "text" not in detail.json()
    for url in (
        list_url("document"),
        list_url("document") + "?format=csv",
        "/api/v1/documents.csv",
        list_url("document") + f"?q={document.title}",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert document.title in response.content.decode(), url
        assert MARK not in response.content.decode(), url


def test_curators_read_the_text(request, curator, document):
    client = client_as(request, "curator")
    assert client.get(detail_url("document", document.pk)).json()["text"] == TEXT
    [row] = client.get(list_url("document")).json()["results"]
    assert row["text"] == TEXT


def test_every_reader_sees_whether_a_quote_was_verified(request, api, document):
    verified = EventCitationFactory(document=document, quote="seized the provincial capital")
    translated = EventCitationFactory(
        event=verified.event, document=document, quote="a pris la capitale", translation=True
    )
    unchecked = EventCitationFactory(event=verified.event, quote="no text to check")
    citations = {
        c["id"]: c for c in api.get(detail_url("event", verified.event.pk)).json()["citations"]
    }
    assert citations[str(verified.pk)]["quote_verified"] is True
    assert citations[str(verified.pk)]["locator"] == "para 2"
    assert citations[str(translated.pk)]["quote_verified"] is False
    assert citations[str(translated.pk)]["translation"] is True
    assert citations[str(unchecked.pk)]["quote_verified"] is None
    assert citations[str(unchecked.pk)]["translation"] is False


def event_body(document, quote, **citation):
    return {
        "title": "Capital taken",
        "event_type_id": str(event_type().pk),
        "date": "2015-03",
        "citations": [{"document_id": str(document.pk), "quote": quote, **citation}],
    }


def test_a_quote_not_in_the_text_is_a_400_naming_the_quote(request, curator, document):
    client = client_as(request, "curator")
    response = client.post(
        list_url("event"),
        event_body(document, "The rebels took the provincial capital on Monday."),
        format="json",
    )
    assert response.status_code == 400, response.content
    [error] = errors(response)
    assert error["attr"] == "citations.0.quote"
    assert "The rebels seized the provincial capital on Monday." in error["detail"]


def test_a_folded_quote_or_a_translation_is_written_and_verified_accordingly(
    request, curator, document
):
    client = client_as(request, "curator")
    response = client.post(
        list_url("event"),
        event_body(document, "The rebels  seized\nthe provincial capital"),
        format="json",
    )
    assert response.status_code == 201, response.content
    [citation] = response.json()["citations"]
    assert (citation["quote_verified"], citation["locator"]) == (True, "para 2")

    response = client.post(
        list_url("event"),
        event_body(document, "Les rebelles ont pris la capitale", translation=True),
        format="json",
    )
    assert response.status_code == 201, response.content
    [citation] = response.json()["citations"]
    assert (citation["quote_verified"], citation["translation"]) == (False, True)


def test_a_text_that_would_break_a_citation_is_a_400_naming_the_text(request, curator, document):
    EventCitationFactory(document=document, quote="seized the provincial capital")
    client = client_as(request, "curator")
    response = client.patch(
        detail_url("document", document.pk),
        {"text": "Another article altogether."},
        format="json",
        **if_match(document),
    )
    assert response.status_code == 400, response.content
    [error] = errors(response)
    assert error["attr"] == "text"
    assert "seized the provincial capital" in error["detail"]
    document.refresh_from_db()
    assert document.text == TEXT
