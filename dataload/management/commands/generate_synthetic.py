"""Fill the database with synthetic, realistic data at scale (see dataload/synthetic.py)."""

from django.core.management.base import BaseCommand, CommandError

from dataload.synthetic import Plan, SyntheticDataError, generate


class Command(BaseCommand):
    help = (
        "Generate deterministic synthetic outlets, documents, places, actors (with aliases, "
        "identifiers and affiliations) and events (with participants and citations). The "
        "same --seed gives the same rows and ids; slugs start with syn-<seed>- so runs "
        "with different seeds append to existing data. Defaults scale with --events and "
        "--actors: for 1,000,000 events and 20,000 actors, 100,000 aliases, 50,000 places, "
        "200 outlets, 20,000 documents and 4,000 affiliations."
    )

    def add_arguments(self, parser):
        parser.add_argument("--events", type=int, required=True, help="Number of events.")
        parser.add_argument("--actors", type=int, required=True, help="Number of actors.")
        parser.add_argument("--seed", type=int, required=True, help="Random seed (≥ 0).")
        parser.add_argument("--places", type=int, help="Places (default: events / 20, ≥ 30).")
        parser.add_argument("--aliases", type=int, help="Actor names (default: 5 × actors).")
        parser.add_argument("--outlets", type=int, help="Outlets (default: documents / 100).")
        parser.add_argument("--documents", type=int, help="Documents (default: events / 50).")
        parser.add_argument("--affiliations", type=int, help="Affiliations (default: actors / 5).")
        parser.add_argument(
            "--batch-size", type=int, default=5000, help="Rows per write (default 5000)."
        )
        parser.add_argument(
            "--method",
            choices=("auto", "copy", "bulk"),
            default="auto",
            help="copy (PostgreSQL COPY) or bulk (bulk_create); auto picks copy on PostgreSQL.",
        )

    def handle(self, *args, **options):
        plan = Plan(
            events=options["events"],
            actors=options["actors"],
            seed=options["seed"],
            places=options["places"],
            aliases=options["aliases"],
            outlets=options["outlets"],
            documents=options["documents"],
            affiliations=options["affiliations"],
            batch_size=options["batch_size"],
            method=options["method"],
        )
        verbosity = options["verbosity"]

        def log(message):
            if verbosity >= 1:
                self.stdout.write(message)
                self.stdout.flush()

        try:
            generate(plan, using=options.get("database") or "default", log=log)
        except SyntheticDataError as exc:
            raise CommandError(str(exc)) from exc
