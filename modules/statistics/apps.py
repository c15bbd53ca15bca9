from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "modules.statistics"
    label = "statistics"
    verbose_name = _("Daily statistics")

    def ready(self):
        from . import public_indicators  # noqa: F401  (fills the home page's indicator area)
