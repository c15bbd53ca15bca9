"""Committee people must use a TOTP authenticator; agency people are not asked for one."""

from allauth.mfa.models import Authenticator

from tests.support.fixtures import PASSWORD
from tests.support.mfa import MFA_AUTHENTICATE_URL, recovery_codes, sign_in, totp_code

ACTIVATE_URL = "/ar/accounts/2fa/totp/activate/"
REAUTHENTICATE_URL = "/ar/accounts/reauthenticate/"


def _sign_out(client):
    client.post("/ar/accounts/logout/")


def _open_totp_activation(client) -> str:
    """allauth asks for the password again before an authenticator is added; the secret."""
    response = client.get(ACTIVATE_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(REAUTHENTICATE_URL)
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == ACTIVATE_URL
    assert client.get(ACTIVATE_URL).status_code == 200
    return client.session["mfa.totp.secret"]


def test_committee_person_sets_up_totp_before_the_admin_then_needs_codes(
    client, committee_admin, settings
):
    # Codes of the neighbouring 30-second periods are accepted, so the test can use a fresh
    # code at each step instead of waiting: allauth refuses a code that was used once.
    settings.MFA_TOTP_TOLERANCE = 1

    response = sign_in(client, committee_admin.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"

    for path in ("/admin/", "/admin/pages/", "/admin/users/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(ACTIVATE_URL), path

    secret = _open_totp_activation(client)
    wrong = "000000" if totp_code(secret) != "000000" else "111111"
    response = client.post(ACTIVATE_URL, {"code": wrong})
    assert response.status_code == 200, "a wrong code does not activate"
    assert not Authenticator.objects.filter(user=committee_admin).exists()

    response = client.post(ACTIVATE_URL, {"code": totp_code(secret, steps_ahead=-1)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=committee_admin, type=Authenticator.Type.TOTP).exists()
    assert client.get("/admin/").status_code == 200

    # From now on the password alone is not enough.
    _sign_out(client)
    response = sign_in(client, committee_admin.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == MFA_AUTHENTICATE_URL
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]

    code = totp_code(secret)
    response = client.post(MFA_AUTHENTICATE_URL, {"code": code})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200

    _sign_out(client)
    sign_in(client, committee_admin.email, PASSWORD)
    response = client.post(MFA_AUTHENTICATE_URL, {"code": code})
    assert response.status_code == 200, "a code signs in only once"
    response = client.post(MFA_AUTHENTICATE_URL, {"code": totp_code(secret, steps_ahead=1)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_recovery_codes_sign_in_once_each(client, committee_admin, settings):
    settings.MFA_TOTP_TOLERANCE = 1
    sign_in(client, committee_admin.email, PASSWORD)
    secret = _open_totp_activation(client)
    client.post(ACTIVATE_URL, {"code": totp_code(secret)})
    codes = recovery_codes(committee_admin)
    assert len(codes) == 10
    _sign_out(client)

    sign_in(client, committee_admin.email, PASSWORD)
    response = client.post(MFA_AUTHENTICATE_URL, {"code": codes[0]})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert codes[0] not in recovery_codes(committee_admin)
    _sign_out(client)

    sign_in(client, committee_admin.email, PASSWORD)
    response = client.post(MFA_AUTHENTICATE_URL, {"code": codes[0]})
    assert response.status_code == 200, "a used recovery code is refused"
    response = client.post(MFA_AUTHENTICATE_URL, {"code": codes[1]})
    assert response.status_code == 302


def test_agency_people_are_not_asked_for_a_second_factor(client, manager_a):
    response = sign_in(client, manager_a.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/ar/portal/"
    response = client.get("/ar/portal/")
    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=manager_a).exists()
