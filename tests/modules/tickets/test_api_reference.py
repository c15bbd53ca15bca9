"""The reference lists the apps build their forms from (/api/v1/tickets/categories/,
landmarks/, priorities/) and the OpenAPI schema documenting the tickets API."""

import pytest

from modules.tickets.models import Category, Landmark
from tests.support.tickets import make_category, make_landmark, make_zone

pytestmark = pytest.mark.django_db

API = "/api/v1/tickets/"
FEW, MANY = 5, 50


@pytest.fixture
def internal(room):
    return make_category("internal-fault", priority=room.priority, is_public=False, order=5)


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["code"] for item in response.json()["results"]]


def test_the_public_sees_the_categories_offered_to_it(client, room, internal):
    Category.objects.create(
        code="retired",
        name_ar="قديمة",
        name_en="Retired",
        default_priority=room.priority,
        is_active=False,
    )

    response = client.get(f"{API}categories/", HTTP_ACCEPT_LANGUAGE="en")

    assert codes(response) == [room.category.code]
    item = response.json()["results"][0]
    assert (item["name"], item["default_priority"], item["is_public"]) == (
        room.category.name_en,
        room.priority.code,
        True,
    )


def test_signed_in_people_see_every_active_category(client, manager_a, room, internal):
    client.force_login(manager_a)

    assert codes(client.get(f"{API}categories/")) == [room.category.code, internal.code]


def test_names_follow_the_requests_language(client, room):
    arabic = client.get(f"{API}categories/").json()["results"][0]

    assert arabic["name"] == room.category.name_ar


def test_landmarks_come_with_their_zone_and_filter_by_zone_and_kind(client, room):
    north = make_zone("north", name_ar="الشمال", name_en="North")
    area = make_landmark("North square", zone=north, kind="area")
    Landmark.objects.create(
        name_ar="مغلق", name_en="Closed", kind="gate", zone=north, is_active=False
    )

    everything = client.get(f"{API}landmarks/", HTTP_ACCEPT_LANGUAGE="en").json()["results"]
    in_north = client.get(f"{API}landmarks/", {"zone": "north"}).json()["results"]
    gates = client.get(f"{API}landmarks/", {"kind": "gate"}).json()["results"]

    # Ordered by zone, then kind, then name.
    assert [item["id"] for item in everything] == [area.pk, room.landmark.pk]
    gate = everything[1]
    assert (gate["kind"], gate["kind_label"], gate["zone"]["code"]) == ("gate", "Gate", "central")
    assert (gate["latitude"], gate["longitude"]) == ("24.467200", "39.611100")
    assert [item["id"] for item in in_north] == [area.pk]
    assert [item["id"] for item in gates] == [room.landmark.pk]
    assert client.get(f"{API}landmarks/", {"kind": "tower"}).status_code == 400


def test_priorities_are_for_signed_in_people(client, manager_a, room):
    assert client.get(f"{API}priorities/").status_code in (401, 403)
    client.force_login(manager_a)

    response = client.get(f"{API}priorities/")

    assert codes(response) == [room.priority.code]
    assert response.json()["results"][0]["colour"] == room.priority.colour


@pytest.mark.parametrize("size", [FEW, MANY])
@pytest.mark.parametrize("path", ["categories/", "landmarks/", "priorities/"])
def test_reference_lists_take_constant_queries(
    client, manager_a, room, size, path, django_assert_max_num_queries
):
    zone = make_zone("grown")
    for number in range(size):
        make_category(f"grown-{number}", priority=room.priority, order=number + 1)
        make_landmark(f"Gate {number}", zone=zone)
    client.force_login(manager_a)

    # Session, user, count, page.
    with django_assert_max_num_queries(4):
        response = client.get(API + path)

    assert response.status_code == 200


# --- the schema ---------------------------------------------------------------------------


def test_the_schema_documents_the_tickets_api(client):
    response = client.get("/api/v1/schema/")

    assert response.status_code == 200
    text = response.content.decode()
    for path in (
        "/api/v1/tickets/",
        "/api/v1/tickets/status/",
        "/api/v1/tickets/{id}/",
        "/api/v1/tickets/{id}/attachments/{attachment_id}/",
        "/api/v1/tickets/{id}/comments/",
        *(
            f"/api/v1/tickets/{{id}}/{name}/"
            for name in (
                "acknowledge",
                "start",
                "resolve",
                "close",
                "reopen",
                "pause",
                "resume",
                "assign",
                "priority",
                "request-reassign",
            )
        ),
        "/api/v1/tickets/categories/",
        "/api/v1/tickets/landmarks/",
        "/api/v1/tickets/priorities/",
    ):
        assert f"{path}:" in text, path
    for component in (
        "TicketCreateInput:",
        "TicketCreatedOutput:",
        "TicketDetailOutput:",
        "ClockOutput:",
        "PublicStatusOutput:",
        "'409':",
        "'429':",
        "multipart/form-data",
    ):
        assert component in text, component
