"""Reminders before a day's deadline and a notice once it has passed.

`send_reminders` runs every 15 minutes (modules/core/schedules.py). For each active form and
each active agency that reports it:

- a day whose deadline falls within the next STATISTICS_REMINDER_HOURS and that has no
  submitted (or approved) report gets a reminder;
- a day whose deadline has passed, less than the form's grace period ago (at least a day, so a
  form that locks at its deadline still tells the agency), with no submitted report gets a
  notice.

Each step (form, agency, day, kind) is one `ReminderSent` row, written in the same
transaction as its messages: a pass that runs twice, or on two workers at once, sends each
step once (the second insert fails on the unique constraint and that pass skips the step).
A pass reads in a fixed number of queries whatever the number of forms and agencies; then
each step sent costs its inserts.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone

from modules.agencies.models import Agency, Membership, Season
from modules.notifications.models import Channel
from modules.notifications.services import notify

from . import periods
from .models import COUNTED_STATUSES, DailyReport, IndicatorSet, ReminderKind, ReminderSent

TEMPLATES = {
    ReminderKind.BEFORE_DEADLINE: "statistics/reminder",
    ReminderKind.AFTER_DEADLINE: "statistics/notice",
}


@dataclass(frozen=True)
class _Step:
    indicator_set: IndicatorSet
    agency: Agency
    day: datetime.date
    kind: ReminderKind


def reminder_lead() -> datetime.timedelta:
    """How long before a deadline the reminder goes out."""
    hours = settings.STATISTICS_REMINDER_HOURS
    return datetime.timedelta(hours=hours)


def notice_window(indicator_set: IndicatorSet) -> datetime.timedelta:
    return datetime.timedelta(days=max(indicator_set.grace_days, 1))


def _due_days(
    indicator_set: IndicatorSet, now: datetime.datetime, lead: datetime.timedelta
) -> list[tuple[datetime.date, ReminderKind]]:
    """The days of this form whose reminder or notice is due now. A day's deadline falls on
    the next day, so the candidates are the few days around today."""
    first = timezone.localdate(now - notice_window(indicator_set)) - datetime.timedelta(days=1)
    last = timezone.localdate(now + lead)
    due = []
    for offset in range((last - first).days + 1):
        day = first + datetime.timedelta(days=offset)
        deadline = periods.deadline(indicator_set, day)
        if now < deadline <= now + lead:
            due.append((day, ReminderKind.BEFORE_DEADLINE))
        elif deadline <= now < deadline + notice_window(indicator_set):
            due.append((day, ReminderKind.AFTER_DEADLINE))
    return due


def send_reminders(now: datetime.datetime | None = None) -> int:
    """One pass of the schedule; returns how many steps (agency × form × day) it sent."""
    now = now or timezone.now()
    lead = reminder_lead()
    forms = list(
        IndicatorSet.objects.filter(is_active=True).prefetch_related(
            Prefetch("agencies", queryset=Agency.objects.filter(is_active=True))
        )
    )
    wanted = [
        (indicator_set, day, kind)
        for indicator_set in forms
        for day, kind in _due_days(indicator_set, now, lead)
    ]
    if not wanted:
        return 0
    days = {day for _form, day, _kind in wanted}
    seasons = list(
        Season.objects.filter(starts_on__lte=max(days), ends_on__gte=min(days)).values_list(
            "starts_on", "ends_on"
        )
    )
    wanted = [
        (indicator_set, day, kind)
        for indicator_set, day, kind in wanted
        if any(start <= day <= end for start, end in seasons)
    ]
    form_ids = {indicator_set.pk for indicator_set, _day, _kind in wanted}
    statuses = {
        (form_id, agency_id, day): status
        for form_id, agency_id, day, status in DailyReport.objects.filter(
            indicator_set_id__in=form_ids, day__in=days
        ).values_list("indicator_set_id", "agency_id", "day", "status")
    }
    sent = set(
        ReminderSent.objects.filter(indicator_set_id__in=form_ids, day__in=days).values_list(
            "indicator_set_id", "agency_id", "day", "kind"
        )
    )
    steps = [
        _Step(indicator_set, agency, day, kind)
        for indicator_set, day, kind in wanted
        for agency in indicator_set.agencies.all()
        if statuses.get((indicator_set.pk, agency.pk, day)) not in COUNTED_STATUSES
        and (indicator_set.pk, agency.pk, day, kind.value) not in sent
    ]
    recipients = _recipients({step.agency.pk for step in steps})
    count = 0
    for step in steps:
        users = recipients.get(step.agency.pk)
        if not users:
            continue
        status = statuses.get((step.indicator_set.pk, step.agency.pk, step.day))
        if _send_step(step, users, report_status=status, now=now):
            count += 1
    return count


def _recipients(agency_ids: set[int]) -> dict[int, list]:
    by_agency = defaultdict(list)
    memberships = (
        Membership.objects.filter(agency_id__in=agency_ids, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    )
    for membership in memberships:
        by_agency[membership.agency_id].append(membership.user)
    return by_agency


def _send_step(step: _Step, users: list, *, report_status: str | None, now) -> bool:
    """Record the step and queue its messages, all or nothing; False if already recorded."""
    deadline = periods.deadline(step.indicator_set, step.day)
    locks_at = periods.locks_at(step.indicator_set, step.day)
    context = {
        "indicator_set": step.indicator_set,
        "agency": step.agency,
        "day": step.day,
        "deadline": deadline,
        "deadline_day": timezone.localdate(deadline),
        "locks_at": locks_at,
        "locks_day": timezone.localdate(locks_at),
        "is_open": now < locks_at,
        "report_status": report_status or "",
    }
    key = f"stats-{step.kind}:{step.indicator_set.pk}:{step.agency.pk}:{step.day.isoformat()}"
    with transaction.atomic():
        try:
            with transaction.atomic():
                ReminderSent.objects.create(
                    indicator_set=step.indicator_set,
                    agency=step.agency,
                    day=step.day,
                    kind=step.kind,
                )
        except IntegrityError:
            return False
        for user in users:
            channels = [Channel.EMAIL, Channel.SMS] if user.phone else [Channel.EMAIL]
            for channel in channels:
                notify(
                    channel=channel,
                    template=TEMPLATES[step.kind],
                    user=user,
                    context={**context, "user_name": str(user)},
                    dedupe_key=f"{key}:{user.pk}:{channel}",
                )
    return True
