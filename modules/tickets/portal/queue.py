"""What the agency portal reads about its incidents: the queue's order, the agency's counts, and
the countdowns as the pages show them (the markup contract of static/tickets/countdown.js)."""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When

from .. import sla
from ..models import DONE_STATUSES, OPEN_STATUSES, Ticket
from ..selectors import Clock

_AWAITING = Q(acknowledged_at__isnull=True, status__in=OPEN_STATUSES)


def queue_order(tickets: QuerySet) -> QuerySet:
    """Open before done; among open ones, those still to acknowledge first; then by the
    deadline that matters now (to acknowledge, else to resolve), soonest first."""
    return tickets.annotate(
        is_done=Case(
            When(status__in=DONE_STATUSES, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
        is_acknowledged=Case(
            When(_AWAITING, then=Value(0)), default=Value(1), output_field=IntegerField()
        ),
        current_due_at=Case(
            When(_AWAITING, then=F("acknowledge_due_at")), default=F("resolve_due_at")
        ),
    ).order_by("is_done", "is_acknowledged", F("current_due_at").asc(nulls_last=True), "pk")


@dataclass(frozen=True)
class AgencyCounts:
    open: int
    awaiting: int
    breached: int


def agency_counts(*, agency_id: int, now: datetime.datetime) -> AgencyCounts:
    """The agency's open incidents, those still to acknowledge and those past a deadline now,
    in one query."""

    def overdue(due_field: str) -> Q:
        return Q(paused_at__isnull=True, **{f"{due_field}__lt": now}) | Q(
            paused_at__isnull=False, **{f"{due_field}__lt": F("paused_at")}
        )

    breached = (Q(acknowledged_at__isnull=True) & overdue("acknowledge_due_at")) | (
        Q(resolved_at__isnull=True) & overdue("resolve_due_at")
    )
    counts = (
        Ticket.objects.filter(agency_id=agency_id)
        .open()
        .aggregate(
            open=Count("pk"),
            awaiting=Count("pk", filter=Q(acknowledged_at__isnull=True)),
            breached=Count("pk", filter=breached),
        )
    )
    return AgencyCounts(**counts)


def format_seconds(seconds: int) -> str:
    """HH:MM:SS, with a minus sign once breached: what countdown.js shows."""
    whole = abs(int(seconds))
    text = f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
    return f"\u2212{text}" if seconds < 0 else text


@dataclass(frozen=True)
class Countdown:
    """One clock as a page shows it; `tone` is the class countdown.js would give it."""

    remaining: sla.Remaining
    due_at: datetime.datetime
    total: int
    running: bool
    warning: float

    @property
    def seconds(self) -> int:
        return self.remaining.seconds

    @property
    def tone(self) -> str:
        if self.remaining.paused and not self.remaining.met:
            return "paused"
        return self.remaining.tone

    @property
    def text(self) -> str:
        return format_seconds(self.remaining.seconds)


def countdown(
    remaining: sla.Remaining | None,
    due_at: datetime.datetime | None,
    total: int | None,
    clock: Clock,
) -> Countdown | None:
    if remaining is None or due_at is None or not total:
        return None
    return Countdown(
        remaining=remaining,
        due_at=due_at,
        total=total,
        running=clock.running,
        warning=clock.warning_fraction,
    )


@dataclass(frozen=True)
class QueueRow:
    ticket: Ticket
    countdown: Countdown | None
    awaiting: bool  # still to acknowledge: shown first and marked "new"


def ticket_countdowns(ticket: Ticket, clock: Clock) -> dict[str, Countdown | None]:
    """The acknowledge and resolve countdowns of a ticket, and the one that matters now."""
    acknowledge = countdown(
        clock.acknowledge, ticket.acknowledge_due_at, ticket.acknowledge_seconds, clock
    )
    resolve = countdown(clock.resolve, ticket.resolve_due_at, ticket.resolve_seconds, clock)
    current = acknowledge if clock.current is clock.acknowledge else resolve
    return {"acknowledge": acknowledge, "resolve": resolve, "current": current}
