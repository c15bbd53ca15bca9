"""Configuring the operations room in the Wagtail admin: categories, priorities, zones,
landmarks, routing rules, SLA policies (with their inline targets and ladder) and business
calendars (with their working hours and holidays), posted through the admin's own views."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from modules.accounts.roles import Role
from modules.accounts.services import user_update_profile
from modules.tickets.models import (
    Category,
    Landmark,
    Priority,
    RoutingRule,
    SlaPolicy,
    Weekday,
    Zone,
)
from tests.support.fixtures import make_user
from tests.support.tickets import (
    make_calendar,
    make_category,
    make_landmark,
    make_policy,
    make_priority,
    make_room,
    make_rule,
    make_zone,
)

pytestmark = pytest.mark.django_db

BASE = "/admin/tickets/"
CATEGORIES = f"{BASE}categories/"
PRIORITIES = f"{BASE}priorities/"
ZONES = f"{BASE}zones/"
LANDMARKS = f"{BASE}landmarks/"
ROUTING = f"{BASE}routing/"
POLICIES = f"{BASE}policies/"
CALENDARS = f"{BASE}calendars/"
LISTINGS = (CATEGORIES, PRIORITIES, ZONES, LANDMARKS, ROUTING, POLICIES, CALENDARS)


@pytest.fixture
def committee_client(client, settings):
    """Signs a committee person of a given role in to the admin (their second factor is not
    what these tests are about)."""
    settings.MFA_REQUIRED_FOR_COMMITTEE = False

    def sign_in(role: Role):
        client.force_login(make_user(f"{role.value}@example.org", role))
        return client

    return sign_in


def _rows(prefix: str, rows: list[dict], *, initial: int = 0) -> dict:
    """An inline formset as the admin's page posts it; a row with an "id" is an existing one."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data[f"{prefix}-{index}-ORDER"] = str(index + 1)
        data[f"{prefix}-{index}-DELETE"] = ""
        data[f"{prefix}-{index}-id"] = ""
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = value
    return data


def _priority_data(**overrides):
    return {
        "name_ar": "حرجة",
        "name_en": "Critical",
        "code": "critical",
        "rank": "0",
        "colour": "#b42318",
        **overrides,
    }


def _english(errors) -> dict[str, str]:
    with translation.override("en"):
        return {
            name: " ".join(str(error) for error in messages) for name, messages in errors.items()
        }


def _field_errors(response) -> dict[str, str]:
    """The form's own errors by field, in English."""
    return _english(response.context["form"].errors)


def _row_errors(response, formset: str) -> list[dict[str, str]]:
    """Each inline row's errors by field, in English."""
    return [_english(row.errors) for row in response.context["form"].formsets[formset].forms]


def _errors(response) -> str:
    """Every error the re-rendered form carries, on the form and on its inline rows."""
    texts = list(_field_errors(response).values())
    for formset in response.context["form"].formsets:
        texts += [text for row in _row_errors(response, formset) for text in row.values()]
    return " | ".join(texts)


def _messages(response) -> str:
    with translation.override("en"):
        return " ".join(str(message) for message in get_messages(response.wsgi_request))


# --- The menu and who may use it ----------------------------------------------------------


def test_the_operations_room_menu_holds_every_configuration_page(admin_client):
    text = admin_client.get("/admin/").content.decode()
    for url in LISTINGS:
        assert url in text
        assert admin_client.get(url).status_code == 200
        assert admin_client.get(f"{url}new/").status_code == 200


def test_the_menu_links_to_the_operations_board(admin_client):
    with translation.override("en"):
        board = reverse("tickets_room:board")
    # The sidebar is drawn from JSON: the link is its "url".
    assert f'"url": "{board}"' in admin_client.get("/admin/").content.decode()


def test_an_operator_may_look_at_the_configuration_but_not_change_it(committee_client):
    room = make_room()
    client = committee_client(Role.OPERATOR)
    text = client.get("/admin/").content.decode()
    assert POLICIES in text and CATEGORIES in text
    for url in LISTINGS:
        assert client.get(url).status_code == 200
    assert client.get(f"{POLICIES}inspect/{room.policy.pk}/").status_code == 200
    assert client.get(f"{CATEGORIES}inspect/{room.category.pk}/").status_code == 200
    for url in (f"{POLICIES}new/", f"{POLICIES}edit/{room.policy.pk}/", f"{ZONES}new/"):
        assert client.get(url).status_code == 302
    response = client.post(f"{ZONES}new/", {"name_ar": "منى", "name_en": "Mina", "code": "mina"})
    assert response.status_code == 302
    assert not Zone.objects.filter(code="mina").exists()
    assert client.post(f"{POLICIES}delete/{room.policy.pk}/").status_code == 302
    assert SlaPolicy.objects.filter(pk=room.policy.pk).exists()


def test_an_editor_sees_no_operations_room(committee_client):
    client = committee_client(Role.EDITOR)
    assert BASE not in client.get("/admin/").content.decode()
    for url in LISTINGS:
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, "/admin/")


@pytest.mark.parametrize("person", ["manager_a", "staff_a"])
def test_agency_people_get_403_on_the_configuration(request, client, person):
    client.force_login(request.getfixturevalue(person))
    for url in ("/admin/", *LISTINGS, f"{POLICIES}new/"):
        assert client.get(url).status_code == 403


# --- Categories, priorities, zones, landmarks ---------------------------------------------


def test_priorities_zones_landmarks_and_categories_are_created_and_edited(admin_client):
    response = admin_client.post(
        f"{PRIORITIES}new/",
        _priority_data(colour="#B42318"),
    )
    assert response.status_code == 302
    critical = Priority.objects.get(code="critical")
    assert critical.colour == "#b42318"

    response = admin_client.post(
        f"{ZONES}new/", {"name_ar": "منى", "name_en": "Mina", "code": "mina", "sort_order": "1"}
    )
    assert response.status_code == 302
    mina = Zone.objects.get(code="mina")

    response = admin_client.post(
        f"{LANDMARKS}new/",
        {
            "name_ar": "جسر الجمرات",
            "name_en": "Jamarat bridge",
            "kind": "landmark",
            "zone": mina.pk,
            "latitude": "21.422487",
            "longitude": "39.873000",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    bridge = Landmark.objects.get(name_en="Jamarat bridge")
    assert (bridge.zone, str(bridge.latitude)) == (mina, "21.422487")

    make_policy(priority=critical)
    category = {
        "name_ar": "ازدحام",
        "name_en": "Crowding",
        "code": "crowding",
        "sort_order": "1",
        "description_ar": "",
        "description_en": "",
        "default_priority": critical.pk,
        "sla_policy": "",
        "is_public": "on",
        "is_active": "on",
    }
    assert admin_client.post(f"{CATEGORIES}new/", category).status_code == 302
    crowding = Category.objects.get(code="crowding")
    assert crowding.sla_policy is None and crowding.is_public

    response = admin_client.post(
        f"{CATEGORIES}edit/{crowding.pk}/", {**category, "name_en": "Crowds", "is_public": ""}
    )
    assert response.status_code == 302
    crowding.refresh_from_db()
    assert (crowding.name_en, crowding.is_public) == ("Crowds", False)


@pytest.mark.parametrize("colour", ["red", "#12345", "#GGGGGG", "b42318", "#b4231;"])
def test_a_priority_colour_must_be_hex(admin_client, colour):
    response = admin_client.post(
        f"{PRIORITIES}new/",
        _priority_data(colour=colour),
    )
    assert response.status_code == 200
    assert "six hexadecimal digits" in _field_errors(response)["colour"]
    assert not Priority.objects.exists()


def test_a_new_priority_warns_which_policies_need_its_times(admin_client):
    make_policy(priority=make_priority(), name="سياسة الموسم")
    response = admin_client.post(
        f"{PRIORITIES}new/",
        {"name_ar": "منخفضة", "name_en": "Low", "code": "low", "rank": "5", "colour": "#1f7a5c"},
    )
    assert response.status_code == 302
    text = _messages(response)
    assert "Low" in text and "Season policy" in text and "no deadline" in text


def test_a_category_without_policy_needs_a_default_policy(admin_client):
    priority = make_priority()
    data = {
        "name_ar": "ازدحام",
        "name_en": "Crowding",
        "code": "crowding",
        "sort_order": "0",
        "description_ar": "",
        "description_en": "",
        "default_priority": priority.pk,
        "sla_policy": "",
        "is_active": "on",
    }
    response = admin_client.post(f"{CATEGORIES}new/", data)
    assert response.status_code == 200
    assert "no default SLA policy" in _errors(response)
    assert not Category.objects.exists()


def test_a_landmark_needs_both_coordinates_in_range(admin_client):
    zone = make_zone()
    base = {"name_ar": "بوابة", "name_en": "Gate", "kind": "gate", "zone": zone.pk}
    response = admin_client.post(f"{LANDMARKS}new/", {**base, "latitude": "21.4"})
    assert "both the latitude and the longitude" in _errors(response)
    response = admin_client.post(
        f"{LANDMARKS}new/", {**base, "latitude": "91", "longitude": "39.8"}
    )
    assert "latitude" in response.context["form"].errors
    assert not Landmark.objects.exists()


# --- Routing rules ------------------------------------------------------------------------


def test_routing_rules_are_created_and_the_zone_rule_wins(admin_client, agency_a, agency_b):
    from modules.tickets.routing import route

    room = make_room()
    data = {"category": room.category.pk, "zone": "", "agency": agency_a.pk, "is_active": "on"}
    assert admin_client.post(f"{ROUTING}new/", data).status_code == 302
    response = admin_client.post(
        f"{ROUTING}new/", {**data, "zone": room.zone.pk, "agency": agency_b.pk}
    )
    assert response.status_code == 302
    assert RoutingRule.objects.count() == 2
    assert route(room.category, room.zone) == agency_b
    assert route(room.category, make_zone("arafat")) == agency_a


def test_a_second_rule_for_the_same_category_and_zone_is_a_form_error(
    admin_client, agency_a, agency_b
):
    room = make_room(agency=agency_a)  # the general rule
    make_rule(room.category, agency_a, zone=room.zone)
    data = {"category": room.category.pk, "agency": agency_b.pk, "is_active": "on"}

    response = admin_client.post(f"{ROUTING}new/", {**data, "zone": ""})
    assert response.status_code == 200
    assert "already has a rule for any zone" in _field_errors(response)["zone"]

    response = admin_client.post(f"{ROUTING}new/", {**data, "zone": room.zone.pk})
    assert response.status_code == 200
    assert "already has a rule for" in _field_errors(response)["zone"]
    assert "violated" not in _errors(response)
    assert RoutingRule.objects.count() == 2


def test_a_rule_is_offered_only_active_agencies(admin_client, agency_a, agency_b):
    agency_b.is_active = False
    agency_b.save(update_fields=["is_active"])
    offered = admin_client.get(f"{ROUTING}new/").context["form"].fields["agency"].queryset
    assert list(offered) == [agency_a]


def test_a_rule_keeps_its_own_zone_when_edited(admin_client, agency_a, agency_b):
    room = make_room(agency=agency_a)
    rule = RoutingRule.objects.get()
    response = admin_client.post(
        f"{ROUTING}edit/{rule.pk}/",
        {"category": room.category.pk, "zone": "", "agency": agency_b.pk, "is_active": "on"},
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.agency == agency_b


def test_the_routing_page_explains_that_a_zone_rule_beats_the_general_one(admin_client):
    text = admin_client.get(f"{ROUTING}new/").content.decode()
    assert "A rule for a zone beats the category" in text


# --- Listings: bounded queries ------------------------------------------------------------


def _fill(count: int, agency) -> None:
    high = make_priority("high")
    policy = SlaPolicy.objects.filter(is_default=True).first() or make_policy(priority=high)
    for n in range(count):
        key = f"{count}-{n}"
        make_priority(f"p-{key}", rank=n + 2)
        zone = make_zone(f"zone-{key}")
        make_landmark(f"Gate {key}", zone=zone, latitude="21.4", longitude="39.8")
        category = make_category(f"cat-{key}", priority=high, policy=policy)
        make_rule(category, agency, zone=zone)
        make_policy(priority=high, is_default=False, name=f"سياسة {key}")
        make_calendar([(Weekday.SUNDAY, "08:00", "16:00")], name=f"تقويم {key}")


@pytest.mark.parametrize("url", LISTINGS)
def test_each_listing_reads_a_fixed_number_of_queries(admin_client, agency_a, url):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(url).status_code == 200
        return len(captured)

    _fill(3, agency_a)
    queries()  # the first request also fills per-process caches
    few = queries()
    _fill(15, agency_a)
    assert queries() == few
    assert few <= 30


# --- Both languages -----------------------------------------------------------------------


def _pages(room, agency) -> list[str]:
    rule = RoutingRule.objects.get()
    calendar = make_calendar([(Weekday.SUNDAY, "08:00", "16:00")])
    pages = []
    for url, pk in (
        (CATEGORIES, room.category.pk),
        (PRIORITIES, room.priority.pk),
        (ZONES, room.zone.pk),
        (LANDMARKS, room.landmark.pk),
        (ROUTING, rule.pk),
        (POLICIES, room.policy.pk),
        (CALENDARS, calendar.pk),
    ):
        pages += [url, f"{url}new/", f"{url}edit/{pk}/", f"{url}inspect/{pk}/"]
    return pages


@pytest.mark.parametrize(
    ("language", "direction", "expected"),
    [("ar", "rtl", ["الرمز", "فئة crowding"]), ("en", "ltr", ["Category crowding"])],
)
def test_every_page_renders_in_arabic_and_english(
    admin_client, committee_admin, agency_a, language, direction, expected
):
    user_update_profile(
        user=committee_admin,
        first_name="a",
        last_name="",
        phone="",
        preferred_language=language,
    )
    room = make_room(agency=agency_a)
    for url in _pages(room, agency_a):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert f'<html lang="{language}" dir="{direction}"' in text, url
    listing = admin_client.get(CATEGORIES).content.decode()
    for word in expected:
        assert word in listing
