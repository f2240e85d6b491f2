from django.apps import AppConfig


class InteropConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "interop"
    verbose_name = "ACLED- and UCDP-compatible read APIs"

    def ready(self):
        from django.db.models.signals import post_save

        from conflictapi.dependents import renderers_advanced
        from events.models import Event

        post_save.connect(_event_saved, sender=Event, dispatch_uid="interop-acled-row")
        renderers_advanced.connect(
            _events_advanced, sender=Event, dispatch_uid="interop-acled-rows"
        )


def _store_after_commit(records):
    """Write the events' stored ACLED rows once the transaction that changed them has
    committed (so what they derive from is final); a failure is logged, not raised: the
    rows stay missing and acled/read derives them (robust)."""
    from django.db import connections, transaction

    from interop.acled import store_rows

    if connections[records.db].vendor != "postgresql":
        return
    transaction.on_commit(lambda: store_rows(records), using=records.db, robust=True)


def _event_saved(sender, instance, raw=False, using=None, **kwargs):
    if not raw:
        _store_after_commit(sender._base_manager.using(using).filter(pk=instance.pk))


def _events_advanced(sender, records, **kwargs):
    _store_after_commit(records)
