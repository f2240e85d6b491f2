"""The data generation: a token that every write to a curated record replaces, under
which caches of what the data looks like (list counts, the paginator's landmarks) are
kept, so that a cached figure is never older than the last write the cache has seen.
Bulk writers that bypass save() call `bump_generation()`. The cache must be shared by
every process for that to hold across processes (REDIS_URL)."""

import uuid

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

from conflictapi.models import RecordModel

GENERATION_KEY = "conflictapi:data-generation"


def generation():
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = uuid.uuid4().hex
        cache.add(GENERATION_KEY, value, timeout=None)
        value = cache.get(GENERATION_KEY, value)
    return value


def bump_generation(**kwargs):
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def _on_write(sender, **kwargs):
    if issubclass(sender, RecordModel):
        bump_generation()


post_save.connect(_on_write, dispatch_uid="conflictapi-generation-save")
post_delete.connect(_on_write, dispatch_uid="conflictapi-generation-delete")
m2m_changed.connect(_on_write, dispatch_uid="conflictapi-generation-m2m")
