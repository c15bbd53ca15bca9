"""Which messages the minute sweep acts on. Both reads use the (status, next_attempt_at) index."""

import datetime

from django.db.models import QuerySet

from .models import Message, MessageStatus


def messages_due(*, now: datetime.datetime) -> QuerySet[Message]:
    """Queued messages whose next attempt is due, oldest first."""
    return Message.objects.filter(status=MessageStatus.QUEUED, next_attempt_at__lte=now).order_by(
        "next_attempt_at"
    )


def messages_abandoned(*, now: datetime.datetime) -> QuerySet[Message]:
    """Messages claimed by a worker that did not report back before the claim's deadline."""
    return Message.objects.filter(status=MessageStatus.SENDING, next_attempt_at__lte=now)
