from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The seed data, loaded once for the module inside a transaction that is rolled
    back after its last test; each test runs in a savepoint within it (pytest-django's
    `db`), so a test's own writes are undone as usual."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_seed", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seeded_db(seeded, db):
    """The seed data, for a test that reads it or writes on top of it."""
