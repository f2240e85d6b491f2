"""Inserting many new rows, with their history, fast: by COPY on PostgreSQL (the
synthetic generator's way), by bulk_create elsewhere; and updating many rows as save()
would (a new version, updated_at, a history row).

A row is a `Row` (a plain namespace: building a model instance costs more than writing
it) or a model instance, with every derived column set by the caller (version,
partial-date bounds, paths, search keys); a column it lacks gets the field's default,
and created_at and updated_at get `now`. Each row gets a historical row ("+", created)
with the import's reason, as save() would have written one."""

import functools
import json
from types import SimpleNamespace

from django.db import connections
from django.db.models import NOT_PROVIDED, JSONField
from django_countries.fields import CountryField
from simple_history.utils import bulk_update_with_history

from conflictapi.dependents import touch_renderers

_MISSING = object()
_NOW = object()


class Row(SimpleNamespace):
    """A new row: its columns by attname (`event_id`, not `event`)."""

    @property
    def pk(self):
        return self.id


def _country(value):
    return str(value) if value else ""


@functools.cache
def _plan(model):
    """[(column, attname, converter, default)] of the model's stored columns."""
    plan = []
    for f in model._meta.concrete_fields:
        if f.generated or f.name == "history_id":
            continue
        conv = None
        if isinstance(f, JSONField):
            conv = json.dumps
        elif isinstance(f, CountryField):
            conv = _country
        if f.attname in ("created_at", "updated_at"):
            default = _NOW
        elif f.default is not NOT_PROVIDED:
            default = f.default
        elif f.null:
            default = None
        else:
            default = ""
        plan.append((f.column, f.attname, conv, default))
    return plan


def _values(plan, obj, now, extra=None, convert=True):
    d = obj.__dict__
    row = []
    for _column, attname, conv, default in plan:
        if extra is not None and attname in extra:
            row.append(extra[attname])
            continue
        v = d.get(attname, _MISSING)
        if v is _MISSING or (v is None and default is _NOW):
            v = now if default is _NOW else (default() if callable(default) else default)
        if convert and conv is not None and v is not None:
            v = conv(v)
        row.append(v)
    return row


def insert(model, objs, *, now, reason, history=True, using="default"):
    """Insert `objs` (new rows of `model`) and, with `history`, their created-history
    rows."""
    if not objs:
        return
    extra = {
        "history_date": now,
        "history_change_reason": reason,
        "history_type": "+",
        "history_user_id": None,
    }
    targets = [(model, None)]
    if history:
        targets.append((model.history.model, extra))
    connection = connections[using]
    for target, overrides in targets:
        plan = _plan(target)
        rows = (_values(plan, obj, now, overrides) for obj in objs)
        if connection.vendor == "postgresql":
            _copy(connection, target._meta.db_table, plan, rows)
        else:
            names = [attname for _c, attname, _v, _d in plan]
            instances = [
                target(**dict(zip(names, _values(plan, obj, now, overrides, False), strict=True)))
                for obj in objs
            ]
            target._base_manager.using(using).bulk_create(instances, batch_size=500)


def update(model, objs, fields, *, now, reason, renderers=False):
    """Write `fields` of `objs` (rows of `model` their caller changed), each with a new
    version and updated_at `now`, and a changed-history row with `reason`, as save()
    would; with `renderers`, the records that show them are advanced too
    (conflictapi.dependents)."""
    if not objs:
        return
    for obj in objs:
        obj.version += 1
        obj.updated_at = now
    bulk_update_with_history(
        objs,
        model,
        [*fields, "version", "updated_at"],
        batch_size=1000,
        default_change_reason=reason,
        default_date=now,
    )
    if renderers:
        touch_renderers(model, [obj.pk for obj in objs], now=now)


def _copy(connection, table, plan, rows):
    qn = connection.ops.quote_name
    columns = ", ".join(qn(column) for column, _a, _c, _d in plan)
    sql = f"COPY {qn(table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
