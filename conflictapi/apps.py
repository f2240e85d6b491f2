from django.apps import AppConfig


class ConflictApiConfig(AppConfig):
    name = "conflictapi"
    verbose_name = "Conflict data API"

    def ready(self):
        # Every write to a curated record replaces the data generation (cached counts).
        from conflictapi import checks, generation  # noqa: F401
