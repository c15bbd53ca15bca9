"""Signing in as the tests need it: allauth's forms, and TOTP codes from allauth's helpers."""

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

LOGIN_URL = "/ar/accounts/login/"
MFA_AUTHENTICATE_URL = "/ar/accounts/2fa/authenticate/"
LOGOUT_URL = "/ar/accounts/logout/"


def totp_code(secret: str, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now (or `steps_ahead` periods from now)."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD + steps_ahead
    return format_hotp_value(hotp_value(secret, counter))


def activate_totp(user) -> str:
    """Give `user` a TOTP authenticator, as finishing allauth's activation would; its secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def recovery_codes(user) -> list[str]:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    return authenticator.wrap().get_unused_codes()


def sign_in(client, email: str, password: str, *, url: str = LOGIN_URL):
    return client.post(url, {"login": email, "password": password})
