from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "modules.portal"
    verbose_name = _("Agency portal")

    def ready(self):
        # Every installed app may contribute home-page cards from its portal_cards.py.
        autodiscover_modules("portal_cards")
