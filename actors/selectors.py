"""Reads other apps make of actors: the actors a reference names, by any spelling,
among those the requester may see. Events reach actors through here, not through the
actors app's views or filters."""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from rest_framework.exceptions import ValidationError

from actors.models import Actor
from conflictapi.api.filters import parse_uuid, resolve
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
