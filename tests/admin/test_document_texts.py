"""A document's text in the admin: read and edited on its page (pasted or from a file),
passages cited from it, quotes held against it, and each citation's verification
shown."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from events.models import EventCitation, EventType
from tests.factories import DocumentFactory, EventCitationFactory, EventFactory

pytestmark = pytest.mark.django_db

TEXT = "Rebels take the north\n\nThe rebels seized the provincial capital on Monday.\n"


def document_form(document, **changes):
    """The change form of `document` as a curator submits it, with `changes`."""
    data = {
        "outlet": document.outlet_id,
        "title": document.title,
        "authors": document.authors,
        "published_on": document.published_on,
        "url": document.url,
        "language": document.language,
        "summary": document.summary,
        "release": "",
        "row_count": "",
        "checksum": "",
        "licence": "",
        "attribution": "",
        "text": document.text,
        "version": document.version,
    }
    data.update(changes)
    return data


def change_url(document):
    return reverse("admin:sources_document_change", args=[document.pk])


def test_the_document_page_shows_its_text_and_links_to_cite_a_passage(client, curator):
    document = DocumentFactory(text=TEXT)
    client.force_login(curator)
    page = client.get(change_url(document)).content.decode()
    assert "seized the provincial capital" in page
    assert "sources/cite.js" in page
    add = reverse("admin:events_eventcitation_add")
    assert f'data-base="{add}?document={document.pk}"' in page
    assert "Cite for an event" in page and "Cite for an affiliation" in page
    # The script is served from this origin, as the Content-Security-Policy allows.
    script = Path(settings.BASE_DIR) / "sources/static/sources/cite.js"
    assert script.is_file()


def test_the_citation_form_opens_with_the_selected_passage(client, curator):
    document = DocumentFactory(text=TEXT)
    client.force_login(curator)
    page = client.get(
        reverse("admin:events_eventcitation_add"),
        {"document": document.pk, "quote": "seized the provincial capital", "locator": "para 2"},
    )
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert form.initial["document"] == str(document.pk)
    assert form.initial["quote"] == "seized the provincial capital"
    assert form.initial["locator"] == "para 2"


def test_citing_a_passage_on_its_own_page_verifies_it_and_advances_the_event(client, curator):
    document, event = DocumentFactory(text=TEXT), EventFactory(status="draft")
    client.force_login(curator)
    version = event.version
    response = client.post(
        reverse("admin:events_eventcitation_add"),
        {
            "event": event.pk,
            "document": document.pk,
            "quote": "seized the\nprovincial capital",
            "locator": "",
            "credibility": 2,
            "note": "",
            "version": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    citation = EventCitation.objects.get()
    assert (citation.quote_verified, citation.locator) == (True, "para 2")
    event.refresh_from_db()
    assert event.version > version


def test_a_quote_not_in_the_text_is_a_form_error_with_the_nearest_passage(client, curator):
    document = DocumentFactory(text=TEXT)
    client.force_login(curator)
    data = {
        "title": "North taken",
        "event_type": EventType.objects.get(slug="armed-clash").pk,
        "date": "2015-03",
        "summary": "",
        "fatalities_low": "",
        "fatalities_best": "",
        "fatalities_high": "",
        "tags": "",
        "civilian_targeting": "",
        "source_scale": "",
        "acled_source": "",
        "version": "",
        "participants-TOTAL_FORMS": 0,
        "participants-INITIAL_FORMS": 0,
        "citations-TOTAL_FORMS": 1,
        "citations-INITIAL_FORMS": 0,
        "citations-0-document": document.pk,
        "citations-0-quote": "The rebels took the capital on Monday",
        "citations-0-locator": "",
        "citations-0-credibility": 6,
    }
    response = client.post(reverse("admin:events_event_add"), data)
    assert response.status_code == 200
    [errors] = [f.errors for f in response.context["inline_admin_formsets"][1].formset.forms]
    assert "The rebels seized the provincial capital on Monday." in errors["quote"][0]
    assert not EventCitation.objects.exists()

    data["citations-0-translation"] = "on"
    response = client.post(reverse("admin:events_event_add"), data)
    assert response.status_code == 302
    citation = EventCitation.objects.get()
    assert (citation.translation, citation.quote_verified) == (True, False)


def test_the_event_page_says_whether_each_quote_was_verified(client, curator):
    verified = EventCitationFactory(document=DocumentFactory(text=TEXT), quote="on Monday")
    EventCitationFactory(event=verified.event, quote="no text held")
    client.force_login(curator)
    page = client.get(reverse("admin:events_event_change", args=[verified.event.pk]))
    html = page.content.decode()
    assert "found in the document&#x27;s text" in html
    assert "the document&#x27;s text is not held" in html


def test_the_text_is_read_from_an_uploaded_file(client, curator):
    document = DocumentFactory()
    client.force_login(curator)
    upload = SimpleUploadedFile("article.txt", TEXT.replace("\n", "\r\n").encode("utf-8-sig"))
    response = client.post(change_url(document), document_form(document, text_file=upload))
    assert response.status_code == 302, response.context["adminform"].form.errors
    document.refresh_from_db()
    assert document.text == TEXT


def test_a_text_that_would_break_a_citation_is_refused_naming_it(client, curator):
    document = DocumentFactory(text=TEXT)
    EventCitationFactory(document=document, quote="seized the provincial capital")
    client.force_login(curator)
    response = client.post(
        change_url(document), document_form(document, text="A different article.")
    )
    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["text"]
    assert "seized the provincial capital" in error
    document.refresh_from_db()
    assert document.text == TEXT
