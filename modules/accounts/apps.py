from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    # This module holds two configurations; "modules.accounts" in INSTALLED_APPS means this one.
    default = True
    name = "modules.accounts"
    verbose_name = _("Accounts")


class RifadaUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's users app with our user admin: listed in INSTALLED_APPS instead of
    "wagtail.users"."""

    default = False
    user_viewset = "modules.accounts.admin_views.UserViewSet"
