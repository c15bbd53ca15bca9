"""Start-up checks: an SMS gateway that cannot work is reported before the first SMS fails."""

from django.conf import settings
from django.core.checks import Error, register
from django.utils.module_loading import import_string

from .backends import DeliveryError, HttpSmsBackend, render_body

TEMPLATE_HINT = 'Write each placeholder inside a JSON string: {"to": "{to}", "text": "{text}"}'


@register()
def check_sms_gateway(app_configs, **kwargs):
    config = settings.NOTIFICATIONS
    try:
        backend_class = import_string(config["SMS_BACKEND"])
    except ImportError as exc:
        message = f"NOTIFICATIONS['SMS_BACKEND'] cannot be imported: {exc}"
        return [Error(message, id="notifications.E001")]
    if not issubclass(backend_class, HttpSmsBackend):
        return []
    errors = []
    if not config["SMS_GATEWAY_URL"]:
        message = "HttpSmsBackend needs NOTIFICATIONS['SMS_GATEWAY_URL']."
        errors.append(Error(message, id="notifications.E002"))
    try:
        render_body(config["SMS_BODY_TEMPLATE"], sender='"s"', to="+966500000000", text="a\nb")
    except DeliveryError as exc:
        errors.append(Error(str(exc), hint=TEMPLATE_HINT, id="notifications.E003"))
    return errors
