from django.apps import AppConfig


class ConflictApiConfig(AppConfig):
    name = "conflictapi"
    verbose_name = "Conflict data API"

    def ready(self):
        # Cached list counts are invalidated by every write to a curated record.
        from conflictapi import checks  # noqa: F401
        from conflictapi.api import counts  # noqa: F401
