"""When a day's figures are due and when the day locks (all in Asia/Riyadh, the project's
time zone). Pure functions of the form's settings and the report's state, so the portal, the
API, uploads, the completeness board and the reminders agree on one answer."""

import datetime

from django.utils import timezone

from .models import DailyReport, IndicatorSet, ReportStatus


def deadline(indicator_set: IndicatorSet, day: datetime.date) -> datetime.datetime:
    """The figures for `day` are due at the form's deadline time on the next day."""
    naive = datetime.datetime.combine(day + datetime.timedelta(days=1), indicator_set.deadline_time)
    return timezone.make_aware(naive, timezone.get_default_timezone())


def locks_at(indicator_set: IndicatorSet, day: datetime.date) -> datetime.datetime:
    """After the deadline, entry stays open for the form's grace days, then the day locks."""
    return deadline(indicator_set, day) + datetime.timedelta(days=indicator_set.grace_days)


def is_open(
    indicator_set: IndicatorSet,
    day: datetime.date,
    report: DailyReport | None = None,
    *,
    now: datetime.datetime | None = None,
) -> bool:
    """May the agency enter or change figures for this day now?

    Never for a future day or an approved report; otherwise until the day locks, or later
    while an exception (or a return for correction) keeps it open.
    """
    now = now or timezone.now()
    if day > timezone.localdate(now):
        return False
    if report is not None and report.status == ReportStatus.APPROVED:
        return False
    if now < locks_at(indicator_set, day):
        return True
    return bool(report and report.reopened_until and now < report.reopened_until)


def is_late(indicator_set: IndicatorSet, day: datetime.date, submitted_at) -> bool:
    return submitted_at > deadline(indicator_set, day)
