"""Deadline arithmetic with frozen time: every service gets an explicit `now`, and clocks are
read at chosen moments. 24/7 policies, pauses, business hours and holidays, priority changes,
reopening, reassignment, statuses that pause the clock, and policy edits."""

import datetime

import pytest
from django.utils import timezone

from modules.tickets import selectors, services, sla, tasks
from modules.tickets.models import (
    EventKind,
    Recipients,
    SlaTarget,
    Status,
    Target,
    TicketEscalation,
)
from tests.support.tickets import (
    Room,
    at,
    make_calendar,
    make_category,
    make_landmark,
    make_policy,
    make_priority,
    make_room,
    make_rule,
    make_ticket,
    make_zone,
    standard_ladder,
)

SUNDAY, MONDAY, TUESDAY, WEDNESDAY, THURSDAY = 6, 0, 1, 2, 3
OFFICE_DAYS = (SUNDAY, MONDAY, TUESDAY, WEDNESDAY, THURSDAY)
EID_HOLIDAY = datetime.date(2026, 5, 31)  # a Sunday


def minutes(n) -> datetime.timedelta:
    return datetime.timedelta(minutes=n)


def pending(ticket) -> dict[int, datetime.datetime]:
    """Unfired escalation rows of the ticket: step sort order → due time."""
    rows = TicketEscalation.objects.filter(ticket=ticket, fired_at__isnull=True)
    return {row.step.sort_order: row.due_at for row in rows.select_related("step")}


def fired(ticket) -> dict[int, datetime.datetime]:
    rows = TicketEscalation.objects.filter(ticket=ticket, fired_at__isnull=False)
    return {row.step.sort_order: row.fired_at for row in rows.select_related("step")}


def clock(ticket, now):
    return selectors.ticket_clock(ticket, now=now)


@pytest.fixture
def office():
    """Sunday to Thursday, 08:00–16:00 Asia/Riyadh, with a holiday on Sunday 31 May."""
    return make_calendar([(day, "08:00", "16:00") for day in OFFICE_DAYS], holidays=[EID_HOLIDAY])


@pytest.fixture
def office_room(agency_a, office):
    """A category on office hours (15 min to acknowledge, 60 to resolve; warn at half the
    time, tell the managers at the deadline), routed to agency A."""
    priority = make_priority()
    policy = make_policy(
        priority=priority,
        calendar=office,
        is_default=False,
        acknowledge_minutes=15,
        resolve_minutes=60,
        steps=[
            (Target.RESOLVE, 50, 0, Recipients.AGENCY_TEAM),
            (Target.RESOLVE, 100, 0, Recipients.AGENCY_MANAGERS),
        ],
        name="دوام المكتب",
    )
    category = make_category("office", priority=priority, policy=policy)
    zone = make_zone()
    landmark = make_landmark(zone=zone)
    make_rule(category, agency_a)
    return Room(priority, policy, category, zone, landmark)


@pytest.fixture
def office_hours(office_room):
    return sla.BusinessHours.for_policy(office_room.policy)


@pytest.fixture
def ladder_room(agency_a):
    """24/7, 15/120 minutes, the standard ladder (75 %, 100 %, 100 % + 30 on resolve)."""
    return make_room(agency=agency_a, steps=standard_ladder())


# --- 24/7 ------------------------------------------------------------------------------


def test_round_the_clock_deadlines_and_tones(ladder_room, staff_a, t0):
    ticket = make_ticket(ladder_room, now=t0)

    assert ticket.acknowledge_due_at == t0 + minutes(15)
    assert ticket.resolve_due_at == t0 + minutes(120)
    assert (ticket.acknowledge_seconds, ticket.resolve_seconds) == (900, 7200)
    assert pending(ticket) == {0: t0 + minutes(90), 1: t0 + minutes(120), 2: t0 + minutes(150)}

    start = clock(ticket, t0)
    assert start.running and start.current is start.acknowledge
    assert (start.acknowledge.seconds, start.acknowledge.tone) == (900, "ok")
    assert clock(ticket, t0 + minutes(12)).acknowledge.tone == "warning"
    late = clock(ticket, t0 + minutes(20))
    assert (late.acknowledge.seconds, late.acknowledge.tone) == (-300, "breached")

    ticket = services.ticket_acknowledge(ticket=ticket, actor=staff_a, now=t0 + minutes(20))
    after = clock(ticket, t0 + minutes(30))
    assert after.current is after.resolve
    assert after.acknowledge.met and after.acknowledge.tone == "done"
    assert after.acknowledge.seconds == -300  # acknowledged five minutes late, for good
    assert (after.resolve.seconds, after.resolve.tone) == (5400, "ok")
    assert clock(ticket, t0 + minutes(91)).resolve.tone == "warning"
    assert clock(ticket, t0 + minutes(121)).resolve.seconds == -60


def test_amber_comes_from_the_policys_first_warning(agency_a, t0):
    room = make_room(agency=agency_a, steps=[(Target.RESOLVE, 50, 0, Recipients.AGENCY_TEAM)])
    ticket = make_ticket(room, now=t0)

    assert clock(ticket, t0 + minutes(59)).resolve.tone == "ok"
    assert clock(ticket, t0 + minutes(60)).resolve.tone == "warning"
    assert clock(ticket, t0).warning_fraction == 0.5


# --- pause and resume ------------------------------------------------------------------


def test_pause_and_resume_leave_the_paused_time_out(ladder_room, operator, t0):
    ticket = make_ticket(ladder_room, now=t0)

    ticket = services.ticket_pause(
        ticket=ticket, actor=operator, reason="انتظار", now=t0 + minutes(5)
    )
    assert (ticket.status, ticket.status_before_pause) == (Status.ON_HOLD, Status.ASSIGNED)
    assert ticket.paused_at == t0 + minutes(5)
    assert pending(ticket) == {}

    for later in (minutes(6), minutes(60), minutes(500)):
        paused = clock(ticket, t0 + later)
        assert paused.acknowledge.paused and paused.resolve.paused
        assert paused.acknowledge.seconds == 600
        assert paused.resolve.seconds == 6900
        assert paused.resolve.tone == "ok"

    # A paused ticket does not breach: its original deadline passes and nothing fires.
    assert tasks.escalate(now=t0 + minutes(500)) == 0
    assert not ticket.events.filter(kind=EventKind.ESCALATED).exists()

    ticket = services.ticket_resume(ticket=ticket, actor=operator, now=t0 + minutes(65))
    assert (ticket.status, ticket.paused_at, ticket.paused_seconds) == (Status.ASSIGNED, None, 3600)
    assert ticket.acknowledge_due_at == t0 + minutes(75)
    assert ticket.resolve_due_at == t0 + minutes(180)
    assert pending(ticket) == {0: t0 + minutes(150), 1: t0 + minutes(180), 2: t0 + minutes(210)}
    resumed = clock(ticket, t0 + minutes(65))
    assert not resumed.resolve.paused
    assert (resumed.acknowledge.seconds, resumed.resolve.seconds) == (600, 6900)


def test_several_pauses_add_up(room, operator, t0):
    ticket = make_ticket(room, now=t0)
    for begin, end in ((5, 35), (50, 80)):
        ticket = services.ticket_pause(
            ticket=ticket, actor=operator, reason="انتظار", now=t0 + minutes(begin)
        )
        ticket = services.ticket_resume(ticket=ticket, actor=operator, now=t0 + minutes(end))

    assert ticket.paused_seconds == 3600
    assert ticket.acknowledge_due_at == t0 + minutes(75)
    assert ticket.resolve_due_at == t0 + minutes(180)
    later = clock(ticket, t0 + minutes(100))
    assert (later.acknowledge.seconds, later.resolve.seconds) == (-1500, 4800)


def test_resolving_a_ticket_on_hold_does_not_count_the_hold(room, operator, staff_a, t0):
    ticket = make_ticket(room, now=t0)
    ticket = services.ticket_acknowledge(ticket=ticket, actor=staff_a, now=t0 + minutes(10))
    ticket = services.ticket_pause(
        ticket=ticket, actor=operator, reason="قطع غيار", now=t0 + minutes(30)
    )

    ticket = services.ticket_resolve(ticket=ticket, actor=staff_a, note="تم", now=t0 + minutes(200))

    # 30 minutes of the 120 were used before the hold: resolved in time, 90 minutes to spare.
    assert ticket.resolved_at <= ticket.resolve_due_at
    done = clock(ticket, t0 + minutes(300))
    assert done.resolve.met and done.resolve.seconds == 5400


def test_a_policy_that_pauses_assigned_tickets_waits_for_the_acknowledgement(agency_a, staff_a, t0):
    room = make_room(agency=agency_a, pause_statuses=("on_hold", "assigned"))
    ticket = make_ticket(room, now=t0)

    assert (ticket.status, ticket.paused_at) == (Status.ASSIGNED, t0)
    assert pending(ticket) == {}
    waiting = clock(ticket, t0 + minutes(60))
    assert waiting.acknowledge.paused and waiting.acknowledge.seconds == 900

    ticket = services.ticket_acknowledge(ticket=ticket, actor=staff_a, now=t0 + minutes(60))
    assert (ticket.paused_at, ticket.paused_seconds) == (None, 3600)
    assert ticket.resolve_due_at == t0 + minutes(180)
    # The clock did not run while assigned, so the acknowledgement came with all 15 minutes left.
    assert ticket.acknowledged_at <= ticket.acknowledge_due_at
    assert clock(ticket, t0 + minutes(61)).acknowledge.seconds == 900


def test_assigning_pauses_from_that_moment_when_assigned_is_a_pause_status(agency_a, operator, t0):
    room = make_room(pause_statuses=("on_hold", "assigned"))  # no rule: the room routes
    ticket = make_ticket(room, now=t0)
    assert (ticket.status, ticket.paused_at) == (Status.NEW, None)

    ticket = services.ticket_assign(
        ticket=ticket, agency=agency_a, actor=operator, now=t0 + minutes(10)
    )

    assert (ticket.status, ticket.paused_at) == (Status.ASSIGNED, t0 + minutes(10))
    assert clock(ticket, t0 + minutes(90)).acknowledge.seconds == 300


def test_assigning_a_ticket_on_hold_keeps_it_on_hold(agency_a, operator, t0):
    room = make_room()  # no rule: the ticket waits for the room
    ticket = make_ticket(room, now=t0)
    ticket = services.ticket_pause(
        ticket=ticket, actor=operator, reason="تحقق", now=t0 + minutes(10)
    )

    ticket = services.ticket_assign(
        ticket=ticket, agency=agency_a, actor=operator, now=t0 + minutes(20)
    )

    assert (ticket.status, ticket.status_before_pause) == (Status.ON_HOLD, Status.ASSIGNED)
    assert ticket.is_paused and pending(ticket) == {}
    assert clock(ticket, t0 + minutes(30)).acknowledge.seconds == 300

    ticket = services.ticket_resume(ticket=ticket, actor=operator, now=t0 + minutes(40))
    assert (ticket.status, ticket.paused_seconds) == (Status.ASSIGNED, 1800)
    assert ticket.resolve_due_at == t0 + minutes(150)


# --- business hours --------------------------------------------------------------------


def test_thursday_afternoon_report_is_due_sunday_morning(office_room):
    reported = at("2026-05-21 15:30")  # Thursday
    ticket = make_ticket(office_room, now=reported)

    assert ticket.acknowledge_due_at == at("2026-05-21 15:45")
    assert ticket.resolve_due_at == at("2026-05-24 08:30")  # Sunday
    assert pending(ticket) == {0: at("2026-05-21 16:00"), 1: at("2026-05-24 08:30")}

    weekend = clock(ticket, at("2026-05-22 12:00"))  # Friday: the clock stands
    assert not weekend.running
    assert weekend.resolve.seconds == 1800
    assert clock(ticket, at("2026-05-24 08:10")).running
    assert clock(ticket, at("2026-05-24 08:10")).resolve.seconds == 1200


def test_friday_report_starts_the_clock_on_sunday(office_room):
    ticket = make_ticket(office_room, now=at("2026-05-22 11:00"))  # Friday

    assert ticket.acknowledge_due_at == at("2026-05-24 08:15")
    assert ticket.resolve_due_at == at("2026-05-24 09:00")
    saturday = clock(ticket, at("2026-05-23 20:00"))
    assert (saturday.running, saturday.resolve.seconds, saturday.resolve.tone) == (
        False,
        3600,
        "ok",
    )


def test_a_holiday_is_skipped(office_room):
    ticket = make_ticket(office_room, now=at("2026-05-28 15:30"))  # Thursday before the holiday

    assert ticket.resolve_due_at == at("2026-06-01 08:30")  # Monday
    assert not clock(ticket, at("2026-05-31 10:00")).running


def test_pause_on_office_hours_counts_only_working_time(office_room, operator, staff_a):
    ticket = make_ticket(office_room, now=at("2026-05-21 15:30"))
    ticket = services.ticket_acknowledge(ticket=ticket, actor=staff_a, now=at("2026-05-21 15:40"))
    ticket = services.ticket_pause(
        ticket=ticket, actor=operator, reason="انتظار", now=at("2026-05-21 15:45")
    )

    saturday = clock(ticket, at("2026-05-23 12:00"))
    assert saturday.resolve.paused and saturday.resolve.seconds == 2700

    ticket = services.ticket_resume(ticket=ticket, actor=operator, now=at("2026-05-24 09:00"))
    # Thursday 15:45–16:00 and Sunday 08:00–09:00: 75 working minutes on hold.
    assert ticket.paused_seconds == 4500
    assert ticket.resolve_due_at == at("2026-05-24 09:45")
    assert clock(ticket, at("2026-05-24 09:00")).resolve.seconds == 2700


def test_business_time_between_two_moments(office_hours):
    assert office_hours.between(at("2026-05-21 15:00"), at("2026-05-24 09:00")) == 7200
    assert office_hours.between(at("2026-05-22 10:00"), at("2026-05-23 20:00")) == 0
    assert office_hours.between(at("2026-05-28 15:00"), at("2026-06-01 09:00")) == 7200
    assert office_hours.between(at("2026-05-17 00:00"), at("2026-05-24 00:00")) == 5 * 8 * 3600
    assert office_hours.between(at("2026-05-21 12:00"), at("2026-05-21 12:00")) == 0
    assert office_hours.between(at("2026-05-21 12:00"), at("2026-05-21 11:00")) == 0


def test_business_time_added_to_a_moment(office_hours):
    assert office_hours.add(at("2026-05-21 16:00"), 1) == at("2026-05-24 08:00:01")
    assert office_hours.add(at("2026-05-21 12:00"), 0) == at("2026-05-21 12:00")
    assert office_hours.add(at("2026-05-21 06:00"), 60) == at("2026-05-21 08:01")
    assert office_hours.add(at("2026-05-21 15:00"), 3600) == at("2026-05-21 16:00")


def test_split_shift_skips_the_break(db):
    calendar = make_calendar([(MONDAY, "13:00", "17:00"), (MONDAY, "08:00", "12:00")])
    policy = make_policy(priority=make_priority(), calendar=calendar, is_default=False)
    hours = sla.BusinessHours.for_policy(policy)

    assert hours.add(at("2026-05-18 11:30"), 3600) == at("2026-05-18 13:30")
    assert hours.between(at("2026-05-18 07:00"), at("2026-05-18 18:00")) == 8 * 3600


def test_is_running_only_inside_working_hours(office_hours):
    assert sla.is_running(office_hours, at("2026-05-21 10:00"))
    assert sla.is_running(office_hours, at("2026-05-21 15:59:59"))
    assert not sla.is_running(office_hours, at("2026-05-21 16:00"))
    assert not sla.is_running(office_hours, at("2026-05-21 07:59:59"))
    assert not sla.is_running(office_hours, at("2026-05-22 10:00"))  # Friday
    assert not sla.is_running(office_hours, at("2026-05-31 10:00"))  # holiday
    assert sla.is_running(sla.ALWAYS, at("2026-05-22 03:00"))


def test_calendar_without_working_hours_sets_no_deadline(agency_a, operator, t0):
    room = make_room(agency=agency_a, calendar=make_calendar([]), steps=standard_ladder())

    ticket = make_ticket(room, now=t0)
    assert (ticket.acknowledge_due_at, ticket.resolve_due_at) == (None, None)
    assert pending(ticket) == {}
    nothing = clock(ticket, t0 + minutes(5))
    assert (nothing.acknowledge, nothing.resolve, nothing.current, nothing.running) == (
        None,
        None,
        None,
        False,
    )
    ticket = services.ticket_pause(ticket=ticket, actor=operator, reason="انتظار", now=t0)
    ticket = services.ticket_resume(ticket=ticket, actor=operator, now=t0 + minutes(5))
    assert ticket.resolve_due_at is None


def test_deadlines_do_not_depend_on_the_active_time_zone(office_room):
    """A Wagtail admin user may pick another time zone in their profile; the calendar is
    Asia/Riyadh's whatever zone the request runs in."""
    reported, due, opening = at("2026-05-21 15:30"), at("2026-05-24 08:30"), at("2026-05-21 09:00")
    with timezone.override("Europe/London"):
        ticket = make_ticket(office_room, now=reported)
        hours = sla.BusinessHours.for_policy(office_room.policy)
        assert ticket.resolve_due_at == due
        assert sla.is_running(hours, opening)
        assert hours.between(opening, reported) == 6.5 * 3600


# --- priority, reopening, reassignment -------------------------------------------------


@pytest.fixture
def priorities(ladder_room):
    """Two more priorities on the room's policy: urgent 5/30 and low 60/600 minutes."""
    urgent = make_priority("urgent", rank=0, name_ar="عاجلة", name_en="Urgent")
    low = make_priority("low", rank=2, name_ar="منخفضة", name_en="Low")
    for priority, acknowledge, resolve in ((urgent, 5, 30), (low, 60, 600)):
        SlaTarget.objects.create(
            policy=ladder_room.policy,
            priority=priority,
            acknowledge_minutes=acknowledge,
            resolve_minutes=resolve,
        )
    return urgent, low


def test_new_priority_recomputes_from_the_report_and_keeps_fired_steps(
    ladder_room, priorities, operator, t0
):
    _urgent, low = priorities
    ticket = make_ticket(ladder_room, now=t0)
    assert tasks.escalate(now=t0 + minutes(91)) == 1  # the 75 % warning
    warned_at = fired(ticket)[0]

    ticket = services.ticket_change_priority(
        ticket=ticket, actor=operator, priority=low, reason="أقل خطورة", now=t0 + minutes(95)
    )

    assert (ticket.acknowledge_seconds, ticket.resolve_seconds) == (3600, 36000)
    assert ticket.acknowledge_due_at == t0 + minutes(60)
    assert ticket.resolve_due_at == t0 + minutes(600)
    assert fired(ticket) == {0: warned_at}  # not sent again for the new, later 75 %
    assert pending(ticket) == {1: t0 + minutes(600), 2: t0 + minutes(630)}
    assert ticket.events.filter(kind=EventKind.PRIORITY_CHANGED).count() == 1
    assert tasks.escalate(now=t0 + minutes(600)) == 1
    assert tasks.escalate(now=t0 + minutes(700)) == 1
    assert tasks.escalate(now=t0 + minutes(800)) == 0


def test_more_urgent_priority_brings_the_steps_forward(ladder_room, priorities, operator, t0):
    urgent, _low = priorities
    ticket = make_ticket(ladder_room, now=t0)

    ticket = services.ticket_change_priority(
        ticket=ticket, actor=operator, priority=urgent, now=t0 + minutes(25)
    )

    assert ticket.acknowledge_due_at == t0 + minutes(5)
    assert ticket.resolve_due_at == t0 + minutes(30)
    assert pending(ticket) == {
        0: t0 + minutes(22.5),
        1: t0 + minutes(30),
        2: t0 + minutes(60),
    }
    assert tasks.escalate(now=t0 + minutes(25)) == 1  # the warning already due fires now
    assert tasks.escalate(now=t0 + minutes(25)) == 0


def test_priority_changed_while_paused_stays_paused(ladder_room, priorities, operator, t0):
    _urgent, low = priorities
    ticket = make_ticket(ladder_room, now=t0)
    ticket = services.ticket_pause(
        ticket=ticket, actor=operator, reason="انتظار", now=t0 + minutes(10)
    )
    ticket = services.ticket_change_priority(
        ticket=ticket, actor=operator, priority=low, now=t0 + minutes(20)
    )

    assert ticket.paused_at is not None and pending(ticket) == {}
    ticket = services.ticket_resume(ticket=ticket, actor=operator, now=t0 + minutes(40))
    assert ticket.resolve_due_at == t0 + minutes(630)


def test_reopen_leaves_the_resolved_time_out(ladder_room, operator, staff_a, t0):
    ticket = make_ticket(ladder_room, now=t0)
    ticket = services.ticket_acknowledge(ticket=ticket, actor=staff_a, now=t0 + minutes(10))
    assert tasks.escalate(now=t0 + minutes(91)) == 1
    ticket = services.ticket_resolve(ticket=ticket, actor=staff_a, note="تم", now=t0 + minutes(100))
    ticket = services.ticket_close(ticket=ticket, actor=operator, now=t0 + minutes(150))
    assert pending(ticket) == {}
    assert tasks.escalate(now=t0 + minutes(290)) == 0

    ticket = services.ticket_reopen(
        ticket=ticket, actor=operator, reason="عاد الازدحام", now=t0 + minutes(300)
    )

    assert (ticket.status, ticket.resolved_at, ticket.closed_at) == (Status.ASSIGNED, None, None)
    assert (ticket.paused_at, ticket.paused_seconds) == (None, 200 * 60)
    assert ticket.resolve_due_at == t0 + minutes(320)
    assert clock(ticket, t0 + minutes(300)).resolve.seconds == 1200
    assert list(fired(ticket)) == [0]
    assert pending(ticket) == {1: t0 + minutes(320), 2: t0 + minutes(350)}


def test_acknowledging_a_reopened_ticket_keeps_the_first_acknowledgement(
    room, operator, staff_a, t0
):
    ticket = make_ticket(room, now=t0)
    ticket = services.ticket_acknowledge(ticket=ticket, actor=staff_a, now=t0 + minutes(10))
    ticket = services.ticket_resolve(ticket=ticket, actor=staff_a, note="تم", now=t0 + minutes(60))
    ticket = services.ticket_reopen(
        ticket=ticket, actor=operator, reason="عاد", now=t0 + minutes(90)
    )
    assert "acknowledge" in selectors.allowed_actions(ticket, staff_a)

    ticket = services.ticket_acknowledge(ticket=ticket, actor=staff_a, now=t0 + minutes(95))

    # The metrics' time to acknowledge and its compliance are the first acknowledgement's.
    assert ticket.acknowledged_at == t0 + minutes(10)
    assert ticket.acknowledged_at <= ticket.acknowledge_due_at == t0 + minutes(15)


def test_reassignment_resets_the_acknowledgement_and_the_clocks_run_on(
    room, agency_b, operator, staff_a, t0
):
    ticket = make_ticket(room, now=t0)
    ticket = services.ticket_acknowledge(ticket=ticket, actor=staff_a, now=t0 + minutes(5))

    ticket = services.ticket_assign(
        ticket=ticket,
        agency=agency_b,
        actor=operator,
        reason="ليست من اختصاصنا",
        now=t0 + minutes(30),
    )

    assert (ticket.status, ticket.acknowledged_at) == (Status.ASSIGNED, None)
    assert ticket.assigned_at == t0 + minutes(30)
    assert ticket.acknowledge_due_at == t0 + minutes(15)
    assert ticket.resolve_due_at == t0 + minutes(120)
    now = clock(ticket, t0 + minutes(30))
    assert now.current is now.acknowledge and now.acknowledge.tone == "breached"
    assert now.resolve.seconds == 90 * 60


# --- policy edits ----------------------------------------------------------------------


def test_policy_edit_reschedules_open_tickets(ladder_room, operator, staff_a, t0):
    running = make_ticket(ladder_room, now=t0)
    paused = make_ticket(ladder_room, now=t0)
    paused = services.ticket_pause(
        ticket=paused, actor=operator, reason="انتظار", now=t0 + minutes(30)
    )
    done = make_ticket(ladder_room, now=t0)
    done = services.ticket_resolve(ticket=done, actor=staff_a, note="تم", now=t0 + minutes(20))
    assert tasks.escalate(now=t0 + minutes(91)) == 1
    SlaTarget.objects.filter(policy=ladder_room.policy).update(resolve_minutes=240)

    count = services.tickets_reschedule_for_policy(
        policy_id=ladder_room.policy.pk, now=t0 + minutes(95)
    )

    assert count == 2
    running.refresh_from_db()
    assert (running.resolve_seconds, running.resolve_due_at) == (14400, t0 + minutes(240))
    assert list(fired(running)) == [0]
    assert pending(running) == {1: t0 + minutes(240), 2: t0 + minutes(270)}
    paused.refresh_from_db()
    assert paused.is_paused and pending(paused) == {}
    assert clock(paused, t0 + minutes(95)).resolve.seconds == 210 * 60
    done.refresh_from_db()
    assert (done.resolve_seconds, done.resolve_due_at) == (7200, t0 + minutes(120))


def test_policy_given_office_hours_moves_open_deadlines_into_them(room, office):
    ticket = make_ticket(room, now=at("2026-05-21 15:30"))
    room.policy.calendar = office
    room.policy.save()

    services.tickets_reschedule_for_policy(policy_id=room.policy.pk, now=at("2026-05-21 15:31"))

    ticket.refresh_from_db()
    assert ticket.acknowledge_due_at == at("2026-05-21 15:45")
    assert ticket.resolve_due_at == at("2026-05-24 09:30")
