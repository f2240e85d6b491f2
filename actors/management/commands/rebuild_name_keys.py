"""Recompute the search keys of every actor name and alias (after a change to
conflictapi.text, or rows written in bulk without save()), and each actor's search
columns, which gather the keys of its name and aliases."""

from django.core.management.base import BaseCommand
from django.db import transaction

from actors.models import Actor, ActorName, search_keys
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
        self.stdout.write(f"Actor search columns: {rebuild_search_columns()} updated")


def rebuild_search_columns(using="default"):
    """Recompute every actor's search columns from the stored keys; the number changed."""
    aliases = {}
    pairs = ActorName.objects.using(using).values_list("actor_id", "normalized", "skeleton")
    for actor_id, normalized, skel in pairs.iterator(chunk_size=5000):
        aliases.setdefault(actor_id, []).append((normalized, skel))
    changed = []
    with transaction.atomic(using=using):
        fields = ("pk", "name_normalized", "name_skeleton", "search_names", "search_skeletons")
        for actor in Actor.objects.using(using).only(*fields).iterator(chunk_size=5000):
            keys = search_keys(
                actor.name_normalized, actor.name_skeleton, aliases.get(actor.pk, [])
            )
            if (actor.search_names, actor.search_skeletons) != keys:
                actor.search_names, actor.search_skeletons = keys
                changed.append(actor)
        Actor.objects.using(using).bulk_update(
            changed, ["search_names", "search_skeletons"], batch_size=2000
        )
    return len(changed)
