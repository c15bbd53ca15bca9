"""How a recorded message leaves: e-mail through Django's mail backend, SMS through the
backend named by `settings.NOTIFICATIONS["SMS_BACKEND"]`.

Only `tasks.send_message` calls these; every module goes through `services.notify()`.
A backend's `send(message)` returns the provider's id for the message (may be empty) or
raises `DeliveryError`.
"""

import json
import logging
import re
from email.utils import make_msgid
from typing import TYPE_CHECKING, Any, Protocol

import requests
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.utils import DNS_NAME
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from urllib3.exceptions import NewConnectionError

from .models import Channel

if TYPE_CHECKING:
    from .models import Message

logger = logging.getLogger(__name__)

# A gateway may answer with a whole HTML error page; the record keeps the start of it.
DETAIL_MAX_LENGTH = 300


class DeliveryError(Exception):
    """The message was not delivered; the text says why, for the committee to read.

    `outcome_unknown` is set when the provider may have accepted the message although we
    saw no answer (it timed out, or the connection broke after the request left). Sending
    it again could reach the person twice, so such a message is not retried automatically.
    """

    def __init__(self, reason: str, *, outcome_unknown: bool = False):
        super().__init__(reason)
        self.outcome_unknown = outcome_unknown


class Backend(Protocol):
    def send(self, message: "Message") -> str: ...


def backend_for(channel: str) -> Backend:
    if channel == Channel.EMAIL:
        return EmailBackend()
    return import_string(settings.NOTIFICATIONS["SMS_BACKEND"])()


class EmailBackend:
    """Text with an HTML alternative, through Django's EMAIL_BACKEND (console, SMTP…).

    The provider id is the Message-ID header we set, so a bounce can be matched to the
    record. A failed e-mail is retried: an SMTP server that times out after accepting the
    data could in rare cases deliver it twice, which is a lesser harm than a lost invitation.
    """

    def send(self, message: "Message") -> str:
        message_id = make_msgid(domain=str(DNS_NAME))
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body_text,
            to=[message.recipient],
            headers={"Message-ID": message_id, "Content-Language": message.language},
        )
        if message.body_html:
            email.attach_alternative(message.body_html, "text/html")
        try:
            sent = email.send()
        except OSError as exc:  # smtplib.SMTPException is an OSError, as are socket errors
            raise DeliveryError(
                _("The mail server did not accept the e-mail: %(error)s") % {"error": exc}
            ) from exc
        if not sent:
            raise DeliveryError(_("The mail backend sent nothing."))
        return message_id


class ConsoleSmsBackend:
    """Development: the SMS is written to the log, nothing leaves the machine."""

    def send(self, message: "Message") -> str:
        logger.info("SMS to %s:\n%s", message.recipient, message.body_text)
        return ""


class HttpSmsBackend:
    """A generic HTTP SMS gateway, configured entirely by `settings.NOTIFICATIONS`:

    - `SMS_GATEWAY_URL`: the URL the message is POSTed to;
    - `SMS_GATEWAY_AUTH_HEADER`: the whole `Authorization` header value (`Bearer …`,
      `Basic …`), left out when empty;
    - `SMS_BODY_TEMPLATE`: the JSON body, with `{sender}`, `{to}` and `{text}` placeholders
      written inside JSON strings, e.g. `{"from": "{sender}", "to": ["{to}"], "text": "{text}"}`;
      the values are JSON-escaped, so quotes, new lines and Arabic text are safe;
    - `SMS_SENDER_ID`: the value of `{sender}`;
    - `SMS_ID_FIELD`, `SMS_ERROR_FIELD`: where the provider puts its message id and its
      error in the JSON answer, as dotted paths (`id`, `data.message_id`, `messages.0.id`);
    - `SMS_TIMEOUT`: seconds to wait for the connection and for the answer.

    A non-2xx answer or a non-empty error field is a failure, as is a network error. The
    gateway is never asked twice within one attempt (no automatic HTTP retries).
    """

    def __init__(self):
        self.config = settings.NOTIFICATIONS

    def send(self, message: "Message") -> str:
        config = self.config
        if not config["SMS_GATEWAY_URL"]:
            raise DeliveryError(_("No SMS gateway URL is configured (SMS_GATEWAY_URL)."))
        body = render_body(
            config["SMS_BODY_TEMPLATE"],
            sender=config["SMS_SENDER_ID"],
            to=message.recipient,
            text=message.body_text,
        )
        headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"}
        if config["SMS_GATEWAY_AUTH_HEADER"]:
            headers["Authorization"] = config["SMS_GATEWAY_AUTH_HEADER"]
        try:
            response = requests.post(
                config["SMS_GATEWAY_URL"],
                data=body.encode("utf-8"),
                headers=headers,
                timeout=config["SMS_TIMEOUT"],
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            raise _network_failure(exc, config["SMS_TIMEOUT"]) from exc
        return self._provider_id(response)

    def _provider_id(self, response: requests.Response) -> str:
        try:
            answer = response.json()
        except ValueError:
            answer = None
        error = lookup(answer, self.config["SMS_ERROR_FIELD"])
        if not 200 <= response.status_code < 300:
            detail = _as_text(error) or response.text.strip()[:DETAIL_MAX_LENGTH] or response.reason
            raise DeliveryError(
                _("The SMS gateway answered HTTP %(status)s: %(detail)s")
                % {"status": response.status_code, "detail": detail}
            )
        if error:
            raise DeliveryError(
                _("The SMS gateway reported an error: %(detail)s") % {"detail": _as_text(error)}
            )
        provider_id = _as_text(lookup(answer, self.config["SMS_ID_FIELD"]))
        if not provider_id:
            logger.warning(
                "The SMS gateway accepted a message without an id: %s",
                response.text[:DETAIL_MAX_LENGTH],
            )
        return provider_id


_PLACEHOLDER = re.compile(r"\{(sender|to|text)\}")


def render_body(template: str, **values: str) -> str:
    """The gateway's JSON body with each placeholder replaced by its JSON-escaped value."""
    body = _PLACEHOLDER.sub(
        lambda match: json.dumps(values[match.group(1)], ensure_ascii=False)[1:-1], template
    )
    try:
        json.loads(body)
    except ValueError as exc:
        raise DeliveryError(
            _("SMS_BODY_TEMPLATE is not valid JSON once filled in: %(error)s") % {"error": exc}
        ) from exc
    return body


def lookup(data: Any, path: str) -> Any:
    """The value at a dotted path ("data.id", "messages.0.id"), None where anything is missing."""
    if not path:
        return None
    for part in path.split("."):
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    return data


def _as_text(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    return str(value)[:DETAIL_MAX_LENGTH]


# Raised before any byte of the request reached the gateway: sending again is safe.
_NOT_SENT = (
    requests.ConnectTimeout,
    requests.exceptions.SSLError,
    requests.exceptions.InvalidURL,
    requests.exceptions.MissingSchema,
    requests.exceptions.InvalidSchema,
    requests.exceptions.InvalidHeader,
)


def _network_failure(exc: requests.RequestException, timeout: float) -> DeliveryError:
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    if isinstance(exc, _NOT_SENT) or isinstance(reason, NewConnectionError):
        return DeliveryError(_("Could not reach the SMS gateway: %(error)s") % {"error": exc})
    if isinstance(exc, requests.Timeout):
        return DeliveryError(
            _(
                "The SMS gateway did not answer within %(seconds)s seconds. The SMS may have "
                "been sent: check with the provider before sending it again."
            )
            % {"seconds": timeout},
            outcome_unknown=True,
        )
    return DeliveryError(
        _(
            "The connection to the SMS gateway broke after the request was sent (%(error)s). "
            "The SMS may have been sent: check with the provider before sending it again."
        )
        % {"error": exc},
        outcome_unknown=True,
    )
