"""The demo's operations room: the catalogue's configuration and a few incident reports.

The configuration (priorities, categories, zones, gates and landmarks around Al-Masjid
an-Nabawi, routing rules, the 24/7 policy and its ladder with the demo operator as the duty
supervisor) is `modules/tickets/management/catalogue.py`, the same the benchmark seeds; it is
made once and then belongs to the committee. The reports are `fixtures/tickets.json`: each
goes through the ticket services with its times set back from the moment of loading, so the
board shows fresh ones with running countdowns, one close to its deadline, a breached one, a
paused one, resolved, closed and reopened ones, and each has the timeline the services write.
A report is matched by its category and description, so a second run adds nothing. The
escalation pass then runs once, as the worker would have, so the steps already due are in
the timelines (and their digests in the demo accounts' messages).
"""

import datetime
from collections.abc import Callable

from django.utils import timezone

from modules.accounts.models import User
from modules.accounts.roles import Role
from modules.agencies.models import Agency, Membership
from modules.tickets import services
from modules.tickets.models import Category, Landmark, RoutingRule, Ticket
from modules.tickets.seeding import Room, ensure_room
from modules.tickets.tasks import escalate

from .records import Tally, read_json

DEMO_OPERATOR = "operator@demo.rifada.sa"


def load_tickets(*, agencies: dict[str, Agency], tally: Callable[[str], Tally]) -> None:
    operator = User.objects.filter(email=DEMO_OPERATOR).first() or (
        User.objects.filter(role=Role.OPERATOR, is_active=True).order_by("pk").first()
    )
    if operator is None:
        return  # the reports are worked by the operations room; without it, none
    before = _counts()
    room = ensure_room(list(agencies.values()), prefix="", supervisor=operator, spread=False)
    for label, after in _counts().items():
        tally(label).created += after - before[label]
        tally(label).unchanged += before[label]
    _DemoReports(room, agencies, operator).load(read_json("tickets.json")["tickets"], tally)


def _counts() -> dict[str, int]:
    return {
        "incident categories": Category.objects.count(),
        "landmarks and gates": Landmark.objects.count(),
        "routing rules": RoutingRule.objects.count(),
    }


class _DemoReports:
    def __init__(self, room: Room, agencies: dict[str, Agency], operator: User):
        self.room = room
        self.agencies = agencies
        self.operator = operator
        self.landmarks = {landmark.name_en: landmark for landmark in room.landmarks}
        self.categories = {category.code: category for category, _spec in room.categories}
        self.members: dict[int, User] = {}  # each agency's demo account, the manager first
        for membership in (
            Membership.objects.filter(user__is_active=True)
            .select_related("user")
            .order_by("agency_id", "role", "user_id")
        ):
            self.members.setdefault(membership.agency_id, membership.user)

    def load(self, rows: list[dict], tally: Callable[[str], Tally]) -> None:
        reports = tally("incident reports")
        existing = set(
            Ticket.objects.filter(category__in=self.categories.values()).values_list(
                "category__code", "description"
            )
        )
        now = timezone.now()
        for row in rows:
            if (row["category"], row["description"]) in existing:
                reports.unchanged += 1
                continue
            self._report(row, now)
            reports.created += 1
        escalate(now=now)

    def _worker(self, ticket: Ticket) -> User:
        """Who works the ticket: its agency's demo account, else the operations room."""
        return self.members.get(ticket.agency_id, self.operator)

    def _report(self, row: dict, now: datetime.datetime) -> None:
        reported = now - datetime.timedelta(minutes=row["reported_minutes_ago"])
        source = row["source"]
        actor = None
        if source == "operator":
            actor = self.operator
        elif source == "agency":
            actor = self.members[self.agencies[row["reporting_agency"]].pk]
        ticket = services.ticket_create(
            source=source,
            actor=actor,
            category=self.categories[row["category"]],
            description=row["description"],
            landmark=self.landmarks[row["landmark"]],
            latitude=row.get("latitude"),
            longitude=row.get("longitude"),
            reporter_name=row.get("reporter_name", ""),
            now=reported,
        )
        # The row was stamped with the moment of loading; the report was made earlier.
        Ticket.objects.filter(pk=ticket.pk).update(created_at=reported)
        for minutes, action, *args in row["steps"]:
            ticket = self._step(
                ticket, action, args, reported + datetime.timedelta(minutes=minutes)
            )

    def _step(self, ticket: Ticket, action: str, args: list, at: datetime.datetime) -> Ticket:
        operator = self.operator
        if action == "acknowledge":
            return services.ticket_acknowledge(ticket=ticket, actor=self._worker(ticket), now=at)
        if action == "start":
            return services.ticket_start(ticket=ticket, actor=self._worker(ticket), now=at)
        if action == "resolve":
            return services.ticket_resolve(
                ticket=ticket, actor=self._worker(ticket), note=args[0], now=at
            )
        if action == "comment":
            services.ticket_comment(ticket=ticket, actor=self._worker(ticket), text=args[0], now=at)
            return ticket
        if action == "close":
            return services.ticket_close(ticket=ticket, actor=operator, now=at)
        if action == "reopen":
            return services.ticket_reopen(ticket=ticket, actor=operator, reason=args[0], now=at)
        if action == "pause":
            return services.ticket_pause(ticket=ticket, actor=operator, reason=args[0], now=at)
        if action == "assign":
            agency = self.agencies[args[0]]
            return services.ticket_assign(
                ticket=ticket, agency=agency, actor=operator, reason=args[1], now=at
            )
        if action == "priority":
            return services.ticket_change_priority(
                ticket=ticket,
                actor=operator,
                priority=self.room.priorities[args[0]],
                reason=args[1],
                now=at,
            )
        raise ValueError(f"Unknown demo step {action!r}")
