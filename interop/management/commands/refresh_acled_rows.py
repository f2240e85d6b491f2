import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from conflictapi.models import Status
from events.models import Event
from interop.acled import stale_events, store_rows
from interop.models import AcledRow


class Command(BaseCommand):
    help = (
        "Write the stored ACLED rows (acled/read's costly columns, as anonymous readers "
        "see them) of the published events whose row is missing or out of date, and drop "
        "the rows of events that are gone or no longer published. acled/read is right "
        "without them, only slower: run it after a bulk import (import_acled, "
        "import_ucdp), or from time to time. PostgreSQL only; elsewhere it does nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="Write every published event's row again."
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=20000,
            help="Events a transaction (default 20000).",
        )

    def handle(self, *args, all=False, batch_size=20000, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if connection.vendor != "postgresql":
            self.stdout.write("Nothing to do: rows are stored on PostgreSQL only.")
            return
        started = time.monotonic()
        with connection.cursor() as cursor:
            # NOT EXISTS, one anti-join: Django's exclude(...__in=published) is a NOT IN
            # over a million ids that PostgreSQL rescans for every row.
            cursor.execute(
                f"DELETE FROM {AcledRow._meta.db_table} r WHERE NOT EXISTS (SELECT 1 "
                f"FROM {Event._meta.db_table} e WHERE e.id = r.event_id AND e.status = %s)",
                [Status.PUBLISHED],
            )
            dropped = cursor.rowcount
        events = Event._base_manager.filter(status="published") if all else stale_events()
        written, last = 0, None
        while True:
            page = events.order_by("pk")
            if last is not None:
                page = page.filter(pk__gt=last)
            ids = list(page.values_list("pk", flat=True)[:batch_size])
            if not ids:
                break
            with transaction.atomic():
                written += store_rows(Event._base_manager.filter(pk__in=ids))
            last = ids[-1]
            if options["verbosity"] > 1:
                self.stdout.write(f"  {written} rows written")
        self.stdout.write(
            f"ACLED rows: {written} written, {dropped} dropped, "
            f"in {time.monotonic() - started:.1f} s."
        )
