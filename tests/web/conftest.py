import pytest
from django.utils import translation

from tests.web.factories import PASSWORD, member_make, user_make, workspace_make


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request in French leaves French active in the thread (LocaleMiddleware does not switch back);
    later tests must not inherit it."""
    yield
    translation.deactivate()


@pytest.fixture
def admin_user(db):
    return user_make("ada", first_name="Ada", last_name="Admin")


@pytest.fixture
def workspace(admin_user):
    return workspace_make("mauritius", admin=admin_user, name="Mauritius C-TIP programme")


@pytest.fixture
def admin_client(client, admin_user, workspace):
    client.force_login(admin_user)
    return client


@pytest.fixture
def outsider(db):
    """A signed-in user who belongs to another workspace only."""
    user = user_make("outsider")
    workspace_make("rwanda", admin=user, country="RW", currency="RWF")
    return user


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def make_member():
    return member_make
