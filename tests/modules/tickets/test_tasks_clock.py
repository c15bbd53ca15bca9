"""The escalation steps follow the ticket's clock: a paused or resolved ticket does not
escalate, and resuming, reopening, a new priority, a reassignment or an edited policy move the
steps still to come (those already sent stay sent)."""

import datetime
from collections import Counter

import pytest
import time_machine

from modules.accounts.roles import Role
from modules.notifications.models import Message
from modules.tickets import selectors, services, tasks
from modules.tickets.models import (
    EscalationStep,
    Recipients,
    SlaTarget,
    Status,
    Target,
    TicketEscalation,
)
from tests.support.fixtures import make_user
from tests.support.tickets import (
    at,
    make_category,
    make_operator,
    make_policy,
    make_priority,
    make_room,
    make_ticket,
    standard_ladder,
)

pytestmark = pytest.mark.django_db

T0 = at("2026-05-20 10:00")
MINUTE = datetime.timedelta(minutes=1)
HOUR = datetime.timedelta(hours=1)
DIGEST = "tickets/escalation"


def pending(ticket) -> dict[tuple, datetime.datetime]:
    """The steps still to come: (percent, minutes after) → due."""
    return {
        (row.step.percent, row.step.minutes_after): row.due_at
        for row in TicketEscalation.objects.filter(
            ticket=ticket, fired_at__isnull=True
        ).select_related("step")
    }


def fired(ticket) -> Counter:
    return Counter(
        TicketEscalation.objects.filter(ticket=ticket, fired_at__isnull=False).values_list(
            "step__percent", "step__minutes_after"
        )
    )


def told() -> Counter:
    return Counter(Message.objects.filter(template=DIGEST).values_list("recipient", flat=True))


@pytest.fixture
def operator(db):
    return make_operator()


@pytest.fixture
def supervisor(db):
    return make_user("supervisor@example.org", Role.OPERATOR)


@pytest.fixture
def room(agency_a, manager_a, staff_a, supervisor):
    """Acknowledge in 15 minutes, resolve in 2 hours; warn at 1:30, breach at 2:00, the
    supervisor at 2:30."""
    return make_room(agency=agency_a, steps=standard_ladder(supervisor))


def ladder_at(start, *, resolve=120):
    return {
        (75, 0): start + resolve * 0.75 * MINUTE,
        (100, 0): start + resolve * MINUTE,
        (100, 30): start + (resolve + 30) * MINUTE,
    }


# --- paused --------------------------------------------------------------------------------


def test_a_paused_ticket_does_not_breach_and_its_steps_move_by_the_paused_time(room, operator):
    ticket = make_ticket(room, now=T0)
    assert pending(ticket) == ladder_at(T0)

    # Paused before the warning (1:00), and left paused well past the deadline.
    ticket = services.ticket_pause(
        ticket=ticket, actor=operator, reason="بانتظار الأمن", now=T0 + HOUR
    )
    assert pending(ticket) == {}
    for hours in (1.5, 2, 3, 5):
        assert tasks.escalate(now=T0 + hours * HOUR) == 0
    assert not fired(ticket) and not told()
    clock = selectors.ticket_clock(ticket, now=T0 + 5 * HOUR)
    assert clock.resolve.paused and not clock.resolve.breached
    assert clock.resolve.seconds == 3600  # the hour it had left when paused
    assert clock.resolve.tone == "ok"

    # Resumed after four hours: the deadline and every step move by four hours.
    ticket = services.ticket_resume(ticket=ticket, actor=operator, now=T0 + 5 * HOUR)
    assert ticket.status == Status.ASSIGNED
    assert ticket.resolve_due_at == T0 + 6 * HOUR
    assert pending(ticket) == ladder_at(T0 + 4 * HOUR)
    assert tasks.escalate(now=T0 + 5 * HOUR + 29 * MINUTE) == 0
    assert tasks.escalate(now=T0 + 5 * HOUR + 30 * MINUTE) == 1
    assert tasks.escalate(now=T0 + 6 * HOUR) == 1
    assert tasks.escalate(now=T0 + 6 * HOUR + 30 * MINUTE) == 1
    assert fired(ticket) == {(75, 0): 1, (100, 0): 1, (100, 30): 1}


def test_a_step_sent_before_a_pause_is_not_sent_again_after_it(room, operator):
    ticket = make_ticket(room, now=T0)
    assert tasks.escalate(now=T0 + 95 * MINUTE) == 1  # the warning

    ticket = services.ticket_pause(
        ticket=ticket, actor=operator, reason="توقف", now=T0 + 100 * MINUTE
    )
    ticket = services.ticket_resume(ticket=ticket, actor=operator, now=T0 + 3 * HOUR)

    assert pending(ticket) == {
        (100, 0): T0 + 200 * MINUTE,  # 80 minutes paused
        (100, 30): T0 + 230 * MINUTE,
    }
    assert tasks.escalate(now=T0 + 10 * HOUR) == 2
    assert fired(ticket) == {(75, 0): 1, (100, 0): 1, (100, 30): 1}


# --- resolved, closed, reopened -----------------------------------------------------------


def test_a_resolved_ticket_never_escalates_and_a_reopened_one_takes_up_its_clock(
    room, staff_a, operator
):
    ticket = make_ticket(room, now=T0)
    ticket = services.ticket_acknowledge(ticket=ticket, actor=staff_a, now=T0 + 5 * MINUTE)
    ticket = services.ticket_resolve(ticket=ticket, actor=staff_a, note="تم الحل", now=T0 + HOUR)
    assert pending(ticket) == {}
    ticket = services.ticket_close(ticket=ticket, actor=operator, now=T0 + 2 * HOUR)

    assert tasks.escalate(now=T0 + 10 * HOUR) == 0
    assert not told()

    # Reopened nine hours after it was resolved: the hour of resolve time it had left runs on.
    ticket = services.ticket_reopen(
        ticket=ticket, actor=operator, reason="عاد الازدحام", now=T0 + 10 * HOUR
    )
    assert ticket.status == Status.ASSIGNED
    assert ticket.resolve_due_at == T0 + 11 * HOUR
    assert pending(ticket) == ladder_at(T0 + 9 * HOUR)
    assert tasks.escalate(now=T0 + 10 * HOUR + 29 * MINUTE) == 0
    assert tasks.escalate(now=T0 + 10 * HOUR + 30 * MINUTE) == 1
    assert told() == {"manager-a@example.org": 1, "staff-a@example.org": 1}


def test_a_step_due_in_the_same_pass_as_the_resolution_is_not_sent(room, staff_a):
    ticket = make_ticket(room, now=T0)
    # Resolved as the warning fell due, before the next pass ran.
    services.ticket_resolve(ticket=ticket, actor=staff_a, note="تم", now=T0 + 90 * MINUTE)

    assert tasks.escalate(now=T0 + 91 * MINUTE) == 0
    assert not TicketEscalation.objects.filter(ticket=ticket).exists()


# --- priority, agency and policy changes ----------------------------------------------------


def test_the_steps_follow_a_change_of_priority(room, operator):
    urgent = make_priority("urgent", rank=0, name_ar="عاجلة", name_en="Urgent")
    SlaTarget.objects.create(
        policy=room.policy, priority=urgent, acknowledge_minutes=5, resolve_minutes=30
    )
    ticket = make_ticket(room, now=T0)

    ticket = services.ticket_change_priority(
        ticket=ticket, actor=operator, priority=urgent, now=T0 + 10 * MINUTE
    )
    assert ticket.resolve_due_at == T0 + 30 * MINUTE
    assert ticket.acknowledge_due_at == T0 + 5 * MINUTE
    assert pending(ticket) == ladder_at(T0, resolve=30)
    assert tasks.escalate(now=T0 + 22 * MINUTE) == 0
    assert tasks.escalate(now=T0 + 23 * MINUTE) == 1  # 75 % of 30 minutes

    # Back to high: two hours again; the warning already sent is not sent a second time.
    ticket = services.ticket_change_priority(
        ticket=ticket, actor=operator, priority=room.priority, now=T0 + 25 * MINUTE
    )
    assert pending(ticket) == {(100, 0): T0 + 2 * HOUR, (100, 30): T0 + 150 * MINUTE}
    assert tasks.escalate(now=T0 + 119 * MINUTE) == 0
    assert tasks.escalate(now=T0 + 120 * MINUTE) == 1
    assert fired(ticket) == {(75, 0): 1, (100, 0): 1}


def test_after_a_reassignment_the_new_agency_hears_of_the_steps(room, operator, agency_b):
    manager_b = make_user("manager-b@example.org", Role.AGENCY_MANAGER, agency_b)
    ticket = make_ticket(room, now=T0)

    services.ticket_assign(
        ticket=ticket, agency=agency_b, actor=operator, reason="خارج النطاق", now=T0 + 30 * MINUTE
    )

    assert pending(ticket) == ladder_at(T0)  # the clock runs from the report
    assert tasks.escalate(now=T0 + 95 * MINUTE) == 1
    assert told() == {manager_b.email: 1}


def test_the_steps_follow_an_edited_policy_without_a_restart(room, operator, agency_a):
    ticket = make_ticket(room, now=T0)
    done = make_ticket(room, now=T0)
    done = services.ticket_resolve(ticket=done, actor=operator, note="تم", now=T0 + 5 * MINUTE)
    other_policy = make_policy(priority=room.priority, is_default=False, resolve_minutes=240)
    elsewhere = make_ticket(
        room, now=T0, category=make_category("fire", priority=room.priority, policy=other_policy)
    )
    elsewhere_due = elsewhere.resolve_due_at

    # The committee halves the time to resolve, warns at 50 % instead of 75 %, and adds a
    # step that tells the room at 25 %.
    SlaTarget.objects.filter(policy=room.policy).update(resolve_minutes=60)
    EscalationStep.objects.filter(policy=room.policy, percent=75).update(percent=50)
    EscalationStep.objects.create(
        policy=room.policy, target=Target.RESOLVE, percent=25, recipients=Recipients.OPERATORS
    )
    with time_machine.travel(T0 + 10 * MINUTE, tick=False):
        assert tasks.reschedule_policy(room.policy.pk) == 1  # the open ticket only

    ticket.refresh_from_db()
    assert ticket.resolve_due_at == T0 + HOUR
    assert pending(ticket) == {
        (25, 0): T0 + 15 * MINUTE,
        (50, 0): T0 + 30 * MINUTE,
        (100, 0): T0 + 60 * MINUTE,
        (100, 30): T0 + 90 * MINUTE,
    }
    done.refresh_from_db()
    assert done.resolve_due_at == T0 + 2 * HOUR and pending(done) == {}
    elsewhere.refresh_from_db()
    assert elsewhere.resolve_due_at == elsewhere_due

    assert tasks.escalate(now=T0 + 14 * MINUTE) == 0
    assert tasks.escalate(now=T0 + 15 * MINUTE) == 1
    assert told() == {operator.email: 1, "supervisor@example.org": 1}  # every operator
    assert tasks.escalate(now=T0 + 60 * MINUTE) == 2


# --- nobody left out ------------------------------------------------------------------------


def test_an_unrouted_report_escalates_to_the_room_instead_of_nobody(operator, supervisor):
    """No routing rule matched, so the report waits for an operator to route it. Its ladder
    names the agency's team and managers, which it does not have yet: the room hears instead
    of the step being marked sent with nobody told."""
    room = make_room(agency=None, steps=standard_ladder(supervisor))
    ticket = make_ticket(room, now=T0)
    assert ticket.status == Status.NEW and ticket.agency is None

    assert tasks.escalate(now=T0 + 2 * HOUR) == 2

    assert told() == {operator.email: 1, supervisor.email: 1}
