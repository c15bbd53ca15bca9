"""The lifecycle services: who may do what from which status, reasons, reassignment, the
reporting agency's read-only view, intake validation, concurrency and query counts."""

import datetime
import threading
from decimal import Decimal
from functools import partial

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from modules.accounts.roles import Role
from modules.notifications.models import Message
from modules.tickets import selectors, services
from modules.tickets.models import (
    EventKind,
    Recipients,
    SlaTarget,
    Source,
    Status,
    Target,
    Ticket,
)
from modules.tickets.workflow import ACTIONS
from tests.support.fixtures import make_agency, make_user
from tests.support.tickets import (
    make_category,
    make_policy,
    make_priority,
    make_room,
    make_rule,
    make_ticket,
    make_zone,
)

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"
)


def minutes(n) -> datetime.timedelta:
    return datetime.timedelta(minutes=n)


@pytest.fixture
def low(room):
    return make_priority("low", rank=2, name_ar="منخفضة", name_en="Low")


@pytest.fixture
def unrouted(room):
    """A category no rule covers: its reports wait for the room (status new)."""
    return make_category("lost-item", priority=room.priority)


# --- who may do what, from which status ------------------------------------------------

CALLS = {
    "acknowledge": lambda t, actor, x: services.ticket_acknowledge(ticket=t, actor=actor),
    "start": lambda t, actor, x: services.ticket_start(ticket=t, actor=actor),
    "resolve": lambda t, actor, x: services.ticket_resolve(ticket=t, actor=actor, note="تم"),
    "close": lambda t, actor, x: services.ticket_close(ticket=t, actor=actor),
    "reopen": lambda t, actor, x: services.ticket_reopen(ticket=t, actor=actor, reason="عاد"),
    "pause": lambda t, actor, x: services.ticket_pause(ticket=t, actor=actor, reason="انتظار"),
    "resume": lambda t, actor, x: services.ticket_resume(ticket=t, actor=actor),
    "assign": lambda t, actor, x: services.ticket_assign(
        ticket=t, agency=x["agency"], actor=actor, reason="اختصاص جهة أخرى"
    ),
    "priority": lambda t, actor, x: services.ticket_change_priority(
        ticket=t, actor=actor, priority=x["priority"]
    ),
    "request_reassign": lambda t, actor, x: services.ticket_request_reassign(
        ticket=t, actor=actor, reason="ليست من اختصاصنا"
    ),
    "comment": lambda t, actor, x: services.ticket_comment(ticket=t, actor=actor, text="ملاحظة"),
}
assert set(CALLS) == set(ACTIONS)


def attempt(action, ticket, actor, extra) -> str:
    """Take the action and undo it: "ok", "transition", "denied" or the unexpected error."""
    with transaction.atomic():
        events = ticket.events.count()
        try:
            CALLS[action](ticket, actor, extra)
        except PermissionDenied:
            outcome = "denied"
        except ValidationError as error:
            outcome = "transition" if getattr(error, "code", None) == "transition" else repr(error)
        else:
            outcome = "ok"
        if outcome != "ok":
            assert ticket.events.count() == events, f"{action} refused but wrote an event"
            assert Ticket.objects.get(pk=ticket.pk).status == ticket.status
        transaction.set_rollback(True)
    return outcome


@pytest.fixture
def tickets_by_status(room, unrouted, operator, staff_a, t0):
    """One ticket in each status (all but `new` with agency A)."""

    def routed():
        return make_ticket(room, now=t0)

    operate = {"actor": operator}
    tickets = {Status.NEW: make_ticket(room, now=t0, category=unrouted), Status.ASSIGNED: routed()}
    tickets[Status.ACKNOWLEDGED] = services.ticket_acknowledge(ticket=routed(), actor=staff_a)
    tickets[Status.IN_PROGRESS] = services.ticket_start(ticket=routed(), actor=staff_a)
    tickets[Status.ON_HOLD] = services.ticket_pause(ticket=routed(), reason="انتظار", **operate)
    tickets[Status.RESOLVED] = services.ticket_resolve(ticket=routed(), actor=staff_a, note="تم")
    tickets[Status.CLOSED] = services.ticket_close(
        ticket=services.ticket_resolve(ticket=routed(), actor=staff_a, note="تم"), **operate
    )
    assert {status: ticket.status for status, ticket in tickets.items()} == {s: s for s in Status}
    return tickets


def expected(kind: str, action: str, status: str) -> str:
    rule = ACTIONS[action]
    if kind == "outsider" or (kind == "agency" and (rule.operator_only or status == Status.NEW)):
        return "denied"
    return "ok" if status in rule.from_statuses else "transition"


@pytest.mark.parametrize(
    ("who", "kind"),
    [
        ("operator", "operator"),
        ("committee_admin", "operator"),
        ("manager_a", "agency"),
        ("staff_a", "agency"),
        ("manager_b", "outsider"),
        ("reviewer", "outsider"),
        ("anonymous", "outsider"),
    ],
)
def test_every_action_from_every_status(request, who, kind, tickets_by_status, agency_b, low):
    people = {
        "reviewer": lambda: make_user("reviewer@example.org", Role.REVIEWER),
        "anonymous": AnonymousUser,
    }
    actor = people[who]() if who in people else request.getfixturevalue(who)
    extra = {"agency": agency_b, "priority": low}

    wrong = []
    for action in ACTIONS:
        for status, ticket in tickets_by_status.items():
            outcome = attempt(action, ticket, actor, extra)
            if outcome != expected(kind, action, status):
                wrong.append(f"{action} from {status}: {outcome}")
            offered = action in selectors.allowed_actions(ticket, actor)
            if offered != (outcome == "ok"):
                wrong.append(f"{action} from {status}: offered={offered}, outcome={outcome}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("action", "field"),
    [
        ("resolve", "note"),
        ("pause", "reason"),
        ("reopen", "reason"),
        ("request_reassign", "reason"),
        ("assign", "reason"),
    ],
)
@pytest.mark.parametrize("blank", ["", "   ", "<b></b>", "<script>alert(1)</script>"])
def test_reasons_and_notes_are_required(action, field, blank, room, operator, agency_b, t0):
    ticket = make_ticket(room, now=t0)
    if action == "reopen":
        ticket = services.ticket_resolve(ticket=ticket, actor=operator, note="تم")
    calls = {
        "resolve": lambda: services.ticket_resolve(ticket=ticket, actor=operator, note=blank),
        "pause": lambda: services.ticket_pause(ticket=ticket, actor=operator, reason=blank),
        "reopen": lambda: services.ticket_reopen(ticket=ticket, actor=operator, reason=blank),
        "request_reassign": lambda: services.ticket_request_reassign(
            ticket=ticket, actor=operator, reason=blank
        ),
        "assign": lambda: services.ticket_assign(
            ticket=ticket, agency=agency_b, actor=operator, reason=blank
        ),
    }
    events = ticket.events.count()

    with pytest.raises(ValidationError) as refused:
        calls[action]()

    assert list(refused.value.message_dict) == [field]
    assert refused.value.message_dict[field] == ["هذا الحقل مطلوب."]
    assert ticket.events.count() == events
    assert Ticket.objects.get(pk=ticket.pk).status == ticket.status


def test_first_assignment_needs_no_reason(room, unrouted, agency_a, manager_a, operator, t0):
    ticket = make_ticket(room, now=t0, category=unrouted)
    assert (ticket.status, ticket.agency) == (Status.NEW, None)

    ticket = services.ticket_assign(ticket=ticket, agency=agency_a, actor=operator)

    assert (ticket.status, ticket.agency) == (Status.ASSIGNED, agency_a)
    event = ticket.events.get(kind=EventKind.ASSIGNED)
    assert (event.from_status, event.to_status, event.to_agency, event.is_public) == (
        Status.NEW,
        Status.ASSIGNED,
        agency_a,
        True,
    )
    assert Message.objects.filter(user=manager_a, template="tickets/assigned").count() == 1


def test_assign_refuses_the_same_or_an_inactive_agency(room, agency_a, agency_b, operator, t0):
    ticket = make_ticket(room, now=t0)
    with pytest.raises(ValidationError) as same:
        services.ticket_assign(ticket=ticket, agency=agency_a, actor=operator, reason="x")
    agency_b.is_active = False
    agency_b.save()
    with pytest.raises(ValidationError) as inactive:
        services.ticket_assign(ticket=ticket, agency=agency_b, actor=operator, reason="x")

    assert list(same.value.message_dict) == list(inactive.value.message_dict) == ["agency"]
    assert Ticket.objects.get(pk=ticket.pk).agency == agency_a


def test_reassignment_moves_the_ticket_to_the_new_agency(
    room, agency_a, agency_b, manager_a, staff_a, manager_b, operator, t0
):
    staff_b = make_user("staff-b@example.org", Role.AGENCY_STAFF, agency_b)
    ticket = make_ticket(room, now=t0)
    ticket = services.ticket_request_reassign(ticket=ticket, actor=staff_a, reason="ليست لنا")
    assert ticket.reassign_requested
    assert ticket.events.filter(kind=EventKind.REASSIGN_REQUESTED, actor=staff_a).exists()
    before = set(Message.objects.values_list("pk", flat=True))

    ticket = services.ticket_assign(
        ticket=ticket, agency=agency_b, actor=operator, reason="من اختصاص الجهة ب"
    )

    assert not ticket.reassign_requested
    for person in (manager_a, staff_a):
        assert not Ticket.objects.for_user(person).filter(pk=ticket.pk).exists()
        assert ticket not in selectors.ticket_list(user=person)
    for person in (manager_b, staff_b):
        assert Ticket.objects.for_user(person).filter(pk=ticket.pk).exists()
        assert ticket in selectors.ticket_list(user=person)
        assert "acknowledge" in selectors.allowed_actions(ticket, person)
    assert not selectors.allowed_actions(ticket, staff_a)
    new = Message.objects.exclude(pk__in=before)
    assert sorted(new.values_list("recipient", "template")) == [
        ("manager-b@example.org", "tickets/assigned"),
        ("staff-b@example.org", "tickets/assigned"),
    ]
    event = ticket.events.get(kind=EventKind.REASSIGNED)
    assert (event.from_agency, event.to_agency, event.actor) == (agency_a, agency_b, operator)
    assert (event.comment, event.is_public) == ("من اختصاص الجهة ب", False)


def test_reporting_agency_sees_its_report_but_cannot_act(room, agency_a, manager_b, t0):
    ticket = services.ticket_create(
        source=Source.AGENCY,
        actor=manager_b,
        category=room.category,
        description="تسرب مياه",
        agency=make_agency("ignored"),  # only the room picks the agency
        priority=make_priority("low", rank=2),
        now=t0,
    )

    assert (ticket.agency, ticket.reporting_agency) == (agency_a, manager_b.membership.agency)
    assert ticket.priority == room.priority
    assert Ticket.objects.for_user(manager_b).filter(pk=ticket.pk).exists()
    assert selectors.allowed_actions(ticket, manager_b) == set()
    for call in CALLS.values():
        with pytest.raises(PermissionDenied):
            call(ticket, manager_b, {"agency": agency_a, "priority": room.priority})


def test_comments_from_agencies_stay_internal(room, staff_a, operator, t0):
    ticket = make_ticket(room, now=t0)

    internal = services.ticket_comment(
        ticket=ticket, actor=staff_a, text="<b>وصلنا</b>", is_public=True
    )
    public = services.ticket_comment(
        ticket=ticket, actor=operator, text="قيد المعالجة", is_public=True
    )
    with pytest.raises(ValidationError) as empty:
        services.ticket_comment(ticket=ticket, actor=staff_a, text="  ")

    assert (internal.comment, internal.is_public) == ("وصلنا", False)
    assert public.is_public
    assert list(empty.value.message_dict) == ["text"]
    assert list(selectors.public_timeline(ticket).values_list("kind", flat=True)) == [
        EventKind.CREATED,
        EventKind.ASSIGNED,
        EventKind.COMMENTED,
    ]


def test_reporter_hears_by_sms_on_receipt_and_resolution(room, staff_a, t0):
    ticket = make_ticket(room, now=t0, reporter_phone="٠٥٠١٢٣٤٥٦٧")
    assert ticket.reporter_phone == "+966501234567"

    services.ticket_resolve(ticket=ticket, actor=staff_a, note="تمت المعالجة")

    assert sorted(
        Message.objects.filter(recipient="+966501234567").values_list("template", flat=True)
    ) == ["tickets/received", "tickets/resolved"]


# --- intake ----------------------------------------------------------------------------


def test_public_report_is_routed_and_told_to_the_agency(room, agency_a, manager_a, staff_a, t0):
    ticket = make_ticket(room, now=t0, reporter_name="  <i>أحمد</i> ")

    assert (ticket.source, ticket.status, ticket.agency) == (
        Source.PUBLIC,
        Status.ASSIGNED,
        agency_a,
    )
    assert (ticket.zone, ticket.reporter_name, ticket.created_by) == (room.zone, "أحمد", None)
    assert list(ticket.events.values_list("kind", "is_public")) == [
        (EventKind.CREATED, True),
        (EventKind.ASSIGNED, True),
    ]
    assert sorted(Message.objects.values_list("recipient", flat=True)) == [
        "manager-a@example.org",
        "staff-a@example.org",
    ]


BAD_INPUT = [
    ({"description": "ز" * 4001}, "description"),
    ({"description": ""}, "description"),
    ({"description": "<p> </p>"}, "description"),
    ({"landmark": None, "latitude": 91, "longitude": 39}, "latitude"),
    ({"landmark": None, "latitude": 24, "longitude": -181}, "longitude"),
    ({"landmark": None, "latitude": "abc", "longitude": 39}, "latitude"),
    ({"landmark": None, "latitude": "NaN", "longitude": 39}, "latitude"),
    ({"landmark": None, "latitude": 24, "longitude": "Infinity"}, "longitude"),
    ({"landmark": None, "latitude": "24.5"}, "longitude"),
    ({"landmark": None, "longitude": "39.6"}, "longitude"),
    ({"landmark": None}, "location"),
    ({"reporter_phone": "12345"}, "reporter_phone"),
    ({"reporter_phone": "هاتفي"}, "reporter_phone"),
    ({"reporter_name": "ن" * 121}, "reporter_name"),
    ({"location_note": "م" * 301}, "location_note"),
]


@pytest.mark.parametrize(("fields", "field"), BAD_INPUT)
def test_bad_report_is_refused_and_nothing_is_stored(fields, field, room, stored, t0):
    before = stored()

    with pytest.raises(ValidationError) as refused:
        make_ticket(room, now=t0, **fields)

    assert field in refused.value.message_dict
    assert all(refused.value.message_dict.values())
    assert stored() == before


def test_inactive_or_private_category_is_refused(room, operator, stored, t0):
    private = make_category("internal", priority=room.priority, is_public=False)
    before = stored()

    with pytest.raises(ValidationError) as refused:
        make_ticket(room, now=t0, category=private)
    assert list(refused.value.message_dict) == ["category"]
    room.category.is_active = False
    room.category.save()
    with pytest.raises(ValidationError):
        make_ticket(room, now=t0, source=Source.OPERATOR, actor=operator)

    assert stored() == before
    assert make_ticket(room, now=t0, category=private, source=Source.OPERATOR, actor=operator)


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;",
        "&amp;amp;lt;script&amp;amp;gt;alert(1)",
        "&amp;amp;amp;lt;script&amp;amp;amp;gt;alert(1)",
        '<img src=x onerror="alert(1)">',
        "&lt;img src=x onerror=alert(1)&gt;",
    ],
)
def test_script_tags_are_stored_clean(payload, room, t0):
    ticket = make_ticket(room, now=t0, description=f"ازدحام {payload}")

    stored = Ticket.objects.get(pk=ticket.pk).description
    assert stored.startswith("ازدحام")
    for markup in ("<script", "&lt;script", "<img", "&lt;img", "onerror"):
        assert markup not in stored.lower()


def test_text_limits_count_the_cleaned_text(room, t0):
    ticket = make_ticket(room, now=t0, description="<b>" + "ز" * 4000 + "</b>")
    assert len(ticket.description) == 4000


def test_arabic_indic_digits_are_read(room, t0):
    ticket = make_ticket(
        room,
        now=t0,
        landmark=None,
        latitude="٢٤٫٤٦٧٢",
        longitude="٣٩٫٦١١١",
        reporter_phone="٠٥٠ ١٢٣ ٤٥٦٧",
    )

    ticket.refresh_from_db()
    assert (ticket.latitude, ticket.longitude) == (Decimal("24.467200"), Decimal("39.611100"))
    assert (ticket.reporter_phone, ticket.zone) == ("+966501234567", None)


def test_only_the_room_creates_as_operator_and_only_agencies_as_agency(
    room, committee_admin, staff_a, stored, t0
):
    before = stored()
    for source, actor in (
        (Source.OPERATOR, staff_a),
        (Source.OPERATOR, None),
        (Source.AGENCY, None),
        (Source.AGENCY, AnonymousUser()),
        (Source.AGENCY, committee_admin),
    ):
        with pytest.raises(PermissionDenied):
            make_ticket(room, now=t0, source=source, actor=actor)
    assert stored() == before


def test_operator_cannot_create_for_an_inactive_agency(room, operator, stored, t0):
    closed = make_agency("closed")
    closed.is_active = False
    closed.save()
    before = stored()

    with pytest.raises(ValidationError) as refused:
        make_ticket(room, now=t0, source=Source.OPERATOR, actor=operator, agency=closed)

    assert list(refused.value.message_dict) == ["agency"]
    assert stored() == before


# --- concurrency -----------------------------------------------------------------------


def _in_thread(call, results, name, start=None):
    try:
        if start is not None:
            start.wait(timeout=10)
        call()
        results[name] = "ok"
    except ValidationError as error:
        results[name] = getattr(error, "code", repr(error))
    finally:
        connection.close()


@postgresql_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("action", ["acknowledge", "resolve"])
def test_two_people_acting_at_once_one_wins(action, agency_a, staff_a, manager_a):
    room = make_room(agency=agency_a)
    ticket = make_ticket(room)
    calls = {
        person.email: (lambda who=person: CALLS[action](Ticket(pk=ticket.pk), who, {}))
        for person in (staff_a, manager_a)
    }
    kind = {"acknowledge": EventKind.ACKNOWLEDGED, "resolve": EventKind.RESOLVED}[action]

    # One holds the row (its transaction open); the other must wait, then find it done.
    results = {}
    with transaction.atomic():
        calls[staff_a.email]()
        second = threading.Thread(
            target=_in_thread, args=(calls[manager_a.email], results, "second")
        )
        second.start()
        second.join(timeout=1)
        assert second.is_alive(), "the second should wait for the first one's lock"
    second.join(timeout=10)
    assert results == {"second": "transition"}
    assert ticket.events.filter(kind=kind).count() == 1

    # Two started together on a fresh ticket.
    ticket = make_ticket(room)
    start = threading.Barrier(2)
    threads = [
        threading.Thread(
            target=_in_thread,
            args=(lambda who=person: CALLS[action](Ticket(pk=ticket.pk), who, {}), results, n),
            kwargs={"start": start},
        )
        for n, person in enumerate((staff_a, manager_a))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted([results[0], results[1]]) == ["ok", "transition"]
    assert ticket.events.filter(kind=kind).count() == 1


# --- query counts ----------------------------------------------------------------------

# Writing a message (notify(), and Wagtail indexing its references) is the notifications
# module's cost, one set of queries per message; everything else must not grow.
MESSAGE_TABLES = ("notifications_message", "wagtailcore_referenceindex", "django_content_type")
MAX_QUERIES_PER_MESSAGE = 9


def sized_setup(code: str, *, steps: int, members: int, priorities):
    """A category with its own policy of `steps` steps, routed to an agency of `members`
    people, and a second agency of as many people to reassign to."""
    high, low = priorities
    agency, spare = make_agency(f"agency-{code}"), make_agency(f"spare-{code}")
    for n in range(members):
        make_user(f"{code}-{n}@example.org", Role.AGENCY_STAFF, agency)
        make_user(f"{code}-spare-{n}@example.org", Role.AGENCY_STAFF, spare)
    ladder = [
        (
            Target.RESOLVE if n % 2 else Target.ACKNOWLEDGE,
            (25, 50, 75, 100)[n % 4],
            n,
            Recipients.AGENCY_TEAM,
        )
        for n in range(steps)
    ]
    policy = make_policy(priority=high, is_default=False, steps=ladder, name=code)
    SlaTarget.objects.create(
        policy=policy, priority=low, acknowledge_minutes=30, resolve_minutes=240
    )
    category = make_category(code, priority=high, policy=policy)
    make_rule(category, agency)
    return category, spare


def measured(call) -> tuple[int, int, object]:
    """The ticket queries of `call` (savepoints aside), messages it queued, and its result."""
    messages = Message.objects.count()
    with CaptureQueriesContext(connection) as queries:
        result = call()
    sent = Message.objects.count() - messages
    statements = [query["sql"] for query in queries.captured_queries]
    ours = [
        sql
        for sql in statements
        if not any(table in sql for table in MESSAGE_TABLES) and "SAVEPOINT" not in sql
    ]
    assert len(statements) - len(ours) <= (MAX_QUERIES_PER_MESSAGE + 2) * sent + 2
    return len(ours), sent, result


LIFECYCLE = (
    *("acknowledge", "start", "pause", "resume", "priority", "request_reassign", "assign"),
    *("resolve", "close", "reopen"),
)


def lifecycle_costs(category, spare, *, room, operator, low, t0) -> dict[str, tuple[int, int]]:
    """Queries (messages aside) and messages of intake, each transition, and a comment."""
    costs = {}

    def step(name, call):
        cost, sent, result = measured(call)
        costs[name] = (cost, sent)
        return result

    extra = {"agency": spare, "priority": low}
    ticket = step("create", lambda: make_ticket(room, now=t0, category=category))
    for name in LIFECYCLE:
        ticket = step(name, partial(CALLS[name], ticket, operator, extra))
    step("comment", partial(CALLS["comment"], ticket, operator, extra))
    return costs


def test_service_queries_do_not_grow_with_steps_or_members(room, operator, low, t0):
    small = sized_setup("small", steps=2, members=2, priorities=(room.priority, low))
    large = sized_setup("large", steps=10, members=20, priorities=(room.priority, low))
    # Warm the user's caches (permissions, agency), as the first request of a session does.
    assert operator.has_perm("tickets.operate_ticket") and operator.agency_id is None

    costs = {
        size: lifecycle_costs(*setup, room=room, operator=operator, low=low, t0=t0)
        for size, setup in (("small", small), ("large", large))
    }

    # One message per member on intake and on reassignment, nothing else grows.
    assert {name: sent for name, (_cost, sent) in costs["small"].items() if sent} == {
        "create": 2,
        "assign": 2,
    }
    assert {name: sent for name, (_cost, sent) in costs["large"].items() if sent} == {
        "create": 20,
        "assign": 20,
    }
    flat = {size: {name: cost for name, (cost, _sent) in c.items()} for size, c in costs.items()}
    assert flat["small"] == flat["large"]
    assert max(flat["small"].values()) <= 15, flat["small"]


@pytest.mark.parametrize(("language", "words"), [("ar", "بلاغ"), ("en", "report")])
def test_the_reporter_is_texted_in_the_language_of_the_report(room, operator, language, words):
    with translation.override(language):
        ticket = make_ticket(room, reporter_phone="0501234567")
    services.ticket_acknowledge(ticket=ticket, actor=operator)
    services.ticket_resolve(ticket=ticket, actor=operator, note="تم فتح المسار")

    texts = Message.objects.filter(recipient="+966501234567").order_by("pk")
    assert [message.template for message in texts] == ["tickets/received", "tickets/resolved"]
    for message in texts:
        assert message.language == language
        assert words in message.body_text
        assert ticket.reference in message.body_text


def test_a_place_decides_the_zone_and_a_retired_place_is_refused(room, operator):
    other_zone = make_zone("north", name_ar="الشمال", name_en="North")
    ticket = make_ticket(room, zone=other_zone)
    assert ticket.zone == room.landmark.zone

    room.landmark.is_active = False
    room.landmark.save()
    before = Ticket.objects.count()
    with pytest.raises(ValidationError) as refused:
        make_ticket(room)
    assert "landmark" in refused.value.message_dict
    assert Ticket.objects.count() == before
