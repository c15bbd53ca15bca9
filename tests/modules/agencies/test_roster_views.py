"""The portal roster: what a manager can do, what staff can only see, and isolation."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from modules.agencies.models import StaffMember

from .conftest import STAFF_HEADERS_AR, STAFF_HEADERS_EN, csv_upload, make_staff, staff_row


def url(name, *args, language="en", **query):
    with translation.override(language):
        path = reverse(name, args=args)
    if query:
        path += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return path


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8")


PERSON = {
    "name_ar": "سارة القحطاني",
    "name_en": "Sara Alqahtani",
    "national_id": "١٠٠٠٠٠٠٠٠٨",
    "phone": "0501234567",
    "email": "",
    "job_title": "منسقة",
    "gender": "female",
}


@pytest.fixture
def manager(client, manager_a):
    client.force_login(manager_a)
    return client


@pytest.fixture
def viewer(client, staff_a):
    client.force_login(staff_a)
    return client


# --- list, search, filters -----------------------------------------------------------------


def test_list_shows_only_the_agencys_own_roster(manager, agency_a, agency_b, season):
    make_staff(agency_a, season, 2)
    make_staff(agency_b, season, 1, start=50)
    response = manager.get(url("roster:list"))
    assert response.status_code == 200
    text = body(response)
    assert "Staffer 1" in text and "Staffer 2" in text
    assert "Staffer 50" not in text
    assert url("roster:add") in text


@pytest.mark.parametrize(
    "query, expected",
    [
        ("Staffer 2", {"Staffer 2"}),
        ("موظف رقم 3", {"Staffer 3"}),
        ("١٠٠٠٠٠٠٠٢", {"Staffer 2"}),
        ("050 000 0003", {"Staffer 3"}),
    ],
)
def test_search_by_name_id_and_phone(manager, agency_a, season, query, expected):
    make_staff(agency_a, season, 3)
    page = manager.get(url("roster:list"), {"q": query}).context["page_obj"]
    assert {member.name_en for member in page} == expected


def test_filter_active_and_inactive(manager, agency_a, season):
    first, second = make_staff(agency_a, season, 2)
    StaffMember.objects.filter(pk=second.pk).update(is_active=False)
    active = manager.get(url("roster:list"), {"status": "active"}).context["page_obj"]
    inactive = manager.get(url("roster:list"), {"status": "inactive"}).context["page_obj"]
    assert [m.pk for m in active] == [first.pk]
    assert [m.pk for m in inactive] == [second.pk]


def test_list_is_paginated_and_shows_hijri_and_gregorian_dates(manager, agency_a, season):
    make_staff(agency_a, season, 30)
    first = manager.get(url("roster:list"))
    second = manager.get(url("roster:list"), {"page": 2})
    assert len(first.context["page_obj"]) == 25
    assert len(second.context["page_obj"]) == 5
    assert "Dhu al-Qadah 1447" in body(first)
    assert "2026" in body(first)


@pytest.mark.parametrize("size", [5, 50])
def test_list_queries_do_not_grow_with_the_roster(
    manager, agency_a, season, size, django_assert_max_num_queries
):
    make_staff(agency_a, season, size)
    # 15 = 7 for the session, sign-in and session-activity middleware, 4 for who the person
    # is (role, agency, two permission reads), 1 for the portal shell's agency, and 3 for the
    # roster itself: the seasons, the count and one page of staff.
    manager.get(url("roster:list"))  # the first request of a session also records the session
    # Session, user with agency, two permission reads, seasons, count, one page of staff.
    with django_assert_max_num_queries(7):
        response = manager.get(url("roster:list"))
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == min(size, 25)


# --- add, edit, toggle -----------------------------------------------------------------------


def test_manager_adds_to_their_own_agency_whatever_the_form_says(
    manager, agency_a, agency_b, season
):
    response = manager.post(url("roster:add"), {**PERSON, "agency": agency_b.pk})
    assert response.status_code == 302
    member = StaffMember.objects.get()
    assert member.agency == agency_a
    assert member.national_id == "1000000008"
    assert member.phone == "+966501234567"


def test_add_shows_a_duplicate_on_another_roster_without_naming_the_agency(
    manager, agency_b, season
):
    (other,) = make_staff(agency_b, season, 1)
    response = manager.post(url("roster:add"), {**PERSON, "national_id": other.national_id})
    assert response.status_code == 200
    text = body(response)
    assert "already registered with another agency" in text
    assert agency_b.name_en not in text and agency_b.code not in text
    assert 'aria-describedby="id_national_id' in text
    assert StaffMember.objects.count() == 1


def test_add_reports_field_errors_accessibly(manager, season):
    response = manager.post(url("roster:add"), {**PERSON, "national_id": "1000000009"})
    text = body(response)
    assert response.status_code == 200
    assert 'id="id_national_id_error"' in text
    assert 'aria-invalid="true"' in text


def test_manager_edits_and_toggles(manager, agency_a, season):
    (member,) = make_staff(agency_a, season, 1)
    data = {**PERSON, "national_id": member.national_id, "job_title": "قائد فريق"}
    assert manager.post(url("roster:edit", member.pk), data).status_code == 302
    member.refresh_from_db()
    assert member.job_title == "قائد فريق"
    assert member.name_en == "Sara Alqahtani"

    list_url = url("roster:list", status="active")
    response = manager.post(url("roster:toggle-active", member.pk), {"next": list_url})
    assert response.status_code == 302
    assert response["Location"] == list_url
    member.refresh_from_db()
    assert member.is_active is False
    manager.post(url("roster:toggle-active", member.pk), {"next": "https://evil.example/"})
    member.refresh_from_db()
    assert member.is_active is True


def test_toggle_is_post_only(manager, agency_a, season):
    (member,) = make_staff(agency_a, season, 1)
    assert manager.get(url("roster:toggle-active", member.pk)).status_code == 405


def test_another_agencys_staff_is_not_found(manager, agency_b, season):
    (foreign,) = make_staff(agency_b, season, 1)
    assert manager.get(url("roster:edit", foreign.pk)).status_code == 404
    assert manager.post(url("roster:edit", foreign.pk), PERSON).status_code == 404
    assert manager.post(url("roster:toggle-active", foreign.pk)).status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_active and foreign.name_en == "Staffer 1"


# --- agency staff: view only ------------------------------------------------------------------


def test_staff_can_view_and_export_but_not_change(viewer, agency_a, season):
    (member,) = make_staff(agency_a, season, 1)
    response = viewer.get(url("roster:list"))
    assert response.status_code == 200
    text = body(response)
    assert url("roster:add") not in text
    assert url("roster:import") not in text
    assert url("roster:edit", member.pk) not in text
    assert viewer.get(url("roster:export")).status_code == 200

    assert viewer.get(url("roster:add")).status_code == 403
    assert viewer.post(url("roster:add"), PERSON).status_code == 403
    assert viewer.get(url("roster:edit", member.pk)).status_code == 403
    assert viewer.post(url("roster:toggle-active", member.pk)).status_code == 403
    assert viewer.get(url("roster:import")).status_code == 403
    upload = csv_upload([STAFF_HEADERS_EN, staff_row(9)])
    assert viewer.post(url("roster:import"), {"file": upload}).status_code == 403
    assert viewer.get(url("roster:template", "csv")).status_code == 403
    assert StaffMember.objects.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(url("roster:list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- import, templates, export ----------------------------------------------------------------


@pytest.mark.parametrize(
    "language, required",
    [("en", "This field is required."), ("ar", "هذا الحقل مطلوب.")],
)
def test_import_page_shows_every_bad_row_and_imports_nothing(manager, season, language, required):
    rows = [STAFF_HEADERS_EN, staff_row(1), staff_row(2, name_ar=""), staff_row(3)]
    response = manager.post(url("roster:import", language=language), {"file": csv_upload(rows)})
    assert response.status_code == 200
    text = body(response)
    assert '<th scope="row">3</th>' in text
    assert "Name (Arabic)" in text
    assert required in text
    assert StaffMember.objects.count() == 0


def test_import_success_redirects_with_a_summary(manager, agency_a, season):
    rows = [STAFF_HEADERS_AR, staff_row(1), staff_row(2)]
    response = manager.post(url("roster:import"), {"file": csv_upload(rows)}, follow=True)
    assert response.redirect_chain[-1][0] == url("roster:list")
    assert "2 people were added to the roster." in body(response)
    assert StaffMember.objects.filter(agency=agency_a).count() == 2


def test_import_file_error_is_shown_on_the_field(manager, season):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    response = manager.post(url("roster:import"), {"file": upload})
    text = body(response)
    assert response.status_code == 200
    assert 'id="id_file_error"' in text
    assert "not CSV text" in text


@pytest.mark.parametrize("language, headers", [("en", STAFF_HEADERS_EN), ("ar", STAFF_HEADERS_AR)])
def test_templates_have_the_headers_in_the_users_language(manager, season, language, headers):
    csv_response = manager.get(url("roster:template", "csv", language=language))
    assert csv_response["Content-Type"].startswith("text/csv")
    assert csv_response["Content-Disposition"] == 'attachment; filename="roster-template.csv"'
    assert csv_response.content.decode("utf-8") == "\ufeff" + ",".join(headers) + "\r\n"

    xlsx_response = manager.get(url("roster:template", "xlsx", language=language))
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_response.content))
    assert [cell.value for cell in workbook.worksheets[0][1]] == headers
    assert len(workbook.worksheets) == 2
    assert manager.get(url("roster:template", "json")).status_code == 404


def test_export_is_utf8_with_bom_and_only_the_agencys_staff(manager, agency_a, agency_b, season):
    make_staff(agency_a, season, 2)
    make_staff(agency_b, season, 1, start=50)
    StaffMember.objects.filter(agency=agency_a, name_en="Staffer 2").update(job_title="=1+1")
    response = manager.get(url("roster:export"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="roster-1447.csv"'
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join([*STAFF_HEADERS_EN, "Status"])
    assert len(lines) == 3
    assert "Staffer 50" not in raw.decode("utf-8")
    assert "'=1+1" in lines[2]


def test_export_follows_the_filters(manager, agency_a, season):
    make_staff(agency_a, season, 3)
    response = manager.get(url("roster:export"), {"q": "Staffer 2"})
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 2 and "Staffer 2" in lines[1]


def test_markup_in_a_name_is_refused_and_nothing_is_imported(manager, agency_a, season):
    rows = [STAFF_HEADERS_EN, staff_row(1), staff_row(2, name_en="<script>alert(1)</script>")]
    with translation.override("en"):
        text = body(manager.post(url("roster:import"), {"file": csv_upload(rows)}))
    assert "HTML tags" in text
    assert "<script>alert(1)</script>" not in text
    assert not StaffMember.objects.exists()
