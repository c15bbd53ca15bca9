"""The reporter's private status page (/<lang>/incidents/status/<reference>/<token>/): the
right token opens it, any other is a 404; it shows the status in plain words, the category,
the report time in Hijri and Gregorian and the public timeline, and never internal comments,
reasons or anyone's name; never cached or indexed; a bounded number of queries."""

import datetime

import pytest
from django.utils import translation

from modules.core.demo.report_page import ensure_report_page
from modules.core.hijri import format_dual
from modules.tickets import services
from tests.support.tickets import at, make_ticket

pytestmark = pytest.mark.django_db

REPORTED = at("2026-05-20 10:00")
# The page-cache lookup (a miss), the ticket, its events, the report page and its address.
STATUS_QUERIES = 5


def status_url(ticket, language="ar", token=None) -> str:
    return f"/{language}/incidents/status/{ticket.reference}/{token or ticket.status_token}/"


@pytest.fixture
def ticket(room):
    return make_ticket(room, now=REPORTED, reporter_name="سالم", reporter_phone="0501234567")


def later(minutes: int) -> datetime.datetime:
    return REPORTED + datetime.timedelta(minutes=minutes)


def test_the_link_opens_the_status_page(client, ticket, room):
    response = client.get(status_url(ticket, "en"))

    assert response.status_code == 200
    text = response.text
    assert ticket.reference in text
    assert room.category.name_en in text
    assert "Your report is with the agency responsible" in text
    assert "Report received" in text
    assert "Passed to Agency agency-a" in text
    with translation.override("en"):
        assert format_dual(REPORTED.date()) in text
    assert "10:00" in text and "07:00" not in text  # Riyadh time, not UTC


def test_the_arabic_page_reads_right_to_left(client, ticket, room):
    response = client.get(status_url(ticket, "ar"))

    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in response.text
    assert room.category.name_ar in response.text
    assert "هـ" in response.text  # the Hijri date


@pytest.mark.parametrize(
    "path",
    [
        "wrong-token",
        "short",
        "",
    ],
)
def test_a_wrong_token_is_not_found(client, ticket, path):
    token = ticket.status_token[:-1] + ("A" if ticket.status_token[-1] != "A" else "B")
    wrong = {"wrong-token": token, "short": ticket.status_token[:10], "": "x"}[path]

    assert client.get(status_url(ticket, token=wrong)).status_code == 404


def test_another_reports_token_does_not_open_this_one(client, ticket, room):
    other = make_ticket(room, now=REPORTED)

    response = client.get(f"/ar/incidents/status/{ticket.reference}/{other.status_token}/")

    assert response.status_code == 404


@pytest.mark.parametrize(
    "tail",
    ["1448-999999/abc/", "../../admin/", "1448-000001/%D8%B9%D8%B1%D8%A8%D9%8A/", "x" * 30 + "/a/"],
)
def test_malformed_links_are_not_found(client, ticket, tail):
    assert client.get(f"/ar/incidents/status/{tail}").status_code == 404


def test_the_page_is_private(client, ticket):
    response = client.get(status_url(ticket))

    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert '<meta name="robots" content="noindex, nofollow">' in response.text
    # What the reporter typed stays with the room: the page does not repeat it.
    assert ticket.description not in response.text
    assert "سالم" not in response.text
    assert "0501234567" not in response.text and "+966501234567" not in response.text


def test_the_timeline_shows_status_changes_and_public_words_only(
    client, ticket, manager_a, operator, agency_b
):
    services.ticket_comment(
        ticket=ticket, actor=manager_a, text="ملاحظة داخلية: الفريق مشغول", now=later(2)
    )
    services.ticket_acknowledge(ticket=ticket, actor=manager_a, now=later(3))
    services.ticket_start(ticket=ticket, actor=manager_a, now=later(4))
    services.ticket_comment(
        ticket=ticket,
        actor=operator,
        text="نعمل على إرسال فريق إضافي",
        is_public=True,
        now=later(5),
    )
    services.ticket_comment(ticket=ticket, actor=operator, text="سرّي: راجع المشرف", now=later(6))
    services.ticket_pause(
        ticket=ticket, actor=operator, reason="انتظار الدفاع المدني", now=later(7)
    )
    services.ticket_resume(ticket=ticket, actor=operator, now=later(8))
    services.ticket_resolve(
        ticket=ticket, actor=manager_a, note="تم تنظيم الدخول عبر البوابة", now=later(30)
    )
    services.ticket_close(ticket=ticket, actor=operator, now=later(40))
    services.ticket_reopen(
        ticket=ticket, actor=operator, reason="عاد الازدحام حسب المشرف فهد", now=later(50)
    )
    services.ticket_assign(
        ticket=ticket, actor=operator, agency=agency_b, reason="ليست من اختصاصهم", now=later(51)
    )

    response = client.get(status_url(ticket, "en"))

    text = response.text
    for step in (
        "Report received",
        "Passed to Agency agency-a",
        "The agency confirmed the report",
        "Work started",
        "Update from the operations room",
        "نعمل على إرسال فريق إضافي",
        "Resolved",
        "تم تنظيم الدخول عبر البوابة",
        "Closed",
        "Reopened",
    ):
        assert step in text, step
    assert text.index("Report received") < text.index("Resolved") < text.index("Reopened")
    for hidden in (
        "ملاحظة داخلية",
        "سرّي",
        "انتظار الدفاع المدني",
        "عاد الازدحام",
        "ليست من اختصاصهم",
        manager_a.email,
        manager_a.first_name,
        operator.email,
        operator.first_name,
    ):
        assert hidden not in text, hidden


def test_a_resolved_report_says_what_was_done(client, ticket, manager_a):
    services.ticket_resolve(ticket=ticket, actor=manager_a, note="أُزيل العائق", now=later(20))

    response = client.get(status_url(ticket, "en"))

    assert "The problem has been dealt with." in response.text
    assert "What was done" in response.text
    assert response.text.count("أُزيل العائق") == 2  # under the status, and in the timeline


def comment_publicly(ticket, operator, count: int) -> None:
    for number in range(count):
        services.ticket_comment(
            ticket=ticket, actor=operator, text=f"تحديث {number}", is_public=True, now=later(number)
        )


@pytest.mark.parametrize("updates", [2, 20])
def test_the_status_page_costs_the_same_queries_for_any_timeline(
    client, ticket, operator, public_site, updates, django_assert_max_num_queries
):
    ensure_report_page(public_site.ar.home)
    comment_publicly(ticket, operator, updates)
    client.get(status_url(ticket))  # Wagtail's site root paths are cached from here on

    with django_assert_max_num_queries(STATUS_QUERIES):
        response = client.get(status_url(ticket))

    assert response.status_code == 200
    assert response.text.count("report-timeline__item ") == updates + 2
