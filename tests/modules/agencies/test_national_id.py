"""National ID / iqama check digits, through the same form the portal and imports use."""

import pytest

from modules.agencies.forms import StaffMemberForm
from modules.agencies.validators import national_id_is_valid

from .conftest import national_id


def form_for(value: str) -> StaffMemberForm:
    return StaffMemberForm(
        data={
            "name_ar": "سارة",
            "name_en": "Sara",
            "national_id": value,
            "phone": "0501234567",
            "gender": "female",
        }
    )


@pytest.mark.parametrize(
    "value",
    [national_id(1), national_id(12345678), national_id(4242, first="2"), "1000000008"],
)
def test_valid_citizen_and_resident_numbers(value):
    form = form_for(value)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["national_id"] == value


@pytest.mark.parametrize(
    "value, reason",
    [
        ("1000000009", "wrong check digit"),
        ("2000000001", "wrong check digit (iqama)"),
        ("100000008", "nine digits"),
        ("10000000080", "eleven digits"),
        ("3000000006", "starts with 3"),
        ("0000000000", "starts with 0"),
        ("10000O0008", "a letter O"),
    ],
)
def test_invalid_numbers_are_refused(value, reason):
    form = form_for(value)
    assert not form.is_valid(), reason
    assert "national_id" in form.errors
    assert not national_id_is_valid(value)


def test_arabic_indic_digits_and_spaces_are_accepted_and_stored_as_ascii():
    form = form_for("١٠٠٠ ٠٠٠ ٠٠٨")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["national_id"] == "1000000008"
    assert form.cleaned_data["phone"] == "+966501234567"


def test_persian_digits_are_accepted():
    form = form_for("۱۰۰۰۰۰۰۰۰۸")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["national_id"] == "1000000008"
