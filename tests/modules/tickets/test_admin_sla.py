"""SLA policies (with their inline time targets and escalation ladder) and business calendars
(with their working hours and holidays) in the Wagtail admin, posted through its own views;
and what saving them does to the tickets' clocks."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from modules.accounts.roles import Role
from modules.tickets.models import (
    BusinessCalendar,
    EscalationStep,
    Recipients,
    SlaPolicy,
    SlaTarget,
    Status,
    Target,
    Weekday,
)
from tests.support.fixtures import make_user
from tests.support.tickets import (
    at,
    make_calendar,
    make_policy,
    make_priority,
    make_room,
    make_ticket,
    standard_ladder,
)

from .test_admin import (
    CALENDARS,
    POLICIES,
    _errors,
    _field_errors,
    _messages,
    _row_errors,
    _rows,
)

pytestmark = pytest.mark.django_db


def _target(priority, acknowledge="15", resolve="120", **extra):
    return {
        "priority": priority.pk,
        "acknowledge_minutes": acknowledge,
        "resolve_minutes": resolve,
        **extra,
    }


def _step(percent="100", recipients=Recipients.AGENCY_MANAGERS, *, person=None, minutes="0"):
    row = {
        "target": Target.RESOLVE,
        "percent": percent,
        "minutes_after": minutes,
        "recipients": recipients,
        "person": person.pk if person else "",
        "by_email": "on",
    }
    return row


def _policy_data(*, targets, steps=(), initial_targets=0, initial_steps=0, **overrides):
    return {
        "name_ar": "سياسة الموسم",
        "name_en": "Season policy",
        "calendar": "",
        "pause_statuses": [Status.ON_HOLD],
        **_rows("targets", list(targets), initial=initial_targets),
        **_rows("steps", list(steps), initial=initial_steps),
        **overrides,
    }


def _calendar_data(*, periods, holidays=(), **overrides):
    return {
        "name_ar": "دوام رسمي",
        "name_en": "Office hours",
        **_rows("periods", list(periods)),
        **_rows("holidays", list(holidays)),
        **overrides,
    }


def _period(weekday=Weekday.SUNDAY, opens="08:00", closes="16:00"):
    return {"weekday": str(int(weekday)), "opens": opens, "closes": closes}


# --- SLA policies -------------------------------------------------------------------------


def test_a_policy_is_created_with_targets_and_a_ladder(admin_client):
    high = make_priority("high", rank=1)
    low = make_priority("low", rank=5, name_ar="منخفضة", name_en="Low")
    supervisor = make_user("supervisor@example.org", Role.OPERATOR)
    data = _policy_data(
        targets=[_target(high, "10", "60"), _target(low, "30", "480")],
        steps=[
            _step("75", Recipients.AGENCY_TEAM),
            _step("100", Recipients.AGENCY_MANAGERS),
            _step("100", Recipients.PERSON, person=supervisor, minutes="30"),
        ],
        is_default="on",
        pause_statuses=[Status.ON_HOLD, Status.ASSIGNED],
    )
    response = admin_client.post(f"{POLICIES}new/", data)
    assert response.status_code == 302, _errors(response)
    policy = SlaPolicy.objects.get()
    assert policy.is_default
    assert sorted(policy.pause_statuses) == [Status.ASSIGNED, Status.ON_HOLD]
    assert {
        (t.priority.code, t.acknowledge_minutes, t.resolve_minutes) for t in policy.targets.all()
    } == {
        ("high", 10, 60),
        ("low", 30, 480),
    }
    ladder = [
        (step.percent, step.minutes_after, step.recipients, step.person)
        for step in policy.steps.order_by("sort_order")
    ]
    assert ladder == [
        (75, 0, Recipients.AGENCY_TEAM, None),
        (100, 0, Recipients.AGENCY_MANAGERS, None),
        (100, 30, Recipients.PERSON, supervisor),
    ]


def test_the_new_policy_form_pauses_on_hold_by_default(admin_client):
    make_priority()
    form = admin_client.get(f"{POLICIES}new/").context["form"]
    assert form.initial["pause_statuses"] == [Status.ON_HOLD]
    offered = [value for value, _label in form.fields["pause_statuses"].choices]
    assert offered == [
        Status.NEW,
        Status.ASSIGNED,
        Status.ACKNOWLEDGED,
        Status.IN_PROGRESS,
        Status.ON_HOLD,
    ]


def test_the_policy_form_offers_a_row_for_each_priority_without_a_target(admin_client):
    high = make_priority("high", rank=1)
    low = make_priority("low", rank=5, name_ar="منخفضة", name_en="Low")

    def offered(url) -> list:
        rows = admin_client.get(url).context["form"].formsets["targets"].forms
        return [
            (row.instance.pk, row.initial.get("priority", row.instance.priority_id)) for row in rows
        ]

    assert offered(f"{POLICIES}new/") == [(None, high.pk), (None, low.pk)]
    policy = make_policy(priority=high)
    target = policy.targets.get()
    assert offered(f"{POLICIES}edit/{policy.pk}/") == [(target.pk, high.pk), (None, low.pk)]


def test_a_policy_needs_a_target_for_every_priority(admin_client):
    high = make_priority("high", rank=1)
    make_priority("low", rank=5, name_ar="منخفضة", name_en="Low")
    response = admin_client.post(f"{POLICIES}new/", _policy_data(targets=[_target(high)]))
    assert response.status_code == 200
    assert "missing: Low" in _errors(response)
    response = admin_client.post(f"{POLICIES}new/", _policy_data(targets=[]))
    assert "missing: High, Low" in _errors(response)
    assert not SlaPolicy.objects.exists()


def test_a_priority_appears_once_in_a_policy(admin_client):
    high = make_priority()
    response = admin_client.post(
        f"{POLICIES}new/", _policy_data(targets=[_target(high), _target(high, "5", "30")])
    )
    assert response.status_code == 200
    rows = _row_errors(response, "targets")
    assert "already has a time target" in (rows[1]["priority"])
    assert not SlaPolicy.objects.exists()


def test_acknowledging_cannot_take_longer_than_resolving(admin_client):
    high = make_priority()
    response = admin_client.post(
        f"{POLICIES}new/", _policy_data(targets=[_target(high, "200", "100")])
    )
    assert "cannot be longer than the time to resolve" in _errors(response)
    assert not SlaPolicy.objects.exists()


def test_a_second_default_policy_is_a_form_error(admin_client):
    high = make_priority()
    make_policy(priority=high, is_default=True, name="الأولى")
    response = admin_client.post(
        f"{POLICIES}new/", _policy_data(targets=[_target(high)], is_default="on")
    )
    assert response.status_code == 200
    assert "already the default policy" in _field_errors(response)["is_default"]
    assert SlaPolicy.objects.count() == 1


def test_a_step_that_tells_a_person_names_one(admin_client):
    high = make_priority()
    response = admin_client.post(
        f"{POLICIES}new/",
        _policy_data(targets=[_target(high)], steps=[_step("100", Recipients.PERSON)]),
    )
    assert response.status_code == 200
    assert "Choose the person" in (_row_errors(response, "steps")[0]["person"])
    assert not SlaPolicy.objects.exists()


def test_a_step_names_only_committee_people_and_drops_a_stray_person(admin_client, manager_a):
    high = make_priority()
    response = admin_client.post(
        f"{POLICIES}new/",
        _policy_data(
            targets=[_target(high)],
            steps=[_step("100", Recipients.PERSON, person=manager_a)],
        ),
    )
    assert "person" in _row_errors(response, "steps")[0]
    supervisor = make_user("supervisor@example.org", Role.OPERATOR)
    response = admin_client.post(
        f"{POLICIES}new/",
        _policy_data(
            targets=[_target(high)],
            steps=[_step("100", Recipients.AGENCY_MANAGERS, person=supervisor)],
        ),
    )
    assert response.status_code == 302
    assert EscalationStep.objects.get().person is None


def test_a_step_goes_out_by_some_channel_and_only_once(admin_client):
    high = make_priority()
    silent = {**_step("75", Recipients.AGENCY_TEAM), "by_email": ""}
    response = admin_client.post(
        f"{POLICIES}new/",
        _policy_data(targets=[_target(high)], steps=[silent, _step(), _step()]),
    )
    rows = _row_errors(response, "steps")
    assert "by e-mail, by SMS or both" in (rows[0]["by_email"])
    assert "sent twice" in (rows[2]["__all__"])
    assert not SlaPolicy.objects.exists()


def test_a_policy_is_edited_in_place(admin_client):
    room = make_room()
    target = room.policy.targets.get()
    response = admin_client.post(
        f"{POLICIES}edit/{room.policy.pk}/",
        _policy_data(
            targets=[{**_target(room.priority, "20", "90"), "id": target.pk}],
            initial_targets=1,
            is_default="on",
            pause_statuses=[],
        ),
    )
    assert response.status_code == 302, _errors(response)
    target.refresh_from_db()
    room.policy.refresh_from_db()
    assert (target.acknowledge_minutes, target.resolve_minutes) == (20, 90)
    assert room.policy.pause_statuses == []
    assert SlaTarget.objects.count() == 1


def _edit_resolve_minutes(client, room, minutes: int):
    target = room.policy.targets.get()
    return client.post(
        f"{POLICIES}edit/{room.policy.pk}/",
        _policy_data(
            targets=[{**_target(room.priority, "15", str(minutes)), "id": target.pk}],
            initial_targets=1,
            is_default="on",
        ),
    )


def test_an_edited_target_applies_to_the_next_ticket_and_reschedules_open_ones(
    admin_client, agency_a, django_capture_on_commit_callbacks
):
    room = make_room(agency=agency_a, resolve_minutes=120)
    reported = at("2026-05-20 10:00")
    open_ticket = make_ticket(room, now=reported)
    assert open_ticket.resolve_due_at == reported + datetime.timedelta(minutes=120)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _edit_resolve_minutes(admin_client, room, 240)
    assert response.status_code == 302
    assert len(callbacks) == 1

    open_ticket.refresh_from_db()
    assert open_ticket.resolve_due_at == reported + datetime.timedelta(minutes=240)
    later = at("2026-05-20 11:00")
    new_ticket = make_ticket(room, now=later)
    assert new_ticket.resolve_due_at == later + datetime.timedelta(minutes=240)


def test_a_policy_saved_unchanged_or_refused_reschedules_nothing(
    admin_client, agency_a, django_capture_on_commit_callbacks
):
    room = make_room(agency=agency_a, resolve_minutes=120)
    with django_capture_on_commit_callbacks() as callbacks:
        assert _edit_resolve_minutes(admin_client, room, 120).status_code == 302
        assert _edit_resolve_minutes(admin_client, room, 0).status_code == 200
    assert callbacks == []


def test_two_targets_exchanging_their_priorities_get_an_error_not_a_crash(admin_client):
    high = make_priority("high", rank=1)
    low = make_priority("low", rank=5, name_ar="منخفضة", name_en="Low")
    policy = make_policy(priority=high)
    SlaTarget.objects.create(
        policy=policy, priority=low, acknowledge_minutes=30, resolve_minutes=480
    )
    first, second = policy.targets.order_by("pk")
    response = admin_client.post(
        f"{POLICIES}edit/{policy.pk}/",
        _policy_data(
            targets=[
                {**_target(low, "15", "120"), "id": first.pk},
                {**_target(high, "30", "480"), "id": second.pk},
            ],
            initial_targets=2,
            is_default="on",
        ),
    )
    assert response.status_code == 200
    assert "two rows exchanged their priorities" in _field_errors(response)["__all__"]
    assert {(t.pk, t.priority_id) for t in policy.targets.all()} == {
        (first.pk, high.pk),
        (second.pk, low.pk),
    }


def test_a_policy_in_use_is_kept_with_a_message(admin_client, agency_a):
    room = make_room(agency=agency_a)
    make_ticket(room)
    response = admin_client.post(f"{POLICIES}delete/{room.policy.pk}/")
    assert response.status_code == 302
    assert SlaPolicy.objects.filter(pk=room.policy.pk).exists()
    assert "cannot be deleted" in _messages(response)


def test_leaving_no_default_policy_is_allowed_with_a_warning(admin_client):
    room = make_room()
    target = room.policy.targets.get()
    response = admin_client.post(
        f"{POLICIES}edit/{room.policy.pk}/",
        _policy_data(targets=[{**_target(room.priority), "id": target.pk}], initial_targets=1),
    )
    assert response.status_code == 302
    assert not SlaPolicy.objects.filter(is_default=True).exists()
    assert "No policy is the default now" in _messages(response)


def test_a_reviewer_reads_the_policy_with_its_targets_and_ladder(client, settings):

    supervisor = make_user("supervisor@example.org", Role.OPERATOR)
    room = make_room(steps=standard_ladder(supervisor), resolve_minutes=120)
    settings.MFA_REQUIRED_FOR_COMMITTEE = False
    client.force_login(make_user("reviewer@example.org", Role.REVIEWER))
    text = client.get(f"{POLICIES}inspect/{room.policy.pk}/").content.decode()
    assert "120" in text and str(supervisor) in text and "75%" in text


# --- Business calendars -------------------------------------------------------------------


def test_a_calendar_is_created_with_periods_and_holidays(admin_client):
    response = admin_client.post(
        f"{CALENDARS}new/",
        _calendar_data(
            periods=[
                _period(Weekday.SUNDAY, "08:00", "12:00"),
                _period(Weekday.SUNDAY, "16:00", "20:00"),
                _period(Weekday.MONDAY),
            ],
            holidays=[{"day": "2026-05-27", "name_ar": "عرفة", "name_en": "Arafah"}],
        ),
    )
    assert response.status_code == 302, _errors(response)
    calendar = BusinessCalendar.objects.get()
    assert calendar.periods.count() == 3
    assert calendar.holidays.get().day == datetime.date(2026, 5, 27)


def test_the_calendar_form_lists_the_week_from_saturday(admin_client):
    form = admin_client.get(f"{CALENDARS}new/").context["form"]
    weekdays = [
        value for value, _label in form.formsets["periods"].empty_form.fields["weekday"].choices
    ]
    assert weekdays[1:3] == [Weekday.SATURDAY, Weekday.SUNDAY]


def test_a_calendar_needs_a_working_period(admin_client):
    response = admin_client.post(f"{CALENDARS}new/", _calendar_data(periods=[]))
    assert response.status_code == 200
    assert "at least one working period" in _errors(response)
    assert not BusinessCalendar.objects.exists()


def test_a_period_closes_after_it_opens_and_periods_do_not_overlap(admin_client):
    response = admin_client.post(
        f"{CALENDARS}new/",
        _calendar_data(
            periods=[
                _period(Weekday.SUNDAY, "16:00", "08:00"),
                _period(Weekday.MONDAY, "08:00", "14:00"),
                _period(Weekday.MONDAY, "12:00", "18:00"),
            ]
        ),
    )
    rows = _row_errors(response, "periods")
    assert "after the opening time" in (rows[0]["closes"])
    assert "violated" not in (rows[0])
    assert "overlaps" in (rows[2]["opens"])
    assert not BusinessCalendar.objects.exists()


def test_a_holiday_appears_once(admin_client):
    day = {"day": "2026-05-27", "name_ar": "عرفة", "name_en": "Arafah"}
    response = admin_client.post(
        f"{CALENDARS}new/", _calendar_data(periods=[_period()], holidays=[day, day])
    )
    assert "already a holiday" in (_row_errors(response, "holidays")[1]["day"])
    assert not BusinessCalendar.objects.exists()


def test_editing_a_calendar_reschedules_the_policies_that_use_it(
    admin_client, agency_a, django_capture_on_commit_callbacks
):
    # Office hours on Wednesday 2026-05-20 only: 08:00–12:00.
    calendar = make_calendar([(Weekday.WEDNESDAY, "08:00", "12:00")])
    room = make_room(agency=agency_a, calendar=calendar, resolve_minutes=60)
    ticket = make_ticket(room, now=at("2026-05-20 09:00"))
    assert ticket.resolve_due_at == at("2026-05-20 10:00")

    period = calendar.periods.get()
    data = _calendar_data(periods=[])
    data.update(
        _rows(
            "periods",
            [{**_period(Weekday.WEDNESDAY, "09:30", "12:00"), "id": period.pk}],
            initial=1,
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"{CALENDARS}edit/{calendar.pk}/", data)
    assert response.status_code == 302, _errors(response)
    ticket.refresh_from_db()
    # Started at 09:00, before the new opening: the hour runs 09:30–10:30.
    assert ticket.resolve_due_at == at("2026-05-20 10:30")


# --- Bounded queries --------------------------------------------------------------------


def test_the_policy_form_reads_priorities_and_people_once(admin_client):
    def queries(count: int) -> int:
        priority = make_priority(f"p-{count}")
        policy = make_policy(priority=priority, is_default=False, name=f"سياسة {count}")
        for n in range(count):
            EscalationStep.objects.create(
                policy=policy, percent=50 + n, recipients=Recipients.AGENCY_TEAM
            )
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(f"{POLICIES}edit/{policy.pk}/").status_code == 200
        return len(captured)

    queries(1)
    assert queries(2) == queries(12)
