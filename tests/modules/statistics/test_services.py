"""Saving, submitting, returning, approving and reopening a day's figures.

`now` is passed to `report_save` to place a save before or after the deadline; the services
that take no `now` (return, approve, exception) act at the real time, which is after every
day of the test season, so those days are already locked unless something reopens them.
"""

import contextlib
import datetime
import math
import threading
import time
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections, transaction
from django.db.models import AutoField
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from modules.audit.context import acting_as
from modules.audit.models import AuditAction, AuditEntry
from modules.notifications.models import Message
from modules.statistics import periods
from modules.statistics.models import (
    Comparison,
    DailyReport,
    EntryException,
    Indicator,
    IndicatorDayTotal,
    ReportStatus,
    ReportValue,
    Severity,
    ValueChange,
    ValueType,
)
from modules.statistics.selectors import report_values
from modules.statistics.services import (
    EntryClosed,
    EntryRejected,
    exception_grant,
    report_approve,
    report_return,
    report_save,
)
from tests.support.fixtures import make_agency
from tests.support.statistics import (
    local_noon,
    make_category,
    make_indicator,
    make_rule,
    make_set,
    save_day,
)

DAY = datetime.date(2026, 5, 10)
SECOND = datetime.timedelta(seconds=1)
FULL = {"admitted": "١٢٠", "discharged": "80", "occupancy": "70"}

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"
)


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared in English; their Arabic is the catalog's business."""
    with translation.override("en"):
        yield


@pytest.fixture
def hospital(season, agency_a, agency_b):
    """A form reported by agencies A and B: discharged ≤ admitted blocks, an occupancy over
    95% warns."""
    admitted = make_indicator("admitted", minimum=Decimal(0))
    discharged = make_indicator("discharged", minimum=Decimal(0))
    occupancy = make_indicator("occupancy", value_type=ValueType.PERCENTAGE)
    form = make_set(
        "hospital", indicators=[admitted, discharged, occupancy], agencies=[agency_a, agency_b]
    )
    make_rule(form, discharged, Comparison.LTE, admitted)
    make_rule(form, occupancy, Comparison.LTE, constant=95, severity=Severity.WARNING)
    return form


def figures(report) -> dict[str, Decimal | None]:
    return {
        value.indicator.code: value.value
        for value in ReportValue.objects.filter(report=report).select_related("indicator")
    }


def totals(day=DAY) -> dict[str, tuple[Decimal, int]]:
    return {
        row.indicator.code: (row.total, row.reporting)
        for row in IndicatorDayTotal.objects.filter(day=day).select_related("indicator")
    }


def stored_rows() -> dict[str, int]:
    return {
        "reports": DailyReport.objects.count(),
        "values": ReportValue.objects.count(),
        "history": ValueChange.objects.count(),
        "totals": IndicatorDayTotal.objects.count(),
        "exceptions": EntryException.objects.count(),
        "audit": AuditEntry.objects.filter(content_type__app_label="statistics").count(),
    }


NOTHING = dict.fromkeys(["reports", "values", "history", "totals", "exceptions", "audit"], 0)


# Draft, submit, lateness


def test_save_as_draft_then_submit(hospital, agency_a, manager_a):
    draft = save_day(manager_a, agency_a, hospital, DAY, {"admitted": "١٢٠"}, submit=False)

    report = draft.report
    report.refresh_from_db()
    assert (report.status, report.submitted_at, report.is_late) == (ReportStatus.DRAFT, None, False)
    assert report.season.hijri_year == 1447
    assert figures(report) == {"admitted": Decimal(120)}
    assert totals() == {}  # a draft is not on the dashboard

    submitted_at = local_noon(DAY) + datetime.timedelta(hours=3)
    save_day(
        manager_a,
        agency_a,
        hospital,
        DAY,
        {"discharged": "٨٠", "occupancy": "70٪"},
        now=submitted_at,
    )

    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_at == submitted_at
    assert report.submitted_by == manager_a
    assert report.is_late is False
    assert figures(report) == {
        "admitted": Decimal(120),
        "discharged": Decimal(80),
        "occupancy": Decimal(70),
    }
    assert totals() == {
        "admitted": (Decimal(120), 1),
        "discharged": (Decimal(80), 1),
        "occupancy": (Decimal(70), 1),
    }


def test_a_submission_needs_every_required_figure(hospital, agency_a, manager_a):
    with pytest.raises(EntryRejected) as refused:
        save_day(manager_a, agency_a, hospital, DAY, {"admitted": "120", "discharged": "80"})

    assert refused.value.check.errors == {
        "occupancy": ["Enter a value: this figure is required to submit."]
    }
    assert stored_rows() == NOTHING


@pytest.mark.parametrize(
    ("after_deadline", "late"),
    [
        (-datetime.timedelta(hours=1), False),
        (datetime.timedelta(0), False),  # due "at 10:00": in at 10:00:00 is on time
        (SECOND, True),
        (datetime.timedelta(hours=20), True),  # late, still within the grace day
    ],
)
def test_a_submission_after_the_deadline_is_late(
    hospital, agency_a, manager_a, after_deadline, late
):
    now = periods.deadline(hospital, DAY) + after_deadline
    result = save_day(manager_a, agency_a, hospital, DAY, FULL, now=now)

    result.report.refresh_from_db()
    assert result.report.is_late is late
    assert result.report.submitted_at == now


def test_saving_a_submitted_report_again_keeps_it_submitted_and_needs_every_figure(
    hospital, agency_a, manager_a
):
    save_day(manager_a, agency_a, hospital, DAY, FULL)
    report = save_day(manager_a, agency_a, hospital, DAY, {"admitted": "130"}, submit=False).report

    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert totals()["admitted"] == (Decimal(130), 1)
    with pytest.raises(EntryRejected) as refused:
        save_day(manager_a, agency_a, hospital, DAY, {"occupancy": ""}, submit=False)
    assert "occupancy" in refused.value.check.errors


# Validation: nothing stored half-way


def test_a_blocking_rule_refuses_and_nothing_is_stored(hospital, agency_a, manager_a):
    with pytest.raises(EntryRejected) as refused:
        save_day(manager_a, agency_a, hospital, DAY, {**FULL, "discharged": "١٢١"})

    assert refused.value.check.errors == {"discharged": ["Rule not met"]}
    assert stored_rows() == NOTHING


def test_a_refused_change_leaves_the_stored_day_as_it_was(hospital, agency_a, manager_a):
    report = save_day(manager_a, agency_a, hospital, DAY, FULL).report
    before = stored_rows()
    before_totals = totals()

    with pytest.raises(EntryRejected):
        save_day(manager_a, agency_a, hospital, DAY, {"admitted": "50", "occupancy": "٦٠"})
    with pytest.raises(EntryRejected):
        save_day(manager_a, agency_a, hospital, DAY, {"admitted": "lots"})

    assert stored_rows() == before
    assert totals() == before_totals
    assert figures(report) == {
        "admitted": Decimal(120),
        "discharged": Decimal(80),
        "occupancy": Decimal(70),
    }


def test_a_warning_needs_a_comment_then_saves(hospital, agency_a, manager_a):
    values = {**FULL, "occupancy": "٩٧"}
    with pytest.raises(EntryRejected) as refused:
        save_day(manager_a, agency_a, hospital, DAY, values)
    assert refused.value.check.warnings == {"occupancy": ["Rule not met"]}
    assert refused.value.check.errors == {
        "occupancy": ["Explain this figure in a short comment, or correct it."]
    }
    assert stored_rows() == NOTHING

    result = save_day(
        manager_a, agency_a, hospital, DAY, values, comments={"occupancy": " Hajj  peak "}
    )

    assert result.warnings == {"occupancy": ["Rule not met"]}
    value = ReportValue.objects.get(report=result.report, indicator__code="occupancy")
    assert (value.value, value.comment) == (Decimal(97), "Hajj peak")


def test_a_warning_against_the_agencys_recent_days(hospital, agency_a, manager_a):
    for offset, admitted in enumerate([100, 110, 105, 120]):
        day = DAY - datetime.timedelta(days=4 - offset)
        save_day(manager_a, agency_a, hospital, day, {**FULL, "admitted": str(admitted)})

    with pytest.raises(EntryRejected) as refused:
        save_day(manager_a, agency_a, hospital, DAY, {**FULL, "admitted": "٤٠٠"})

    assert refused.value.check.warnings == {
        "admitted": ["This is well outside your agency's range over the last 7 days (100 to 120)."]
    }
    assert save_day(manager_a, agency_a, hospital, DAY, {**FULL, "admitted": "150"}).report


def test_comments_with_markup_or_too_long_are_refused(hospital, agency_a, manager_a):
    for comment in ("<script>alert(1)</script>", "x" * 501):
        with pytest.raises(EntryRejected) as refused:
            save_day(manager_a, agency_a, hospital, DAY, FULL, comments={"admitted": comment})
        assert list(refused.value.check.errors) == ["admitted"]
    assert stored_rows() == NOTHING


def test_codes_not_on_the_form_are_refused(hospital, agency_a, manager_a):
    with pytest.raises(EntryRejected) as refused:
        save_day(manager_a, agency_a, hospital, DAY, {**FULL, "deaths": "1"})
    assert refused.value.check.form_errors == ["“deaths” is not an indicator of this form."]
    assert stored_rows() == NOTHING


# Who may report which form, and when


def test_an_agency_not_on_the_form_is_refused(hospital, manager_a):
    outsider = make_agency("agency-c")
    with pytest.raises(EntryClosed) as closed:
        save_day(None, outsider, hospital, DAY, FULL)
    assert closed.value.message == "Your agency does not report this form."
    assert stored_rows() == NOTHING


def test_an_inactive_form_is_refused(hospital, agency_a, manager_a):
    hospital.is_active = False
    hospital.save()
    with pytest.raises(EntryClosed):
        save_day(manager_a, agency_a, hospital, DAY, FULL)
    assert stored_rows() == NOTHING


def test_a_day_outside_any_season_is_refused(hospital, agency_a, manager_a, season):
    before_season = season.starts_on - datetime.timedelta(days=1)
    with pytest.raises(EntryClosed) as closed:
        save_day(manager_a, agency_a, hospital, before_season, FULL)
    assert closed.value.message == "No Hajj season covers this day."
    assert stored_rows() == NOTHING


def test_an_agency_user_cannot_save_another_agencys_figures(hospital, agency_a, manager_b):
    with contextlib.suppress(PermissionDenied):
        save_day(manager_b, agency_a, hospital, DAY, FULL)
    assert stored_rows() == NOTHING


# Locking


def test_open_before_deadline_plus_grace_and_closed_after(hospital, agency_a, manager_a):
    locks_at = periods.locks_at(hospital, DAY)
    save_day(manager_a, agency_a, hospital, DAY, FULL, submit=False, now=locks_at - SECOND)
    before = stored_rows()

    with pytest.raises(EntryClosed) as closed:
        save_day(manager_a, agency_a, hospital, DAY, {"admitted": "121"}, now=locks_at)

    assert closed.value.message.startswith("This day is locked: entry closed on ")
    assert "2026" in closed.value.message and "10:00" in closed.value.message
    assert stored_rows() == before
    assert figures(DailyReport.objects.get())["admitted"] == Decimal(120)


def test_a_locked_day_with_no_report_is_closed_too(hospital, agency_a, manager_a):
    with pytest.raises(EntryClosed):
        save_day(manager_a, agency_a, hospital, DAY, FULL, now=periods.locks_at(hospital, DAY))
    assert stored_rows() == NOTHING


def test_a_future_day_is_closed(hospital, agency_a, manager_a):
    tomorrow = DAY + datetime.timedelta(days=1)
    with pytest.raises(EntryClosed) as closed:
        save_day(manager_a, agency_a, hospital, tomorrow, FULL, now=local_noon(DAY))
    assert closed.value.message == "Figures can be entered from the day itself onwards."
    assert stored_rows() == NOTHING


def test_an_exception_reopens_a_locked_day_and_is_audited(
    hospital, agency_a, manager_a, committee_admin
):
    with pytest.raises(EntryClosed):
        save_day(manager_a, agency_a, hospital, DAY, FULL, now=timezone.now())

    open_until = timezone.now() + datetime.timedelta(days=1)
    exception = exception_grant(
        actor=committee_admin,
        indicator_set=hospital,
        agency=agency_a,
        day=DAY,
        open_until=open_until,
        reason="  Network   outage at the hospital ",
    )

    exception.refresh_from_db()
    report = exception.report
    assert (report.agency, report.indicator_set, report.day) == (agency_a, hospital, DAY)
    assert report.status == ReportStatus.DRAFT
    assert report.reopened_until == open_until
    assert (exception.agency, exception.granted_by) == (agency_a, committee_admin)
    assert exception.reason == "Network outage at the hospital"
    audit = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(EntryException),
        object_id=str(exception.pk),
    ).get()
    assert (audit.action, audit.actor, audit.agency) == (
        AuditAction.CREATE,
        committee_admin,
        agency_a,
    )
    assert audit.changes["reason"] == [None, "Network outage at the hospital"]
    assert AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(DailyReport),
        object_id=str(report.pk),
        actor=committee_admin,
    ).exists()

    late = save_day(manager_a, agency_a, hospital, DAY, FULL, now=timezone.now()).report
    late.refresh_from_db()
    assert late.pk == report.pk
    assert (late.status, late.is_late) == (ReportStatus.SUBMITTED, True)

    with pytest.raises(EntryClosed):
        save_day(manager_a, agency_a, hospital, DAY, {"admitted": "130"}, now=open_until)
    assert figures(late)["admitted"] == Decimal(120)


def test_an_exception_needs_a_reason_a_future_end_the_agencys_form_and_a_season(
    hospital, season, committee_admin
):
    outsider = make_agency("agency-c")
    with pytest.raises(ValidationError) as refused:
        exception_grant(
            actor=committee_admin,
            indicator_set=hospital,
            agency=outsider,
            day=season.starts_on - datetime.timedelta(days=1),
            open_until=timezone.now() - SECOND,
            reason="  ",
        )
    assert set(refused.value.message_dict) == {"reason", "open_until", "agency", "day"}
    assert stored_rows() == NOTHING


def test_an_exception_reason_with_markup_is_refused(hospital, agency_a, committee_admin):
    with pytest.raises(ValidationError):
        exception_grant(
            actor=committee_admin,
            indicator_set=hospital,
            agency=agency_a,
            day=DAY,
            open_until=timezone.now() + datetime.timedelta(days=1),
            reason="<b>urgent</b>",
        )
    assert stored_rows() == NOTHING


def test_approval_locks_the_day(hospital, agency_a, manager_a, committee_admin):
    report = save_day(manager_a, agency_a, hospital, DAY, FULL).report

    report_approve(actor=committee_admin, report=report)

    report.refresh_from_db()
    assert (report.status, report.reviewed_by) == (ReportStatus.APPROVED, committee_admin)
    with pytest.raises(EntryClosed) as closed:
        save_day(manager_a, agency_a, hospital, DAY, {"admitted": "121"}, now=local_noon(DAY))
    assert closed.value.message == (
        "This day's report was approved, so it can no longer be changed."
    )
    assert figures(report)["admitted"] == Decimal(120)
    assert totals()["admitted"] == (Decimal(120), 1)  # approved figures still count
    with pytest.raises(ValidationError):
        exception_grant(
            actor=committee_admin,
            indicator_set=hospital,
            agency=agency_a,
            day=DAY,
            open_until=timezone.now() + datetime.timedelta(days=1),
            reason="Too late",
        )


def test_only_a_submitted_report_can_be_approved(hospital, agency_a, manager_a, committee_admin):
    report = save_day(manager_a, agency_a, hospital, DAY, FULL, submit=False).report
    with pytest.raises(ValidationError):
        report_approve(actor=committee_admin, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_return_reopens_the_day_and_its_figures_leave_the_dashboard_until_resubmitted(
    hospital, agency_a, agency_b, manager_a, manager_b, committee_admin
):
    report = save_day(manager_a, agency_a, hospital, DAY, FULL).report
    save_day(manager_b, agency_b, hospital, DAY, {**FULL, "admitted": "50", "discharged": "5"})
    assert totals()["admitted"] == (Decimal(170), 2)
    report_approve(actor=committee_admin, report=report)

    returned_at = timezone.now()
    report_return(actor=committee_admin, report=report, comment="  Admissions look doubled ")

    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert report.review_comment == "Admissions look doubled"
    assert report.reviewed_by == committee_admin
    assert report.reopened_until >= returned_at + datetime.timedelta(days=1)
    assert totals() == {
        "admitted": (Decimal(50), 1),
        "discharged": (Decimal(5), 1),
        "occupancy": (Decimal(70), 1),
    }
    message = Message.objects.get(template="statistics/report_returned")
    assert (message.user, message.recipient) == (manager_a, manager_a.email)
    assert "Admissions look doubled" in message.body_text

    # The day had locked long ago; the return reopened it. A draft save does not count yet.
    save_day(
        manager_a, agency_a, hospital, DAY, {"admitted": "90"}, submit=False, now=timezone.now()
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert totals()["admitted"] == (Decimal(50), 1)

    save_day(manager_a, agency_a, hospital, DAY, {}, now=timezone.now())
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert totals() == {
        "admitted": (Decimal(140), 2),
        "discharged": (Decimal(85), 2),
        "occupancy": (Decimal(140), 2),
    }


def test_a_return_needs_a_comment_and_a_counted_report(
    hospital, agency_a, manager_a, committee_admin
):
    report = save_day(manager_a, agency_a, hospital, DAY, FULL, submit=False).report
    with pytest.raises(ValidationError):
        report_return(actor=committee_admin, report=report, comment="Fix it")
    save_day(manager_a, agency_a, hospital, DAY, {})
    for comment in ("", "   ", "<script>x</script>"):
        with pytest.raises(ValidationError):
            report_return(actor=committee_admin, report=report, comment=comment)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert totals()["admitted"] == (Decimal(120), 1)


# History


def test_history_records_every_change(hospital, agency_a, manager_a, staff_a):
    first = save_day(
        manager_a, agency_a, hospital, DAY, {"admitted": "100", "discharged": "80"}, submit=False
    )
    report = first.report
    assert first.changed == 2

    # staff_a corrects one figure; the other is sent unchanged and leaves no trace.
    second = save_day(
        staff_a, agency_a, hospital, DAY, {"admitted": "١١٠", "discharged": "80"}, submit=False
    )
    assert second.changed == 1
    # a comment alone is a change too
    save_day(
        staff_a, agency_a, hospital, DAY, {}, comments={"discharged": "two transfers"}, submit=False
    )
    # clearing a figure keeps the row (and its history) with no value
    save_day(manager_a, agency_a, hospital, DAY, {"discharged": ""}, submit=False)

    discharged = ReportValue.objects.get(report=report, indicator__code="discharged")
    assert discharged.value is None
    rows = list(
        ValueChange.objects.filter(agency=agency_a)
        .order_by("pk")
        .values_list(
            "value__indicator__code",
            "changed_by__email",
            "old_value",
            "new_value",
            "old_comment",
            "new_comment",
        )
    )
    assert rows == [
        ("admitted", manager_a.email, None, Decimal(100), "", ""),
        ("discharged", manager_a.email, None, Decimal(80), "", ""),
        ("admitted", staff_a.email, Decimal(100), Decimal(110), "", ""),
        ("discharged", staff_a.email, Decimal(80), Decimal(80), "", "two transfers"),
        ("discharged", manager_a.email, Decimal(80), None, "two transfers", "two transfers"),
    ]
    assert all(change.changed_at is not None for change in ValueChange.objects.all())
    shown = {value.indicator.code: value.changes for value in report_values(report)}
    assert [change.new_value for change in shown["admitted"]] == [Decimal(110), Decimal(100)]


def test_resaving_the_same_figures_writes_no_history(hospital, agency_a, manager_a):
    save_day(manager_a, agency_a, hospital, DAY, FULL)
    count = ValueChange.objects.count()

    result = save_day(manager_a, agency_a, hospital, DAY, {"admitted": "120.0", "occupancy": "٧٠"})

    assert result.changed == 0
    assert ValueChange.objects.count() == count


# Query counts: one full form, 10 indicators or 150


def _form_of(size: int, agency) -> tuple:
    category = make_category()
    indicators = Indicator.objects.bulk_create(
        Indicator(
            code=f"n{size}-{index:03d}",
            name_ar=f"مؤشر {index}",
            name_en=f"Indicator {index}",
            category=category,
        )
        for index in range(size)
    )
    return make_set(f"form-{size}", indicators=indicators, agencies=[agency]), indicators


def _saved_queries(actor, agency, form, indicators, base: int) -> int:
    """Queries of one full submitted save, in the audit context of a portal request (the
    audit middleware makes the user the current actor, as `acting_as` does here)."""
    values = {indicator.code: str(base + index) for index, indicator in enumerate(indicators)}
    with acting_as(actor), CaptureQueriesContext(connection) as queries:
        report_save(
            actor=actor,
            agency=agency,
            indicator_set=form,
            day=DAY,
            values=values,
            submit=True,
            now=local_noon(DAY),
        )
    return len(queries)


def _bulk_batches(model, count: int, update_fields: list[str] | None = None) -> int:
    """How many statements Django splits a bulk write of `count` rows into: one on
    PostgreSQL; on SQLite as many as its 999-parameter limit needs
    (`connection.ops.bulk_batch_size`, the figure bulk_create/bulk_update use)."""
    if update_fields is None:
        fields = [
            field for field in model._meta.concrete_fields if not isinstance(field, AutoField)
        ]
    else:
        pk = model._meta.pk
        fields = [pk, pk, *(model._meta.get_field(name) for name in update_fields)]
    objs = [model()] * count
    return math.ceil(count / max(connection.ops.bulk_batch_size(fields, objs), 1))


def _extra_statements(small: int, large: int, *, resave: bool) -> int:
    """Statements the large form may need beyond the small one: only the batches of the
    bulk writes on a backend that limits parameters (zero on PostgreSQL)."""
    writes = [(ValueChange, None), (IndicatorDayTotal, None)]
    writes.append(
        (ReportValue, ["value", "comment", "updated_at"]) if resave else (ReportValue, None)
    )
    return sum(
        _bulk_batches(model, large, fields) - _bulk_batches(model, small, fields)
        for model, fields in writes
    )


@pytest.fixture
def sized_forms(season, agency_a):
    for model in (DailyReport, EntryException, IndicatorDayTotal, ReportValue, ValueChange):
        ContentType.objects.get_for_model(model)  # the audit's content type cache, warmed
    return {size: _form_of(size, agency_a) for size in (10, 150)}


def test_a_first_full_save_takes_the_same_queries_for_10_or_150_indicators(
    sized_forms, agency_a, manager_a
):
    # A request has read the user's permissions and agency before any view runs.
    manager_a.get_all_permissions()
    assert manager_a.agency_id == agency_a.pk
    counts = {
        size: _saved_queries(manager_a, agency_a, form, indicators, base=100)
        for size, (form, indicators) in sized_forms.items()
    }

    if connection.vendor == "postgresql":
        assert counts[150] == counts[10], counts
    else:
        assert counts[150] == counts[10] + _extra_statements(10, 150, resave=False), counts
    assert counts[10] <= 25, counts


def test_resaving_every_value_takes_the_same_queries_for_10_or_150_indicators(
    sized_forms, agency_a, manager_a
):
    for form, indicators in sized_forms.values():
        _saved_queries(manager_a, agency_a, form, indicators, base=100)

    counts = {
        size: _saved_queries(manager_a, agency_a, form, indicators, base=200)
        for size, (form, indicators) in sized_forms.items()
    }

    assert ValueChange.objects.count() == 2 * (10 + 150)
    if connection.vendor == "postgresql":
        assert counts[150] == counts[10], counts
    else:
        assert counts[150] == counts[10] + _extra_statements(10, 150, resave=True), counts


def test_the_rollup_rewrite_is_not_audited_row_by_row(sized_forms, agency_a, manager_a):
    form, indicators = sized_forms[150]
    _saved_queries(manager_a, agency_a, form, indicators, base=100)
    _saved_queries(manager_a, agency_a, form, indicators, base=200)

    rollup_entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(IndicatorDayTotal)
    )
    assert rollup_entries.count() == 0


# Concurrency


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_first_saves_of_the_same_day_do_not_collide(hospital, agency_a, manager_a, staff_a):
    """The rollup's advisory lock (held here by the test) keeps the first save's transaction
    open after it inserted the report, while the second save looks for that report."""
    errors = []

    def save(user, admitted):
        try:
            save_day(user, agency_a, hospital, DAY, {**FULL, "admitted": admitted})
        except Exception as exc:  # noqa: BLE001 (reported by the assertion below)
            errors.append(exc)
        finally:
            connections.close_all()

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(4471, %s)", [DAY.toordinal()])
        first = threading.Thread(target=save, args=[manager_a, "120"])
        first.start()
        _wait_for_lock_waiters(1)
        second = threading.Thread(target=save, args=[staff_a, "121"])
        second.start()
        _wait_for_lock_waiters(2)
    first.join(timeout=30)
    second.join(timeout=30)

    assert not errors, errors
    assert DailyReport.objects.get().status == ReportStatus.SUBMITTED


def _wait_for_lock_waiters(count: int, timeout: float = 10) -> None:
    """Until `count` other sessions wait for a lock (the advisory lock or a row/index lock)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            # Inside a transaction the activity view is a snapshot unless cleared.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] >= count:
                return
            time.sleep(0.02)
    raise AssertionError(f"fewer than {count} sessions waited for a lock")
