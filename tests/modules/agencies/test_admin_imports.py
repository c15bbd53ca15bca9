"""The committee's import pages in the Wagtail admin."""

import io

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse

from modules.accounts.models import User
from modules.accounts.services import user_update_profile
from modules.agencies.models import StaffMember

from .conftest import STAFF_HEADERS_EN, csv_upload, staff_row

ACCOUNT_HEADERS = [
    "E-mail",
    "First name",
    "Last name",
    "Mobile phone",
    "Preferred language",
    "Role",
    "Agency code",
]


def test_staff_import_for_several_agencies(admin_client, agency_a, agency_b, season):
    page = admin_client.get(reverse("agencies_import_staff"))
    assert page.status_code == 200
    assert "Agency code" in page.content.decode()

    rows = [
        [*STAFF_HEADERS_EN, "Agency code"],
        [*staff_row(1), "agency-a"],
        [*staff_row(2), "agency-b"],
    ]
    response = admin_client.post(
        reverse("agencies_import_staff"), {"file": csv_upload(rows)}, follow=True
    )
    assert response.redirect_chain == [(reverse("agencies_import_staff"), 302)]
    assert "2 people were added to the rosters." in response.content.decode()
    assert dict(StaffMember.objects.values_list("name_en", "agency__code")) == {
        "Staffer 1": "agency-a",
        "Staffer 2": "agency-b",
    }


def test_staff_import_errors_use_the_shared_table(admin_client, agency_a, season):
    rows = [[*STAFF_HEADERS_EN, "Agency code"], [*staff_row(1), "agency-z"]]
    response = admin_client.post(reverse("agencies_import_staff"), {"file": csv_upload(rows)})
    text = response.content.decode()
    assert response.status_code == 200
    assert 'class="listing"' in text
    assert '<th scope="row">2</th>' in text
    assert "agency-z" in text
    assert not StaffMember.objects.exists()


def test_account_import_creates_and_invites(
    admin_client, agency_a, django_capture_on_commit_callbacks
):
    rows = [
        ACCOUNT_HEADERS,
        ["new@example.org", "New", "Person", "", "en", "agency_staff", "agency-a"],
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("agencies_import_accounts"), {"file": csv_upload(rows)}
        )
    assert response.status_code == 302
    user = User.objects.get(email="new@example.org")
    assert user.membership.agency == agency_a
    assert [message.to for message in mail.outbox] == [["new@example.org"]]


@pytest.mark.parametrize(
    "kind, first_header", [("staff", "الاسم بالعربية"), ("accounts", "البريد الإلكتروني")]
)
def test_templates_in_the_admins_language(admin_client, committee_admin, kind, first_header):
    user_update_profile(
        user=committee_admin, first_name="", last_name="", phone="", preferred_language="ar"
    )
    response = admin_client.get(reverse("agencies_import_template", args=[kind, "xlsx"]))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    headers = [cell.value for cell in workbook.worksheets[0][1]]
    assert headers[0] == first_header
    assert headers[-1] == "رمز الجهة"
    assert workbook.worksheets[0].sheet_view.rightToLeft
    csv_response = admin_client.get(reverse("agencies_import_template", args=[kind, "csv"]))
    assert csv_response.content.startswith(b"\xef\xbb\xbf")
    assert (
        admin_client.get(reverse("agencies_import_template", args=["other", "csv"])).status_code
        == 404
    )


def test_the_menu_offers_both_imports(admin_client):
    text = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("agencies_import_staff") in text
    assert reverse("agencies_import_accounts") in text


def test_agency_people_never_reach_the_admin_imports(client, manager_a, season):
    client.force_login(manager_a)
    for name in ("agencies_import_staff", "agencies_import_accounts"):
        assert client.get(reverse(name)).status_code == 403
    rows = [STAFF_HEADERS_EN, staff_row(1)]
    response = client.post(reverse("agencies_import_staff"), {"file": csv_upload(rows)})
    assert response.status_code == 403
    assert not StaffMember.objects.exists()
