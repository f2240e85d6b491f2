"""The picture on an actor's admin page: its affiliation network as it stood on a day,
drawn on the server as SVG (no script, nothing fetched): the actor in the middle, the
actors one tie away around it, those two ties away on an outer ring. Each tie is an
arrow from subject to object in its kind's colour (no head for the kinds that read both
ways), dashed while not published, and links to the tie's own page."""

import datetime
import math
from dataclasses import dataclass, field

from django.urls import reverse

from actors.models import SYMMETRIC_KINDS, Actor, Affiliation, AffiliationKind
from actors.selectors import network_reach
from conflictapi.models import Status

WIDTH, HEIGHT = 1100, 620
# Each depth's ring, an ellipse (x radius, y radius): wide, as names run sideways.
RINGS = ((0, 0), (220, 160), (370, 275))
NODE_RADIUS = (11, 7, 6)
MAX_ACTORS = 60  # more would not read; the picture says what it left out
PARALLEL_GAP = 26  # px between two ties joining the same two actors

COLOURS = {
    AffiliationKind.MEMBER_OF: "#1f77b4",
    AffiliationKind.LEADER_OF: "#9467bd",
    AffiliationKind.BRANCH_OF: "#2ca02c",
    AffiliationKind.ALLIED_WITH: "#17becf",
    AffiliationKind.COORDINATES_WITH: "#8c8c00",
    AffiliationKind.SUPPORTS: "#ff7f0e",
    AffiliationKind.SPLIT_FROM: "#8c564b",
    AffiliationKind.MERGED_INTO: "#7f7f7f",
    AffiliationKind.RIVAL_OF: "#d62728",
}


@dataclass
class Node:
    actor: Actor
    depth: int
    x: float = 0.0
    y: float = 0.0
    anchor: str = "start"
    url: str = ""

    @property
    def radius(self):
        return NODE_RADIUS[self.depth]

    @property
    def label_x(self):
        return self.x + (self.radius + 4) * (1 if self.anchor == "start" else -1)


@dataclass
class Edge:
    tie: Affiliation
    path: str
    label_x: float
    label_y: float
    colour: str
    marker: str  # the arrowhead's id; none for the kinds that read both ways
    dashed: bool
    url: str
    title: str = ""


@dataclass
class Picture:
    as_of: datetime.date | None
    depth: int
    nodes: list = field(default_factory=list)
    edges: list = field(default_factory=list)
    left_out: int = 0
    error: str = ""
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def legend(self):
        used = {edge.tie.kind for edge in self.edges}
        return [
            (kind.value, kind.label, COLOURS[kind], kind not in SYMMETRIC_KINDS)
            for kind in AffiliationKind
            if kind in used
        ]


def read_as_of(value):
    """The picture's day from the page's query (`network_as_of`): (date or None, error)."""
    value = (value or "").strip()
    if not value:
        return None, ""
    try:
        return datetime.date.fromisoformat(value), ""
    except ValueError:
        return None, f"“{value}” is not a date: give it as YYYY-MM-DD."


def network_picture(actor, *, as_of=None, depth=1):
    """The actor's network as curators see it (drafts too, retracted ties not). Only
    the actors drawn are read (the first ring's first MAX_ACTORS by name, then the outer
    ring's), and the ties among them: a hub's page stays as quick as any."""
    depth_of, tie_ids = network_reach(actor.pk, Affiliation.objects.all(), as_of=as_of, depth=depth)
    picture = Picture(as_of=as_of, depth=depth)
    room = MAX_ACTORS - 1
    first = list(Actor.objects.filter(pk__in=_at(depth_of, 1)).order_by("name")[:room])
    second = []
    if depth == 2 and len(first) < room:
        second = list(
            Actor.objects.filter(pk__in=_at(depth_of, 2)).order_by("name")[: room - len(first)]
        )
    picture.left_out = len(depth_of) - 1 - len(first) - len(second)
    drawn = [actor.pk, *(a.pk for a in first), *(a.pk for a in second)]
    ties = list(
        Affiliation.objects.filter(pk__in=tie_ids, subject__in=drawn, object__in=drawn).order_by(
            "subject_id", "object_id", "kind", "pk"
        )
    )
    nodes = _place(actor, first, second, ties, picture)
    picture.edges = _draw(ties, nodes)
    return picture


def _at(depth_of, depth):
    return [pk for pk, d in depth_of.items() if d == depth]


def _place(centre, first, second, ties, picture):
    """Positions on the rings: the first ring in name order, each on the outer ring near
    the first of its neighbours on the first."""
    nodes = {centre.pk: Node(centre, 0, WIDTH / 2, HEIGHT / 2)}
    angle_of = {}
    for i, actor in enumerate(first):
        angle_of[actor.pk] = 2 * math.pi * i / max(len(first), 1)
        nodes[actor.pk] = _on_ring(actor, 1, angle_of[actor.pk])
    outer = {a.pk for a in second}
    near = {}
    for tie in ties:
        for this, other in ((tie.subject_id, tie.object_id), (tie.object_id, tie.subject_id)):
            if this in outer and other in angle_of:
                near.setdefault(this, angle_of[other])
    second = sorted(second, key=lambda a: (near.get(a.pk, 0.0), a.name))
    for i, actor in enumerate(second):
        nodes[actor.pk] = _on_ring(actor, 2, 2 * math.pi * (i + 0.5) / max(len(second), 1))
    for node in nodes.values():
        node.url = reverse("admin:actors_actor_change", args=[node.actor.pk])
    picture.nodes = sorted(nodes.values(), key=lambda n: (n.depth, n.actor.name))
    return nodes


def _on_ring(actor, depth, angle):
    x = WIDTH / 2 + RINGS[depth][0] * math.cos(angle - math.pi / 2)
    y = HEIGHT / 2 + RINGS[depth][1] * math.sin(angle - math.pi / 2)
    return Node(actor, depth, x, y, anchor="start" if x >= WIDTH / 2 - 1 else "end")


def _draw(ties, nodes):
    """Each tie as a curve from subject to object; ties joining the same two actors bow
    apart so that each stays visible and clickable."""
    pairs = {}
    for tie in ties:
        if tie.subject_id in nodes and tie.object_id in nodes:
            pairs.setdefault(frozenset((tie.subject_id, tie.object_id)), []).append(tie)
    edges = []
    for group in pairs.values():
        for i, tie in enumerate(group):
            bow = (i - (len(group) - 1) / 2) * PARALLEL_GAP
            edges.append(_edge(tie, nodes[tie.subject_id], nodes[tie.object_id], bow))
    return edges


def _edge(tie, start, end, bow):
    dx, dy = end.x - start.x, end.y - start.y
    length = math.hypot(dx, dy) or 1.0
    # The control point: off the middle, square to the line (the same side for a pair
    # whichever end is the subject, so that parallel ties bow apart).
    sign = 1 if (start.actor.pk, end.actor.pk) < (end.actor.pk, start.actor.pk) else -1
    nx, ny = -dy / length * sign, dx / length * sign
    cx, cy = (start.x + end.x) / 2 + nx * bow * 2, (start.y + end.y) / 2 + ny * bow * 2
    x1, y1 = _toward(start, cx, cy, start.radius + 2)
    x2, y2 = _toward(end, cx, cy, end.radius + 4)
    label_x = 0.25 * x1 + 0.5 * cx + 0.25 * x2
    label_y = 0.25 * y1 + 0.5 * cy + 0.25 * y2
    dates = _span(tie)
    return Edge(
        tie=tie,
        path=f"M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {x2:.1f},{y2:.1f}",
        label_x=round(label_x, 1),
        label_y=round(label_y, 1),
        colour=COLOURS[tie.kind],
        marker="" if tie.kind in SYMMETRIC_KINDS else f"arrow-{tie.kind}",
        dashed=tie.status != Status.PUBLISHED,
        url=reverse("admin:actors_affiliation_change", args=[tie.pk]),
        title=f"{start.actor} {tie.get_kind_display()} {end.actor}{dates} ({tie.status})",
    )


def _toward(node, x, y, distance):
    dx, dy = x - node.x, y - node.y
    length = math.hypot(dx, dy) or 1.0
    return node.x + dx / length * distance, node.y + dy / length * distance


def _span(tie):
    if not (tie.start_date or tie.end_date):
        return ""
    return f", {tie.start_date or '…'} to {tie.end_date or '…'}"
