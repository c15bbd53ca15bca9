"""Agency people never reach the Wagtail admin; committee people reach it with TOTP."""

import pytest
from django.contrib.auth.models import Permission

from tests.support.fixtures import PASSWORD
from tests.support.mfa import MFA_AUTHENTICATE_URL, sign_in, totp_code

ADMIN_PATHS = [
    "/admin/",
    "/admin/pages/",
    "/admin/users/",
    "/admin/audit_log/",
    "/admin/staff_members/",
]


@pytest.mark.parametrize("person", ["manager_a", "staff_a"])
def test_agency_people_get_403_even_with_the_admin_permission(request, client, person):
    user = request.getfixturevalue(person)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    assert user.__class__.objects.get(pk=user.pk).has_perm("wagtailadmin.access_admin")
    sign_in(client, user.email, PASSWORD)
    for path in ADMIN_PATHS:
        assert client.get(path).status_code == 403, path


def test_committee_administrator_with_totp_reaches_the_admin(
    client, admin_with_totp, admin_totp_secret
):
    response = sign_in(client, admin_with_totp.email, PASSWORD)
    assert response["Location"] == MFA_AUTHENTICATE_URL
    response = client.post(MFA_AUTHENTICATE_URL, {"code": totp_code(admin_totp_secret)})
    assert response["Location"] == "/admin/"
    response = client.get("/admin/")
    assert response.status_code == 200
    assert b"wagtail" in response.content.lower()
