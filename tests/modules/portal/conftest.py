"""Helpers for the portal tests: roster rows and a URL in a given language."""

import itertools

import pytest
from django.urls import reverse
from django.utils import translation

from modules.agencies.models import StaffMember
from modules.agencies.validators import national_id_is_valid

_NATIONAL_IDS = (str(n) for n in itertools.count(1_000_000_001) if national_id_is_valid(str(n)))


def add_staff(agency, season, count: int, *, active: bool = True) -> list[StaffMember]:
    return [
        StaffMember.objects.create(
            agency=agency,
            season=season,
            national_id=next(_NATIONAL_IDS),
            name_ar=f"موظف {index}",
            name_en=f"Staffer {index}",
            phone="+966501234567",
            gender="male",
            is_active=active,
        )
        for index in range(count)
    ]


def url(name: str, language: str = "ar", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def manager(client, manager_a):
    client.force_login(manager_a)
    return client
