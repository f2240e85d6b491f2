"""python manage.py import_ucdp PATH: a UCDP GED file in (dataload.importing.ucdp)."""

from dataload.importing.command import ImportCommand
from dataload.importing.ucdp import UcdpImporter


class Command(ImportCommand):
    help = (
        "Import a UCDP GED file (the CSV as distributed, or the API's JSON with its "
        "Result list; - reads standard input), keyed by the GED id: new rows are "
        "created, changed rows updated, unchanged rows left alone."
    )
    importer = UcdpImporter
