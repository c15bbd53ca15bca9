"""The one-minute escalation pass: each step of the ladder fires once — when the pass runs
twice, when two workers run it at the same moment, and after the worker was down — and
everything due to one person in a pass goes out as one digest per channel."""

import datetime
import re
import threading
from collections import Counter

import pytest
import time_machine
from django.db import connection, transaction

from modules.accounts.roles import Role
from modules.accounts.services import user_update_profile
from modules.notifications.models import Channel, Message
from modules.tickets import tasks
from modules.tickets.models import (
    EventKind,
    Recipients,
    Target,
    TicketEscalation,
    TicketEvent,
)
from tests.support.fixtures import make_agency, make_user
from tests.support.tickets import at, make_room, make_rule, make_ticket, standard_ladder

T0 = at("2026-05-20 10:00")
MINUTE = datetime.timedelta(minutes=1)
HOUR = datetime.timedelta(hours=1)
DIGEST = "tickets/escalation"
# A pass reads the due rows, their tickets, steps and people, marks the rows and writes the
# timeline events (with its savepoint: 9 queries); each digest is a queued task, which the
# test settings run at once: the task's own reads and its message add 11 per digest.
FIXED_QUERIES = 9
PER_MESSAGE = 11


def with_profile(user, *, phone="", language="ar"):
    return user_update_profile(
        user=user,
        first_name=user.first_name,
        last_name=user.last_name,
        phone=phone,
        preferred_language=language,
    )


def fired() -> Counter:
    """How many fired rows each (ticket, percent, minutes after) has."""
    return Counter(
        TicketEscalation.objects.filter(fired_at__isnull=False).values_list(
            "ticket__reference", "step__percent", "step__minutes_after"
        )
    )


def digests() -> Counter:
    """Digest messages per (recipient, channel)."""
    return Counter(Message.objects.filter(template=DIGEST).values_list("recipient", "channel"))


def listed(recipient: str, channel=Channel.EMAIL) -> Counter:
    """How often each reference is listed across the person's digest e-mails."""
    texts = Message.objects.filter(template=DIGEST, recipient=recipient, channel=channel)
    return Counter(
        reference
        for text in texts.values_list("body_text", flat=True)
        for reference in re.findall(r"^- (\d{4}-\d{6}) ·", text, flags=re.MULTILINE)
    )


@pytest.fixture
def supervisor(db):
    """The committee's duty supervisor, told 30 minutes after a breach."""
    return make_user("supervisor@example.org", Role.OPERATOR)


@pytest.fixture
def hala(agency_a):
    """Agency A's manager, in Arabic, with a phone for the breach SMS."""
    return with_profile(
        make_user("hala@example.org", Role.AGENCY_MANAGER, agency_a), phone="0501234567"
    )


@pytest.fixture
def john(agency_a):
    """A member of agency A's team who reads English."""
    return with_profile(make_user("john@example.org", Role.AGENCY_STAFF, agency_a), language="en")


@pytest.fixture
def room(agency_a, supervisor):
    """Acknowledge in 15 minutes, resolve in 2 hours; the team is warned at 75 % (1:30), the
    managers hear of the breach (2:00, e-mail and SMS), the supervisor 30 minutes later."""
    return make_room(agency=agency_a, steps=standard_ladder(supervisor))


# --- the pass runs twice -------------------------------------------------------------------


def test_each_step_fires_once_however_often_the_pass_runs(room, hala, john):
    ticket = make_ticket(room, now=T0)
    ref = ticket.reference

    for minutes, expected in ((89, 0), (90, 1), (90, 0), (119, 0), (120, 1), (121, 0)):
        assert tasks.escalate(now=T0 + minutes * MINUTE) == expected, minutes
    assert tasks.escalate(now=T0 + 150 * MINUTE) == 1
    assert tasks.escalate(now=T0 + 150 * MINUTE) == 0
    assert tasks.escalate(now=T0 + 10 * HOUR) == 0

    assert fired() == {(ref, 75, 0): 1, (ref, 100, 0): 1, (ref, 100, 30): 1}
    assert sorted(
        TicketEscalation.objects.values_list("step__percent", "step__minutes_after", "fired_at")
    ) == [(75, 0, T0 + 90 * MINUTE), (100, 0, T0 + 120 * MINUTE), (100, 30, T0 + 150 * MINUTE)]
    assert TicketEvent.objects.filter(ticket=ticket, kind=EventKind.ESCALATED).count() == 3
    assert digests() == {
        ("john@example.org", Channel.EMAIL): 1,  # the warning
        ("hala@example.org", Channel.EMAIL): 2,  # the warning, then the breach
        ("+966501234567", Channel.SMS): 1,  # the breach
        ("supervisor@example.org", Channel.EMAIL): 1,  # half an hour after it
    }


def test_a_pass_that_dies_before_committing_leaves_every_step_to_the_next_one(room, hala):
    tickets = [make_ticket(room, now=T0 + n * MINUTE) for n in range(3)]

    with pytest.raises(RuntimeError), transaction.atomic():
        assert tasks.escalate(now=T0 + 3 * HOUR) == 9
        raise RuntimeError("the worker was killed")

    assert not fired() and not digests()
    assert tasks.escalate(now=T0 + 3 * HOUR) == 9
    assert tasks.escalate(now=T0 + 3 * HOUR) == 0
    assert set(fired().values()) == {1} and len(fired()) == 9
    # Hala heard of each ticket's warning and breach in one pass: once, at the breach.
    assert listed("hala@example.org") == {ticket.reference: 1 for ticket in tickets}


# --- worker downtime -----------------------------------------------------------------------


def test_after_downtime_every_due_step_fires_once_in_one_digest_per_person(
    room, hala, john, agency_b, supervisor
):
    with_profile(
        make_user("manager-b@example.org", Role.AGENCY_MANAGER, agency_b), phone="0559876543"
    )
    make_user("manager-c@example.org", Role.AGENCY_MANAGER, make_agency("agency-c"))
    with time_machine.travel(T0, tick=False) as traveller:
        for _ in range(3):
            make_ticket(room)  # through the real clock, as the public form does
            traveller.shift(10 * MINUTE)
        other = make_ticket(room)  # 10:30
        make_rule(room.category, agency_b, zone=room.zone)  # new reports there go to agency B
        for_b = make_ticket(room)
        assert for_b.agency == agency_b and other.agency.code == "agency-a"

        # The worker is down for four hours: no pass runs while every step falls due.
        traveller.move_to(T0 + 4 * HOUR + 30 * MINUTE)
        assert tasks.escalate() == 15  # five tickets × three steps
        assert tasks.escalate() == 0
        traveller.shift(HOUR)
        assert tasks.escalate() == 0

    assert len(fired()) == 15 and set(fired().values()) == {1}
    assert digests() == {
        ("hala@example.org", Channel.EMAIL): 1,
        ("+966501234567", Channel.SMS): 1,
        ("john@example.org", Channel.EMAIL): 1,
        ("manager-b@example.org", Channel.EMAIL): 1,
        ("+966559876543", Channel.SMS): 1,
        ("supervisor@example.org", Channel.EMAIL): 1,
    }
    a_refs = set(listed("john@example.org"))
    assert len(a_refs) == 4 and for_b.reference not in a_refs
    # Hala is on the team (warned) and a manager (told of the breach): each of agency A's
    # tickets once, at its breach.
    assert listed("hala@example.org") == dict.fromkeys(a_refs, 1)
    assert listed("manager-b@example.org") == {for_b.reference: 1}
    assert listed("supervisor@example.org") == dict.fromkeys(a_refs | {for_b.reference}, 1)
    assert not Message.objects.filter(recipient="manager-c@example.org").exists()

    # Each in its reader's language and direction.
    emails = {m.recipient: m for m in Message.objects.filter(template=DIGEST, channel="email")}
    assert '<html lang="ar" dir="rtl">' in emails["hala@example.org"].body_html
    assert '<html lang="en" dir="ltr">' in emails["john@example.org"].body_html
    assert emails["john@example.org"].subject == "Incident reports: 4 close to the deadline"
    sms = Message.objects.get(template=DIGEST, recipient="+966501234567")
    assert sms.language == "ar" and room.category.name_ar in sms.body_text


# --- two workers at the same moment (PostgreSQL) ---------------------------------------------


def _pass_in_thread(now, results, index, *, start=None):
    try:
        if start is not None:
            start.wait(timeout=10)
        results[index] = tasks.escalate(now=now)
    finally:
        connection.close()


def _threads(count, now, results, *, start=None):
    threads = [
        threading.Thread(target=_pass_in_thread, args=(now, results, n), kwargs={"start": start})
        for n in range(count)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers: no real concurrency"
)
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_passes_fire_each_step_once(agency_a, agency_b, supervisor):
    room = make_room(agency=agency_a, steps=standard_ladder(supervisor))
    with_profile(make_user("hala@example.org", Role.AGENCY_MANAGER, agency_a), phone="0501234567")
    make_user("manager-b@example.org", Role.AGENCY_MANAGER, agency_b)
    tickets = [make_ticket(room, now=T0 + n * MINUTE) for n in range(30)]

    # One pass holds its rows (not yet committed); the other skips them rather than waiting
    # and sends nothing.
    results = {}
    with transaction.atomic():
        results["first"] = tasks.escalate(now=T0 + 119 * MINUTE)  # the 75 % warnings
        _threads(1, T0 + 119 * MINUTE, results)
    assert results == {"first": 30, 0: 0}
    assert tasks.escalate(now=T0 + 119 * MINUTE) == 0

    # Two passes started together after the breaches (and the supervisor's step) fell due.
    start = threading.Barrier(2)
    _threads(2, T0 + 4 * HOUR, results, start=start)
    assert results[0] + results[1] == 60

    assert len(fired()) == 90 and set(fired().values()) == {1}
    assert TicketEvent.objects.filter(kind=EventKind.ESCALATED).count() == 90
    references = {ticket.reference for ticket in tickets}
    # However the two passes split the work, no one hears of a step twice.
    assert listed("hala@example.org") == dict.fromkeys(references, 2)
    assert listed("supervisor@example.org") == dict.fromkeys(references, 1)
    counts = digests()
    assert counts[("hala@example.org", Channel.EMAIL)] in (2, 3)  # the warning, 1–2 for the rest
    assert counts[("+966501234567", Channel.SMS)] in (1, 2)
    assert counts[("supervisor@example.org", Channel.EMAIL)] in (1, 2)
    assert ("manager-b@example.org", Channel.EMAIL) not in counts


# --- bounded work ----------------------------------------------------------------------------


def test_a_pass_takes_the_same_queries_for_5_and_50_due_tickets(
    agency_a, hala, john, django_assert_max_num_queries
):
    room = make_room(
        agency=agency_a,
        steps=[
            (Target.RESOLVE, 75, 0, Recipients.AGENCY_TEAM, {"by_sms": True}),
            (Target.ACKNOWLEDGE, 100, 0, Recipients.OPERATORS),
        ],
    )
    make_user("operator@example.org", Role.OPERATOR)

    def queries_for(count: int, day: int) -> int:
        start = T0 + day * 24 * HOUR
        for n in range(count):
            make_ticket(room, now=start + n * datetime.timedelta(seconds=1))
        with django_assert_max_num_queries(FIXED_QUERIES + 4 * PER_MESSAGE) as captured:
            assert tasks.escalate(now=start + 2 * HOUR) == 2 * count
        # Hala by e-mail and SMS, John by e-mail, the operator by e-mail.
        assert digests() == {
            ("hala@example.org", Channel.EMAIL): day,
            ("+966501234567", Channel.SMS): day,
            ("john@example.org", Channel.EMAIL): day,
            ("operator@example.org", Channel.EMAIL): day,
        }
        return len(captured)

    assert queries_for(5, day=1) == queries_for(50, day=2)
