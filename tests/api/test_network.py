"""An actor's affiliation network as it stood on a day, and the actor's own events and
affiliations."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.api.helpers_personas import (
    client_as,
    error_attrs,
    errors,
    fresh_throttle_counts,  # noqa: F401
    ids,
)
from tests.api.networks import AS_OF, build_graph
from tests.factories import ActorFactory, EventFactory, EventParticipantFactory

pytestmark = pytest.mark.django_db


def network(ref, client=None, **params):
    url = reverse("actors-api:actor-network", args=[getattr(ref, "pk", ref)])
    return (client or APIClient()).get(url, params)


@pytest.fixture
def graph():
    return build_graph()


def nodes_of(response):
    assert response.status_code == 200, response.content
    return {node["slug"]: node["depth"] for node in response.json()["nodes"]}


def edges_of(response, a):
    slug = {str(actor.pk): key for key, actor in a.items()}
    return {
        (slug[edge["subject"]], edge["kind"], slug[edge["object"]])
        for edge in response.json()["edges"]
    }


def test_depth_1_on_a_day(graph):
    a, _ = graph

    response = network(a["nusra"], as_of=AS_OF, depth=1)

    body = response.json()
    assert body["centre"] == str(a["nusra"].pk)
    assert (body["as_of"], body["depth"]) == (AS_OF, 1)
    assert nodes_of(response) == {"nusra": 0, "qaeda": 1, "ahrar": 1}
    assert edges_of(response, a) == {
        ("nusra", "branch_of", "qaeda"),
        ("nusra", "allied_with", "ahrar"),
    }


def test_nodes_and_edges_carry_what_clients_need(graph):
    a, ties = graph

    body = network(a["nusra"], as_of=AS_OF).json()

    qaeda = next(node for node in body["nodes"] if node["slug"] == "qaeda")
    assert qaeda == {
        "id": str(a["qaeda"].pk),
        "url": f"http://testserver/api/v1/actors/{a['qaeda'].pk}/",
        "slug": "qaeda",
        "name": "Qaeda",
        "kind": "armed_group",
        "country": "",
        "depth": 1,
    }
    branch = next(edge for edge in body["edges"] if edge["id"] == str(ties["branch"].pk))
    assert (branch["subject"], branch["kind"], branch["object"]) == (
        str(a["nusra"].pk),
        "branch_of",
        str(a["qaeda"].pk),
    )
    assert (branch["start_date"], branch["start_date_start"], branch["end_date"]) == (
        "2013-04",
        "2013-04-01",
        "",
    )
    assert (branch["end_date_start"], branch["end_date_end"]) == (None, None)
    assert branch["citation_count"] == 1
    [citation] = branch["citations"]
    assert citation["quote"] == "pledged allegiance to al-Qaeda's leader"
    assert (citation["locator"], citation["credibility"]) == ("para. 2", 1)
    assert citation["document"]["title"] == "Nusra pledges allegiance"
    allied = next(edge for edge in body["edges"] if edge["id"] == str(ties["allied"].pk))
    assert (allied["citations"], allied["citation_count"]) == ([], 0)


def test_depth_2_reaches_friends_of_friends(graph):
    a, _ = graph

    response = network(a["nusra"], as_of=AS_OF, depth=2)

    assert nodes_of(response) == {"nusra": 0, "qaeda": 1, "ahrar": 1, "jund": 2}
    assert edges_of(response, a) == {
        ("nusra", "branch_of", "qaeda"),
        ("nusra", "allied_with", "ahrar"),
        ("ahrar", "coordinates_with", "jund"),
    }


def test_depth_3(graph):
    a, _ = graph

    response = network(a["nusra"], as_of=AS_OF, depth=3)

    assert nodes_of(response) == {"nusra": 0, "qaeda": 1, "ahrar": 1, "jund": 2, "levant": 3}
    assert ("jund", "supports", "levant") in edges_of(response, a)
    assert len(response.json()["edges"]) == 4


def test_depth_defaults_to_1(graph):
    a, _ = graph
    assert nodes_of(network(a["nusra"], as_of=AS_OF)) == {"nusra": 0, "qaeda": 1, "ahrar": 1}


def test_without_a_day_every_published_tie_counts(graph):
    a, _ = graph

    response = network(a["nusra"])

    assert response.json()["as_of"] is None
    assert nodes_of(response) == {"nusra": 0, "qaeda": 1, "ahrar": 1, "isis": 1, "fsa": 1}
    assert edges_of(response, a) == {
        ("nusra", "branch_of", "qaeda"),
        ("nusra", "allied_with", "ahrar"),
        ("nusra", "member_of", "isis"),
        ("fsa", "rival_of", "nusra"),
    }


@pytest.mark.parametrize(
    "as_of, expected",
    [
        ("2013-03-31", {"nusra": 0, "isis": 1}),  # before the pledge to al-Qaeda
        ("2013-04-15", {"nusra": 0, "isis": 1, "qaeda": 1}),  # both may have held
        ("2013-05-01", {"nusra": 0, "qaeda": 1}),  # the ISIS tie has ended
        ("2016-02-15", {"nusra": 0, "qaeda": 1, "fsa": 1}),  # the alliance has ended
    ],
)
def test_ties_are_dated(graph, as_of, expected):
    a, _ = graph
    assert nodes_of(network(a["nusra"], as_of=as_of)) == expected


def test_kind_filter(graph):
    a, _ = graph

    only_branch = network(a["nusra"], as_of=AS_OF, depth=3, kind="branch_of")
    assert nodes_of(only_branch) == {"nusra": 0, "qaeda": 1}
    assert edges_of(only_branch, a) == {("nusra", "branch_of", "qaeda")}

    two_kinds = network(a["nusra"], as_of=AS_OF, depth=3, kind=["allied_with", "coordinates_with"])
    assert nodes_of(two_kinds) == {"nusra": 0, "ahrar": 1, "jund": 2}
    assert edges_of(two_kinds, a) == {
        ("nusra", "allied_with", "ahrar"),
        ("ahrar", "coordinates_with", "jund"),
    }

    none_touching = network(a["nusra"], as_of=AS_OF, kind="supports")
    assert nodes_of(none_touching) == {"nusra": 0}
    assert none_touching.json()["edges"] == []


def test_curators_also_see_draft_ties_and_actors_but_not_retracted_ones(request, graph):
    a, _ = graph

    response = network(a["nusra"], client_as(request, "curator"), as_of=AS_OF)

    assert nodes_of(response) == {"nusra": 0, "qaeda": 1, "ahrar": 1, "secret": 1, "hidden": 1}
    assert ("nusra", "split_from", "hidden") not in edges_of(response, a)
    assert ("nusra", "rival_of", "hidden") in edges_of(response, a)


@pytest.mark.parametrize("persona", ["anonymous", "outsider"])
def test_readers_never_see_draft_actors_through_the_network(request, graph, persona):
    a, _ = graph

    body = network(a["nusra"], client_as(request, persona), as_of=AS_OF).json()

    assert "secret" not in {node["slug"] for node in body["nodes"]}
    seen = {edge["subject"] for edge in body["edges"]} | {edge["object"] for edge in body["edges"]}
    assert str(a["secret"].pk) not in seen


def test_network_by_slug(graph):
    a, _ = graph
    by_slug = network("nusra", as_of=AS_OF, depth=2)
    by_id = network(a["nusra"], as_of=AS_OF, depth=2)
    assert by_slug.json() == by_id.json()


@pytest.mark.parametrize(
    "params, attr",
    [
        ({"depth": "0"}, "depth"),
        ({"depth": "4"}, "depth"),
        ({"depth": "x"}, "depth"),
        ({"depth": "1.5"}, "depth"),
        ({"as_of": "2015-13-01"}, "as_of"),
        ({"as_of": "yesterday"}, "as_of"),
        ({"as_of": "2015-06"}, "as_of"),
        ({"kind": "friend_of"}, "kind"),
        ({"kind": ["branch_of", "bogus"]}, "kind"),
    ],
)
def test_bad_parameters_are_400s_naming_them(graph, params, attr):
    a, _ = graph

    response = network(a["nusra"], **params)

    assert response.status_code == 400
    assert all(name == attr or name.startswith(f"{attr}.") for name in error_attrs(response))
    assert error_attrs(response)


def test_unknown_parameter_is_a_400_naming_it(graph):
    """Like every list, the network refuses a parameter it does not know rather than
    silently drawing the unfiltered graph (DESIGN.md even spells it `kinds`)."""
    a, _ = graph

    response = network(a["nusra"], kinds="branch_of")

    assert response.status_code == 400
    assert error_attrs(response) == {"kinds"}


@pytest.mark.parametrize("ref", ["no-such-actor", "00000000-0000-0000-0000-000000000000"])
def test_unknown_actor_is_404(ref):
    response = network(ref, as_of=AS_OF)
    assert response.status_code == 404
    assert errors(response)[0]["code"] == "not_found"


def test_draft_actor_network_is_for_curators(request, graph):
    a, _ = graph
    assert network(a["secret"]).status_code == 404
    assert network(a["secret"], client_as(request, "outsider")).status_code == 404
    assert nodes_of(network(a["secret"], client_as(request, "curator"))) == {
        "secret": 0,
        "nusra": 1,
    }


# The actor's own events and affiliations


def events_of(ref, client=None, **params):
    url = reverse("events-api:actor-events", kwargs={"actor_ref": getattr(ref, "pk", ref)})
    return (client or APIClient()).get(url, params)


def affiliations_of(ref, client=None, **params):
    url = reverse("actors-api:actor-affiliations", kwargs={"actor_ref": getattr(ref, "pk", ref)})
    return (client or APIClient()).get(url, params)


@pytest.fixture
def battles():
    nusra, ahrar, isis = (ActorFactory(slug=s) for s in ("nusra", "ahrar", "isis"))
    idlib = EventFactory(title="Idlib", date="2015-03-28")
    EventParticipantFactory(event=idlib, actor=nusra, role="initiator")
    EventParticipantFactory(event=idlib, actor=ahrar, role="initiator")
    jisr = EventFactory(title="Jisr al-Shughur", date="2015-04-25")
    # Two roles in one event: the event is still listed once.
    EventParticipantFactory(event=jisr, actor=nusra, role="initiator")
    EventParticipantFactory(event=jisr, actor=nusra, role="party")
    raqqa = EventFactory(title="Raqqa", date="2014-01")
    EventParticipantFactory(event=raqqa, actor=isis, role="initiator")
    EventParticipantFactory(event=raqqa, actor=nusra, role="target")
    elsewhere = EventFactory(title="Elsewhere", date="2015")
    EventParticipantFactory(event=elsewhere, actor=isis, role="initiator")
    hidden = EventFactory(title="Draft", status="draft")
    EventParticipantFactory(event=hidden, actor=nusra)
    return {"nusra": nusra, "isis": isis, "idlib": idlib, "jisr": jisr, "raqqa": raqqa}


def titles(response):
    assert response.status_code == 200, response.content
    return sorted(row["title"] for row in response.json()["results"])


def test_actor_events_lists_only_that_actors_events(battles):
    response = events_of(battles["nusra"])
    assert titles(response) == ["Idlib", "Jisr al-Shughur", "Raqqa"]
    assert response.json()["count"] == 3
    assert titles(events_of("isis")) == ["Elsewhere", "Raqqa"]


def test_actor_events_take_the_list_filters(battles):
    assert titles(events_of("nusra", role="target")) == ["Raqqa"]
    assert titles(events_of("nusra", date_from="2015-01-01")) == ["Idlib", "Jisr al-Shughur"]
    assert titles(events_of("nusra", actor="ahrar")) == ["Idlib"]
    assert titles(events_of("nusra", q="shughur")) == ["Jisr al-Shughur"]
    ordered = events_of("nusra", ordering="date_start").json()["results"]
    assert [row["title"] for row in ordered] == ["Raqqa", "Idlib", "Jisr al-Shughur"]
    assert events_of("nusra", page_size=1).json()["next"] is not None


def test_actor_events_refuse_bad_filters(battles):
    response = events_of("nusra", date_from="soon")
    assert response.status_code == 400
    assert error_attrs(response) == {"date_from"}
    response = events_of("nusra", colour="red")
    assert response.status_code == 400
    assert error_attrs(response) == {"colour"}


def test_actor_events_show_curators_drafts(request, battles):
    assert "Draft" in titles(events_of("nusra", client_as(request, "curator")))


@pytest.mark.parametrize("ref", ["no-such-actor", "00000000-0000-0000-0000-000000000000"])
def test_actor_events_of_unknown_actor_is_404(ref):
    assert events_of(ref).status_code == 404
    assert affiliations_of(ref).status_code == 404


def test_actor_sublists_of_a_draft_actor_are_for_curators(request):
    draft = ActorFactory(status="draft")
    assert events_of(draft).status_code == 404
    assert affiliations_of(draft).status_code == 404
    assert events_of(draft, client_as(request, "curator")).status_code == 200
    assert affiliations_of(draft, client_as(request, "curator")).status_code == 200


def test_actor_affiliations_list_both_directions_and_nothing_else(graph):
    a, ties = graph

    response = affiliations_of("ahrar")

    assert ids(response) == {str(ties["allied"].pk), str(ties["coordinates"].pk)}
    nusra_ties = ids(affiliations_of(a["nusra"], page_size=100))
    assert {str(ties[name].pk) for name in ("branch", "allied", "member", "rival")} <= nusra_ties
    assert str(ties["coordinates"].pk) not in nusra_ties
    assert str(ties["draft"].pk) not in nusra_ties
    assert str(ties["retracted"].pk) not in nusra_ties


@pytest.mark.parametrize("name", ["actors-api:affiliation-list", "actors-api:actor-affiliations"])
def test_anonymous_never_see_draft_actors_through_affiliation_lists(graph, name):
    """As in the network, a published tie must not reveal a draft actor at its end."""
    a, _ = graph
    kwargs = {"actor_ref": "nusra"} if name.endswith("actor-affiliations") else None

    response = APIClient().get(reverse(name, kwargs=kwargs), {"page_size": 100})

    assert response.status_code == 200
    text = response.content.decode()
    assert str(a["secret"].pk) not in text
    assert "Secret" not in text


def test_actor_affiliations_take_the_list_filters(graph):
    _, ties = graph

    assert ids(affiliations_of("nusra", kind="branch_of")) == {str(ties["branch"].pk)}
    assert ids(affiliations_of("nusra", active_on="2013-01-01")) == {str(ties["member"].pk)}
    assert ids(affiliations_of("nusra", object="qaeda")) == {str(ties["branch"].pk)}
    retracted = affiliations_of("nusra", status="retracted")
    assert ids(retracted) == {str(ties["retracted"].pk)}
    bad = affiliations_of("nusra", kind="friend_of")
    assert bad.status_code == 400
    assert error_attrs(bad) == {"kind"}
