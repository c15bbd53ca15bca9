"""Builders for daily-statistics tests: categories, indicators, forms and saved days."""

import datetime
from decimal import Decimal

from django.utils import timezone

from modules.accounts.models import User
from modules.accounts.roles import Role
from modules.agencies.models import Season
from modules.statistics.models import (
    Aggregation,
    Indicator,
    IndicatorCategory,
    IndicatorSet,
    IndicatorSetItem,
    ValidationRule,
    ValueType,
)
from modules.statistics.services import report_save
from tests.support.fixtures import make_user


def make_category(code="health", *, name_ar="الصحة", name_en="Health", order=0):
    category, _created = IndicatorCategory.objects.get_or_create(
        code=code, defaults={"name_ar": name_ar, "name_en": name_en, "sort_order": order}
    )
    return category


def make_indicator(code, *, category=None, value_type=ValueType.INTEGER, **fields):
    defaults = {
        "name_ar": f"مؤشر {code}",
        "name_en": f"Indicator {code}",
        "day_aggregation": Aggregation.SUM,
        "agency_aggregation": Aggregation.SUM,
        **fields,
    }
    return Indicator.objects.create(
        code=code, category=category or make_category(), value_type=value_type, **defaults
    )


def make_set(
    code="daily-health",
    *,
    indicators,
    agencies,
    deadline_time=datetime.time(10, 0),
    grace_days=1,
    sections=None,
):
    """A daily form of `indicators` (in order) reported by `agencies`. `sections` maps an
    item index to the (Arabic, English) title of a section starting there."""
    indicator_set = IndicatorSet.objects.create(
        code=code,
        name_ar=f"نموذج {code}",
        name_en=f"Form {code}",
        deadline_time=deadline_time,
        grace_days=grace_days,
    )
    indicator_set.agencies.set(agencies)
    indicator_set.save()  # a cluster's many-to-many is written on save
    sections = sections or {}
    IndicatorSetItem.objects.bulk_create(
        IndicatorSetItem(
            indicator_set=indicator_set,
            indicator=indicator,
            sort_order=index,
            section_ar=sections.get(index, ("", ""))[0],
            section_en=sections.get(index, ("", ""))[1],
        )
        for index, indicator in enumerate(indicators)
    )
    return indicator_set


def make_rule(indicator_set, left, comparison, right=None, *, constant=None, severity="blocking"):
    return ValidationRule.objects.create(
        indicator_set=indicator_set,
        left=left,
        comparison=comparison,
        right=right,
        constant=None if constant is None else Decimal(constant),
        severity=severity,
        message_ar="قاعدة غير متحققة",
        message_en="Rule not met",
    )


def local_noon(day: datetime.date) -> datetime.datetime:
    """Mid-day of `day` in Asia/Riyadh: before that day's deadline, which is the next day."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


def reporter(agency):
    """A person of `agency` who may save its figures (made once): only its own people can."""
    user = User.objects.filter(membership__agency=agency, is_active=True).first()
    return user or make_user(f"reporter-{agency.code}@example.org", Role.AGENCY_STAFF, agency)


def save_day(actor, agency, indicator_set, day, values, *, submit=True, comments=None, now=None):
    """`report_save` for a test; with no `actor`, one of the agency's own people saves."""
    return report_save(
        actor=actor or reporter(agency),
        agency=agency,
        indicator_set=indicator_set,
        day=day,
        values=values,
        comments=comments or {},
        submit=submit,
        now=now or local_noon(day),
    )


def make_open_season() -> Season:
    """A season around today, so that today's figures can be entered."""
    today = timezone.localdate()
    return Season.objects.create(
        hijri_year=1448,
        starts_on=today - datetime.timedelta(days=40),
        ends_on=today + datetime.timedelta(days=20),
        is_active=True,
    )


def make_health_form(agency):
    """Three indicators in two sections: admissions, discharges and a percentage."""
    admitted = make_indicator(
        "admitted",
        name_en="Patients admitted",
        description_en="Everyone admitted to a bed today.",
        unit_en="patients",
        unit_ar="مريض",
    )
    discharged = make_indicator("discharged", name_en="Patients discharged")
    occupancy = make_indicator(
        "occupancy", name_en="Bed occupancy", value_type=ValueType.PERCENTAGE
    )
    return make_set(
        indicators=[admitted, discharged, occupancy],
        agencies=[agency],
        sections={0: ("الحركة", "Movement"), 2: ("الأسرة", "Beds")},
    )
