"""Umm al-Qura Hijri dates, shown beside Gregorian ones wherever users read a date."""

import datetime

from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from hijridate import Gregorian, Hijri

HIJRI_MONTHS = [
    _("Muharram"),
    _("Safar"),
    _("Rabi al-Awwal"),
    _("Rabi al-Thani"),
    _("Jumada al-Ula"),
    _("Jumada al-Akhirah"),
    _("Rajab"),
    _("Shaban"),
    _("Ramadan"),
    _("Shawwal"),
    _("Dhu al-Qadah"),
    _("Dhu al-Hijjah"),
]


def to_hijri(value: datetime.date) -> Hijri:
    if isinstance(value, datetime.datetime):
        # An aware moment is dated where the committee is, not in UTC.
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return Gregorian(value.year, value.month, value.day).to_hijri()


def hijri_year_bounds(hijri_year: int) -> tuple[datetime.date, datetime.date]:
    """The Gregorian first and last day of a Hijri year."""
    first = Hijri(hijri_year, 1, 1).to_gregorian()
    last = Hijri(hijri_year + 1, 1, 1).to_gregorian()
    return first, last - datetime.timedelta(days=1)


def format_hijri(value: datetime.date | None) -> str:
    """'12 Dhu al-Hijjah 1447' in the active language.

    Digits stay 0-9 in Arabic too, as on Saudi government sites, so the Hijri date reads the
    same way as the Gregorian date printed beside it.
    """
    if value is None:
        return ""
    try:
        hijri = to_hijri(value)
    except OverflowError:
        return ""
    text = f"{hijri.day} {HIJRI_MONTHS[hijri.month - 1]} {hijri.year}"
    if (get_language() or "ar").startswith("ar"):
        text += " هـ"
    return text


def format_dual(value: datetime.date | None) -> str:
    """The Hijri date and the Gregorian date side by side."""
    if value is None:
        return ""
    return f"{format_hijri(value)} — {formats.date_format(value, 'DATE_FORMAT')}"
