"""The events list's fast path returns exactly what EventListSerializer would."""

import json

import pytest
from django.urls import reverse
from drf_orjson_renderer.renderers import ORJSONRenderer
from rest_framework.test import APIClient, APIRequestFactory

from events.api.serializers import EventListSerializer
from events.models import Event
from tests.factories import (
    ActorFactory,
    EventCitationFactory,
    EventFactory,
    EventParticipantFactory,
    PlaceFactory,
    event_type,
)

pytestmark = pytest.mark.django_db


def test_fast_path_matches_serializer():
    governorate = PlaceFactory(kind="admin1", latitude="35.93", longitude="36.63")
    town = PlaceFactory(parent=governorate, latitude="35.650000", longitude="36.700001")
    full = Event(
        event_type=event_type(),
        title="Imported from ACLED",
        status="published",
        place=town,
        date="2014-11~",
        geo_precision=2,
        fatalities_low=3,
        fatalities_best=4,
        fatalities_high=10,
        summary="Arabic: جبهة النصرة",
        tags="crowd size=no report; women targeted: candidates",
        civilian_targeting="Civilian targeting",
        source_scale="Subnational-National",
        acled_source="Enab Baladi; SOHR",
    )
    full.save(identifiers={"acled": "SYR1234"})
    for role, name in (("target", "Zeta"), ("initiator", "Alpha"), ("party", "Mu")):
        EventParticipantFactory(event=full, role=role, actor=ActorFactory(name=name), note="n")
    EventCitationFactory(event=full)
    EventFactory(date="2014-11-01/2014-11-03")  # no place, no participants

    response = APIClient().get(reverse("events-api:event-list"))
    assert response.status_code == 200
    fast = json.loads(response.content)["results"]

    request = APIRequestFactory().get(reverse("events-api:event-list"))
    events = Event.objects.all()
    slow = EventListSerializer(events, many=True, context={"request": request}).data
    # The serializer's JSON, through the same renderer.
    assert fast == json.loads(ORJSONRenderer().render(slow))
    full_row = next(row for row in fast if row["id"] == str(full.pk))
    assert [p["actor"]["name"] for p in full_row["participants"]] == ["Alpha", "Mu", "Zeta"]
    assert [i["scheme"] for i in full_row["identifiers"]] == ["acled", "ucdp"]
    assert full_row["identifiers"][0]["value"] == "SYR1234"
    assert (full_row["tags"], full_row["source_scale"]) == (full.tags, "Subnational-National")
