import pytest
from django.core.cache import caches

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def fresh_throttle_cache():
    """Throttle counts and export slots (CACHES["throttle"], this process's memory in
    tests) start empty in each test: a test's budget does not depend on earlier ones."""
    caches["throttle"].clear()
    yield
    caches["throttle"].clear()


@pytest.fixture
def curator(db):
    """May view, add and change records; may not publish, retract or delete."""
    return UserFactory(username="curator", groups=["curators"])


@pytest.fixture
def editor(db):
    """A curator who may also publish, retract and delete drafts."""
    return UserFactory(username="editor", groups=["editors"])


@pytest.fixture
def outsider(db):
    """Staff without any group: may sign in to the admin but see no records."""
    return UserFactory(username="outsider")
