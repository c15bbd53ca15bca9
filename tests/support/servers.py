"""Real servers on loopback for tests: an SMTP server and an HTTP SMS gateway stand-in.

Each server starts once per test session on 127.0.0.1 at a free port. The function-scoped
fixtures `smtp_server` and `sms_gateway` clear what the server recorded, point the settings
at it (restored after the test) and return it::

    def test_invitation_is_mailed(smtp_server, ...):
        ...                                   # anything that sends through notify()
        [mail] = smtp_server.messages         # email.message.EmailMessage objects
        assert mail["To"] == "person@example.org"

    def test_sms_is_retried(sms_gateway, ...):
        sms_gateway.fail_next(2, status=503)  # the next two requests get HTTP 503
        ...
        assert sms_gateway.requests[-1].json["to"] == "+966500000001"

Both servers record a message before answering, so once a send has returned, what it sent
is already in the list. `delay` (seconds, settable) slows every answer: long enough to make
a client time out, or to keep one sender busy while another tries the same message.
"""

import asyncio
import contextlib
import email
import email.policy
import itertools
import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


# --- SMTP -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


class SmtpServer:
    """An aiosmtpd server that keeps every message it accepts.

    `fail_next(n, reply)` makes it refuse the next n messages with an SMTP reply (a
    temporary 451 by default), after which it accepts again.
    """

    def __init__(self):
        self.host = LOOPBACK
        self.port = free_port()
        self.delay = 0.0
        self._lock = threading.Lock()
        self._received: list[ReceivedMail] = []
        self._failures: deque[str] = deque()
        self._controller = Controller(self, hostname=self.host, port=self.port)

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    def reset(self) -> None:
        with self._lock:
            self._received.clear()
            self._failures.clear()
            self.delay = 0.0

    def fail_next(self, count: int = 1, reply: str = "451 4.3.0 Try again later") -> None:
        with self._lock:
            self._failures.extend([reply] * count)

    @property
    def received(self) -> list[ReceivedMail]:
        with self._lock:
            return list(self._received)

    @property
    def messages(self) -> list[EmailMessage]:
        return [mail.message for mail in self.received]

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd hook)
        if self.delay:
            await asyncio.sleep(self.delay)
        with self._lock:
            if self._failures:
                return self._failures.popleft()
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            self._received.append(
                ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), message)
            )
        return "250 2.0.0 Message accepted for delivery"


@pytest.fixture(scope="session")
def _smtp_server_process():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp_server(_smtp_server_process, settings) -> SmtpServer:
    """The loopback SMTP server, with Django's SMTP backend pointed at it for this test."""
    server = _smtp_server_process
    server.reset()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.reset()


# --- SMS gateway ------------------------------------------------------------------------


@dataclass(frozen=True)
class GatewayRequest:
    path: str
    headers: dict[str, str]
    body: bytes
    accepted: bool

    @property
    def json(self):
        return json.loads(self.body)


@dataclass
class _Failure:
    status: int
    error: str


class SmsGateway:
    """An HTTP SMS gateway stand-in, answering as a typical provider does.

    - accepted: `200 {"message": {"id": "gw-<n>", "status": "queued"}}`
    - failed:   `<status> {"error": {"code": <status>, "message": <error>}}`; with status 200
      the provider's error arrives inside a successful HTTP answer.

    `settings()` gives the NOTIFICATIONS entries that point HttpSmsBackend at it, with its
    bearer token, a body template and the id and error fields ("message.id", "error.message").
    """

    token = "test-gateway-token"  # noqa: S105 (a test value)
    path = "/v1/messages"
    body_template = '{"from": "{sender}", "to": "{to}", "text": "{text}", "unicode": true}'

    def __init__(self):
        self.delay = 0.0
        self._lock = threading.Lock()
        self._requests: list[GatewayRequest] = []
        self._failures: deque[_Failure] = deque()
        self._ids = itertools.count(1)
        self._server = ThreadingHTTPServer((LOOPBACK, 0), _GatewayHandler)
        self._server.gateway = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{self.path}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reset(self) -> None:
        with self._lock:
            self._requests.clear()
            self._failures.clear()
            self._ids = itertools.count(1)
            self.delay = 0.0

    def fail_next(self, count: int = 1, *, status: int = 503, error: str = "Service unavailable"):
        with self._lock:
            self._failures.extend(_Failure(status, error) for _ in range(count))

    @property
    def requests(self) -> list[GatewayRequest]:
        with self._lock:
            return list(self._requests)

    @property
    def accepted(self) -> list[GatewayRequest]:
        """The requests the gateway took on: each would have become an SMS."""
        return [request for request in self.requests if request.accepted]

    def settings(self) -> dict:
        return {
            "SMS_BACKEND": "modules.notifications.backends.HttpSmsBackend",
            "SMS_GATEWAY_URL": self.url,
            "SMS_GATEWAY_AUTH_HEADER": f"Bearer {self.token}",
            "SMS_SENDER_ID": "Rifada",
            "SMS_BODY_TEMPLATE": self.body_template,
            "SMS_ID_FIELD": "message.id",
            "SMS_ERROR_FIELD": "error.message",
            "SMS_TIMEOUT": 5,
        }

    def _answer(self, path: str, headers: dict, body: bytes) -> tuple[int, dict]:
        with self._lock:
            failure = self._failures.popleft() if self._failures else None
            self._requests.append(GatewayRequest(path, headers, body, accepted=failure is None))
            if failure:
                return failure.status, {"error": {"code": failure.status, "message": failure.error}}
            return 200, {"message": {"id": f"gw-{next(self._ids)}", "status": "queued"}}


class _GatewayHandler(BaseHTTPRequestHandler):
    server: ThreadingHTTPServer

    def do_POST(self):  # noqa: N802 (http.server hook)
        gateway: SmsGateway = self.server.gateway
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        status, answer = gateway._answer(self.path, dict(self.headers), body)
        if gateway.delay:
            time.sleep(gateway.delay)
        payload = json.dumps(answer).encode()
        # The client may have given up waiting (a timeout test); that is not an error here.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    def log_message(self, format, *args):  # noqa: A002 (http.server's signature)
        """Quiet: the test reads `requests` instead."""


@pytest.fixture(scope="session")
def _sms_gateway_process():
    gateway = SmsGateway()
    gateway.start()
    yield gateway
    gateway.stop()


@pytest.fixture
def sms_gateway(_sms_gateway_process, settings) -> SmsGateway:
    """The loopback SMS gateway, with settings.NOTIFICATIONS pointing HttpSmsBackend at it."""
    gateway = _sms_gateway_process
    gateway.reset()
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, **gateway.settings()}
    yield gateway
    gateway.reset()
