"""A fixed, published TOTP secret for the demo committee accounts.

Committee people must sign in with a second factor. On a demo nobody has the authenticator
app that enrolled, so every committee demo account shares this secret: add it to any
authenticator app, or print the current code with `manage.py demo_totp <email>`.
"""

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt, encrypt

from .records import Tally

# Base32 (letters A–Z only), so it can be typed into an authenticator app as it is.
DEMO_TOTP_SECRET = "RIFADADEMOTOTPSECRETKEYFORHAJJAA"  # noqa: S105 - public on purpose


def ensure_demo_authenticators(*, user, tally: Tally) -> None:
    """A TOTP authenticator with the demo secret and a set of recovery codes."""
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp is None:
        TOTP.activate(user, DEMO_TOTP_SECRET)
        tally.created += 1
    elif decrypt(totp.data["secret"]) != DEMO_TOTP_SECRET:
        totp.data = {**totp.data, "secret": encrypt(DEMO_TOTP_SECRET)}
        totp.save(update_fields=["data"])
        tally.updated += 1
    else:
        tally.unchanged += 1

    if Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists():
        tally.unchanged += 1
    else:
        RecoveryCodes.activate(user)
        tally.created += 1


def current_totp_code(user) -> tuple[str, int]:
    """The code the user's authenticator shows now, and the seconds it stays current."""
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    now = int(time.time())
    period = mfa_settings.TOTP_PERIOD
    code = format_hotp_value(hotp_value(secret, now // period))
    return code, period - now % period
