"""Fixtures of the portal tests: a season around today, a small health form, a signed-in
manager. The views read the real clock, so days are picked relative to today."""

import pytest
from django.utils import timezone

from tests.support.statistics import make_health_form, make_open_season


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def open_season(db):
    return make_open_season()


@pytest.fixture
def health_form(agency_a, open_season):
    return make_health_form(agency_a)


@pytest.fixture
def manager(client, manager_a):
    client.force_login(manager_a)
    return client
