"""Saudi national ID / iqama numbers and phone numbers."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from modules.core.text import normalize_digits


def normalize_national_id(value: str) -> str:
    return normalize_digits(str(value or "")).strip().replace(" ", "")


def national_id_is_valid(value: str) -> bool:
    """Ten digits, starting 1 (citizen) or 2 (resident), passing the Luhn check digit."""
    value = normalize_national_id(value)
    if len(value) != 10 or not value.isascii() or not value.isdigit() or value[0] not in "12":
        return False
    total = 0
    for index, char in enumerate(value):
        digit = int(char)
        if index % 2 == 0:
            digit *= 2
            digit = digit - 9 if digit > 9 else digit
        total += digit
    return total % 10 == 0


def validate_national_id(value: str) -> None:
    if not national_id_is_valid(value):
        raise ValidationError(
            _("Enter a valid national ID or iqama number: ten digits starting with 1 or 2."),
            code="invalid_national_id",
        )


def normalize_phone(value: str, region: str = "SA") -> str:
    """The number in E.164 (+9665…); raises ValidationError when it is not a valid number."""
    raw = normalize_digits(str(value or "")).strip()
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Enter a valid phone number, for example +966501234567."), code="invalid_phone"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_phone(value: str) -> None:
    normalize_phone(value)
