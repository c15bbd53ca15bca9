"""The public report form (IncidentReportPage + modules/tickets/public): a valid report becomes
one routed ticket and leads to the thank-you page; every kind of bad input gets a clear error
on its field and stores nothing (no ticket, event, attachment, message or file); the honeypot
and the rate limit per address hold bots off."""

import io
import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from cms.pages.models import IncidentReportPage
from modules.core.demo.report_page import ensure_report_page
from modules.tickets.models import Source, Status, Ticket, TicketAttachment
from modules.tickets.public.forms import IncidentReportForm
from tests.support.tickets import make_category, make_landmark, make_rule, make_zone, photo

pytestmark = pytest.mark.django_db

ADDRESS = "198.51.100.7"


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    """Rate-limit counters live in the default cache: no test inherits another's reports."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pages(public_site) -> dict[str, IncidentReportPage]:
    arabic = ensure_report_page(public_site.ar.home)
    return {"ar": arabic, "en": arabic.get_translation(public_site.en.home.locale)}


def report(room, **changes) -> dict:
    data = {
        "category": room.category.pk,
        "description": "ازدحام شديد عند البوابة ٢١ ويحتاج إلى تنظيم",
        "landmark": room.landmark.pk,
        "latitude": "",
        "longitude": "",
        "location_note": "",
        "reporter_name": "",
        "reporter_phone": "",
        "website": "",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def send(client, page, data, **extra):
    return client.post(page.url, data, REMOTE_ADDR=extra.pop("address", ADDRESS), **extra)


def only_ticket() -> Ticket:
    return Ticket.objects.select_related("agency", "category").get()


# --- a good report ------------------------------------------------------------------------


def test_a_valid_report_makes_one_ticket_routed_by_the_rule(client, pages, room, agency_a, stored):
    before = stored()
    response = send(client, pages["ar"], report(room))

    ticket = only_ticket()
    assert response.status_code == 302
    assert response["Location"] == f"/ar/incidents/thanks/{ticket.reference}/{ticket.status_token}/"
    assert stored()["tickets"] == before["tickets"] + 1
    assert ticket.source == Source.PUBLIC
    assert ticket.agency == agency_a
    assert ticket.status == Status.ASSIGNED
    assert ticket.landmark == room.landmark
    assert ticket.zone == room.zone
    assert ticket.created_by is None


def test_a_zone_rule_beats_the_general_rule(client, pages, room, agency_a, agency_b):
    harbour = make_zone("quba", name_ar="قباء", name_en="Quba")
    gate = make_landmark("Quba gate", zone=harbour)
    make_rule(room.category, agency_b, zone=harbour)

    send(client, pages["ar"], report(room, landmark=gate.pk))

    assert only_ticket().agency == agency_b


def test_the_thank_you_page_shows_the_reference_and_the_private_link(client, pages, room):
    response = send(client, pages["en"], report(room), follow=True)

    ticket = only_ticket()
    status_link = f"http://testserver/en/incidents/status/{ticket.reference}/{ticket.status_token}/"
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith("/en/incidents/thanks/")
    text = response.text
    assert f'value="{ticket.reference}"' in text
    assert f'value="{status_link}"' in text
    assert "Keep this link" in text
    assert "no-cache" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"

    followed = client.get(status_link)
    assert followed.status_code == 200
    assert ticket.reference in followed.text


def test_the_thank_you_page_refuses_a_wrong_token(client, pages, room):
    send(client, pages["ar"], report(room))
    ticket = only_ticket()
    wrong = ticket.status_token[:-1] + ("A" if ticket.status_token[-1] != "A" else "B")

    response = client.get(f"/ar/incidents/thanks/{ticket.reference}/{wrong}/")

    assert response.status_code == 404


def test_a_map_point_in_arabic_indic_digits_a_photo_and_a_phone(client, pages, room, media):
    data = report(
        room,
        landmark="",
        latitude="٢٤٫٤٦٧٢١٢٣٤",
        longitude="39.6111",
        reporter_name="عبدالله",
        reporter_phone="٠٥٠١٢٣٤٥٦٧",
        photo=photo("gate.jpg"),
    )

    response = send(client, pages["ar"], data)

    assert response.status_code == 302
    ticket = only_ticket()
    assert str(ticket.latitude) == "24.467212"
    assert str(ticket.longitude) == "39.611100"
    assert ticket.landmark is None
    assert ticket.reporter_phone == "+966501234567"
    assert ticket.reporter_name == "عبدالله"
    attachment = TicketAttachment.objects.get(ticket=ticket)
    assert attachment.content_type == "image/jpeg"
    assert (media / attachment.file.name).is_file()


def test_script_tags_in_the_description_are_stored_clean(client, pages, room):
    description = (
        '<script>alert("x")</script>تسرب <b>مياه</b> عند <img src=x onerror=alert(1)>المصلى'
    )

    response = send(client, pages["ar"], report(room, description=description))

    assert response.status_code == 302
    stored_text = only_ticket().description
    assert "<" not in stored_text
    assert "script" not in stored_text
    assert "alert" not in stored_text
    assert stored_text == "تسرب مياه عند المصلى"


def test_the_form_works_with_a_csrf_token_as_a_browser_sends_it(pages, room):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(pages["ar"].url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)

    refused = browser.post(pages["ar"].url, report(room), REMOTE_ADDR=ADDRESS)
    assert refused.status_code == 403
    assert Ticket.objects.count() == 0

    sent = browser.post(
        pages["ar"].url, {**report(room), "csrfmiddlewaretoken": token}, REMOTE_ADDR=ADDRESS
    )
    assert sent.status_code == 302
    assert Ticket.objects.count() == 1


# --- bad input: a clear error, nothing stored ----------------------------------------------


def large_jpeg(name="big.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.effect_noise((300, 300), 100).convert("RGB").save(buffer, format="JPEG", quality=95)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


BAD_INPUT = {
    "description too long": (
        lambda room: {"description": "ا" * 4001},
        "description",
        "Write at most 4000 characters (this text has 4001).",
    ),
    "description empty": (
        lambda room: {"description": "   "},
        "description",
        "Describe what happened.",
    ),
    "description only markup": (
        lambda room: {"description": "<script>alert(1)</script>"},
        "description",
        "Describe what happened.",
    ),
    "latitude 91": (
        lambda room: {"landmark": "", "latitude": "91", "longitude": "39.6"},
        "latitude",
        "Enter a number between -90 and 90, such as 24.467200.",
    ),
    "longitude 200": (
        lambda room: {"landmark": "", "latitude": "24.4", "longitude": "200"},
        "longitude",
        "Enter a number between -180 and 180, such as 39.611100.",
    ),
    "latitude not a number": (
        lambda room: {"landmark": "", "latitude": "north", "longitude": "39.6"},
        "latitude",
        "Enter a number between -90 and 90, such as 24.467200.",
    ),
    "latitude infinite": (
        lambda room: {"landmark": "", "latitude": "Infinity", "longitude": "39.6"},
        "latitude",
        "Enter a number between -90 and 90, such as 24.467200.",
    ),
    "latitude without longitude": (
        lambda room: {"landmark": "", "latitude": "24.4"},
        "longitude",
        "Give both the latitude and the longitude, or neither.",
    ),
    "no place at all": (
        lambda room: {"landmark": ""},
        None,
        "Mark the place on the map, or choose a landmark, gate or area.",
    ),
    "no category": (lambda room: {"category": ""}, "category", "Choose what the report is about."),
    "a private category": (
        lambda room: {
            "category": make_category("internal", priority=room.priority, is_public=False).pk
        },
        "category",
        "Choose one of the listed categories.",
    ),
    "an unknown landmark": (
        lambda room: {"landmark": "999999"},
        "landmark",
        "Choose one of the listed places.",
    ),
    "a bad phone": (
        lambda room: {"reporter_phone": "12345"},
        "reporter_phone",
        "Enter a valid phone number, for example +966501234567.",
    ),
    "a name with markup": (
        lambda room: {"reporter_name": "<b>Ali</b>"},
        "reporter_name",
        "Enter plain text: HTML tags such as &lt;b&gt; or &lt;script&gt; are not allowed.",
    ),
    "a photo too large": (
        lambda room: {"photo": large_jpeg()},
        "photo",
        "The file “big.jpg” is",
    ),
    "a text file renamed .jpg": (
        lambda room: {
            "photo": SimpleUploadedFile("gate.jpg", b"not a picture at all", "image/jpeg")
        },
        "photo",
        "The file “gate.jpg” is not a readable image.",
    ),
    "a PNG named .jpg": (
        lambda room: {"photo": photo("gate.jpg", image_format="PNG")},
        "photo",
        "The file “gate.jpg” is not a readable image.",
    ),
    "a PDF": (
        lambda room: {"photo": SimpleUploadedFile("plan.pdf", b"%PDF-1.4 x", "application/pdf")},
        "photo",
        "Attach a photo: a JPEG, PNG or WebP image.",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUT.keys())
def test_bad_input_gets_a_clear_error_and_stores_nothing(
    client, pages, room, stored, settings, case
):
    settings.TICKETS_MAX_UPLOAD_BYTES = 20_000
    changes, field, message = BAD_INPUT[case]
    data = report(room, **changes(room))
    before = stored()

    response = send(client, pages["en"], data)

    assert response.status_code == 200
    text = response.text
    assert message in text
    assert "The report was not sent" in text
    if field is not None:
        assert f'id="id_{field}_error"' in text
        # The summary at the top links to the field with the problem.
        target = f"id_{field}_0" if field == "category" else f"id_{field}"
        assert f'href="#{target}"' in text
    else:
        assert 'id="report-location-error"' in text
        assert 'href="#report-location"' in text
    assert stored() == before


def test_the_refused_form_keeps_the_answers_and_asks_for_the_photo_again(client, pages, room):
    data = report(room, reporter_phone="12345", photo=photo("gate.jpg"))

    text = send(client, pages["en"], data).text

    assert "ازدحام شديد عند البوابة ٢١" in text
    assert f'<option value="{room.landmark.pk}" selected>' in text
    assert "The photo was not kept: choose it again before sending." in text


def test_the_arabic_page_marks_the_field_in_error(client, pages, room):
    response = send(client, pages["ar"], report(room, landmark="", latitude="91", longitude="1"))

    text = response.text
    assert '<html lang="ar" dir="rtl">' in text
    assert re.search(r'<input[^>]*name="latitude"[^>]*aria-invalid="true"', text)
    assert 'aria-describedby="id_latitude_error"' in text
    assert Ticket.objects.count() == 0


def test_the_service_refusal_lands_on_the_form_fields():
    form = IncidentReportForm(data={})
    form.is_valid()
    form.add_service_errors(
        ValidationError(
            {
                "description": ["Too long."],
                "location": ["Somewhere, please."],
                "agency": ["Not this one."],
            }
        )
    )

    assert "Too long." in form.errors["description"]
    assert "Somewhere, please." in form.location_errors
    assert "Somewhere, please." not in form.general_errors
    assert "Not this one." in form.general_errors


# --- bots ---------------------------------------------------------------------------------


def test_a_filled_honeypot_looks_like_success_and_stores_nothing(client, pages, room, stored):
    before = stored()

    response = send(client, pages["en"], report(room, website="http://spam.example"))

    assert response.status_code == 302
    assert response["Location"] == "/en/incidents/received/"
    assert stored() == before
    generic = client.get(response["Location"])
    assert generic.status_code == 200
    assert "your report was received" in generic.text
    assert "/incidents/status/" not in generic.text


def test_the_sixth_report_from_one_address_within_the_hour_is_refused(
    client, pages, room, stored, settings
):
    settings.TICKETS_PUBLIC_RATE = "5/h"
    # Refused reports do not use up the allowance.
    for _attempt in range(3):
        assert send(client, pages["en"], report(room, description="")).status_code == 200
    for number in range(5):
        assert (
            send(client, pages["en"], report(room, description=f"بلاغ {number}")).status_code == 302
        )
    before = stored()

    response = send(client, pages["en"], report(room, description="بلاغ سادس"))

    assert response.status_code == 429
    assert "Too many reports have been sent from your connection" in response.text
    assert "The report was not sent" in response.text
    assert stored() == before
    assert Ticket.objects.count() == 5
    # Another address has its own allowance.
    other = send(client, pages["en"], report(room), address="203.0.113.9")
    assert other.status_code == 302
    assert Ticket.objects.count() == 6
