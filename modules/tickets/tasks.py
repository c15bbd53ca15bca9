"""The one-minute escalation pass, and rescheduling after the committee edits a policy.

`escalate` finds the pending `TicketEscalation` rows that are due (an indexed query on
`due_at` where `fired_at` is null), sends them, and marks them fired, all in one
transaction. Rows are locked with SKIP LOCKED, so two workers running the pass at the same
moment split the work instead of both sending it; a row marked fired is never selected again,
so a pass that runs twice sends nothing the second time; and after a worker has been down,
the next pass finds every step that fell due meanwhile and fires each once.

There is no flood: everything due to one person in a pass goes out as one digest per channel.
The number of queries does not grow with the number of tickets: a fixed number of reads and
writes, then one message per person and channel.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_q.tasks import async_task

from modules.accounts.models import User
from modules.accounts.roles import Role
from modules.agencies.models import Membership
from modules.notifications.models import Channel
from modules.notifications.services import notify

from . import sla
from .models import (
    EscalationStep,
    EventKind,
    Recipients,
    Target,
    Ticket,
    TicketEscalation,
    TicketEvent,
)
from .services import tickets_reschedule_for_policy

# Steps handled per pass; anything beyond waits for the next minute.
MAX_PER_PASS = 20_000
# A digest lists this many tickets and counts the rest.
DIGEST_LIMIT = 50
AGENCY_RECIPIENTS = frozenset({Recipients.AGENCY_TEAM, Recipients.AGENCY_MANAGERS})
# What the pass needs to tell a live step from a stale one; the digest task reads the rest.
CLOCK_FIELDS = ("status", "agency_id", "paused_at", "acknowledged_at", "resolved_at")


@dataclass(frozen=True)
class DigestItem:
    row_id: int
    ticket: Ticket
    step: EscalationStep
    due_at: datetime.datetime

    @property
    def breached(self) -> bool:
        return self.step.is_breach

    @property
    def target_label(self) -> str:
        return Target(self.step.target).label


def escalate(now: datetime.datetime | None = None) -> int:
    """One pass of the schedule; returns how many steps fired."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = list(
            TicketEscalation.objects.filter(fired_at__isnull=True, due_at__lte=now)
            .select_for_update(skip_locked=True)
            .order_by("due_at")
            .values_list("pk", "ticket_id", "step_id", "due_at")[:MAX_PER_PASS]
        )
        if not rows:
            return 0
        tickets = Ticket.objects.only(*CLOCK_FIELDS).in_bulk(
            {ticket_id for _pk, ticket_id, _step, _due in rows}
        )
        steps = EscalationStep.objects.select_related("person").in_bulk(
            {step_id for _pk, _ticket, step_id, _due in rows}
        )
        live, stale = [], []
        for pk, ticket_id, step_id, due_at in rows:
            ticket, step = tickets[ticket_id], steps[step_id]
            if (
                ticket.is_open
                and ticket.paused_at is None
                and not sla.target_met(ticket, step.target)
            ):
                live.append(DigestItem(pk, ticket, step, due_at))
            else:
                stale.append(pk)
        if stale:
            # Written before the ticket stopped its clock; _reschedule normally removes them.
            TicketEscalation.objects.filter(pk__in=stale).delete()
        if not live:
            return 0
        TicketEscalation.objects.filter(pk__in=[item.row_id for item in live]).update(fired_at=now)
        descriptions = {step.pk: _describe(step) for step in steps.values()}
        TicketEvent.objects.bulk_create(
            [
                TicketEvent(
                    ticket_id=item.ticket.pk,
                    kind=EventKind.ESCALATED,
                    at=now,
                    comment=descriptions[item.step.pk],
                )
                for item in live
            ]
        )
        for (user, channel), items in _digests(live).items():
            # Queued in this transaction (the ORM broker shares the database), so it exists
            # exactly when the steps are marked fired; a worker renders and records it.
            async_task(
                "modules.tickets.tasks.send_digest",
                user.pk,
                str(channel),
                sorted(item.row_id for item in items),
                task_name=f"tickets-digest-{user.pk}-{channel}-{min(i.row_id for i in items)}",
            )
    return len(live)


def _describe(step: EscalationStep) -> str:
    return f"{Target(step.target).label} · {step.percent}% + {step.minutes_after} · " + str(
        Recipients(step.recipients).label
    )


def _recipients(item: DigestItem) -> str:
    """Who the step names; a report not routed yet has no agency to tell, so the room (who
    must route it) hears instead of nobody."""
    if item.ticket.agency_id is None and item.step.recipients in AGENCY_RECIPIENTS:
        return Recipients.OPERATORS
    return item.step.recipients


def _digests(items: list[DigestItem]) -> dict[tuple, list[DigestItem]]:
    """Everything due to each (person, channel), from a fixed number of queries."""
    agency_ids = {item.ticket.agency_id for item in items if item.ticket.agency_id}
    team, managers = defaultdict(list), defaultdict(list)
    if agency_ids and any(
        item.step.recipients in (Recipients.AGENCY_TEAM, Recipients.AGENCY_MANAGERS)
        for item in items
    ):
        memberships = Membership.objects.filter(
            agency_id__in=agency_ids, user__is_active=True
        ).select_related("user")
        for membership in memberships.order_by("user_id"):
            team[membership.agency_id].append(membership.user)
            if membership.role == Role.AGENCY_MANAGER:
                managers[membership.agency_id].append(membership.user)
    operators = []
    if any(_recipients(item) == Recipients.OPERATORS for item in items):
        operators = list(User.objects.filter(role=Role.OPERATOR, is_active=True).order_by("pk"))

    digests: dict[tuple, list[DigestItem]] = defaultdict(list)
    for item in items:
        step = item.step
        people = {
            Recipients.AGENCY_TEAM: team.get(item.ticket.agency_id, []),
            Recipients.AGENCY_MANAGERS: managers.get(item.ticket.agency_id, []),
            Recipients.OPERATORS: operators,
            Recipients.PERSON: [step.person] if step.person and step.person.is_active else [],
        }[_recipients(item)]
        for user in people:
            if step.by_email and user.email:
                digests[(user, Channel.EMAIL)].append(item)
            if step.by_sms and user.phone:
                digests[(user, Channel.SMS)].append(item)
    return {key: _latest_step_per_ticket(items) for key, items in digests.items()}


def _latest_step_per_ticket(items: list[DigestItem]) -> list[DigestItem]:
    """A person reached by two steps of one ticket's clock in a pass (after an outage, the
    team's warning and the managers' breach) reads of that clock once, at its furthest step."""
    furthest: dict[tuple, DigestItem] = {}
    for item in items:
        clock = (item.ticket.pk, item.step.target)
        seen = furthest.get(clock)
        if seen is None or (item.step.percent, item.step.minutes_after) > (
            seen.step.percent,
            seen.step.minutes_after,
        ):
            furthest[clock] = item
    return list(furthest.values())


def send_digest(user_id: int, channel: str, row_ids: list[int]) -> None:
    """Render and record one person's digest for the steps one pass fired. Idempotent: the
    message's key is the first row's id, so running the task again sends nothing more."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    rows = (
        TicketEscalation.objects.filter(pk__in=row_ids)
        .select_related(
            "ticket__category", "ticket__priority", "ticket__agency", "ticket__zone", "step"
        )
        .order_by("due_at", "pk")
    )
    items = [DigestItem(row.pk, row.ticket, row.step, row.due_at) for row in rows]
    if user is not None and items:
        _send_digest(user, Channel(channel), items)


def _send_digest(user, channel: Channel, items: list[DigestItem]) -> None:
    items = sorted(items, key=lambda item: (not item.breached, item.due_at, item.row_id))
    notify(
        channel=channel,
        template="tickets/escalation",
        user=user,
        context={
            "user_name": str(user),
            # Committee people are sent to the operations board, agency people to their queue.
            "is_committee": user.is_committee,
            "items": items[:DIGEST_LIMIT],
            "count": len(items),
            "breached_count": sum(item.breached for item in items),
            "more": max(len(items) - DIGEST_LIMIT, 0),
        },
        # Rows fire once, so the first row's id names this digest for good.
        dedupe_key=f"tickets-escalation:{user.pk}:{channel}:{min(i.row_id for i in items)}",
    )


def reschedule_policy(policy_id: int) -> int:
    """Queued after a policy or its calendar is saved in the admin."""
    return tickets_reschedule_for_policy(policy_id=policy_id)
