"""Reads: references and the reporter's status link, lists per person, and clocks for many
tickets in a fixed number of queries."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from modules.accounts.roles import Role
from modules.core.hijri import hijri_year_bounds
from modules.tickets import selectors, services
from modules.tickets.models import SlaPolicy, Source, Status
from tests.support.fixtures import make_user
from tests.support.tickets import (
    Room,
    at,
    make_calendar,
    make_category,
    make_policy,
    make_priority,
    make_rule,
    make_ticket,
    make_zone,
    standard_ladder,
)


def minutes(n) -> datetime.timedelta:
    return datetime.timedelta(minutes=n)


# --- reference and the reporter's link -------------------------------------------------


def test_reference_is_the_hijri_year_and_a_serial(room, t0):
    with time_machine.travel(t0, tick=False):
        first, second = make_ticket(room, now=t0), make_ticket(room, now=t0)

    assert first.reference == f"1447-{first.pk:06d}"
    assert re.fullmatch(r"\d{4}-\d{6}", second.reference)
    assert first.reference != second.reference
    assert len(first.status_token) >= 32 and first.status_token != second.status_token


def test_reference_year_is_the_one_in_riyadh(room):
    new_year = hijri_year_bounds(1448)[0]
    # 00:30 in Riyadh on the first day of 1448 is still the previous evening in UTC.
    moment = at(f"{new_year.isoformat()} 00:30")
    with time_machine.travel(moment, tick=False):
        ticket = make_ticket(room, now=moment)

    assert ticket.reference.startswith("1448-")


def test_status_link_needs_the_exact_token(room, t0):
    ticket = make_ticket(room, now=t0)
    other = make_ticket(room, now=t0)

    assert selectors.public_status(ticket.reference, ticket.status_token) == ticket
    for reference, token in (
        (ticket.reference, other.status_token),
        (ticket.reference, ticket.status_token[:-1]),
        (ticket.reference, ticket.status_token + "x"),
        (ticket.reference, ""),
        (other.reference, ticket.status_token),
        ("1447-999999", ticket.status_token),
        ("x" * 1000, ticket.status_token),
        (ticket.reference, "رمز-عربي"),
        (ticket.reference, ticket.status_token[:-1] + "é"),
    ):
        assert selectors.public_status(reference, token) is None, (reference, token)


def test_public_timeline_hides_internal_steps(room, operator, agency_b, t0):
    ticket = make_ticket(room, now=t0)
    services.ticket_pause(ticket=ticket, actor=operator, reason="سبب داخلي", now=t0 + minutes(1))
    services.ticket_resume(ticket=ticket, actor=operator, now=t0 + minutes(2))
    services.ticket_assign(
        ticket=ticket, agency=agency_b, actor=operator, reason="داخلي", now=t0 + minutes(3)
    )
    services.ticket_comment(ticket=ticket, actor=operator, text="ملاحظة داخلية")

    shown = selectors.public_timeline(ticket)

    assert [event.kind for event in shown] == ["created", "assigned"]
    assert all("داخلي" not in event.comment for event in shown)


# --- lists ------------------------------------------------------------------------------


@pytest.fixture
def board(room, agency_a, agency_b, manager_b, operator, t0):
    """Tickets of agency A at several deadlines, one of B, one reported by B to A, one resolved
    and one waiting for the room."""
    north = make_zone("north")
    water = make_category("water", priority=room.priority)
    make_rule(water, agency_b)
    tickets = {
        "late": make_ticket(room, now=t0 - minutes(30)),
        "soon": make_ticket(room, now=t0),
        "later": make_ticket(room, now=t0 + minutes(10), latitude="24.1", longitude="39.1"),
        "b": make_ticket(room, now=t0, category=water),
        "from_b": make_ticket(room, now=t0, source=Source.AGENCY, actor=manager_b),
        "done": make_ticket(room, now=t0 - minutes(60)),
        "unrouted": make_ticket(
            room, now=t0 + minutes(5), category=make_category("lost", priority=room.priority)
        ),
    }
    tickets["later"].zone = north
    tickets["later"].save()
    services.ticket_resolve(ticket=tickets["done"], actor=operator, note="تم")
    return tickets


def names(tickets, board) -> list[str]:
    by_pk = {ticket.pk: name for name, ticket in board.items()}
    return [by_pk[ticket.pk] for ticket in tickets]


def test_agency_sees_its_own_and_its_reports(board, staff_a, manager_b, operator):
    assert names(selectors.ticket_list(user=staff_a), board) == ["late", "soon", "from_b", "later"]
    assert names(selectors.ticket_list(user=manager_b), board) == ["b", "from_b"]
    reviewer = make_user("reviewer@example.org", Role.REVIEWER)
    everything = ["late", "soon", "b", "from_b", "unrouted", "later"]
    assert names(selectors.ticket_list(user=reviewer), board) == everything
    assert names(selectors.ticket_list(user=operator), board) == everything
    assert not selectors.ticket_list(user=AnonymousUser()).exists()


def test_list_filters(board, operator, agency_b, room):
    def listed(**filters):
        return names(selectors.ticket_list(user=operator, **filters), board)

    assert listed(agency=agency_b) == ["b"]
    assert listed(category=board["b"].category) == ["b"]
    assert listed(zone=board["later"].zone) == ["later"]
    assert listed(priority=room.priority) == ["late", "soon", "b", "from_b", "unrouted", "later"]
    assert listed(status=Status.NEW) == ["unrouted"]
    assert listed(status=Status.RESOLVED) == ["done"]
    assert "done" in listed(open_only=False)


def test_list_is_sorted_by_deadline_with_undated_last(room, operator, t0):
    undated = make_priority("routine", rank=5)
    ticket = make_ticket(
        room, now=t0 - minutes(500), source=Source.OPERATOR, actor=operator, priority=undated
    )
    soon = make_ticket(room, now=t0)
    assert ticket.resolve_due_at is None

    assert list(selectors.ticket_list(user=operator)) == [soon, ticket]


@pytest.mark.parametrize("count", [5, 50])
def test_list_reads_in_one_query(count, room, operator, t0, django_assert_num_queries):
    for n in range(count):
        make_ticket(room, now=t0 + minutes(n))

    with django_assert_num_queries(1):
        rows = [
            (
                t.reference,
                str(t.category),
                str(t.priority),
                str(t.agency),
                str(t.zone),
                str(t.landmark),
            )
            for t in selectors.ticket_list(user=operator)
        ]
    assert len(rows) == count


# --- clocks -----------------------------------------------------------------------------


@pytest.fixture
def two_policies(room, agency_a):
    """The room's 24/7 policy with the standard ladder, and an office-hours policy."""
    office = make_calendar(
        [(day, "08:00", "16:00") for day in (6, 0, 1, 2, 3)],
        holidays=[datetime.date(2026, 5, 31)],
    )
    policy = make_policy(
        priority=room.priority,
        calendar=office,
        is_default=False,
        steps=standard_ladder(),
        name="مكتب",
    )
    category = make_category("office", priority=room.priority, policy=policy)
    make_rule(category, agency_a)
    return room.category, category


def clocks_queries(tickets, now) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        clocks = selectors.clocks_for(tickets, now=now)
    return len(queries), clocks


def test_clocks_for_many_tickets_in_fixed_queries(two_policies, t0):
    made = [make_ticket_in(two_policies[n % 2], t0 + minutes(n)) for n in range(50)]
    now = t0 + minutes(60)

    few_queries, few = clocks_queries(made[:5], now)
    many_queries, many = clocks_queries(made, now)

    assert few_queries == many_queries <= 5
    assert set(many) == {ticket.pk for ticket in made}
    for ticket in made[:5]:
        assert few[ticket.pk] == many[ticket.pk] == selectors.ticket_clock(ticket, now)
    assert {clock.running for clock in many.values()} == {True}
    assert {SlaPolicy.objects.get(pk=ticket.policy_id).calendar_id is None for ticket in made} == {
        True,
        False,
    }


def make_ticket_in(category, now):
    room = Room(category.default_priority, category.sla_policy, category, None, None)
    return make_ticket(room, now=now, landmark=None, latitude="24.5", longitude="39.6")


def test_clock_of_a_ticket_without_policy_is_empty(room, t0):
    SlaPolicy.objects.update(is_default=False)
    ticket = make_ticket(room, now=t0)

    clock = selectors.ticket_clock(ticket, t0 + minutes(5))

    assert ticket.policy is None
    assert (clock.acknowledge, clock.resolve, clock.current) == (None, None, None)


def test_clock_names_the_deadline_that_matters(room, staff_a, t0):
    """The shared contract: `Clock.due_at` is the deadline of `Clock.current`."""
    ticket = make_ticket(room, now=t0)
    assert selectors.ticket_clock(ticket, t0).due_at == t0 + minutes(15)

    ticket = services.ticket_acknowledge(ticket=ticket, actor=staff_a, now=t0 + minutes(5))
    assert selectors.ticket_clock(ticket, t0 + minutes(6)).due_at == t0 + minutes(120)
