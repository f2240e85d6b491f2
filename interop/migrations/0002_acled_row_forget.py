"""On PostgreSQL, the database itself forgets a stored ACLED row (interop.AcledRow) when
anything it was derived from changes, whatever wrote the change (the ORM, a queryset's
update(), COPY, SQL by hand): a participant, a citation or an identifier of the event
added, changed or removed; an actor's name, status, kind or ACLED type; a document's
status or outlet; an outlet's name or status. One statement-level trigger a table and
operation, over the statement's changed rows (transition tables), so a COPY of a
million rows forgets in one join. acled/read derives a forgotten row's columns again
until the next refresh (manage.py refresh_acled_rows)."""

from django.db import migrations

CHILDREN = ("events_eventparticipant", "events_eventcitation", "events_eventidentifier")

FORGET_CHILDREN = """
CREATE FUNCTION interop_acledrow_forget_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM interop_acledrow r USING old_rows o WHERE r.event_id = o.event_id;
  END IF;
  DELETE FROM interop_acledrow r USING changed_rows c WHERE r.event_id = c.event_id;
  RETURN NULL;
END $$;
"""

# (table, function body): the events whose rows show a changed record of that table.
SHOWN = {
    "actors_actor": """
    DELETE FROM interop_acledrow r USING events_eventparticipant p, changed_rows n, old_rows o
    WHERE n.id = o.id AND p.actor_id = n.id AND r.event_id = p.event_id
      AND (n.name, n.status, n.kind, n.acled_actor_type)
          IS DISTINCT FROM (o.name, o.status, o.kind, o.acled_actor_type);""",
    "sources_document": """
    DELETE FROM interop_acledrow r USING events_eventcitation c, changed_rows n, old_rows o
    WHERE n.id = o.id AND c.document_id = n.id AND r.event_id = c.event_id
      AND (n.status, n.outlet_id) IS DISTINCT FROM (o.status, o.outlet_id);""",
    "sources_outlet": """
    DELETE FROM interop_acledrow r
    USING events_eventcitation c, sources_document d, changed_rows n, old_rows o
    WHERE n.id = o.id AND d.outlet_id = n.id AND c.document_id = d.id
      AND r.event_id = c.event_id
      AND (n.name, n.status) IS DISTINCT FROM (o.name, o.status);""",
}


def forward_sql():
    statements = [FORGET_CHILDREN]
    for table in CHILDREN:
        for op, referencing in (
            ("INSERT", "NEW TABLE AS changed_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS changed_rows"),
            ("DELETE", "OLD TABLE AS changed_rows"),
        ):
            statements.append(
                f"CREATE TRIGGER interop_acledrow_forget_{op.lower()} AFTER {op} ON {table} "
                f"REFERENCING {referencing} FOR EACH STATEMENT "
                "EXECUTE FUNCTION interop_acledrow_forget_events();"
            )
    for table, body in SHOWN.items():
        statements.append(
            f"CREATE FUNCTION interop_acledrow_forget_{table}() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN {body} RETURN NULL; END $$;"
        )
        statements.append(
            f"CREATE TRIGGER interop_acledrow_forget_update AFTER UPDATE ON {table} "
            "REFERENCING OLD TABLE AS old_rows NEW TABLE AS changed_rows FOR EACH STATEMENT "
            f"EXECUTE FUNCTION interop_acledrow_forget_{table}();"
        )
    return statements


def backward_sql():
    statements = []
    for table in CHILDREN:
        for op in ("insert", "update", "delete"):
            statements.append(f"DROP TRIGGER interop_acledrow_forget_{op} ON {table};")
    statements.append("DROP FUNCTION interop_acledrow_forget_events();")
    for table in SHOWN:
        statements.append(f"DROP TRIGGER interop_acledrow_forget_update ON {table};")
        statements.append(f"DROP FUNCTION interop_acledrow_forget_{table}();")
    return statements


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in forward_sql():
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in backward_sql():
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("interop", "0001_acled_row"),
        ("actors", "0001_initial"),
        ("sources", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
