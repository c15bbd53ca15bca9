"""send_message and the minute sweep: sent once, retried when safe, never twice."""

import datetime
import threading

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from modules.accounts.models import User
from modules.accounts.services import user_invite
from modules.notifications.models import Message, MessageStatus
from modules.notifications.selectors import messages_abandoned, messages_due
from modules.notifications.tasks import retry_due_messages, send_message

from .factories import MessageFactory

PAST = datetime.timedelta(minutes=-1)
FUTURE = datetime.timedelta(minutes=10)


def _refreshed(message: Message) -> Message:
    message.refresh_from_db()
    return message


@pytest.mark.django_db(transaction=True)
def test_invitations_reach_the_smtp_server_in_each_persons_language(smtp_server):
    """The whole path: account service → notify → commit → django-q task → SMTP."""
    people = [("hala@example.org", "هالة", "ar"), ("john@example.org", "John", "en")]
    for email, name, language in people:
        person = User.objects.create_user(email=email, first_name=name, preferred_language=language)
        user_invite(user=person)

    mails = {mail["To"]: mail for mail in smtp_server.messages}
    assert set(mails) == {"hala@example.org", "john@example.org"}

    arabic, english = mails["hala@example.org"], mails["john@example.org"]
    with translation.override("ar"):
        assert arabic["Subject"].strip() == gettext("Your invitation to Rifada")
    assert english["Subject"].strip() == "Your invitation to Rifada"
    arabic_html = arabic.get_body(("html",)).get_content()
    assert '<html lang="ar" dir="rtl">' in arabic_html
    assert "هالة" in arabic_html
    assert '<html lang="en" dir="ltr">' in english.get_body(("html",)).get_content()
    assert "/password/reset/key/" in english.get_body(("plain",)).get_content()

    for message in Message.objects.all():
        assert message.status == MessageStatus.SENT
        assert message.attempts == 1
        assert message.sent_at is not None
        assert message.provider_id == mails[message.recipient]["Message-ID"]


@pytest.mark.django_db
def test_sms_is_sent_to_the_gateway_and_the_provider_id_recorded(sms_gateway):
    message = MessageFactory(sms=True, recipient="+966500000020", body_text="موعد الحافلة 5 م")

    send_message(message.pk)

    [request] = sms_gateway.requests
    assert request.json["to"] == "+966500000020"
    assert request.json["text"] == "موعد الحافلة 5 م"
    assert request.headers["Authorization"] == f"Bearer {sms_gateway.token}"
    message = _refreshed(message)
    assert (message.status, message.provider_id, message.attempts) == (
        MessageStatus.SENT,
        "gw-1",
        1,
    )
    assert message.next_attempt_at is None


@pytest.mark.django_db
def test_provider_errors_are_retried_then_the_message_fails(sms_gateway, settings):
    assert settings.NOTIFICATIONS["MAX_ATTEMPTS"] == 3
    sms_gateway.fail_next(3, status=503, error="Gateway overloaded")
    message = MessageFactory(sms=True)

    send_message(message.pk)
    message = _refreshed(message)
    assert (message.status, message.attempts) == (MessageStatus.QUEUED, 1)
    assert "Gateway overloaded" in message.error

    assert retry_due_messages() == 1
    assert (_refreshed(message).status, message.attempts) == (MessageStatus.QUEUED, 2)

    assert retry_due_messages() == 1
    message = _refreshed(message)
    assert (message.status, message.attempts) == (MessageStatus.FAILED, 3)
    assert "503" in message.error
    assert message.next_attempt_at is None

    assert retry_due_messages() == 0
    assert len(sms_gateway.requests) == 3
    assert sms_gateway.accepted == []


@pytest.mark.django_db
def test_a_retry_that_succeeds_marks_the_message_sent(smtp_server):
    smtp_server.fail_next(1)
    message = MessageFactory()

    send_message(message.pk)
    retry_due_messages()

    message = _refreshed(message)
    assert (message.status, message.attempts) == (MessageStatus.SENT, 2)
    assert "Try again later" in message.error
    assert len(smtp_server.messages) == 1


@pytest.mark.django_db
def test_the_wait_between_attempts_doubles(smtp_server, settings):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "RETRY_DELAY_SECONDS": 60}
    smtp_server.fail_next(2)
    message = MessageFactory()
    waits = []
    for _ in range(2):
        before = timezone.now()
        send_message(message.pk)
        waits.append((_refreshed(message).next_attempt_at - before).total_seconds())
        Message.objects.filter(pk=message.pk).update(next_attempt_at=before)

    assert 60 <= waits[0] < 65
    assert 120 <= waits[1] < 125


@pytest.mark.django_db
def test_a_gateway_that_does_not_answer_is_not_asked_again(sms_gateway, settings):
    """The SMS may have gone out: at most once means failing it for a person to check."""
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "SMS_TIMEOUT": 0.2}
    sms_gateway.delay = 0.6
    message = MessageFactory(sms=True)

    send_message(message.pk)
    retry_due_messages()

    message = _refreshed(message)
    assert (message.status, message.attempts) == (MessageStatus.FAILED, 1)
    assert "may have been sent" in message.error
    assert len(sms_gateway.requests) == 1


@pytest.mark.django_db
def test_an_unexpected_error_is_recorded_not_left_in_sending(settings):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "SMS_BACKEND": "modules.nowhere.Backend"}
    message = MessageFactory(sms=True)

    send_message(message.pk)

    message = _refreshed(message)
    assert message.status == MessageStatus.QUEUED
    assert message.error.startswith("ModuleNotFoundError")


@pytest.mark.django_db
def test_running_the_task_twice_sends_once(smtp_server):
    message = MessageFactory()

    send_message(message.pk)
    send_message(message.pk)

    assert len(smtp_server.messages) == 1
    assert _refreshed(message).attempts == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status", [MessageStatus.SENDING, MessageStatus.SENT, MessageStatus.FAILED]
)
def test_a_message_that_is_not_queued_is_left_alone(status, smtp_server):
    message = MessageFactory(status=status, next_attempt_at=timezone.now() + FUTURE)

    send_message(message.pk)

    assert smtp_server.messages == []
    assert _refreshed(message).status == status


def _run_concurrently(*targets) -> None:
    """Each target in its own thread (own database connection), all released at once."""
    start = threading.Barrier(len(targets))
    errors = []

    def run(target):
        try:
            start.wait()
            target()
        except Exception as exc:  # noqa: BLE001 (reported by the assertion below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=[target]) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_send_an_email_once(smtp_server):
    smtp_server.delay = 0.3  # the first sender is still talking to SMTP when the others claim
    message = MessageFactory()

    _run_concurrently(*[lambda: send_message(message.pk)] * 4)

    assert len(smtp_server.messages) == 1
    message = _refreshed(message)
    assert (message.status, message.attempts) == (MessageStatus.SENT, 1)


@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_and_runs_send_an_sms_once(sms_gateway):
    sms_gateway.delay = 0.3
    message = MessageFactory(sms=True, next_attempt_at=timezone.now() + PAST)

    def send():
        send_message(message.pk)

    _run_concurrently(send, send, retry_due_messages, retry_due_messages)

    assert len(sms_gateway.requests) == 1
    assert _refreshed(message).status == MessageStatus.SENT


@pytest.mark.django_db
def test_the_sweep_queues_only_what_is_due(smtp_server):
    now = timezone.now()
    due = MessageFactory(recipient="due@example.org", next_attempt_at=now + PAST)
    MessageFactory(recipient="later@example.org", next_attempt_at=now + FUTURE)
    MessageFactory(recipient="fresh@example.org", next_attempt_at=None)
    for status in (MessageStatus.SENT, MessageStatus.FAILED):
        MessageFactory(recipient=f"{status}@example.org", status=status, next_attempt_at=now + PAST)

    assert retry_due_messages() == 1

    assert [mail["To"] for mail in smtp_server.messages] == ["due@example.org"]
    assert _refreshed(due).status == MessageStatus.SENT


@pytest.mark.django_db
def test_a_fresh_message_is_picked_up_by_the_sweep_if_its_task_was_lost(
    smtp_server, django_capture_on_commit_callbacks
):
    from modules.notifications.services import notify

    with django_capture_on_commit_callbacks(execute=False):  # the worker never saw the task
        message = notify(
            channel="email",
            template="accounts/invitation",
            to="lost@example.org",
            context={"invitation_url": "https://x", "user_name": "X"},
        )

    assert retry_due_messages() == 0
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() + PAST)
    assert retry_due_messages() == 1
    assert [mail["To"] for mail in smtp_server.messages] == ["lost@example.org"]


@pytest.mark.django_db
def test_a_message_abandoned_while_sending_is_failed_not_sent_again(smtp_server):
    now = timezone.now()
    abandoned = MessageFactory(status=MessageStatus.SENDING, attempts=1, next_attempt_at=now + PAST)
    in_progress = MessageFactory(
        status=MessageStatus.SENDING, attempts=1, next_attempt_at=now + FUTURE
    )

    retry_due_messages()
    retry_due_messages()

    abandoned = _refreshed(abandoned)
    assert abandoned.status == MessageStatus.FAILED
    assert "may or may not have been delivered" in abandoned.error
    assert _refreshed(in_progress).status == MessageStatus.SENDING
    assert smtp_server.messages == []


@pytest.mark.django_db
@pytest.mark.parametrize("selector", [messages_due, messages_abandoned])
def test_the_sweep_reads_through_the_status_index(selector):
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # With a handful of rows the planner would rightly scan; ask what it can use.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
        plan = selector(now=timezone.now()).explain()

    assert "notificatio_status_6a7b94_idx" in plan
