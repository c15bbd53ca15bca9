"""Who may enter the Wagtail admin, and committee MFA.

Agency users never reach `/admin/` (403 even if a permission was granted by mistake), and a
committee person without a TOTP authenticator is sent to set one up before anything else.
"""

from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

ADMIN_PREFIX = "/admin/"
# Pages a committee person without TOTP may still open: setting it up (allauth asks for the
# password again first), and signing out.
MFA_SETUP_PATHS = ("/accounts/2fa/", "/accounts/reauthenticate/", "/accounts/logout/")


class AdminAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            if request.path.startswith(ADMIN_PREFIX) and not user.is_committee:
                raise PermissionDenied
            if user.is_committee and self._needs_mfa(request, user):
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('mfa_activate_totp')}?{query}")
        return self.get_response(request)

    @staticmethod
    def _needs_mfa(request, user) -> bool:
        if not settings.MFA_REQUIRED_FOR_COMMITTEE:
            return False
        path = request.path
        if path.startswith((settings.STATIC_URL, "/healthz", "/i18n/")):
            return False
        if any(part in path for part in MFA_SETUP_PATHS):
            return False
        # Asked on every request rather than remembered in the session, so that removing the
        # authenticator takes effect at once.
        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
