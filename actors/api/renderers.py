"""GraphML and GEXF renderings of an affiliation network, for networkx, Gephi, yEd and
Cytoscape. They write the network's JSON (NetworkSerializer, AffiliationNetworkSerializer)
as it is, so every format shows the same graph: a node is keyed by the actor's UUID,
with slug, name, kind and country (and depth around a centre) as attributes; an edge is
a tie from subject to object, keyed by the tie's UUID, with its kind, role, dates as
curated (EDTF), their bounds (ISO dates as the JSON has them: 0001-01-01 and 9999-12-31
stand for an open side), status and citation count. An empty or null value is left out.

GEXF edges also carry `start` and `end` from the bounds (the earliest day the tie may
have begun, the latest it may have ended; an open or unknown side is left out) for
Gephi's timeline. Errors stay JSON, as in the other formats."""

import io
import re
from xml.sax.saxutils import XMLGenerator

from rest_framework.renderers import BaseRenderer

from conflictapi.api.renderers import error_as_json
from conflictapi.partialdates import OPEN_END, OPEN_START

# (name, type) of what each format writes, in order; types are GraphML's names.
GRAPH_ATTRIBUTES = (("centre", "string"), ("as_of", "string"), ("depth", "int"))
NODE_ATTRIBUTES = (
    ("slug", "string"),
    ("name", "string"),
    ("kind", "string"),
    ("country", "string"),
    ("url", "string"),
    ("depth", "int"),
)
EDGE_ATTRIBUTES = (
    ("kind", "string"),
    ("role", "string"),
    ("start_date", "string"),
    ("start_date_start", "string"),
    ("start_date_end", "string"),
    ("end_date", "string"),
    ("end_date_start", "string"),
    ("end_date_end", "string"),
    ("status", "string"),
    ("citation_count", "int"),
)
GEXF_TYPES = {"string": "string", "int": "integer"}

# Characters XML 1.0 cannot hold, even escaped (C0 controls but tab and newlines, lone
# surrogates, U+FFFE, U+FFFF): written as U+FFFD so that the document stays well-formed.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value):
    return NOT_XML.sub("\ufffd", str(value))


def present(value):
    return value is not None and value != ""


def declared(attributes, data):
    """The attributes the network has: depth only on a network drawn to a depth."""
    return [(name, kind) for name, kind in attributes if name != "depth" or "depth" in data]


class XMLWriter:
    """A document written as it goes, one element a line, escaped by the standard
    library's XMLGenerator."""

    def __init__(self):
        self.out = io.BytesIO()
        self.xml = XMLGenerator(self.out, "utf-8", short_empty_elements=True)
        self.xml.startDocument()
        self.level = 0
        self.rooted = False

    def _indent(self):
        # The declaration ends its own line (XMLGenerator's); every tag after the root's
        # starts one.
        if self.rooted:
            self.xml.ignorableWhitespace("\n" + "  " * self.level)
        self.rooted = True

    @staticmethod
    def _attrs(attrs):
        return {k: xml_text(v) for k, v in (attrs or {}).items() if present(v)}

    def open(self, name, attrs=None):
        self._indent()
        self.xml.startElement(name, self._attrs(attrs))
        self.level += 1

    def close(self, name):
        self.level -= 1
        self._indent()
        self.xml.endElement(name)

    def leaf(self, name, attrs=None, text=None):
        self._indent()
        self.xml.startElement(name, self._attrs(attrs))
        if present(text):
            self.xml.characters(xml_text(text))
        self.xml.endElement(name)

    def bytes(self):
        self.xml.ignorableWhitespace("\n")
        self.xml.endDocument()
        return self.out.getvalue()


def source_of(renderer_context):
    """The request's URL, as the document's description: what the graph is of."""
    request = renderer_context.get("request")
    return request.build_absolute_uri() if request is not None else None


def graphml(data, source=None):
    nodes, edges = data["nodes"], data["edges"]
    graph_keys = [(n, t) for n, t in GRAPH_ATTRIBUTES if n in data]
    node_keys = declared(NODE_ATTRIBUTES, data)
    edge_keys = EDGE_ATTRIBUTES
    w = XMLWriter()
    w.open(
        "graphml",
        {
            "xmlns": "http://graphml.graphdrawing.org/xmlns",
            "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
            "xsi:schemaLocation": "http://graphml.graphdrawing.org/xmlns "
            "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd",
        },
    )
    w.leaf("desc", text=source)
    # Key ids name their scope, as a node's and an edge's `kind` are different keys.
    for scope, keys in (("graph", graph_keys), ("node", node_keys), ("edge", edge_keys)):
        for name, kind in keys:
            w.leaf(
                "key",
                {"id": f"{scope}_{name}", "for": scope, "attr.name": name, "attr.type": kind},
            )
    # A tie reads from its subject to its object ("Nusra branch_of al-Qaeda").
    w.open("graph", {"id": "affiliations", "edgedefault": "directed"})
    for name, _ in graph_keys:
        if present(data[name]):
            w.leaf("data", {"key": f"graph_{name}"}, data[name])
    for node in nodes:
        w.open("node", {"id": node["id"]})
        for name, _ in node_keys:
            if present(node.get(name)):
                w.leaf("data", {"key": f"node_{name}"}, node[name])
        w.close("node")
    for edge in edges:
        w.open("edge", {"id": edge["id"], "source": edge["subject"], "target": edge["object"]})
        for name, _ in edge_keys:
            if present(edge.get(name)):
                w.leaf("data", {"key": f"edge_{name}"}, edge[name])
        w.close("edge")
    w.close("graph")
    w.close("graphml")
    return w.bytes()


def interval(edge):
    """An edge's `start` and `end` for GEXF: from the earliest day it may have begun to
    the latest it may have ended, without a side that is open or unknown."""
    start, end = edge.get("start_date_start"), edge.get("end_date_end")
    return {
        "start": None if start == OPEN_START.isoformat() else start,
        "end": None if end == OPEN_END.isoformat() else end,
    }


def gexf(data, source=None):
    nodes, edges = data["nodes"], data["edges"]
    node_keys = declared(NODE_ATTRIBUTES, data)
    edge_keys = EDGE_ATTRIBUTES
    w = XMLWriter()
    w.open(
        "gexf",
        {
            "xmlns": "http://gexf.net/1.3",
            "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
            "xsi:schemaLocation": "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd",
            "version": "1.3",
        },
    )
    w.open("meta")
    w.leaf("creator", text="Conflict data API")
    w.leaf("description", text=source)
    w.close("meta")
    # Dynamic, with dates: Gephi's timeline shows each tie over the days it may have held.
    w.open("graph", {"mode": "dynamic", "defaultedgetype": "directed", "timeformat": "date"})
    for scope, keys in (("node", node_keys), ("edge", edge_keys)):
        w.open("attributes", {"class": scope, "mode": "static"})
        for name, kind in keys:
            w.leaf("attribute", {"id": name, "title": name, "type": GEXF_TYPES[kind]})
        w.close("attributes")
    w.open("nodes")
    for node in nodes:
        # The name is also the node's label, which Gephi shows.
        w.open("node", {"id": node["id"], "label": node["name"]})
        attvalues(w, node, node_keys)
        w.close("node")
    w.close("nodes")
    w.open("edges")
    for edge in edges:
        # `kind` is GEXF 1.3's edge kind: ties of different kinds between the same two
        # actors stay apart in Gephi.
        attrs = {
            "id": edge["id"],
            "source": edge["subject"],
            "target": edge["object"],
            "kind": edge["kind"],
            "label": edge["kind"],
            **interval(edge),
        }
        w.open("edge", attrs)
        attvalues(w, edge, edge_keys)
        w.close("edge")
    w.close("edges")
    w.close("graph")
    w.close("gexf")
    return w.bytes()


def attvalues(w, row, keys):
    values = [(name, row.get(name)) for name, _ in keys if present(row.get(name))]
    if values:
        w.open("attvalues")
        for name, value in values:
            w.leaf("attvalue", {"for": name, "value": value})
        w.close("attvalues")


class NetworkRenderer(BaseRenderer):
    charset = "utf-8"
    write = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        renderer_context = renderer_context or {}
        if (error := error_as_json(data, renderer_context)) is not None:
            return error
        return self.write(data, source=source_of(renderer_context))


class GraphMLRenderer(NetworkRenderer):
    """GraphML: typed `<key>`s, a directed graph of actors (UUID ids) and ties."""

    media_type = "application/graphml+xml"
    format = "graphml"
    write = staticmethod(graphml)


class GEXFRenderer(NetworkRenderer):
    """GEXF 1.3, dynamic: declared attributes, and each tie dated for Gephi's timeline."""

    media_type = "application/gexf+xml"
    format = "gexf"
    write = staticmethod(gexf)
