"""Each backend against a real server on loopback: what leaves, and how failures read."""

import logging

import pytest

from modules.notifications.backends import (
    ConsoleSmsBackend,
    DeliveryError,
    EmailBackend,
    HttpSmsBackend,
    lookup,
    render_body,
)
from tests.support.servers import free_port

from .factories import MessageFactory

pytestmark = pytest.mark.django_db


def test_email_goes_through_smtp_as_text_and_html(smtp_server):
    message = MessageFactory(recipient="pilgrim@example.org")

    provider_id = EmailBackend().send(message)

    [received] = smtp_server.received
    mail = received.message
    assert received.rcpt_tos == ["pilgrim@example.org"]
    # Django folds an encoded subject onto a continuation line; unfolding leaves a space.
    assert mail["Subject"].strip() == "رسالة تجريبية من الرفادة"
    assert mail["Message-ID"] == provider_id
    assert mail["Content-Language"] == "ar"
    assert mail.get_body(("plain",)).get_content().strip() == message.body_text
    assert mail.get_body(("html",)).get_content().strip() == message.body_html


def test_email_without_html_is_plain_text(smtp_server):
    EmailBackend().send(MessageFactory(body_html=""))

    [mail] = smtp_server.messages
    assert mail.get_content_type() == "text/plain"


def test_smtp_refusal_is_a_delivery_error(smtp_server):
    smtp_server.fail_next(reply="550 5.1.1 Mailbox unavailable")

    with pytest.raises(DeliveryError, match="Mailbox unavailable") as caught:
        EmailBackend().send(MessageFactory())

    assert not caught.value.outcome_unknown
    assert smtp_server.messages == []


def test_sms_is_posted_with_the_configured_body_and_auth_header(sms_gateway):
    text = 'قال: "أهلاً بكم"\nسطر ثانٍ، و{to} و\\ تبقى نصاً'
    message = MessageFactory(sms=True, recipient="+966500000001", body_text=text)

    provider_id = HttpSmsBackend().send(message)

    [request] = sms_gateway.requests
    assert request.path == sms_gateway.path
    assert request.headers["Authorization"] == f"Bearer {sms_gateway.token}"
    assert request.headers["Content-Type"] == "application/json; charset=utf-8"
    assert request.json == {"from": "Rifada", "to": "+966500000001", "text": text, "unicode": True}
    assert provider_id == "gw-1"


def test_no_authorization_header_when_none_is_configured(sms_gateway, settings):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "SMS_GATEWAY_AUTH_HEADER": ""}

    HttpSmsBackend().send(MessageFactory(sms=True))

    assert "Authorization" not in sms_gateway.requests[0].headers


def test_http_error_is_a_failure_with_the_providers_message(sms_gateway):
    sms_gateway.fail_next(status=503, error="Gateway overloaded")

    with pytest.raises(DeliveryError) as caught:
        HttpSmsBackend().send(MessageFactory(sms=True))

    assert "503" in str(caught.value)
    assert "Gateway overloaded" in str(caught.value)
    assert not caught.value.outcome_unknown


def test_error_field_in_a_successful_answer_is_a_failure(sms_gateway):
    sms_gateway.fail_next(status=200, error="Invalid destination number")

    with pytest.raises(DeliveryError, match="Invalid destination number"):
        HttpSmsBackend().send(MessageFactory(sms=True))


def test_unreachable_gateway_is_a_failure_safe_to_retry(sms_gateway, settings):
    closed = f"http://127.0.0.1:{free_port()}/sms"
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "SMS_GATEWAY_URL": closed}

    with pytest.raises(DeliveryError, match="Could not reach the SMS gateway") as caught:
        HttpSmsBackend().send(MessageFactory(sms=True))

    assert not caught.value.outcome_unknown


def test_no_answer_in_time_means_the_sms_may_have_been_sent(sms_gateway, settings):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "SMS_TIMEOUT": 0.2}
    sms_gateway.delay = 0.6

    with pytest.raises(DeliveryError, match="may have been sent") as caught:
        HttpSmsBackend().send(MessageFactory(sms=True))

    assert caught.value.outcome_unknown
    assert len(sms_gateway.accepted) == 1


def test_console_backend_only_logs(caplog):
    message = MessageFactory(sms=True, recipient="+966500000002", body_text="رمز التحقق 1234")

    with caplog.at_level(logging.INFO, logger="modules.notifications.backends"):
        assert ConsoleSmsBackend().send(message) == ""

    assert "+966500000002" in caplog.text
    assert "رمز التحقق 1234" in caplog.text


def test_body_values_cannot_break_out_of_their_json_string():
    body = render_body(
        '{"to": "{to}", "text": "{text}"}',
        to="+966500000003",
        text='", "to": "+10000000000',
    )

    assert body == '{"to": "+966500000003", "text": "\\", \\"to\\": \\"+10000000000"}'


def test_a_template_that_is_not_json_once_filled_in_is_a_clear_failure():
    with pytest.raises(DeliveryError, match="SMS_BODY_TEMPLATE"):
        render_body('{"to": {to}}', to="+966500000003")


@pytest.mark.parametrize(
    ("data", "path", "expected"),
    [
        ({"id": "a1"}, "id", "a1"),
        ({"data": {"message_id": 7}}, "data.message_id", 7),
        ({"messages": [{"id": "m-1"}, {"id": "m-2"}]}, "messages.1.id", "m-2"),
        ({"messages": []}, "messages.0.id", None),
        ({"error": None}, "error.message", None),
        (None, "id", None),
        ({"id": "a1"}, "", None),
    ],
)
def test_lookup_follows_dotted_paths(data, path, expected):
    assert lookup(data, path) == expected
