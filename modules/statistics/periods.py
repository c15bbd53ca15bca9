"""When a day's figures are due and when the day locks (all in Asia/Riyadh, the project's
time zone). Pure functions of the form's settings and the report's state, so the portal, the
API, uploads, the completeness board and the reminders agree on one answer."""

import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext

from modules.core.hijri import format_dual

from .models import DailyReport, IndicatorSet, ReportStatus


def _today(now: datetime.datetime) -> datetime.date:
    """The date in Asia/Riyadh, whatever time zone a request may have activated."""
    return timezone.localdate(now, timezone.get_default_timezone())


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
    if day > _today(now):
        return False
    if report is not None and report.status == ReportStatus.APPROVED:
        return False
    if now < locks_at(indicator_set, day):
        return True
    return bool(report and report.reopened_until and now < report.reopened_until)


def closed_reason(
    indicator_set: IndicatorSet,
    day: datetime.date,
    report: DailyReport | None = None,
    *,
    now: datetime.datetime | None = None,
) -> str:
    """Why figures cannot be entered for this day now, in the user's language ('' if open)."""
    now = now or timezone.now()
    if is_open(indicator_set, day, report, now=now):
        return ""
    if day > _today(now):
        return gettext("Figures can be entered from the day itself onwards.")
    if report is not None and report.status == ReportStatus.APPROVED:
        return gettext("This day's report was approved, so it can no longer be changed.")
    moment = timezone.localtime(locks_at(indicator_set, day))
    return gettext(
        "This day is locked: entry closed on %(when)s. Ask the committee for an exception "
        "if you must still enter or correct figures."
    ) % {"when": f"{format_dual(moment)} {formats.time_format(moment, 'H:i')}"}


def is_late(indicator_set: IndicatorSet, day: datetime.date, submitted_at) -> bool:
    return submitted_at > deadline(indicator_set, day)
