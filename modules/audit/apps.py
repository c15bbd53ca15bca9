from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _

# System records that are themselves a log; auditing them would log the log.
NOT_AUDITED = {"audit", "notifications"}


class AuditConfig(AppConfig):
    name = "modules.audit"
    verbose_name = _("Audit")

    def ready(self):
        from .recorder import register

        for config in apps.get_app_configs():
            if not config.name.startswith("modules.") or config.label in NOT_AUDITED:
                continue
            for model in config.get_models():
                # A model says `audited = False` when it is derived data (a rollup).
                if getattr(model, "audited", True):
                    register(model)
