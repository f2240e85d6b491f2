"""python manage.py load_seed [--path DIR] [--texts FILE]: load the curated seed data set."""

from django.core.management.base import BaseCommand, CommandError

from dataload.seed import DEFAULT_PATH, SeedError, load_seed


class Command(BaseCommand):
    help = (
        "Load the curated seed data (outlets, documents, actors, places, affiliations, "
        "events) from YAML files in one transaction. Idempotent: unchanged rows are not "
        "saved. A broken file loads nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--path",
            default=None,
            help=f"Directory of the seed YAML files (default: {DEFAULT_PATH}).",
        )
        parser.add_argument(
            "--texts",
            default=None,
            metavar="FILE",
            help="The file of the seed's articles as given (e.g. "
            "../shared/seeds/000_54fd4921a38bbcd8.txt): each document gets its article's "
            "text, found by its heading, and every seed quote is verified against it. "
            "Without it the documents keep their text (none on a first load) and the "
            "quotes are not verified.",
        )

    def handle(self, *args, path=None, texts=None, **options):
        try:
            report = load_seed(path, texts=texts)
        except SeedError as exc:
            raise CommandError(str(exc)) from exc
        for line in report.lines():
            self.stdout.write(line)
        if report.changed:
            self.stdout.write(self.style.SUCCESS("Seed loaded."))
        else:
            self.stdout.write(self.style.SUCCESS("Seed already up to date: nothing changed."))
