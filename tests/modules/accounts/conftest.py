import pytest
from django.core.cache import cache

from tests.support.mfa import activate_totp


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db):
    """Rate-limit counters live in the shared cache table; each test starts from none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def admin_totp_secret(committee_admin):
    return activate_totp(committee_admin)


@pytest.fixture
def admin_with_totp(committee_admin, admin_totp_secret):
    return committee_admin


@pytest.fixture
def admin_client(client, admin_with_totp):
    client.force_login(admin_with_totp)
    return client
