"""How each day stands for an agency on each of its forms: not started, draft, submitted on
time or late, returned, approved, locked. Shared by the portal's pages and its home card."""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from modules.agencies.models import Season
from modules.agencies.selectors import active_season

from . import periods
from .models import DailyReport, IndicatorSet, ReportStatus
from .selectors import sets_for_agency

# The index shows this many days back from today, more when a form's grace period keeps
# older days open.
INDEX_DAYS = 7


class DayState(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted on time")
    SUBMITTED_LATE = "submitted_late", _("Submitted late")
    RETURNED = "returned", _("Returned for correction")
    APPROVED = "approved", _("Approved")
    LOCKED = "locked", _("Locked")
    UPCOMING = "upcoming", _("Not open yet")


_TONES = {
    DayState.NOT_STARTED: "neutral",
    DayState.DRAFT: "info",
    DayState.SUBMITTED: "success",
    DayState.SUBMITTED_LATE: "warning",
    DayState.RETURNED: "danger",
    DayState.APPROVED: "success",
    DayState.LOCKED: "neutral",
    DayState.UPCOMING: "neutral",
}


@dataclass
class FormDay:
    """Where one agency stands on one form for one day, at `now`."""

    indicator_set: IndicatorSet
    day: datetime.date
    report: DailyReport | None
    now: datetime.datetime

    @cached_property
    def deadline(self) -> datetime.datetime:
        return timezone.localtime(periods.deadline(self.indicator_set, self.day))

    @cached_property
    def locks_at(self) -> datetime.datetime:
        return timezone.localtime(periods.locks_at(self.indicator_set, self.day))

    @cached_property
    def is_open(self) -> bool:
        return periods.is_open(self.indicator_set, self.day, self.report, now=self.now)

    @property
    def reopened_until(self) -> datetime.datetime | None:
        """When an exception or a return keeps the day open beyond its usual lock."""
        until = self.report.reopened_until if self.report else None
        if until is None or until <= self.locks_at or until <= self.now:
            return None
        return timezone.localtime(until)

    @cached_property
    def state(self) -> DayState:
        status = self.report.status if self.report else None
        if status == ReportStatus.APPROVED:
            return DayState.APPROVED
        if status == ReportStatus.SUBMITTED:
            return DayState.SUBMITTED_LATE if self.report.is_late else DayState.SUBMITTED
        if status == ReportStatus.RETURNED:
            return DayState.RETURNED
        if self.day > timezone.localdate(self.now):
            return DayState.UPCOMING
        if not self.is_open:
            return DayState.LOCKED
        return DayState.DRAFT if status == ReportStatus.DRAFT else DayState.NOT_STARTED

    @property
    def tone(self) -> str:
        return _TONES[self.state]

    @property
    def needs_entry(self) -> bool:
        return self.is_open and self.state in (
            DayState.NOT_STARTED,
            DayState.DRAFT,
            DayState.RETURNED,
        )

    @property
    def is_late(self) -> bool:
        """Never submitted, and its deadline has passed (a day returned for correction is
        counted apart: it was submitted)."""
        return self.needs_entry and self.state != DayState.RETURNED and self.now > self.deadline

    @property
    def is_returned(self) -> bool:
        """Sent back for correction and still open for it."""
        return self.needs_entry and self.state == DayState.RETURNED

    @property
    def is_due_today(self) -> bool:
        return (
            self.needs_entry
            and not self.is_late
            and self.deadline.date() == timezone.localdate(self.now)
        )

    @property
    def closed_reason(self) -> str:
        """Why figures cannot be entered now ('' while the day is open)."""
        return periods.closed_reason(self.indicator_set, self.day, self.report, now=self.now)

    @property
    def action_label(self) -> str:
        if self.state == DayState.NOT_STARTED:
            return gettext("Enter figures")
        if self.state == DayState.DRAFT and self.is_open:
            return gettext("Continue")
        if self.state == DayState.RETURNED and self.is_open:
            return gettext("Correct")
        if self.is_open:
            return gettext("View or change")
        return gettext("View")

    @property
    def entry_url(self) -> str:
        return reverse("statistics:entry", args=[self.indicator_set.pk, self.day])


def agency_days(
    *, user, now, season: Season | None = None
) -> list[tuple[IndicatorSet, list[FormDay]]]:
    """Each form the user's agency reports with its recent days of `season` (the active one
    when not given), newest first: the last INDEX_DAYS days (more for a form whose grace
    period is longer), and any older day sent back for correction or reopened by an
    exception. One query for an agency that reports no form, three otherwise."""
    sets = list(sets_for_agency(user.agency_id))
    if not sets:
        return []
    season = season or active_season()
    if season is None:
        return []
    last = min(timezone.localdate(now), season.ends_on)
    if last < season.starts_on:
        return [(indicator_set, []) for indicator_set in sets]
    starts = {
        indicator_set.pk: max(
            season.starts_on,
            last - datetime.timedelta(days=max(INDEX_DAYS, indicator_set.grace_days + 2) - 1),
        )
        for indicator_set in sets
    }
    reports = (
        DailyReport.objects.for_user(user)
        .filter(indicator_set__in=sets, season=season, day__lte=last)
        .filter(
            Q(day__gte=min(starts.values()))
            | Q(status=ReportStatus.RETURNED)
            | Q(reopened_until__gt=now)
        )
    )
    by_day = {(report.indicator_set_id, report.day): report for report in reports}
    forms = []
    for indicator_set in sets:
        start = starts[indicator_set.pk]
        days = {start + datetime.timedelta(days=n) for n in range((last - start).days + 1)}
        days |= {
            day
            for (set_id, day), report in by_day.items()
            if set_id == indicator_set.pk
            and (
                report.status == ReportStatus.RETURNED
                or (report.reopened_until and report.reopened_until > now)
            )
        }
        forms.append(
            (
                indicator_set,
                [
                    FormDay(indicator_set, day, by_day.get((indicator_set.pk, day)), now)
                    for day in sorted(days, reverse=True)
                ],
            )
        )
    return forms
