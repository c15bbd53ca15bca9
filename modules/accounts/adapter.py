from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    """No public sign-up: committee administrators create every account."""

    def is_open_for_signup(self, request):
        return False

    def get_login_redirect_url(self, request):
        user = request.user
        if user.is_committee and user.has_perm("wagtailadmin.access_admin"):
            return reverse("wagtailadmin_home")
        return reverse("portal:home")
