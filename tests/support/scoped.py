"""One record of every agency-scoped model, for the isolation test.

Every model that declares `agency_lookup` must have a maker here: the isolation test fails
for a scoped model without one, so a new module cannot forget to be checked. The records get
primary keys from `FOREIGN_PK_BASE` upward, which no other row in the test database has, so a
view that answers for one of these ids has served another agency's record.
"""

import datetime
import itertools

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile

from modules.accounts.roles import Role
from modules.agencies.models import Agency, Membership, StaffMember
from modules.audit.models import AuditAction, AuditEntry
from modules.statistics.models import (
    DailyReport,
    EntryException,
    ReminderKind,
    ReminderSent,
    ReportStatus,
    ReportValue,
    ValueChange,
)
from modules.tickets.models import EventKind, Source, Status, Ticket, TicketAttachment, TicketEvent

from .fixtures import make_user
from .statistics import make_category, make_indicator, make_set
from .tickets import make_category as make_ticket_category
from .tickets import make_priority

FOREIGN_PK_BASE = 900_001
_pks = itertools.count(FOREIGN_PK_BASE)
# Written into the foreign agency's statistics (value comments, history, review comment,
# exception reason): a list page that shows it has shown another agency's figures.
FOREIGN_STATISTICS_MARKER = "FOREIGN-FIGURE-NOTE"
# Written into the foreign agency's incident report, its timeline and its attachment's name.
FOREIGN_TICKET_MARKER = "FOREIGN-INCIDENT-NOTE"


def _agency(ctx):
    return ctx["agency"]


def _membership(ctx):
    user = make_user("foreign-manager@example.org", Role.AGENCY_MANAGER, ctx["agency"])
    membership = user.membership
    Membership.objects.filter(pk=membership.pk).update(id=next(_pks))
    return Membership.objects.get(user=user)


def _staff(ctx):
    return StaffMember.objects.create(
        pk=next(_pks),
        agency=ctx["agency"],
        season=ctx["season"],
        name_ar="موظف الجهة الأخرى",
        name_en="Foreign Staffer",
        national_id="1000000008",
        phone="+966501234567",
        gender="male",
    )


def _audit(ctx):
    return AuditEntry.objects.create(
        pk=next(_pks),
        actor_repr="someone",
        action=AuditAction.UPDATE,
        content_type=ContentType.objects.get_for_model(Agency),
        object_id=str(ctx["agency"].pk),
        object_repr="Foreign Agency",
        agency=ctx["agency"],
        changes={"name_en": ["a", "b"]},
    )


def _daily_report(ctx):
    """The foreign agency's submitted report on a form that the user's agency reports too, so
    a page listing "this form's figures for the day" without filtering by agency shows it."""
    if "daily_report" not in ctx:
        indicator = make_indicator("shared-admissions", category=make_category("shared-category"))
        indicator_set = make_set(
            "shared-form",
            indicators=[indicator],
            agencies=[ctx["agency"], *Agency.objects.exclude(pk=ctx["agency"].pk)],
        )
        ctx["indicator"], ctx["indicator_set"] = indicator, indicator_set
        ctx["daily_report"] = DailyReport.objects.create(
            pk=next(_pks),
            agency=ctx["agency"],
            indicator_set=indicator_set,
            season=ctx["season"],
            day=ctx["season"].starts_on,
            status=ReportStatus.SUBMITTED,
            review_comment=FOREIGN_STATISTICS_MARKER,
        )
    return ctx["daily_report"]


def _report_value(ctx):
    if "report_value" not in ctx:
        report = _daily_report(ctx)
        ctx["report_value"] = ReportValue.objects.create(
            pk=next(_pks),
            report=report,
            indicator=ctx["indicator"],
            agency=ctx["agency"],
            day=report.day,
            value=4471,
            comment=f"{FOREIGN_STATISTICS_MARKER}: تعليق الجهة الأخرى",
        )
    return ctx["report_value"]


def _value_change(ctx):
    value = _report_value(ctx)
    return ValueChange.objects.create(
        pk=next(_pks),
        value=value,
        agency=ctx["agency"],
        old_value=None,
        new_value=value.value,
        new_comment=value.comment,
    )


def _entry_exception(ctx):
    report = _daily_report(ctx)
    return EntryException.objects.create(
        pk=next(_pks),
        report=report,
        agency=ctx["agency"],
        open_until=datetime.datetime.combine(report.day, datetime.time(23, 0), tzinfo=datetime.UTC),
        reason=FOREIGN_STATISTICS_MARKER,
    )


def _reminder_sent(ctx):
    report = _daily_report(ctx)
    return ReminderSent.objects.create(
        pk=next(_pks),
        agency=ctx["agency"],
        indicator_set=report.indicator_set,
        day=report.day,
        kind=ReminderKind.AFTER_DEADLINE,
    )


def _ticket(ctx):
    if "ticket" not in ctx:
        priority = make_priority("foreign-priority")
        ctx["ticket"] = Ticket.objects.create(
            pk=next(_pks),
            reference="1447-900001",
            source=Source.AGENCY,
            status=Status.ASSIGNED,
            category=make_ticket_category("foreign-category", priority=priority),
            priority=priority,
            agency=ctx["agency"],
            reporting_agency=ctx["agency"],
            description=FOREIGN_TICKET_MARKER,
            latitude="24.470000",
            longitude="39.610000",
        )
        ctx["ticket_file"] = ContentFile(b"%PDF-1.4 foreign", name="foreign.pdf")
    return ctx["ticket"]


def _ticket_event(ctx):
    return TicketEvent.objects.create(
        pk=next(_pks),
        ticket=_ticket(ctx),
        kind=EventKind.COMMENTED,
        at=datetime.datetime(2026, 5, 20, 9, 0, tzinfo=datetime.UTC),
        comment=FOREIGN_TICKET_MARKER,
    )


def _ticket_attachment(ctx):
    ticket = _ticket(ctx)
    attachment = TicketAttachment(
        pk=next(_pks),
        ticket=ticket,
        original_name=f"{FOREIGN_TICKET_MARKER}.pdf",
        content_type="application/pdf",
        size=16,
    )
    attachment.file.save("foreign.pdf", ctx["ticket_file"], save=False)
    attachment.save()
    return attachment


MAKERS = {
    Agency: _agency,
    Membership: _membership,
    StaffMember: _staff,
    AuditEntry: _audit,
    DailyReport: _daily_report,
    ReportValue: _report_value,
    ValueChange: _value_change,
    EntryException: _entry_exception,
    ReminderSent: _reminder_sent,
    Ticket: _ticket,
    TicketEvent: _ticket_event,
    TicketAttachment: _ticket_attachment,
}


def make_foreign_records(*, season) -> dict:
    """Agency B and one record of every scoped model belonging to it."""
    agency = Agency.objects.create(
        pk=next(_pks),
        code="foreign-agency",
        name_ar="الجهة الأجنبية",
        name_en="Foreign Agency",
        kind="government",
        phone="+966148000000",
        email="foreign@example.org",
    )
    ctx = {"agency": agency, "season": season, "today": datetime.date.today()}
    return {model: maker(ctx) for model, maker in MAKERS.items()}
