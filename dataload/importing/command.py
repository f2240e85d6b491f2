"""The options and report every import command shares."""

import os

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from dataload.importing.common import BATCH_SIZE, ImportFailed


class ImportCommand(BaseCommand):
    importer = None

    def add_arguments(self, parser):
        parser.add_argument("path", help="The file to read; - reads standard input.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Do everything in a transaction that is rolled back: report what would "
            "change, write nothing.",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish the imported events (and the drafts they show, and the release). "
            "Without it, what the import creates is a draft.",
        )
        parser.add_argument(
            "--skip-bad",
            action="store_true",
            help="Import the good rows and write the bad ones, with the reason, to the "
            "reject file (without it, one bad row stops the import: nothing is written).",
        )
        parser.add_argument(
            "--rejects",
            help="The reject file for --skip-bad (default: PATH.rejects.csv, or "
            "rejects.csv for standard input).",
        )
        parser.add_argument(
            "--release",
            help="The release's version or date, recorded on its document (default: the "
            "newest row timestamp for ACLED, the version for UCDP, else today).",
        )
        parser.add_argument(
            "--batch-size", type=int, default=BATCH_SIZE, help="Rows written at a time."
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="No progress bar, even on a terminal."
        )

    def importer_class(self, options):
        return self.importer

    def handle(self, *args, **options):
        path = options["path"]
        rejects = options["rejects"]
        if options["skip_bad"] and not rejects:
            rejects = "rejects.csv" if path == "-" else f"{path}.rejects.csv"
        if options["batch_size"] < 1:
            raise CommandError("--batch-size: give 1 or more.")
        importer = self.importer_class(options)(
            publish=options["publish"],
            dry_run=options["dry_run"],
            skip_bad=options["skip_bad"],
            reject_path=rejects,
            batch_size=options["batch_size"],
            progress=not options["no_progress"] and options["verbosity"] > 0,
            release=options["release"],
        )
        if rejects and os.path.exists(rejects):
            os.remove(rejects)
        try:
            report = importer.run(path)
        except ImportFailed as exc:
            raise CommandError(f"{exc} Nothing was written.") from exc
        if options["verbosity"] > 0:
            for line in report.lines():
                self.stdout.write(line)
            if options["publish"] and not options["dry_run"] and connection.vendor == "postgresql":
                self.stdout.write(
                    "acled/read derives the rows of imported events until their stored "
                    "rows are written: run `python manage.py refresh_acled_rows`."
                )
