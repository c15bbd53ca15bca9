"""The one way any module sends an e-mail or an SMS.

`notify()` renders the message in the recipient's language, records it, and queues the send
after the surrounding transaction commits. The sending task is idempotent (see `tasks`).
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Channel, Message, MessageStatus

# Defaults for settings.NOTIFICATIONS keys that an older settings file may not have.
DEFAULT_REQUEUE_AFTER_SECONDS = 300


def requeue_deadline(now: datetime.datetime) -> datetime.datetime:
    """When the minute sweep queues a still-queued message again, should its task be lost."""
    seconds = settings.NOTIFICATIONS.get("REQUEUE_AFTER_SECONDS", DEFAULT_REQUEUE_AFTER_SECONDS)
    return now + datetime.timedelta(seconds=seconds)


def _render(channel: str, template: str, context: dict, language: str) -> dict:
    with translation.override(language):
        ctx = {**context, "LANGUAGE_CODE": language, "SITE_URL": settings.SITE_URL}
        if channel == Channel.SMS:
            return {"body_text": render_to_string(f"sms/{template}.txt", ctx).strip()}
        return {
            "subject": " ".join(render_to_string(f"emails/{template}.subject.txt", ctx).split()),
            "body_text": render_to_string(f"emails/{template}.txt", ctx).strip(),
            "body_html": render_to_string(f"emails/{template}.html", ctx),
        }


def notify(
    *,
    channel: Channel | str,
    template: str,
    context: dict | None = None,
    user=None,
    to: str = "",
    language: str | None = None,
    dedupe_key: str | None = None,
) -> Message:
    """Queue one message to a person (`user`) or a bare address (`to`).

    The address defaults to the person's e-mail or phone; the language to the person's
    preferred language, else Arabic. With `dedupe_key`, a second call returns the first
    message instead of sending again.
    """
    channel = Channel(channel)
    if not to and user is not None:
        to = user.email if channel == Channel.EMAIL else user.phone
    if not to:
        raise ValueError("The message has no recipient address.")
    language = language or getattr(user, "preferred_language", None) or settings.LANGUAGE_CODE
    if dedupe_key:
        existing = Message.objects.filter(dedupe_key=dedupe_key).first()
        if existing:
            return existing
    rendered = _render(channel, template, context or {}, language)
    try:
        with transaction.atomic():
            message = Message.objects.create(
                channel=channel,
                user=user,
                recipient=to,
                language=language,
                template=template,
                dedupe_key=dedupe_key,
                next_attempt_at=requeue_deadline(timezone.now()),
                **rendered,
            )
    except IntegrityError:
        if dedupe_key:
            return Message.objects.get(dedupe_key=dedupe_key)
        raise
    transaction.on_commit(lambda: enqueue_send(message.pk))
    return message


def message_resend(*, message: Message) -> bool:
    """Give a failed message a new round of attempts; False if it was not failed.

    The last error stays on the record until the next attempt replaces it.
    """
    with transaction.atomic():
        requeued = Message.objects.filter(pk=message.pk, status=MessageStatus.FAILED).update(
            status=MessageStatus.QUEUED,
            attempts=0,
            next_attempt_at=requeue_deadline(timezone.now()),
        )
        if requeued:
            transaction.on_commit(lambda: enqueue_send(message.pk))
    return bool(requeued)


def enqueue_send(message_id: int) -> None:
    from django_q.tasks import async_task

    async_task(
        "modules.notifications.tasks.send_message",
        message_id,
        task_name=f"send-message-{message_id}",
    )
