"""python manage.py import_acled PATH: an ACLED export in (dataload.importing.acled)."""

from dataload.importing.acled import AcledDeletions, AcledImporter
from dataload.importing.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import an ACLED export (CSV as downloaded, or acled/read JSON; - reads standard "
        "input), keyed by event_id_cnty: new rows are created, changed rows updated, "
        "unchanged rows left alone. With --deleted, PATH lists deleted events "
        "(deleted/read JSON, or a CSV with event_id_cnty) to retract."
    )
    importer = AcledImporter

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--deleted",
            action="store_true",
            help="PATH lists ACLED's deleted events: retract them (with the reason).",
        )

    def importer_class(self, options):
        return AcledDeletions if options["deleted"] else AcledImporter
