from django.db import models

# The columns of an ACLED row that cost most to derive (the event's ACLED id, its two
# sides, its outlets), as anonymous readers see them.
SIDE_COLUMNS = ("actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2")


class AcledRow(models.Model):
    """acled/read's costly columns of one published event, as an anonymous reader sees
    them (published actors, documents and outlets only), written by the database on
    PostgreSQL (interop.acled_rows_cache) and read in place of deriving them again.

    A row holds for the event's `version` it was derived from: every change to what the
    event shows (its own fields, a participant, an actor's name or status, a citation,
    a document or outlet) advances the event's version (conflictapi.dependents), and a
    row whose version is not the event's is ignored: acled/read derives those columns
    as it would with no row at all. So a row that is missing or stale costs time, never
    correctness. No constraint ties it to the event (nothing here is the record: the
    event may be deleted, as a draft, and its row is pruned on the next refresh)."""

    event = models.OneToOneField(
        "events.Event",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="acled_row",
    )
    version = models.PositiveIntegerField()
    acled_id = models.TextField(null=True)
    actor1 = models.TextField()
    assoc_actor_1 = models.TextField()
    inter1 = models.TextField()
    actor2 = models.TextField()
    assoc_actor_2 = models.TextField()
    inter2 = models.TextField()
    outlets = models.TextField(null=True)

    class Meta:
        verbose_name = "ACLED row (derived)"

    def __str__(self):
        return f"ACLED row of event {self.event_id} (version {self.version})"
