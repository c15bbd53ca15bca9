"""Reads: ticket lists for a person, the clocks shown on screen, and the reporter's status."""

import datetime
import hmac
from dataclasses import dataclass

from django.db.models import F, OuterRef, QuerySet, Subquery, prefetch_related_objects
from django.utils import timezone

from . import sla
from .models import OPEN_STATUSES, EscalationStep, SlaPolicy, Ticket
from .workflow import ACTIONS, may


def ticket_list(
    *,
    user,
    open_only: bool = True,
    agency=None,
    category=None,
    priority=None,
    zone=None,
    status: str | None = None,
) -> QuerySet[Ticket]:
    """The tickets this person may see, soonest deadline first (no deadline last), each with
    its policy and the policy's first warning point, so `clocks_for` needs no more queries."""
    first_warning = (
        EscalationStep.objects.filter(policy=OuterRef("policy_id"), percent__lt=100)
        .order_by("percent")
        .values("percent")[:1]
    )
    tickets = (
        Ticket.objects.for_user(user)
        .select_related("category", "priority", "agency", "zone", "landmark", "policy__calendar")
        .annotate(warning_percent=Subquery(first_warning))
    )
    if status:
        tickets = tickets.filter(status=status)
    elif open_only:
        tickets = tickets.filter(status__in=OPEN_STATUSES)
    for name, value in (("agency", agency), ("category", category), ("priority", priority)):
        if value:
            tickets = tickets.filter(**{name: value})
    if zone:
        tickets = tickets.filter(zone=zone)
    return tickets.order_by(F("resolve_due_at").asc(nulls_last=True), "created_at")


@dataclass(frozen=True)
class Clock:
    acknowledge: sla.Remaining | None
    resolve: sla.Remaining | None
    running: bool
    warning_fraction: float
    acknowledge_due_at: datetime.datetime | None = None
    resolve_due_at: datetime.datetime | None = None

    @property
    def current(self) -> sla.Remaining | None:
        """The clock that matters now: acknowledge until it is met, then resolve."""
        if self.acknowledge is not None and not self.acknowledge.met:
            return self.acknowledge
        return self.resolve

    @property
    def due_at(self) -> datetime.datetime | None:
        """The deadline of `current`."""
        if self.acknowledge is not None and not self.acknowledge.met:
            return self.acknowledge_due_at
        return self.resolve_due_at if self.resolve is not None else None


def _warning_fraction(policy: SlaPolicy | None) -> float:
    """Amber from the policy's first warning step, else from 75 % of the time."""
    percents = [
        step.percent for step in (policy.steps.all() if policy else []) if step.percent < 100
    ]
    return min(percents) / 100 if percents else sla.WARNING_FRACTION


def _clock(ticket, hours, warning, now) -> Clock:
    acknowledge = sla.remaining(
        hours,
        ticket.acknowledge_due_at,
        ticket.acknowledge_seconds,
        now,
        paused_at=ticket.paused_at,
        met_at=ticket.acknowledged_at,
        warning=warning,
    )
    resolve = sla.remaining(
        hours,
        ticket.resolve_due_at,
        ticket.resolve_seconds,
        now,
        paused_at=ticket.paused_at,
        met_at=ticket.resolved_at,
        warning=warning,
    )
    return Clock(
        acknowledge,
        resolve,
        sla.is_running(hours, now),
        warning,
        ticket.acknowledge_due_at,
        ticket.resolve_due_at,
    )


def _policies(policy_ids) -> dict[int, SlaPolicy]:
    return {
        policy.pk: policy
        for policy in SlaPolicy.objects.filter(pk__in=policy_ids)
        .select_related("calendar")
        .prefetch_related("calendar__periods", "calendar__holidays", "steps")
    }


def _setup_from_list(tickets) -> dict:
    """Tickets from `ticket_list` carry their policy and its first warning point: only the
    working hours of policies with a business calendar are read (two queries)."""
    policies = {ticket.policy_id: ticket.policy for ticket in tickets if ticket.policy_id}
    prefetch_related_objects(
        [policy for policy in policies.values() if policy.calendar_id],
        "calendar__periods",
        "calendar__holidays",
    )
    percents = {ticket.policy_id: ticket.warning_percent for ticket in tickets}
    return {
        policy_id: (
            sla.BusinessHours.for_policy(policy),
            percents[policy_id] / 100 if percents[policy_id] else sla.WARNING_FRACTION,
        )
        for policy_id, policy in policies.items()
    }


def clocks_for(tickets, now: datetime.datetime | None = None) -> dict[int, Clock]:
    """The clocks of many tickets, reading their policies in a fixed number of queries (none
    for tickets from `ticket_list` under 24/7 policies)."""
    now = now or timezone.now()
    tickets = list(tickets)
    if all(hasattr(ticket, "warning_percent") for ticket in tickets):
        setup = _setup_from_list(tickets)
    else:
        policies = _policies({ticket.policy_id for ticket in tickets if ticket.policy_id})
        setup = {
            policy_id: (sla.BusinessHours.for_policy(policy), _warning_fraction(policy))
            for policy_id, policy in policies.items()
        }
    default = (sla.ALWAYS, sla.WARNING_FRACTION)
    return {
        ticket.pk: _clock(ticket, *setup.get(ticket.policy_id, default), now) for ticket in tickets
    }


def ticket_clock(ticket: Ticket, now: datetime.datetime | None = None) -> Clock:
    return clocks_for([ticket], now)[ticket.pk]


def allowed_actions(ticket: Ticket, user) -> set[str]:
    return {action for action in ACTIONS if may(user, action, ticket)}


def public_status(reference: str, token: str) -> Ticket | None:
    """The ticket for the reporter's private link, or None (wrong reference or token)."""
    ticket = (
        Ticket.objects.select_related("category", "priority")
        .filter(reference=str(reference)[:20])
        .first()
    )
    if ticket is None or not hmac.compare_digest(ticket.status_token.encode(), str(token).encode()):
        return None
    return ticket


def public_timeline(ticket: Ticket):
    """What the reporter may see: status changes and the room's public notes, no names."""
    return ticket.events.filter(is_public=True).order_by("at", "pk")
