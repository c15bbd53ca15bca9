"""POST /api/v1/tickets/ and GET /api/v1/tickets/status/: reports from the public's apps (no
sign-in, limited per address), the agencies and the operations room; every kind of bad input is
a 400 naming the field, translated, with nothing stored; the reporter's status shows no names
and no internal words."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.utils import translation
from django_ratelimit.core import is_ratelimited

from modules.accounts.roles import Role
from modules.tickets import services
from modules.tickets.models import Priority, Source, Status, Ticket, TicketAttachment
from modules.tickets.public.views import RATE_GROUP
from tests.support.fixtures import make_user
from tests.support.mfa import activate_totp
from tests.support.tickets import make_category, make_rule, make_ticket, photo

pytestmark = pytest.mark.django_db

API = "/api/v1/tickets/"
ADDRESS = "203.0.113.9"


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    """Rate-limit counters live in the default cache: no test inherits another's reports."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def committee_operator(operator):
    activate_totp(operator)
    return operator


def body(room, **changes) -> dict:
    data = {
        "category": room.category.code,
        "description": "ازدحام شديد عند البوابة ٢١",
        "landmark": room.landmark.pk,
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def post_json(client, data, *, language="ar", address=ADDRESS):
    return client.post(
        API,
        data,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
        REMOTE_ADDR=address,
    )


def post_multipart(client, data, *, language="ar", address=ADDRESS):
    return client.post(API, data, HTTP_ACCEPT_LANGUAGE=language, REMOTE_ADDR=address)


# --- the public's apps -------------------------------------------------------------------


def test_an_app_reports_without_signing_in_and_gets_the_status_token(client, room, agency_a):
    response = post_json(client, body(room), language="en")

    assert response.status_code == 201, response.content
    answer = response.json()
    ticket = Ticket.objects.get()
    assert (ticket.source, ticket.agency, ticket.status) == (Source.API, agency_a, Status.ASSIGNED)
    assert ticket.created_by is None
    assert answer["id"] is None
    assert answer["reference"] == ticket.reference
    assert (answer["status"], answer["status_label"]) == ("assigned", "Assigned")
    assert answer["token"] == ticket.status_token
    assert answer["status_url"] == (
        f"http://testserver/en/incidents/status/{ticket.reference}/{ticket.status_token}/"
    )
    assert answer["status_api_url"] == (
        f"http://testserver/api/v1/tickets/status/"
        f"?reference={ticket.reference}&token={ticket.status_token}"
    )
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_photo_comes_as_multipart_and_is_stored_with_the_report(client, room, stored):
    before = stored()
    response = post_multipart(client, body(room, photo=photo("gate.jpg")))

    assert response.status_code == 201, response.content
    attachment = TicketAttachment.objects.get()
    assert attachment.ticket.reference == response.json()["reference"]
    assert (attachment.original_name, attachment.content_type) == ("gate.jpg", "image/jpeg")
    assert stored()["files"] == before["files"] + 1


def test_a_point_in_arabic_indic_digits_is_read(client, room):
    response = post_json(client, body(room, landmark=None, latitude="٢١٫٤٢٢٥", longitude="39.8262"))

    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get()
    assert (ticket.latitude, ticket.longitude) == (Decimal("21.422500"), Decimal("39.826200"))


def test_script_tags_are_stored_clean(client, room):
    response = post_json(
        client,
        body(
            room,
            description="<script>alert('x')</script>ازدحام <b>شديد</b> عند البوابة",
            location_note="<img src=x onerror=alert(1)>قرب المدخل",
        ),
    )

    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get()
    assert ticket.description == "ازدحام شديد عند البوابة"
    assert ticket.location_note == "قرب المدخل"


def test_an_app_cannot_choose_the_agency_or_the_priority(client, room, agency_a, agency_b):
    urgent = Priority.objects.create(code="urgent", rank=0, name_ar="عاجلة", name_en="Urgent")
    response = post_json(client, body(room, agency=agency_b.pk, priority=urgent.code))

    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get()
    assert (ticket.agency, ticket.priority) == (agency_a, room.priority)


# --- signed-in creators ------------------------------------------------------------------


def test_an_agency_reports_as_itself_and_gets_no_token(client, room, manager_a, agency_a):
    client.force_login(manager_a)
    response = post_json(client, body(room))

    assert response.status_code == 201, response.content
    answer = response.json()
    ticket = Ticket.objects.get()
    assert answer["id"] == ticket.pk
    assert (answer["token"], answer["status_url"], answer["status_api_url"]) == (None, None, None)
    assert (ticket.source, ticket.created_by, ticket.reporting_agency) == (
        Source.AGENCY,
        manager_a,
        agency_a,
    )


def test_an_operator_chooses_the_agency_and_priority(client, room, committee_operator, agency_b):
    urgent = Priority.objects.create(code="urgent", rank=0, name_ar="عاجلة", name_en="Urgent")
    client.force_login(committee_operator)
    response = post_json(
        client,
        body(
            room,
            landmark=None,
            location_note="اتصال من البوابة",
            agency=agency_b.pk,
            priority="urgent",
        ),
    )

    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get()
    assert (ticket.source, ticket.agency, ticket.priority) == (Source.OPERATOR, agency_b, urgent)


def test_signed_in_creators_are_not_counted_against_the_address(client, room, manager_a, settings):
    settings.TICKETS_PUBLIC_RATE = "1/h"
    client.force_login(manager_a)
    for _attempt in range(3):
        assert post_json(client, body(room)).status_code == 201
    assert Ticket.objects.count() == 3


def test_a_committee_member_outside_the_room_may_not_report(client, room, stored):
    reviewer = make_user("reviewer@example.org", Role.EDITOR)
    activate_totp(reviewer)
    client.force_login(reviewer)
    before = stored()

    response = post_json(client, body(room))

    assert response.status_code == 403
    assert stored() == before


# --- bad input: a clear error on the field, nothing stored --------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"description": "ب" * 4001}, "description"),
        ({"description": "<script>alert(1)</script>"}, "description"),
        ({"description": ""}, "description"),
        ({"latitude": 91, "longitude": 39.8}, "latitude"),
        ({"latitude": 21.4, "longitude": 200}, "longitude"),
        ({"latitude": "abc", "longitude": "39.8"}, "latitude"),
        ({"latitude": True, "longitude": 39.8}, "latitude"),
        ({"latitude": 21.4}, "longitude"),
        ({"landmark": None}, "location"),
        ({"landmark": 999999}, "landmark"),
        ({"category": "no-such-category"}, "category"),
        ({"category": None}, "category"),
        ({"reporter_phone": "12ab"}, "reporter_phone"),
        ({"location_note": "م" * 301}, "location_note"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_stores_nothing(client, room, stored, changes, field):
    before = stored()
    response = post_json(client, body(room, **changes), language="en")

    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert stored() == before


def test_a_category_not_offered_to_the_public_is_refused_for_apps(client, room, agency_a, stored):
    internal = make_category("internal", priority=room.priority, is_public=False)
    make_rule(internal, agency_a)
    before = stored()

    response = post_json(client, body(room, category=internal.code), language="en")

    assert response.status_code == 400
    assert response.json() == {"category": ["Choose one of the listed categories."]}
    assert stored() == before


def test_an_oversized_photo_is_refused(client, room, stored, settings):
    settings.TICKETS_MAX_UPLOAD_BYTES = 1024
    before = stored()

    response = post_multipart(
        client,
        body(room, photo=photo("big.png", size=(400, 400), image_format="PNG")),
        language="en",
    )

    assert response.status_code == 400
    assert "the largest accepted is 1.0\xa0KB" in response.json()["photo"][0]
    assert stored() == before


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("photo.jpg", b"not a picture at all", content_type="image/jpeg"),
        SimpleUploadedFile("notes.pdf", b"%PDF-1.4 a document", content_type="application/pdf"),
        SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="image/png"),
    ],
    ids=["renamed-text", "pdf-from-the-public", "executable"],
)
def test_a_file_that_is_not_a_photo_is_refused(client, room, stored, upload):
    before = stored()

    response = post_multipart(client, body(room, photo=upload), language="en")

    assert response.status_code == 400, response.content
    assert "photo" in response.json()
    assert stored() == before


def test_errors_are_in_arabic_by_default_and_english_when_asked(client, room):
    english = post_json(client, body(room, latitude=91, longitude=39.8), language="en").json()
    arabic = post_json(client, body(room, description=None)).json()
    also_english = post_json(client, body(room, description=None), language="en").json()

    with translation.override("en"):
        assert english["latitude"] == ["Enter a number between -90 and 90."]
        assert also_english["description"] == ["This field is required."]
    assert arabic["description"] == ["هذا الحقل مطلوب."]


# --- the rate limit per address ----------------------------------------------------------


def test_too_many_reports_from_one_address_get_429_and_store_nothing(
    client, room, stored, settings
):
    settings.TICKETS_PUBLIC_RATE = "2/h"
    assert post_json(client, body(room)).status_code == 201
    assert post_json(client, body(room)).status_code == 201
    before = stored()

    refused = post_multipart(client, body(room, photo=photo()), language="en")

    assert refused.status_code == 429
    assert refused.json()["detail"].startswith("Too many reports have been sent from your")
    assert stored() == before
    # Another address still may.
    assert post_json(client, body(room), address="203.0.113.10").status_code == 201


def test_the_limit_is_shared_with_the_sites_report_form(client, room, settings):
    """The site's form counts in the same group: a report there leaves one fewer here."""
    settings.TICKETS_PUBLIC_RATE = "2/h"
    form_request = RequestFactory().post("/ar/report/", REMOTE_ADDR=ADDRESS)
    is_ratelimited(
        form_request, group=RATE_GROUP, key="ip", rate=settings.TICKETS_PUBLIC_RATE, increment=True
    )

    assert post_json(client, body(room)).status_code == 201
    assert post_json(client, body(room)).status_code == 429


# --- the reporter's status ---------------------------------------------------------------


def status_of(client, reference, token, language="ar"):
    return client.get(
        f"{API}status/", {"reference": reference, "token": token}, HTTP_ACCEPT_LANGUAGE=language
    )


def test_the_reporter_reads_the_status_with_no_names_and_no_internal_words(
    client, room, manager_a, committee_operator
):
    created = post_json(client, body(room)).json()
    ticket = Ticket.objects.get()
    services.ticket_pause(ticket=ticket, actor=committee_operator, reason="INTERNAL-PAUSE")
    services.ticket_resume(ticket=ticket, actor=committee_operator)
    services.ticket_comment(ticket=ticket, actor=manager_a, text="INTERNAL-COMMENT")
    services.ticket_comment(
        ticket=ticket, actor=committee_operator, text="الفريق في الطريق", is_public=True
    )
    services.ticket_resolve(ticket=ticket, actor=manager_a, note="نُظّم الدخول")

    response = client.get(created["status_api_url"], HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    answer = response.json()
    assert (answer["reference"], answer["status"], answer["status_label"]) == (
        ticket.reference,
        "resolved",
        "Resolved",
    )
    assert answer["resolution"] == "نُظّم الدخول"
    assert answer["resolved_at"] is not None
    assert answer["category"] == room.category.name_en
    kinds = [entry["kind"] for entry in answer["timeline"]]
    assert kinds[0] == "created"
    assert "commented" in kinds and kinds[-1] == "resolved"
    text = response.content.decode()
    for secret in (
        "INTERNAL-PAUSE",
        "INTERNAL-COMMENT",
        manager_a.email,
        committee_operator.email,
        str(manager_a),
        str(committee_operator),
        ticket.status_token,
        ticket.reporter_phone or "+966",
    ):
        assert secret not in text
    assert "الفريق في الطريق" in text


@pytest.mark.parametrize("token", ["wrong-token", "رمز-عربي", "", None])
def test_a_wrong_or_missing_token_finds_nothing(client, room, token):
    ticket = make_ticket(room)
    query = {"reference": ticket.reference}
    if token is not None:
        query["token"] = token

    response = client.get(f"{API}status/", query)

    assert response.status_code == (404 if token else 400)


def test_an_unknown_reference_is_404(client, room):
    assert status_of(client, "1448-999999", "x" * 32).status_code == 404


def test_another_reports_token_does_not_open_this_one(client, room):
    first, second = make_ticket(room), make_ticket(room)

    assert status_of(client, first.reference, second.status_token).status_code == 404
    assert status_of(client, first.reference, first.status_token).status_code == 200
