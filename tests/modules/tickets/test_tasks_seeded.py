"""`seed_tickets` and the demo's reports leave what the services and the escalation pass would
have: recomputing every open ticket's clock with the service changes nothing, and the pass
finds nothing due that has not fired."""

import datetime
import io
import re
from collections import Counter

import pytest
import time_machine
from django.core.management import CommandError, call_command

from modules.core.demo.loader import load_agencies, load_users
from modules.core.demo.records import Tally
from modules.core.demo.tickets import load_tickets
from modules.tickets import services, tasks
from modules.tickets.models import (
    DONE_STATUSES,
    Category,
    EventKind,
    Landmark,
    RoutingRule,
    SlaPolicy,
    Status,
    Ticket,
    TicketEscalation,
    TicketEvent,
)
from tests.support.tickets import at

pytestmark = pytest.mark.django_db

NOW = at("2026-05-25 16:00")
MINUTE = datetime.timedelta(minutes=1)


def seed(*args: str) -> str:
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("seed_tickets", *args, stdout=out)
    return out.getvalue()


def clock_state() -> dict:
    """The running tickets' deadlines and every ladder row, as stored. (Recomputing a paused
    ticket's clock counts its pause so far, so its stored values move, rightly.)"""
    rows = Counter(
        TicketEscalation.objects.values_list("ticket_id", "step_id", "due_at", "fired_at")
    )
    tickets = {
        pk: rest
        for pk, *rest in Ticket.objects.filter(paused_at=None).values_list(
            "pk", "status", "acknowledge_due_at", "resolve_due_at", "paused_seconds"
        )
    }
    return {"rows": rows, "tickets": tickets}


def test_seeded_tickets_are_what_the_services_and_the_pass_would_have_left():
    output = seed("--tickets=300", "--history=80", "--agencies=8", "--seed=7")
    assert "open tickets" in output and "300" in output

    tickets = list(Ticket.objects.select_related("category", "agency", "zone"))
    assert len(tickets) == 380
    statuses = Counter(ticket.status for ticket in tickets)
    assert set(statuses) == set(Status), statuses
    assert sum(statuses[status] for status in DONE_STATUSES) == 80
    assert len({ticket.agency_id for ticket in tickets if ticket.agency_id}) == 8
    for ticket in tickets:
        assert re.fullmatch(r"14\d\d-\d{6}", ticket.reference)
        assert ticket.reference.endswith(f"{ticket.pk:06d}")
        assert ticket.created_at == ticket.clock_started_at < NOW
        assert ticket.category.name_ar and ticket.category.name_en
        if ticket.latitude is not None:
            assert 24.4 < ticket.latitude < 24.6 and 39.5 < ticket.longitude < 39.8
        assert (ticket.agency_id is None) == (ticket.status == Status.NEW)
        assert (ticket.paused_at is not None) == (ticket.status in {Status.ON_HOLD, *DONE_STATUSES})
    running = [t for t in tickets if t.status not in DONE_STATUSES and t.paused_at is None]
    assert any(t.resolve_due_at < NOW for t in running), "some are breached"
    assert any(t.resolve_due_at > NOW for t in running), "most are running"

    # Each timeline starts with the report; every fired step has its escalation event.
    first = {}
    for event in TicketEvent.objects.order_by("at", "pk"):
        first.setdefault(event.ticket_id, event)
    assert {event.kind for event in first.values()} == {EventKind.CREATED}
    assert all(first[t.pk].at == t.clock_started_at for t in tickets)
    fired = TicketEscalation.objects.filter(fired_at__isnull=False)
    assert fired.count() == TicketEvent.objects.filter(kind=EventKind.ESCALATED).count() > 0
    assert not fired.filter(fired_at__gt=NOW).exists()

    # The service recomputes every open ticket's clock and ladder: nothing changes.
    before = clock_state()
    policy = SlaPolicy.objects.get(categories__code="seed-crowding")
    assert services.tickets_reschedule_for_policy(policy_id=policy.pk, now=NOW) == 300
    assert clock_state() == before

    # The pass has nothing left to do now; a minute later it fires only that minute's steps.
    assert tasks.escalate(now=NOW) == 0
    next_minute = TicketEscalation.objects.filter(
        fired_at__isnull=True, due_at__gt=NOW, due_at__lte=NOW + MINUTE
    ).count()
    assert tasks.escalate(now=NOW + MINUTE) == next_minute


def test_seeding_again_reuses_the_configuration_and_reset_removes_it():
    seed("--tickets=20", "--history=0", "--agencies=3")
    categories = Category.objects.count()
    rules = RoutingRule.objects.count()
    assert categories == 12 and Landmark.objects.count() == 21
    assert SlaPolicy.objects.get().is_default

    seed("--tickets=10", "--history=5", "--agencies=3", "--seed=2")
    assert Ticket.objects.count() == 35
    assert (Category.objects.count(), RoutingRule.objects.count()) == (categories, rules)

    output = seed("--tickets=5", "--history=0", "--agencies=3", "--reset")
    assert "Removed the seeded operations room: " in output
    assert "35 tickets" in output
    assert Ticket.objects.count() == 5
    assert SlaPolicy.objects.count() == 1


def test_seeding_refuses_nonsense():
    with pytest.raises(CommandError, match="--agencies must be at least 1"):
        seed("--agencies=0")
    with pytest.raises(CommandError, match="--tickets cannot be negative"):
        seed("--tickets=-1")


# --- the demo -------------------------------------------------------------------------------


def load_demo_tickets() -> dict[str, Tally]:
    tallies: dict[str, Tally] = {}
    agencies = load_agencies(Tally())
    load_users(agencies=agencies, tally=Tally(), mfa_tally=Tally())
    load_tickets(agencies=agencies, tally=lambda label: tallies.setdefault(label, Tally()))
    return tallies


def test_the_demo_shows_reports_in_every_state_once():
    tallies = load_demo_tickets()

    assert tallies["incident reports"].created == 16
    tickets = list(Ticket.objects.select_related("agency"))
    statuses = Counter(ticket.status for ticket in tickets)
    assert set(statuses) == set(Status), statuses
    agencies = {ticket.agency.code for ticket in tickets if ticket.agency}
    # The demo accounts' agencies have reports in their portal queues.
    assert {"red-crescent", "madinah-health-cluster"} <= agencies
    now = max(ticket.created_at for ticket in tickets)
    running = [t for t in tickets if t.status not in DONE_STATUSES and t.paused_at is None]
    assert any(t.resolve_due_at < now for t in running), "a breached one"
    assert sum(t.resolve_due_at > now for t in running) >= 6, "running countdowns"
    assert TicketEvent.objects.filter(kind=EventKind.ESCALATED).exists()
    assert TicketEvent.objects.filter(kind=EventKind.REOPENED).exists()
    # Times are set back from the load: the oldest report is five hours old.
    assert min(ticket.created_at for ticket in tickets) < now - datetime.timedelta(hours=4)

    again = load_demo_tickets()
    assert again["incident reports"].unchanged == 16 and not again["incident reports"].created
    assert again["routing rules"].created == 0
    assert Ticket.objects.count() == 16
