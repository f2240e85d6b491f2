"""python manage.py load_seed [--path DIR]: load the curated seed data set."""

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

    def handle(self, *args, path=None, **options):
        try:
            report = load_seed(path)
        except SeedError as exc:
            raise CommandError(str(exc)) from exc
        for line in report.lines():
            self.stdout.write(line)
        if report.changed:
            self.stdout.write(self.style.SUCCESS("Seed loaded."))
        else:
            self.stdout.write(self.style.SUCCESS("Seed already up to date: nothing changed."))
