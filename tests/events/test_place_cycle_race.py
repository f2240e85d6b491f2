"""Two concurrent moves (x under y, y under x) cannot make a cycle (issue 12): moves take
one lock, so the second checks for a cycle after the first has committed."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection, transaction

from events.models import Place
from tests.factories import PlaceFactory

pytestmark = [
    # serialized_rollback: the flush after a transactional test would take the
    # migrations' data (event types, groups) with it; it is put back after.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent transactions: PostgreSQL"
    ),
]


def waiting_on_the_move_lock():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        return cursor.fetchone()[0]


def test_concurrent_moves_make_no_cycle():
    x, y = PlaceFactory(), PlaceFactory()
    first_saved, outcome = threading.Event(), {}

    def move_x_under_y():
        try:
            with transaction.atomic():
                place = Place.objects.get(pk=x.pk)
                place.parent_id = y.pk
                place.save()
                first_saved.set()
                # Hold the transaction open until the other move waits on the lock (or
                # 5 s pass: without the lock it never waits, and the test then fails).
                done = threading.Event()
                for _ in range(100):
                    if waiting_on_the_move_lock():
                        break
                    done.wait(0.05)
            outcome["x"] = "moved"
        finally:
            close_old_connections()
            connection.close()

    def move_y_under_x():
        first_saved.wait(10)
        try:
            place = Place.objects.get(pk=y.pk)
            place.parent_id = x.pk
            place.save()
            outcome["y"] = "moved"
        except ValidationError as exc:
            outcome["y"] = exc.message_dict
        finally:
            connection.close()

    threads = [threading.Thread(target=move_x_under_y), threading.Thread(target=move_y_under_x)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert outcome["x"] == "moved"
    assert outcome["y"] == {"parent": ["A place cannot lie inside itself."]}
    x.refresh_from_db()
    y.refresh_from_db()
    assert (x.parent_id, y.parent_id) == (y.pk, None)
