"""A record shown inside others changes them too: when a field it shows there changes
(an actor's name, a place's coordinates, a document's outlet, any status), the records
that render it get a new `updated_at` (so that clients syncing by `updated_since` see
the change) and a new `version` (their ETag). Done in bulk, one UPDATE a relation, by
CuratedModel.save.

What a record shows inside others is its model's `SHOWN_FIELDS`; which records render
it comes from conflictapi.visibility.rendered_relations. A holder whose own brief shows
the relation (a document shows its outlet wherever it is cited) passes the change on.
"""

import functools

from django.apps import apps
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone

from conflictapi.visibility import rendered_relations

# Sent after touch_renderers advanced records of `sender` (a model): `records` is a
# queryset of every record of it that renders the changed ones (what derives from them,
# such as interop's stored ACLED rows, may be written again).
renderers_advanced = Signal()


def shown_fields(model):
    return tuple(getattr(model, "SHOWN_FIELDS", ()))


@functools.cache
def renderers_of(model):
    """(holder model, lookup to the record) for every relation that renders `model`;
    worked out once a process (the model registry does not change once loaded)."""
    from conflictapi.models import CuratedModel

    found = []
    for holder in apps.get_models():
        if not issubclass(holder, CuratedModel):
            continue
        for path, fk in rendered_relations(holder):
            if fk.related_model is model:
                lookup = fk.name if path == fk.name else f"{path}__{fk.name}"
                found.append((holder, lookup, fk.name if path == fk.name else None))
    return tuple(found)


def changed(now):
    """What marks a record whose representation changed: a new updated_at (for sync)
    and a new version (its ETag, so a cached copy or an If-Match on the old one is
    stale)."""
    return {"updated_at": now, "version": F("version") + 1}


def touch_renderers(model, pks, *, now=None, depth=0):
    """Advance `updated_at` of every record that renders a record of `model` in `pks`."""
    now = now or timezone.now()
    for holder, lookup, direct in renderers_of(model):
        records = holder._base_manager.filter(**{f"{lookup}__in": pks}).exclude(updated_at=now)
        if direct is not None and direct in shown_fields(holder) and depth < 3:
            ids = list(records.values_list("pk", flat=True).distinct())
            holder._base_manager.filter(pk__in=ids).update(**changed(now))
            touch_renderers(holder, ids, now=now, depth=depth + 1)
        else:
            holder._base_manager.filter(pk__in=records.values("pk")).update(**changed(now))
        renderers_advanced.send(
            sender=holder, records=holder._base_manager.filter(**{f"{lookup}__in": pks})
        )
