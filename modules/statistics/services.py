"""Every write of the statistics module: saving a day's figures, submitting, returning,
approving, and reopening a locked day. Keyword-only, atomic; views, the API and uploads
call these and nothing else.

Saving a full day's form takes the same number of queries for 10 indicators or 150: the form
is read in two queries, the agency's recent days in one, new and changed figures are written
with one upsert, their history with one bulk insert, and the day's rollup is rewritten with
two aggregate queries, a delete and one bulk insert.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, Max, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from modules.agencies.models import Agency
from modules.audit.context import acting_as
from modules.core.scoping import can
from modules.notifications.services import notify

from . import periods
from .checks import EntryCheck, check_entry
from .models import (
    COUNTED_STATUSES,
    DailyReport,
    EntryException,
    IndicatorDayTotal,
    IndicatorSet,
    ReportStatus,
    ReportValue,
    ValueChange,
)
from .selectors import form_layout, recent_figures, season_for_day

# Arbitrary constant: the first key of the PostgreSQL advisory lock on a day's rollup.
_ROLLUP_LOCK_NAMESPACE = 4471


class EntryRejected(Exception):
    """The figures were not saved; `check` says why, field by field."""

    def __init__(self, check: EntryCheck):
        super().__init__("entry rejected")
        self.check = check


class EntryClosed(Exception):
    """The day cannot be entered now (locked, approved, in the future, or not this agency's
    form); `message` is already in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class SaveResult:
    report: DailyReport
    check: EntryCheck
    changed: int = 0
    warnings: dict[str, list[str]] = field(default_factory=dict)


def _lock_day_rollup(day: datetime.date) -> None:
    """Rollup rewrites of one day run one after another. SQLite already serialises writers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [_ROLLUP_LOCK_NAMESPACE, day.toordinal()]
            )


def refresh_day_totals(*, day: datetime.date, indicator_ids: list[int]) -> None:
    """Rewrite the rollup rows of these indicators for `day` from the counted reports.

    Four statements whatever the number of agencies: the latest figure per indicator by a
    window function (a correlated subquery here ran once per figure), the sums, a delete
    and a bulk insert. `report__day` lets PostgreSQL reach the reports by their index.
    """
    _lock_day_rollup(day)
    counted = ReportValue.objects.filter(
        day=day,
        report__day=day,
        indicator_id__in=indicator_ids,
        report__status__in=COUNTED_STATUSES,
        value__isnull=False,
    )
    newest_first = [F("updated_at").desc(), F("pk").desc()]
    latest = dict(
        counted.annotate(
            rank=Window(RowNumber(), partition_by=[F("indicator_id")], order_by=newest_first)
        )
        .filter(rank=1)
        .values_list("indicator_id", "value")
    )
    rows = (
        counted.order_by()
        .values("indicator_id")
        .annotate(total=Sum("value"), maximum=Max("value"), reporting=Count("value"))
    )
    totals = [IndicatorDayTotal(day=day, latest=latest[row["indicator_id"]], **row) for row in rows]
    IndicatorDayTotal.objects.filter(day=day, indicator_id__in=indicator_ids).delete()
    IndicatorDayTotal.objects.bulk_create(totals)


def _locked(reports):
    """Lock only the report rows (the default ordering would join and lock the agency)."""
    return reports.select_for_update(of=("self",)).order_by()


def _open_report(*, actor, agency: Agency, indicator_set: IndicatorSet, day: datetime.date, now):
    """The day's report, locked for this transaction (created if there is none yet);
    EntryClosed if the day cannot be entered now.

    A report created here disappears with the transaction if the save is then refused. Two
    first saves at once: the second waits on the first's insert, then takes its report.
    """
    if (
        not indicator_set.is_active
        or not agency.indicator_sets.filter(pk=indicator_set.pk).exists()
    ):
        raise EntryClosed(_("Your agency does not report this form."))
    reports = DailyReport.objects.filter(agency=agency, indicator_set=indicator_set, day=day)
    report = _locked(reports).first()
    if report is None:
        reason = periods.closed_reason(indicator_set, day, None, now=now)
        if reason:
            raise EntryClosed(reason)
        season = season_for_day(day)
        if season is None:
            raise EntryClosed(_("No Hajj season covers this day."))
        with acting_as(actor):
            report, created = DailyReport.objects.get_or_create(
                agency=agency, indicator_set=indicator_set, day=day, defaults={"season": season}
            )
        if created:
            return report, True
        report = _locked(reports).get()
    reason = periods.closed_reason(indicator_set, day, report, now=now)
    if reason:
        raise EntryClosed(reason)
    return report, False


def _require(actor, permission: str) -> None:
    if not can(actor, permission):
        raise PermissionDenied


@transaction.atomic
def report_save(
    *,
    actor,
    agency: Agency,
    indicator_set: IndicatorSet,
    day: datetime.date,
    values: dict[str, object],
    comments: dict[str, str] | None = None,
    submit: bool = False,
    now: datetime.datetime | None = None,
) -> SaveResult:
    """Save one agency's figures for one form and day, as a draft or submitted.

    `values` and `comments` are keyed by indicator code; a code left out keeps its stored
    figure. Nothing is stored when any figure is refused (EntryRejected) or the day is
    closed (EntryClosed). A submitted report changed later stays submitted and counted.
    """
    _require(actor, "statistics.change_dailyreport")
    if actor.agency_id != agency.pk:
        # Figures are their agency's word: no one else, the committee included, enters them.
        raise PermissionDenied
    now = now or timezone.now()
    comments = comments or {}
    report, created = _open_report(
        actor=actor, agency=agency, indicator_set=indicator_set, day=day, now=now
    )
    layout = form_layout(indicator_set)
    stored = {}
    if not created:
        stored = {value.indicator_id: value for value in ReportValue.objects.filter(report=report)}
    by_id = {indicator.pk: indicator for indicator, _required in layout.indicators}
    merged_values = {by_id[pk].code: value.value for pk, value in stored.items() if pk in by_id}
    merged_values.update(values)
    merged_comments = {by_id[pk].code: value.comment for pk, value in stored.items() if pk in by_id}
    merged_comments.update(comments)
    check = check_entry(
        indicators=layout.indicators,
        rules=layout.rules,
        raw_values=merged_values,
        raw_comments=merged_comments,
        recent=recent_figures(agency=agency, indicator_ids=layout.indicator_ids, day=day),
        require_all=submit or report.status in COUNTED_STATUSES,
    )
    if not check.ok:
        raise EntryRejected(check)

    was_counted = report.status in COUNTED_STATUSES
    if submit and report.status != ReportStatus.SUBMITTED:
        report.status = ReportStatus.SUBMITTED
        if report.submitted_at is None:
            # A report sent back for correction keeps its first submission's time: the
            # reviewer's return does not make an on-time agency late.
            report.submitted_at = now
            report.is_late = periods.is_late(indicator_set, day, now)
        report.submitted_by = actor
        with acting_as(actor):
            report.save(
                update_fields=["status", "submitted_at", "submitted_by", "is_late", "updated_at"]
            )

    written, history = [], []
    for indicator_id, value in check.values.items():
        comment = check.comments.get(indicator_id, "")
        existing = stored.get(indicator_id)
        if existing is None and value is None and not comment:
            continue
        if existing is not None and existing.value == value and existing.comment == comment:
            continue
        figure = ReportValue(
            report=report,
            indicator_id=indicator_id,
            agency=agency,
            day=day,
            value=value,
            comment=comment,
        )
        written.append(figure)
        history.append(
            ValueChange(
                value=figure,
                agency=agency,
                changed_at=now,
                changed_by=actor,
                old_value=existing.value if existing else None,
                new_value=value,
                old_comment=existing.comment if existing else "",
                new_comment=comment,
            )
        )
    # One upsert for new and changed figures; every one gets the wall clock as its save time
    # (auto_now), which is what "latest" compares.
    ReportValue.objects.bulk_create(
        written,
        update_conflicts=True,
        unique_fields=["report", "indicator"],
        update_fields=["value", "comment", "updated_at"],
    )
    for change in history:
        change.value_id = change.value.pk
    ValueChange.objects.bulk_create(history)
    if report.status in COUNTED_STATUSES and (written or not was_counted):
        refresh_day_totals(day=day, indicator_ids=layout.indicator_ids)
    return SaveResult(report=report, check=check, changed=len(history), warnings=check.warnings)


def _review(report: DailyReport) -> DailyReport:
    return _locked(DailyReport.objects.select_related("indicator_set", "agency")).get(pk=report.pk)


@transaction.atomic
def report_return(*, actor, report: DailyReport, comment: str) -> DailyReport:
    """Send a submitted (or approved) report back to the agency for correction.

    Its figures leave the dashboard until it is submitted again, and the day stays open
    for the agency for the form's grace period (at least one day) from now.
    """
    _require(actor, "statistics.review_dailyreport")
    comment = " ".join((comment or "").split())
    if not comment:
        raise ValidationError({"comment": _("Say what the agency should correct.")})
    report = _review(report)
    if report.status not in COUNTED_STATUSES:
        raise ValidationError(_("Only a submitted or approved report can be returned."))
    now = timezone.now()
    grace = datetime.timedelta(days=max(report.indicator_set.grace_days, 1))
    with acting_as(actor):
        report.status = ReportStatus.RETURNED
        report.reviewed_at, report.reviewed_by = now, actor
        report.review_comment = comment
        report.reopened_until = max(periods.locks_at(report.indicator_set, report.day), now + grace)
        report.full_clean(validate_unique=False, validate_constraints=False)
        report.save()
    refresh_day_totals(
        day=report.day, indicator_ids=form_layout(report.indicator_set).indicator_ids
    )
    for user in report.agency.memberships.select_related("user").filter(user__is_active=True):
        notify(
            channel="email",
            template="statistics/report_returned",
            user=user.user,
            context={"report": report, "comment": comment},
            dedupe_key=f"stats-returned:{report.pk}:{now.isoformat()}:{user.user_id}",
        )
    return report


@transaction.atomic
def report_approve(*, actor, report: DailyReport) -> DailyReport:
    """Approve a submitted report: it is final and locked for the agency."""
    _require(actor, "statistics.review_dailyreport")
    report = _review(report)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be approved."))
    with acting_as(actor):
        report.status = ReportStatus.APPROVED
        report.reviewed_at, report.reviewed_by = timezone.now(), actor
        report.review_comment = ""
        report.save()
    return report


@transaction.atomic
def exception_grant(
    *,
    actor,
    indicator_set: IndicatorSet,
    agency: Agency,
    day: datetime.date,
    open_until: datetime.datetime,
    reason: str,
) -> EntryException:
    """Reopen a day for one agency and form until `open_until`; recorded and audited. A
    later reopening already granted (another exception, a return) is kept."""
    _require(actor, "statistics.add_entryexception")
    reason = " ".join((reason or "").split())
    errors = {}
    if not reason:
        errors["reason"] = _("Give the reason for the exception.")
    if open_until <= timezone.now():
        errors["open_until"] = _("The exception must end in the future.")
    if not agency.indicator_sets.filter(pk=indicator_set.pk).exists():
        errors["agency"] = _("This agency does not report this form.")
    season = season_for_day(day)
    if season is None:
        errors["day"] = _("No Hajj season covers this day.")
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        report, _created = _locked(DailyReport.objects).get_or_create(
            agency=agency, indicator_set=indicator_set, day=day, defaults={"season": season}
        )
        if report.status == ReportStatus.APPROVED:
            raise ValidationError(
                _("This report is approved. Return it to the agency to reopen it.")
            )
        report.reopened_until = max(filter(None, [report.reopened_until, open_until]))
        report.save(update_fields=["reopened_until", "updated_at"])
        exception = EntryException(
            report=report, agency=agency, granted_by=actor, open_until=open_until, reason=reason
        )
        exception.full_clean(exclude=["report", "agency", "granted_by"])
        exception.save()
    return exception


@transaction.atomic
def value_set_follow_up(*, actor, value: ReportValue, follow_up: bool) -> ReportValue:
    """A reviewer flags (or clears) a figure for follow-up with the agency. The figure's
    save time is left alone: it decides which figure is the latest."""
    _require(actor, "statistics.review_dailyreport")
    with acting_as(actor):
        value.follow_up = follow_up
        value.save(update_fields=["follow_up"])
    return value
