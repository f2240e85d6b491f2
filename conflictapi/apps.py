from django.apps import AppConfig


class ConflictApiConfig(AppConfig):
    name = "conflictapi"
    verbose_name = "Conflict data API"
