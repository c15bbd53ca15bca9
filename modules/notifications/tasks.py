"""Sending recorded messages: each one at most once, retried only when that is safe.

A message's life (`Message.status`)::

    queued ──claim──▶ sending ──answered──▶ sent
      ▲                  │
      ├────── retry ◀────┤  attempt failed, attempts left: after a growing delay
      │                  └──────────────▶ failed   attempts used up, or outcome unknown
      └──────────── a person resends ◀────┘

- **Claim.** `send_message` moves the message queued → sending with one conditional UPDATE.
  Only the run whose UPDATE changed the row talks to the provider; any other run (django-q
  running the task again after a worker died, a duplicate enqueue, two workers at once)
  changes nothing. A sent or failed message is never sent by a task again; only a person's
  resend (`services.message_resend`) puts a failed one back in the queue.
- **`next_attempt_at`** is when the minute sweep (`retry_due_messages`) looks at the message
  next, so one index, (status, next_attempt_at), serves every sweep:
  for a queued message, when it is due again (a few minutes after `notify()`, in case the
  task queued after commit was lost; after a failure, the back-off of RETRY_DELAY_SECONDS
  doubled per attempt); for a sending message, the claim's deadline.
- **A worker that died while sending** leaves its message in `sending`: nobody knows whether
  the provider got it. We choose at most once — a duplicate SMS to a pilgrim is worse than
  a person noticing a failure — so at the deadline (SENDING_TIMEOUT_SECONDS, longer than a
  django-q task may run) the sweep marks it failed with an explanation, and a committee
  member checks with the provider and resends from the admin if needed. An SMS gateway
  that times out after receiving the request is treated the same way, at once.
"""

import datetime
import logging

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .backends import DeliveryError, backend_for
from .models import Message, MessageStatus
from .selectors import messages_abandoned, messages_due
from .services import enqueue_send, requeue_deadline

logger = logging.getLogger(__name__)

DEFAULT_SENDING_TIMEOUT_SECONDS = 600
# Each sweep queues at most this many messages; the rest are due again a minute later.
SWEEP_BATCH = 2000
PROVIDER_ID_MAX_LENGTH = Message._meta.get_field("provider_id").max_length


def send_message(message_id: int) -> None:
    """Send one recorded message if it is queued; otherwise do nothing."""
    now = timezone.now()
    claimed = Message.objects.filter(pk=message_id, status=MessageStatus.QUEUED).update(
        status=MessageStatus.SENDING,
        attempts=F("attempts") + 1,
        next_attempt_at=now + _seconds("SENDING_TIMEOUT_SECONDS", DEFAULT_SENDING_TIMEOUT_SECONDS),
    )
    if not claimed:
        return
    message = Message.objects.get(pk=message_id)
    try:
        provider_id = backend_for(message.channel).send(message)
    except Exception as exc:  # whatever went wrong must end up on the record, not in limbo
        _record_failure(message, exc)
        return
    # Unconditional: even if a sweep gave up on this claim meanwhile, the message did go out.
    Message.objects.filter(pk=message_id).update(
        status=MessageStatus.SENT,
        provider_id=(provider_id or "")[:PROVIDER_ID_MAX_LENGTH],
        sent_at=timezone.now(),
        next_attempt_at=None,
    )


def _record_failure(message: Message, exc: Exception) -> None:
    if isinstance(exc, DeliveryError):
        error, outcome_unknown = str(exc), exc.outcome_unknown
        logger.warning("Message %s not sent: %s", message.pk, error)
    else:
        error, outcome_unknown = f"{type(exc).__name__}: {exc}", False
        logger.exception("Message %s not sent", message.pk)
    if outcome_unknown or message.attempts >= settings.NOTIFICATIONS["MAX_ATTEMPTS"]:
        outcome = {"status": MessageStatus.FAILED, "next_attempt_at": None}
    else:
        backoff = settings.NOTIFICATIONS["RETRY_DELAY_SECONDS"] * 2 ** (message.attempts - 1)
        outcome = {
            "status": MessageStatus.QUEUED,
            "next_attempt_at": timezone.now() + datetime.timedelta(seconds=backoff),
        }
    Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
        error=error, **outcome
    )


def retry_due_messages() -> int:
    """The minute sweep: give up on abandoned claims, queue the messages that are due.

    Returns how many messages were queued. Running it twice, or on two machines at once,
    at worst queues a message twice, and the claim lets only one run send it.
    """
    now = timezone.now()
    abandoned = messages_abandoned(now=now).update(
        status=MessageStatus.FAILED,
        next_attempt_at=None,
        error=_(
            "The worker stopped while sending this message, so it may or may not have been "
            "delivered. Check with the provider before sending it again."
        ),
    )
    if abandoned:
        logger.warning("%s messages abandoned while sending were marked failed", abandoned)
    due = list(messages_due(now=now).values_list("pk", flat=True)[:SWEEP_BATCH])
    # Pushed back first, so a backlog of workers does not make the next sweep queue them again.
    Message.objects.filter(pk__in=due, status=MessageStatus.QUEUED).update(
        next_attempt_at=requeue_deadline(now)
    )
    for message_id in due:
        enqueue_send(message_id)
    return len(due)


def _seconds(name: str, default: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.NOTIFICATIONS.get(name, default))
