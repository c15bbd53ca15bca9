"""Routing: category (and zone) → agency, the rules read fresh on every report, and the room's
own choice overriding them."""

import pytest

from modules.notifications.models import Message
from modules.tickets.models import EventKind, RoutingRule, Source, Status
from modules.tickets.routing import route
from tests.support.fixtures import make_agency
from tests.support.tickets import make_landmark, make_rule, make_ticket, make_zone


@pytest.fixture
def north(room):
    return make_zone("north", name_ar="المنطقة الشمالية", name_en="North")


@pytest.fixture
def zone_rule(room, north, agency_b):
    """The room's category goes to agency A everywhere, but to agency B in the north."""
    return make_rule(room.category, agency_b, zone=north)


def test_zone_rule_beats_the_general_rule(room, north, zone_rule, agency_a, agency_b, t0):
    gate = make_landmark("North gate", zone=north)

    assert route(room.category, north) == agency_b
    assert route(room.category, room.zone) == agency_a
    assert route(room.category, None) == agency_a
    assert make_ticket(room, now=t0, landmark=gate).agency == agency_b
    assert make_ticket(room, now=t0).agency == agency_a  # the room's gate is in the centre


def test_rule_of_another_zone_is_not_used(room, north, agency_b):
    RoutingRule.objects.filter(category=room.category).delete()
    make_rule(room.category, agency_b, zone=north)

    assert route(room.category, room.zone) is None
    assert route(room.category, None) is None


def test_inactive_rule_or_agency_is_skipped(room, north, zone_rule, agency_a, agency_b):
    zone_rule.is_active = False
    zone_rule.save()
    assert route(room.category, north) == agency_a

    zone_rule.is_active = True
    zone_rule.save()
    agency_b.is_active = False
    agency_b.save()
    assert route(room.category, north) == agency_a

    RoutingRule.objects.filter(zone__isnull=True).update(is_active=False)
    assert route(room.category, north) is None


def test_without_a_rule_the_report_waits_for_the_room(room, manager_a, t0):
    RoutingRule.objects.all().delete()

    ticket = make_ticket(room, now=t0)

    assert (ticket.status, ticket.agency, ticket.assigned_at) == (Status.NEW, None, None)
    assert list(ticket.events.values_list("kind", flat=True)) == [EventKind.CREATED]
    assert not Message.objects.exists()
    assert ticket.resolve_due_at is not None  # the clock runs while the room decides


def test_rule_edits_apply_to_the_next_report(room, agency_b, t0):
    assert make_ticket(room, now=t0).agency.code == "agency-a"

    RoutingRule.objects.filter(category=room.category).update(agency=agency_b)

    assert make_ticket(room, now=t0).agency == agency_b


def test_operator_overrides_the_rules(room, operator, agency_b, manager_b, t0):
    ticket = make_ticket(room, now=t0, source=Source.OPERATOR, actor=operator, agency=agency_b)

    assert (ticket.agency, ticket.status, ticket.created_by) == (
        agency_b,
        Status.ASSIGNED,
        operator,
    )
    assert ticket.events.get(kind=EventKind.ASSIGNED).actor == operator
    assert Message.objects.filter(user=manager_b, template="tickets/assigned").exists()


def test_only_the_room_overrides_the_rules(room, agency_a, manager_b, t0):
    elsewhere = make_agency("elsewhere")

    public = make_ticket(room, now=t0, agency=elsewhere)
    reported = make_ticket(room, now=t0, source=Source.AGENCY, actor=manager_b, agency=elsewhere)

    assert public.agency == reported.agency == agency_a


def test_routing_is_one_query(room, north, zone_rule, django_assert_num_queries):
    with django_assert_num_queries(1):
        route(room.category, north)
