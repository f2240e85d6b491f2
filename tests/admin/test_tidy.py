"""The admin's lists, filters, autocompletes and history say what they mean."""

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from actors.models import Actor
from events.models import EventType
from tests.admin.test_admin import actor_form, admin_url
from tests.factories import ActorFactory, DocumentFactory, EventFactory, PlaceFactory

pytestmark = pytest.mark.django_db


def listed_titles(client, **params):
    response = client.get(admin_url("events.event", "changelist"), params)
    assert response.status_code == 200
    return {e.title for e in response.context["cl"].result_list}


def test_the_event_type_filter_takes_the_sub_types_with_it(client, curator):
    battle = EventType.objects.filter(children__isnull=False).order_by("name").first()
    sub = battle.children.order_by("name").first()
    EventFactory(title="of the type", event_type=battle)
    EventFactory(title="of a sub-type", event_type=sub)
    EventFactory(
        title="elsewhere",
        event_type=EventType.objects.exclude(
            pk__in=[battle.pk, *battle.children.values_list("pk", flat=True)]
        )
        .filter(children__isnull=True)
        .first(),
    )
    client.force_login(curator)
    assert listed_titles(client, event_type=battle.pk) == {"of the type", "of a sub-type"}
    assert listed_titles(client, event_type=sub.pk) == {"of a sub-type"}
    page = client.get(admin_url("events.event", "changelist")).content.decode()
    assert "By parent" not in page and "By event type" in page


def test_the_country_filters_offer_the_countries_in_use(client, curator):
    EventFactory(title="in Syria", place=PlaceFactory(country="SY"))
    EventFactory(title="in Iraq", place=PlaceFactory(country="IQ"))
    client.force_login(curator)
    response = client.get(admin_url("events.event", "changelist"))
    (spec,) = [
        s
        for s in response.context["cl"].filter_specs
        if getattr(s, "parameter_name", "") == "country"
    ]
    assert [label for _code, label in spec.lookup_choices] == ["Iraq", "Syria"]
    assert listed_titles(client, country="SY") == {"in Syria"}
    places = client.get(admin_url("events.place", "changelist")).context["cl"]
    (spec,) = [s for s in places.filter_specs if getattr(s, "parameter_name", "") == "country"]
    assert {code for code, _label in spec.lookup_choices} == {"SY", "IQ"}


def autocomplete(client, model, field, term):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "events", "model_name": model, "field_name": field, "term": term},
    )
    assert response.status_code == 200, response.content
    return [r["text"] for r in response.json()["results"]]


def test_the_place_autocomplete_offers_the_place_named_so_first(client, curator):
    governorate = PlaceFactory(
        name="Idlib Governorate", kind="admin1", alternate_names=["Idlib", "Idleb", "إدلب"]
    )
    for town in ("Ariha", "Saraqib", "Maarrat al-Numan"):
        PlaceFactory(name=town, parent=governorate, kind="town")
    PlaceFactory(name="Idlib countryside", kind="region")
    PlaceFactory(name="Jisr al-Shughur, Idlib", kind="town")
    client.force_login(curator)
    got = autocomplete(client, "event", "place", "Idlib")
    assert got[0].startswith("Idlib Governorate")
    assert got[1].startswith("Idlib countryside")
    assert any(t.startswith("Ariha") for t in got)  # found by the place it lies in
    for spelling in ("IDLEB", "إدلب"):
        assert autocomplete(client, "event", "place", spelling)[0].startswith("Idlib Governorate")


def test_the_actor_autocomplete_offers_the_actor_named_so_first(client, curator):
    ActorFactory(name="Ahrar al-Sham Islamic Movement")
    ActorFactory(name="Jaysh al-Sham")
    ActorFactory(name="al-Sham")
    client.force_login(curator)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "events",
            "model_name": "eventparticipant",
            "field_name": "actor",
            "term": "al-sham",
        },
    )
    assert response.status_code == 200, response.content
    names = [r["text"] for r in response.json()["results"]]
    assert names[0] == "al-Sham" and len(names) == 3


def test_history_says_what_changed_on_the_page(client, curator):
    actor = ActorFactory(description="original")
    client.force_login(curator)
    response = client.post(
        admin_url("actors.actor", "change", actor.pk),
        actor_form(
            actor,
            description="fixed",
            **{
                "names-TOTAL_FORMS": 1,
                "names-0-name": "Jabhat Fath al-Sham",
                "names-0-kind": "former",
                "names-0-language": "en",
                "names-0-note": "",
            },
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    reason = actor.history.order_by("-history_date").first().history_change_reason
    assert reason.startswith("changed description; added 1 ") and reason.endswith(" in the admin")
    # Writes that give no reason (the API's) still say what happened, never "None".
    api = APIClient()
    api.force_authenticate(curator)
    current = Actor.objects.get(pk=actor.pk).version
    response = api.patch(
        f"/api/v1/actors/{actor.slug}/",
        {"description": "via the API"},
        format="json",
        HTTP_IF_MATCH=f'"{current}"',
    )
    assert response.status_code == 200, response.content
    assert (
        Actor.objects.get(pk=actor.pk)
        .history.order_by("-history_date")
        .first()
        .history_change_reason
        == "changed"
    )


def test_view_site_leads_to_the_api(client, curator):
    client.force_login(curator)
    page = client.get(reverse("admin:index")).content.decode()
    assert 'href="/api/v1/"' in page
    assert client.get("/api/v1/").status_code == 200


def test_the_event_list_keeps_long_titles_to_a_line_or_two(client, curator):
    long = "Clashes " + "between rival factions " * 10
    EventFactory(title=long)
    client.force_login(curator)
    page = client.get(admin_url("events.event", "changelist")).content.decode()
    assert f'title="{long}"' in page and long not in page.replace(f'title="{long}"', "")


@pytest.mark.parametrize("label", ["events.event", "actors.actor", "sources.document"])
def test_an_add_form_leaves_out_the_rows_it_cannot_fill(client, curator, label):
    client.force_login(curator)
    added = client.get(admin_url(label, "add")).content.decode()
    for empty in ("field-id", "field-created_at", "field-updated_at", "field-retraction_reason"):
        assert empty not in added, empty
    assert "field-status" in added  # what the new record will be: a draft
    model = {
        "events.event": EventFactory,
        "actors.actor": ActorFactory,
        "sources.document": DocumentFactory,
    }[label]()
    changed = client.get(admin_url(label, "change", model.pk)).content.decode()
    assert "field-id" in changed and "field-created_at" in changed


def test_the_date_hierarchy_offers_no_year_1_for_open_starts(client, curator):
    EventFactory(title="open start", date="../2015-01-27")
    EventFactory(title="dated", date="2014-11-01")
    client.force_login(curator)
    response = client.get(admin_url("events.event", "changelist"))
    years = re.findall(r"\?date_start__year=(\d+)", response.content.decode())
    assert sorted(set(years)) == ["2014"]
    assert listed_titles(client) == {"open start", "dated"}


def test_the_event_list_names_the_type_not_its_path(client, curator):
    statement = EventType.objects.get(slug="statement")
    EventFactory(event_type=statement)
    client.force_login(curator)
    page = client.get(admin_url("events.event", "changelist")).content.decode()
    assert f'<span title="{statement}">{statement.name}</span>' in page
    assert f">{statement}<" not in page


def test_pages_have_no_models_sidebar(client, curator):
    client.force_login(curator)
    page = client.get(admin_url("events.event", "changelist")).content.decode()
    assert 'id="nav-sidebar"' not in page
