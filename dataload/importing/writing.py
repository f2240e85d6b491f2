"""Inserting many new rows, with their history, fast: by COPY on PostgreSQL (the
synthetic generator's way), by bulk_create elsewhere. The rows are model instances
whose every derived column the caller has set (version, partial-date bounds, paths,
search keys); created_at and updated_at default to `now`. Each gets a historical row
("+", created) with the import's reason, as save() would have written one."""

import json

from django.db import connections
from django.db.models import JSONField
from django_countries.fields import CountryField


def _columns(model):
    return [f for f in model._meta.concrete_fields if not f.generated]


def _value(field, obj, connection):
    value = getattr(obj, field.attname)
    if isinstance(field, JSONField):
        return None if value is None else json.dumps(value)
    if isinstance(field, CountryField):
        return str(value) if value else ""
    return value


def insert(model, objs, *, now, reason, history=True, using="default"):
    """Insert `objs` (new instances of `model`) and, with `history`, their created-history
    rows."""
    if not objs:
        return
    for obj in objs:
        if getattr(obj, "created_at", 0) is None:
            obj.created_at = now
        if getattr(obj, "updated_at", 0) is None:
            obj.updated_at = now
    if not history:
        connection = connections[using]
        if connection.vendor != "postgresql":
            model._base_manager.using(using).bulk_create(objs, batch_size=500)
            return
        fields = _columns(model)
        rows = ([_value(f, obj, connection) for f in fields] for obj in objs)
        _copy(connection, model._meta.db_table, fields, rows)
        return
    history = model.history.model
    hist_fields = [f for f in _columns(history) if f.name != "history_id"]
    extra = {
        "history_date": now,
        "history_change_reason": reason,
        "history_type": "+",
        "history_user_id": None,
    }
    connection = connections[using]
    if connection.vendor != "postgresql":
        model._base_manager.using(using).bulk_create(objs, batch_size=500)
        rows = [
            history(
                **{
                    f.attname: extra.get(f.attname, getattr(obj, f.attname, None))
                    for f in hist_fields
                }
            )
            for obj in objs
        ]
        history._base_manager.using(using).bulk_create(rows, batch_size=500)
        return
    fields = _columns(model)
    _copy(
        connection,
        model._meta.db_table,
        fields,
        ([_value(f, obj, connection) for f in fields] for obj in objs),
    )
    _copy(
        connection,
        history._meta.db_table,
        hist_fields,
        (
            [
                extra[f.attname] if f.attname in extra else _value(f, obj, connection)
                for f in hist_fields
            ]
            for obj in objs
        ),
    )


def _copy(connection, table, fields, rows):
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    sql = f"COPY {qn(table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
