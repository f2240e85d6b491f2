"""Actor.search_names and search_skeletons: the keys of an actor's name and of every
alias, a line each, which the name search (`q`) reads instead of the alias table."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from actors.models import Actor, ActorName
from tests.factories import ActorFactory, ActorIdentifierFactory, ActorNameFactory

pytestmark = pytest.mark.django_db


def columns(actor):
    actor = Actor.objects.get(pk=actor.pk)
    return actor.search_names, actor.search_skeletons


def test_a_new_actor_holds_its_own_name():
    actor = ActorFactory(name="Jabhat al-Nusra")
    assert columns(actor) == ("\njabhat al nusra\n", "\n jbht nsr \n")


def test_alias_writes_keep_the_actor_in_step():
    actor = ActorFactory(name="Jabhat al-Nusra")
    alias = ActorNameFactory(actor=actor, name="JN")
    assert columns(actor)[0] == "\njabhat al nusra\njn\n"

    alias.name = "Jabhat Fath al-Sham"
    alias.save()
    names, skeletons = columns(actor)
    assert names == "\njabhat al nusra\njabhat fath al sham\n"
    assert " jbht fth shm " in skeletons.split("\n")

    alias.delete()
    assert columns(actor) == ("\njabhat al nusra\n", "\n jbht nsr \n")


def test_an_alias_moved_to_another_actor_leaves_the_first():
    first, second = ActorFactory(name="First Front"), ActorFactory(name="Second Front")
    alias = ActorNameFactory(actor=first, name="Old Guard")
    alias = ActorName.objects.get(pk=alias.pk)
    alias.actor = second
    alias.save()
    assert "old guard" not in columns(first)[0]
    assert "\nold guard\n" in columns(second)[0]


def test_renaming_the_actor_keeps_its_aliases():
    actor = ActorFactory(name="Jabhat al-Nusra")
    ActorNameFactory(actor=actor, name="JN")
    actor = Actor.objects.get(pk=actor.pk)
    actor.name = "Hayat Tahrir al-Sham"
    actor.save()
    assert columns(actor)[0] == "\nhayat tahrir al sham\njn\n"


def test_queryset_deletes_of_aliases_keep_the_actor_in_step():
    actor = ActorFactory(name="Ahrar al-Sham")
    ActorNameFactory(actor=actor, name="Harakat Ahrar")
    actor.names.all().delete()
    assert columns(actor)[0] == "\nahrar al sham\n"


def test_rebuild_name_keys_fills_columns_of_rows_written_in_bulk():
    actor = ActorFactory(name="Liwa al-Haqq")
    ActorName.objects.bulk_create([ActorName(actor=actor, name="Brigade of Truth", kind="short")])
    Actor.objects.filter(pk=actor.pk).update(search_names="", search_skeletons="")
    call_command("rebuild_name_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    names, skeletons = columns(actor)
    assert names == "\nbrigade of truth\nliwa al haqq\n"
    assert " l hq " in skeletons.split("\n")


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_search_finds_an_alias_added_after_the_actor(client):
    actor = ActorFactory(name="Katibat al-Furqan")
    url = reverse("actors-api:actor-list")
    assert ids(client.get(url, {"q": "Liwa Badr"})) == []
    ActorNameFactory(actor=actor, name="Liwa Badr")
    assert ids(client.get(url, {"q": "Liwa Badr"})) == [str(actor.pk)]
    assert ids(client.get(url, {"q": "Liwa Bader"})) == [str(actor.pk)]  # skeleton


def test_a_match_never_spans_two_names(client):
    # "sham jaish" runs across the end of one name into the next in the joined column
    # ("...al sham\njaish...") only if the separator were a space.
    actor = ActorFactory(name="Ahrar al-Sham")
    ActorNameFactory(actor=actor, name="Jaish al-Islam")
    url = reverse("actors-api:actor-list")
    assert ids(client.get(url, {"q": "sham jaish"})) == []
    assert ids(client.get(url, {"q": "sham"})) == [str(actor.pk)]


def test_exact_rank_is_a_whole_name(client):
    # "nusra" is a whole alias of the second actor and only part of the first's names.
    within = ActorFactory(name="Ansar al-Nusra Front")
    exact = ActorFactory(name="Zulfiqar Brigade")
    ActorNameFactory(actor=exact, name="Nusra")
    url = reverse("actors-api:actor-list")
    assert ids(client.get(url, {"q": "nusra"})) == [str(exact.pk), str(within.pk)]


def test_list_rows_serialize_as_the_detail_does(client):
    actor = ActorFactory(name="Jaish al-Fatah")
    ActorNameFactory(actor=actor, name="Army of Conquest", language="en", note="English press")
    ActorNameFactory(actor=actor, name="جيش الفتح", kind="original", language="ar")
    ActorIdentifierFactory(actor=actor, scheme="wikidata", value="Q19869479")
    ActorIdentifierFactory(actor=actor, scheme="acled", value="1234")
    listed = client.get(reverse("actors-api:actor-list"), {"q": "fatah"}).json()["results"]
    detail = client.get(reverse("actors-api:actor-detail", kwargs={"pk": actor.pk})).json()
    assert len(listed) == 1
    assert listed[0]["names"] == detail["names"]
    assert listed[0]["identifiers"] == detail["identifiers"]
    assert [n["name"] for n in detail["names"]] == ["Army of Conquest", "جيش الفتح"]
