from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DailyMessagesConfig(AppConfig):
    name = "cms.daily_messages"
    label = "daily_messages"
    verbose_name = _("Daily messages")
