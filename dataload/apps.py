from django.apps import AppConfig


class DataloadConfig(AppConfig):
    """Bringing data in: the seed loader and the synthetic generator (and the importers
    to come). Imports sources, actors and events; nothing imports it."""

    name = "dataload"
    verbose_name = "Data loading"
