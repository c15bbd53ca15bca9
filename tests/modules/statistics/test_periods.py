"""When a day's figures are due and when the day locks: the form's deadline time on the next
day in Asia/Riyadh, then the grace days; approval closes the day, an exception reopens it."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone, translation

from modules.statistics import periods
from modules.statistics.models import DailyReport, IndicatorSet, ReportStatus

RIYADH = zoneinfo.ZoneInfo("Asia/Riyadh")
DAY = datetime.date(2026, 5, 10)
SECOND = datetime.timedelta(seconds=1)


def riyadh(year, month, day, hour=0, minute=0, second=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=RIYADH)


def form(deadline_time=datetime.time(10, 0), grace_days=1) -> IndicatorSet:
    return IndicatorSet(code="daily", deadline_time=deadline_time, grace_days=grace_days)


def report(status=ReportStatus.SUBMITTED, reopened_until=None) -> DailyReport:
    return DailyReport(day=DAY, status=status, reopened_until=reopened_until)


def test_the_deadline_is_the_forms_time_on_the_next_day_in_riyadh():
    due = periods.deadline(form(datetime.time(10, 0)), DAY)

    assert timezone.is_aware(due)
    assert due == riyadh(2026, 5, 11, 10, 0)
    assert due.astimezone(datetime.UTC) == datetime.datetime(2026, 5, 11, 7, 0, tzinfo=datetime.UTC)


def test_a_late_evening_deadline_stays_on_the_next_riyadh_day():
    due = periods.deadline(form(datetime.time(23, 30)), DAY)

    assert due == riyadh(2026, 5, 11, 23, 30)
    assert due.astimezone(datetime.UTC).date() == datetime.date(2026, 5, 11)


def test_the_deadline_does_not_follow_an_activated_time_zone():
    with timezone.override(zoneinfo.ZoneInfo("America/New_York")):
        due = periods.deadline(form(), DAY)
    assert due == riyadh(2026, 5, 11, 10, 0)


def test_the_day_locks_after_the_grace_days():
    assert periods.locks_at(form(grace_days=1), DAY) == riyadh(2026, 5, 12, 10, 0)
    assert periods.locks_at(form(grace_days=3), DAY) == riyadh(2026, 5, 14, 10, 0)
    assert periods.locks_at(form(grace_days=0), DAY) == periods.deadline(form(), DAY)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (riyadh(2026, 5, 10, 0, 0), True),  # the day itself, from its first minute
        (riyadh(2026, 5, 11, 10, 0), True),  # at the deadline
        (riyadh(2026, 5, 12, 9, 59, 59), True),  # late, but within the grace day
        (riyadh(2026, 5, 12, 10, 0), False),  # the day locks
        (riyadh(2026, 6, 1, 12, 0), False),
    ],
)
def test_open_until_deadline_plus_grace(now, expected):
    assert periods.is_open(form(), DAY, now=now) is expected
    assert periods.is_open(form(), DAY, report(ReportStatus.DRAFT), now=now) is expected


def test_with_no_grace_the_day_locks_at_the_deadline():
    indicator_set = form(grace_days=0)
    due = periods.deadline(indicator_set, DAY)

    assert periods.is_open(indicator_set, DAY, now=due - SECOND)
    assert not periods.is_open(indicator_set, DAY, now=due)


def test_future_days_are_closed():
    now = riyadh(2026, 5, 10, 23, 59, 59)

    assert periods.is_open(form(), DAY, now=now)
    assert not periods.is_open(form(), DAY + datetime.timedelta(days=1), now=now)
    assert not periods.is_open(form(), DAY + datetime.timedelta(days=30), now=now)


def test_the_riyadh_day_decides_what_is_the_future():
    # 21:30 UTC on the 9th is already 00:30 on the 10th in Riyadh; 20:30 UTC is not.
    assert periods.is_open(
        form(), DAY, now=datetime.datetime(2026, 5, 9, 21, 30, tzinfo=datetime.UTC)
    )
    assert not periods.is_open(
        form(), DAY, now=datetime.datetime(2026, 5, 9, 20, 30, tzinfo=datetime.UTC)
    )


def test_what_is_the_future_does_not_follow_an_activated_time_zone():
    now = datetime.datetime(2026, 5, 9, 21, 30, tzinfo=datetime.UTC)  # 00:30 on the 10th
    with timezone.override(zoneinfo.ZoneInfo("America/New_York")):
        assert periods.is_open(form(), DAY, now=now)


def test_an_approved_report_is_closed_even_before_the_deadline():
    now = riyadh(2026, 5, 10, 12, 0)
    assert not periods.is_open(form(), DAY, report(ReportStatus.APPROVED), now=now)
    later = riyadh(2026, 5, 13, 12, 0)
    approved = report(ReportStatus.APPROVED, reopened_until=later + datetime.timedelta(days=1))
    assert not periods.is_open(form(), DAY, approved, now=later)


@pytest.mark.parametrize("status", [ReportStatus.DRAFT, ReportStatus.RETURNED])
def test_reopened_until_reopens_a_locked_day(status):
    until = riyadh(2026, 5, 20, 18, 0)
    reopened = report(status, reopened_until=until)

    assert not periods.is_open(form(), DAY, report(status), now=riyadh(2026, 5, 15, 12, 0))
    assert periods.is_open(form(), DAY, reopened, now=riyadh(2026, 5, 15, 12, 0))
    assert periods.is_open(form(), DAY, reopened, now=until - SECOND)
    assert not periods.is_open(form(), DAY, reopened, now=until)


def test_an_earlier_reopening_does_not_shorten_the_normal_window():
    reopened = report(ReportStatus.DRAFT, reopened_until=riyadh(2026, 5, 10, 13, 0))
    assert periods.is_open(form(), DAY, reopened, now=riyadh(2026, 5, 11, 20, 0))


@pytest.mark.parametrize(
    ("submitted_at", "late"),
    [
        (riyadh(2026, 5, 10, 21, 0), False),
        (riyadh(2026, 5, 11, 9, 59, 59), False),
        # Due "at 10:00": a report in at 10:00:00 is on time; one second later it is late.
        (riyadh(2026, 5, 11, 10, 0), False),
        (riyadh(2026, 5, 11, 10, 0, 1), True),
        (riyadh(2026, 5, 12, 9, 0), True),
    ],
)
def test_is_late_after_the_deadline(submitted_at, late):
    assert periods.is_late(form(), DAY, submitted_at) is late
    assert periods.is_late(form(), DAY, submitted_at.astimezone(datetime.UTC)) is late


def test_closed_reason_says_why_in_the_users_language():
    open_now = riyadh(2026, 5, 11, 12, 0)
    locked_now = riyadh(2026, 5, 20, 12, 0)
    with translation.override("en"):
        assert periods.closed_reason(form(), DAY, now=open_now) == ""
        assert periods.closed_reason(form(), DAY + datetime.timedelta(days=2), now=open_now) == (
            "Figures can be entered from the day itself onwards."
        )
        assert periods.closed_reason(form(), DAY, report(ReportStatus.APPROVED), now=open_now) == (
            "This day's report was approved, so it can no longer be changed."
        )
        locked = periods.closed_reason(form(), DAY, now=locked_now)
    # Locked on 12 May 2026 at 10:00 Riyadh: the Hijri and the Gregorian day, and the time.
    assert locked.startswith("This day is locked: entry closed on ")
    assert "1447" in locked and "May 12, 2026" in locked and "10:00" in locked
    with translation.override("ar"):
        assert "1447" in periods.closed_reason(form(), DAY, now=locked_now)
