import pytest

from tests.factories import UserFactory


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
