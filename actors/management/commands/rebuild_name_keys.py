"""Recompute the search keys of every actor name and alias (after a change to
conflictapi.text, or rows written in bulk without save())."""

from django.core.management.base import BaseCommand
from django.db import transaction

from actors.models import Actor, ActorName
from conflictapi.text import normalize_name, skeleton


class Command(BaseCommand):
    help = "Recompute normalized names and skeletons of actors and aliases."

    def handle(self, *args, **options):
        for model, normalized, skel in (
            (Actor, "name_normalized", "name_skeleton"),
            (ActorName, "normalized", "skeleton"),
        ):
            changed = []
            with transaction.atomic():
                for row in model.objects.only("pk", "name", normalized, skel).iterator(
                    chunk_size=5000
                ):
                    keys = (normalize_name(row.name), skeleton(row.name))
                    if (getattr(row, normalized), getattr(row, skel)) != keys:
                        setattr(row, normalized, keys[0])
                        setattr(row, skel, keys[1])
                        changed.append(row)
                model.objects.bulk_update(changed, [normalized, skel], batch_size=2000)
            self.stdout.write(f"{model.__name__}: {len(changed)} updated")
