"""Networks in GraphML and GEXF, read back as analysts read them (networkx), against the
JSON network: an actor's network (`actors/{ref}/network/`) and the network of any
affiliation filter (`affiliations/network/`)."""

import io
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from actors.api.renderers import EDGE_ATTRIBUTES, NODE_ATTRIBUTES
from tests.api.helpers_personas import (
    client_as,
    error_attrs,
    fresh_throttle_counts,  # noqa: F401
)
from tests.api.networks import AS_OF, build_graph
from tests.factories import ActorFactory, AffiliationFactory

nx = pytest.importorskip("networkx")

pytestmark = pytest.mark.django_db

FORMATS = ("graphml", "gexf")
MEDIA_TYPES = {"graphml": "application/graphml+xml", "gexf": "application/gexf+xml"}
NODE_NAMES = [name for name, _ in NODE_ATTRIBUTES]
EDGE_NAMES = [name for name, _ in EDGE_ATTRIBUTES]
GEXF = "{http://gexf.net/1.3}"
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


@pytest.fixture
def graph():
    return build_graph()


def actor_network(ref="nusra", client=None, headers=None, **params):
    url = reverse("actors-api:actor-network", args=[getattr(ref, "pk", ref)])
    return (client or APIClient()).get(url, params, headers=headers)


def affiliation_network(client=None, headers=None, **params):
    url = reverse("actors-api:affiliation-network")
    return (client or APIClient()).get(url, params, headers=headers)


ENDPOINTS = {"actor": actor_network, "affiliations": affiliation_network}


def read(response, fmt):
    """The response as networkx reads it: a MultiDiGraph, whatever the format."""
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith(MEDIA_TYPES[fmt])
    stream = io.BytesIO(response.content)
    if fmt == "graphml":
        return nx.read_graphml(stream, force_multigraph=True)
    return nx.MultiDiGraph(nx.read_gexf(stream, version="1.3"))


def graph_nodes(g):
    return {
        node: {k: v for k, v in data.items() if k in NODE_NAMES}
        for node, data in g.nodes(data=True)
    }


def graph_edges(g, fmt):
    edges = {}
    for source, target, key, data in g.edges(keys=True, data=True):
        tie_id = data["id"] if fmt == "gexf" else key
        attrs = {k: v for k, v in data.items() if k in EDGE_NAMES}
        edges[tie_id] = (source, target, attrs)
    return edges


def json_nodes(body):
    return {
        node["id"]: {k: node[k] for k in NODE_NAMES if node.get(k) not in (None, "")}
        for node in body["nodes"]
    }


def json_edges(body):
    return {
        edge["id"]: (
            edge["subject"],
            edge["object"],
            {k: edge[k] for k in EDGE_NAMES if edge.get(k) not in (None, "")},
        )
        for edge in body["edges"]
    }


PARAMS = [
    ("actor", {}),
    ("actor", {"as_of": AS_OF, "depth": 3}),
    ("actor", {"as_of": AS_OF, "depth": 2, "kind": ["allied_with", "coordinates_with"]}),
    ("actor", {"as_of": "2013-04-15"}),
    ("affiliations", {}),
    ("affiliations", {"kind": ["branch_of", "member_of"]}),
    ("affiliations", {"actor": "ahrar"}),
    ("affiliations", {"active_on": AS_OF, "ordering": "-start_date_start"}),
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("endpoint, params", PARAMS)
def test_graphml_and_gexf_hold_the_json_network(graph, endpoint, params, fmt):
    """Every parameter applies to every format: each is the JSON network, node for node
    (UUID keys, slug, name, kind, country, depth) and edge for edge (kind, role, dates,
    bounds, status, citation count)."""
    fetch = ENDPOINTS[endpoint]
    body = fetch(**params).json()
    assert body["nodes"] and body["edges"]

    g = read(fetch(**params, format=fmt), fmt)

    assert graph_nodes(g) == json_nodes(body)
    assert graph_edges(g, fmt) == json_edges(body)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_nodes_are_actor_ids_with_slugs_and_edges_carry_bounds(graph, endpoint, fmt):
    a, ties = graph

    g = read(ENDPOINTS[endpoint](format=fmt), fmt)

    nusra = g.nodes[str(a["nusra"].pk)]
    assert (nusra["slug"], nusra["name"], nusra["kind"]) == ("nusra", "Nusra", "armed_group")
    assert ("depth" in nusra) == (endpoint == "actor")
    [(source, target, branch)] = [
        (s, t, d) for s, t, d in graph_edges(g, fmt).values() if d["kind"] == "branch_of"
    ]
    assert (source, target) == (str(a["nusra"].pk), str(a["qaeda"].pk))
    assert branch == {
        "kind": "branch_of",
        "start_date": "2013-04",
        "start_date_start": "2013-04-01",
        "start_date_end": "2013-04-30",
        "status": "published",
        "citation_count": 1,
    }
    allied = graph_edges(g, fmt)[str(ties["allied"].pk)][2]
    assert (allied["end_date"], allied["end_date_start"], allied["end_date_end"]) == (
        "2016-01",
        "2016-01-01",
        "2016-01-31",
    )
    assert allied["citation_count"] == 0


@pytest.mark.parametrize("fmt", ["json", *FORMATS])
@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("persona", ["anonymous", "outsider"])
def test_readers_never_see_drafts_or_retractions_in_any_format(
    request, graph, endpoint, fmt, persona
):
    a, ties = graph
    params = {"depth": 3} if endpoint == "actor" else {}

    response = ENDPOINTS[endpoint](client=client_as(request, persona), format=fmt, **params)

    assert response.status_code == 200
    text = response.content.decode()
    for hidden in (a["secret"].pk, ties["to_draft_actor"].pk, ties["draft"].pk):
        assert str(hidden) not in text
    assert str(ties["retracted"].pk) not in text
    assert "secret" not in text.lower()
    assert "hidden" not in text  # only drawn through the draft and retracted ties


@pytest.mark.parametrize("fmt", FORMATS)
def test_curators_see_draft_ties_and_actors_in_every_format(request, graph, fmt):
    a, ties = graph
    curator = client_as(request, "curator")

    g = read(affiliation_network(client=curator, format=fmt), fmt)

    assert str(a["secret"].pk) in g.nodes
    edges = graph_edges(g, fmt)
    assert edges[str(ties["draft"].pk)][2]["status"] == "draft"
    assert str(ties["retracted"].pk) not in edges  # a withdrawn claim draws no edge
    g = read(actor_network(client=curator, format=fmt, as_of=AS_OF), fmt)
    assert str(a["secret"].pk) in g.nodes


@pytest.mark.parametrize("fmt", FORMATS)
def test_accept_chooses_the_format_and_format_wins(graph, fmt):
    url = reverse("actors-api:affiliation-network")
    api = APIClient()

    by_accept = api.get(url, headers={"Accept": MEDIA_TYPES[fmt]})
    assert by_accept["Content-Type"].startswith(MEDIA_TYPES[fmt])
    by_format = api.get(url, {"format": fmt})
    assert graph_edges(read(by_accept, fmt), fmt) == graph_edges(read(by_format, fmt), fmt)
    by_actor_accept = actor_network("nusra", headers={"Accept": MEDIA_TYPES[fmt]})
    assert by_actor_accept["Content-Type"].startswith(MEDIA_TYPES[fmt])

    json_wins = api.get(url, {"format": "json"}, headers={"Accept": MEDIA_TYPES[fmt]})
    assert json_wins["Content-Type"].startswith("application/json")
    assert api.get(url)["Content-Type"].startswith("application/json")


BAD = [
    ("actor", {"depth": "0"}, "depth"),
    ("actor", {"depth": "x"}, "depth"),
    ("actor", {"as_of": "2015-06"}, "as_of"),
    ("actor", {"kind": "friend_of"}, "kind"),
    ("actor", {"kinds": "branch_of"}, "kinds"),
    ("affiliations", {"kind": "friend_of"}, "kind"),
    ("affiliations", {"active_on": "soon"}, "active_on"),
    ("affiliations", {"actor": "no-such-actor"}, "actor"),
    ("affiliations", {"actor": "secret"}, "actor"),  # a draft, to anonymous readers
    ("affiliations", {"status": "draft"}, "status"),
    ("affiliations", {"date_from": "2016-01-01", "date_to": "2015-01-01"}, "date_to"),
    ("affiliations", {"page_size": "10"}, "page_size"),  # not paged
    ("affiliations", {"colour": "red"}, "colour"),
]


@pytest.mark.parametrize("how", ["format", "accept"])
@pytest.mark.parametrize("fmt", ["json", *FORMATS])
@pytest.mark.parametrize("endpoint, params, attr", BAD)
def test_a_bad_parameter_is_a_json_400_naming_it_in_every_format(
    graph, endpoint, params, attr, fmt, how
):
    api = APIClient()
    if endpoint == "actor":
        url = reverse("actors-api:actor-network", args=["nusra"])
    else:
        url = reverse("actors-api:affiliation-network")
    media_type = MEDIA_TYPES.get(fmt, "application/json")
    if how == "format":
        response = api.get(url, {**params, "format": fmt})
    else:
        response = api.get(url, params, headers={"Accept": media_type})

    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    assert error_attrs(response) == {attr}


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_actor_is_a_json_404_in_every_format(fmt):
    response = actor_network("no-such-actor", format=fmt)
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


# The affiliation network's own behaviour


def slugs(body):
    return {node["slug"] for node in body["nodes"]}


def test_the_affiliation_network_takes_the_list_filters(graph):
    _, ties = graph

    branch = affiliation_network(kind="branch_of").json()
    assert slugs(branch) == {"nusra", "qaeda"}
    assert [edge["id"] for edge in branch["edges"]] == [str(ties["branch"].pk)]
    assert set(branch) == {"nodes", "edges"}  # no centre, as_of or depth
    assert "depth" not in branch["nodes"][0]

    on_day = affiliation_network(active_on=AS_OF).json()
    assert slugs(on_day) == {"nusra", "qaeda", "ahrar", "jund", "levant"}
    assert slugs(affiliation_network(object="nusra").json()) == {"nusra", "fsa"}
    assert slugs(affiliation_network(year="2012").json()) == {"nusra", "isis"}


@pytest.mark.usefixtures("graph")
def test_the_affiliation_network_is_every_tie_and_not_a_page():
    centre = ActorFactory(slug="hub")
    for _ in range(120):
        AffiliationFactory(subject=centre, object=ActorFactory(), kind="supports")

    body = affiliation_network(subject="hub").json()

    assert len(body["edges"]) == 120
    assert len(body["nodes"]) == 121
    assert len({node["id"] for node in body["nodes"]}) == 121


def test_retracted_ties_only_when_a_curator_asks(request, graph):
    _, ties = graph
    curator = client_as(request, "curator")

    asked = affiliation_network(client=curator, status="retracted").json()
    assert [edge["id"] for edge in asked["edges"]] == [str(ties["retracted"].pk)]
    # To anyone else a retraction is a tombstone, which has no ends to draw.
    assert affiliation_network(status="retracted").json() == {"nodes": [], "edges": []}


def test_json_network_edges_count_their_citations_and_nodes_give_the_country(graph):
    a, ties = graph
    type(a["qaeda"]).objects.filter(pk=a["qaeda"].pk).update(country="AF")

    for body in (affiliation_network().json(), actor_network(as_of=AS_OF).json()):
        edge = next(e for e in body["edges"] if e["id"] == str(ties["branch"].pk))
        assert edge["citation_count"] == len(edge["citations"]) == 1
        qaeda = next(node for node in body["nodes"] if node["slug"] == "qaeda")
        assert qaeda["country"] == "AF"


def test_a_citation_of_a_hidden_document_is_not_counted(graph):
    _, ties = graph
    document = ties["branch"].citations.get().document
    type(document).objects.filter(pk=document.pk).update(status="draft")

    edge = next(e for e in affiliation_network().json()["edges"] if e["kind"] == "branch_of")
    assert edge["citation_count"] == 0
    g = read(affiliation_network(format="graphml"), "graphml")
    assert graph_edges(g, "graphml")[str(ties["branch"].pk)][2]["citation_count"] == 0


@pytest.mark.usefixtures("graph")
def test_the_csv_joins_to_the_network_nodes():
    url = reverse("actors-api:affiliation-list")

    rows = APIClient().get(url, {"format": "csv", "kind": "branch_of"}).content.decode()

    header, row = rows.splitlines()
    record = dict(zip(header.split(","), row.split(","), strict=True))
    edge = affiliation_network(kind="branch_of").json()["edges"][0]
    assert (record["subject_id"], record["object_id"]) == (edge["subject"], edge["object"])
    assert record["subject"] == "nusra"


# The documents themselves


def test_gexf_is_dynamic_with_declared_attributes_and_dated_edges():
    nusra, isis = ActorFactory(slug="nusra"), ActorFactory(slug="isis")
    ties = {
        "closed": AffiliationFactory(
            subject=nusra, object=isis, kind="member_of", start_date="2012", end_date="2013-04"
        ),
        "holding": AffiliationFactory(subject=nusra, object=isis, start_date="2014-10~"),
        "open_start": AffiliationFactory(
            subject=isis, object=nusra, kind="rival_of", end_date="../2014-12"
        ),
        "undated": AffiliationFactory(subject=isis, object=nusra, kind="supports"),
    }

    response = affiliation_network(format="gexf")

    root = ET.fromstring(response.content)
    assert root.tag == f"{GEXF}gexf" and root.get("version") == "1.3"
    graph_xml = root.find(f"{GEXF}graph")
    assert (graph_xml.get("mode"), graph_xml.get("timeformat")) == ("dynamic", "date")
    assert graph_xml.get("defaultedgetype") == "directed"
    declared = {
        block.get("class"): {a.get("title"): a.get("type") for a in block}
        for block in graph_xml.findall(f"{GEXF}attributes")
    }
    assert declared["node"] == {
        "slug": "string",
        "name": "string",
        "kind": "string",
        "country": "string",
        "url": "string",
    }
    assert declared["edge"]["citation_count"] == "integer"
    assert declared["edge"]["start_date_start"] == "string"
    spans = {
        edge.get("id"): (edge.get("start"), edge.get("end"))
        for edge in graph_xml.iter(f"{GEXF}edge")
    }
    assert spans == {
        str(ties["closed"].pk): ("2012-01-01", "2013-04-30"),
        str(ties["holding"].pk): ("2014-10-01", None),  # still holds
        str(ties["open_start"].pk): (None, "2014-12-31"),  # 0001-01-01 is not a day
        str(ties["undated"].pk): (None, None),
    }
    # Two ties of one kind's pair stay two edges (GEXF 1.3's edge kind).
    kinds = {edge.get("id"): edge.get("kind") for edge in graph_xml.iter(f"{GEXF}edge")}
    assert kinds[str(ties["holding"].pk)] == "allied_with"
    g = nx.read_gexf(io.BytesIO(response.content), version="1.3")
    assert g.number_of_edges() == 4


def test_graphml_declares_typed_keys_in_a_directed_graph(graph):
    a, _ = graph

    response = actor_network("nusra", format="graphml", as_of=AS_OF)

    root = ET.fromstring(response.content)
    keys = {
        (k.get("for"), k.get("attr.name")): k.get("attr.type") for k in root.iter(f"{GRAPHML}key")
    }
    assert keys[("node", "depth")] == "int"
    assert keys[("edge", "citation_count")] == "int"
    assert keys[("node", "slug")] == keys[("edge", "end_date_end")] == "string"
    assert root.find(f"{GRAPHML}graph").get("edgedefault") == "directed"
    g = nx.read_graphml(io.BytesIO(response.content))
    assert g.is_directed()
    assert (g.graph["centre"], g.graph["as_of"], g.graph["depth"]) == (
        str(a["nusra"].pk),
        AS_OF,
        1,
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_names_are_escaped(fmt):
    odd = ActorFactory(slug="odd", name="Brigade <\"A&B\"> \x01 'قوات' ]]>")
    AffiliationFactory(subject=odd, object=ActorFactory(), role="<role>&")

    g = read(affiliation_network(format=fmt), fmt)

    node = g.nodes[str(odd.pk)]
    assert node["name"] == "Brigade <\"A&B\"> \ufffd 'قوات' ]]>"
    [(_, _, edge)] = graph_edges(g, fmt).values()
    assert edge["role"] == "<role>&"


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_empty_network_is_a_valid_document(fmt):
    g = read(affiliation_network(format=fmt, kind="merged_into"), fmt)
    assert g.number_of_nodes() == g.number_of_edges() == 0


@pytest.mark.parametrize("fmt", ["json", *FORMATS])
def test_a_filter_matching_more_ties_than_the_cap_is_a_400_in_every_format(settings, fmt):
    # The network is built in memory: a bounded number of ties, whoever asks.
    settings.API_NETWORK_MAX_TIES = 3
    hub = ActorFactory()
    first = AffiliationFactory(subject=ActorFactory(), object=hub).subject
    for _ in range(2):
        AffiliationFactory(subject=ActorFactory(), object=hub)
    url = reverse("actors-api:affiliation-network")
    assert APIClient().get(url, {"format": fmt}).status_code == 200

    AffiliationFactory(subject=ActorFactory(), object=hub)
    response = APIClient().get(url, {"format": fmt})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    [error] = response.json()["errors"]
    assert (error["code"], error["attr"]) == ("too_many_ties", None)
    # A narrower filter is drawn.
    narrower = APIClient().get(url, {"format": fmt, "subject": first.slug})
    assert narrower.status_code == 200
