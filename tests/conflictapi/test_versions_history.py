import pytest
from django.db import transaction

from actors.models import Actor
from conflictapi.models import StaleVersionError
from tests.factories import ActorFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_every_save_bumps_version():
    actor = ActorFactory()
    assert actor.version == 1
    actor.description = "changed"
    actor.save()
    assert Actor.objects.get(pk=actor.pk).version == 2


def test_stale_save_is_refused_and_newer_change_kept():
    actor = ActorFactory(description="first")
    stale = Actor.objects.get(pk=actor.pk)
    actor.description = "second"
    actor.save()
    stale.description = "stale overwrite"
    with pytest.raises(StaleVersionError), transaction.atomic():
        stale.save()
    fresh = Actor.objects.get(pk=actor.pk)
    assert (fresh.description, fresh.version) == ("second", 2)
    assert stale.version == 1  # unchanged, so the caller can reload and retry


def test_history_records_who_and_what():
    user = UserFactory()
    actor = ActorFactory(description="before")
    actor._history_user = user
    actor.description = "after"
    actor.save()
    latest, first = actor.history.all()[:2]
    assert latest.history_user == user
    assert latest.history_type == "~"
    delta = latest.diff_against(first)
    assert [(c.field, c.old, c.new) for c in delta.changes if c.field == "description"] == [
        ("description", "before", "after")
    ]


def test_revert_restores_earlier_values():
    actor = ActorFactory(description="right", country="SY")
    actor.description = "wrong"
    actor.country = "IQ"
    actor.save()
    earlier = actor.history.earliest().instance
    earlier._state.adding = False  # as the admin's revert view does
    earlier.version = Actor.objects.get(pk=actor.pk).version
    earlier.save()
    reverted = Actor.objects.get(pk=actor.pk)
    assert (reverted.description, reverted.country.code, reverted.version) == ("right", "SY", 3)
    assert actor.history.count() == 3


def test_partial_date_bounds_derived_on_save():
    actor = ActorFactory(founded="2012-01~")
    assert str(actor.founded_start) == "2012-01-01"
    assert str(actor.founded_end) == "2012-01-31"
    assert actor.founded_precision == "month"
    actor.founded = ""
    actor.save()
    assert (actor.founded_start, actor.founded_end, actor.founded_precision) == (None, None, "")
