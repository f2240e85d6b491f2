"""Reads other apps make of actors: the actors a reference names, by any spelling,
among those the requester may see. Events reach actors through here, not through the
actors app's views or filters."""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from rest_framework.exceptions import ValidationError

from actors.models import Actor
from conflictapi.api.filters import overlap_q, parse_uuid, resolve
from conflictapi.models import Status
from conflictapi.text import normalize_name, skeleton
from conflictapi.visibility import viewer_of


def resolve_actors(value, param, request=None):
    """Actor ids for an id, a slug, or a name or alias however spelled: first the names
    equal to it once normalized ("Da'esh" = "DAESH"), then, if none, those with the same
    consonant skeleton ("Nosra" = "Nusra")."""
    key, skel = normalize_name(value), skeleton(value)
    by_spelling = [Q(name_normalized=key), Q(names__normalized=key)]
    try:
        return resolve(Actor, value, param, extra=lambda v: by_spelling, request=request)
    except ValidationError:
        if not skel:
            raise
    by_skeleton = [Q(name_skeleton=skel), Q(names__skeleton=skel)]
    return resolve(Actor, value, param, extra=lambda v: by_skeleton, request=request)


def name_matches(text):
    """Actors whose name or any alias contains the text once normalized, or whose
    skeleton holds the text's skeleton as whole words (transliteration variants: Nosra
    finds Nusra, Qaida finds Qaeda, نصرة finds النصرة). Each actor's keys sit in one row
    (Actor.search_names, Actor.search_skeletons: a line a name), so this reads the actor
    table alone, through its trigram indexes on PostgreSQL."""
    key, skel = normalize_name(text), skeleton(text)
    q = Q(search_names__contains=key)
    if skel:
        q |= Q(search_skeletons__contains=skel)
    return q


def visible_actor(ref, request):
    """The actor a URL names (id or slug) if the requester may see it, or 404."""
    pk = parse_uuid(ref)
    lookup = {"pk": pk} if pk else {"slug": ref}
    return get_object_or_404(viewer_of(request).filter(Actor.objects.all()), **lookup)


def network_reach(centre, ties, *, as_of=None, depth=1, kinds=None):
    """An actor's affiliation network: the actors within `depth` ties of `centre` (id ->
    how many ties away) and the ids of every tie among them, also between two on the
    outer rim. `ties` is the affiliations the reader may see; with `as_of`, only those
    holding on that day (a date not given is open), with `kinds`, only those kinds.
    The API's network and the admin's picture of it are both read so."""
    ties = ties.exclude(status=Status.RETRACTED)
    if as_of:
        ties = ties.filter(overlap_q(as_of, as_of, "start_date", "end_date"))
    if kinds:
        ties = ties.filter(kind__in=kinds)
    depth_of = {centre: 0}
    frontier = {centre}
    for step in range(1, depth + 1):
        pairs = ties.filter(Q(subject__in=frontier) | Q(object__in=frontier)).values_list(
            "subject_id", "object_id"
        )
        frontier = {end for pair in pairs for end in pair if end not in depth_of}
        depth_of.update(dict.fromkeys(frontier, step))
        if not frontier:
            break
    reached = list(depth_of)
    return depth_of, ties.filter(subject__in=reached, object__in=reached).values("pk")
