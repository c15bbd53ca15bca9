"""A realistic operations room for demos and benchmarks: `manage.py seed_tickets`.

The configuration comes from `management/catalogue.py` (codes prefixed `seed-`, so `--reset`
removes exactly it): four priorities with their times, a dozen bilingual categories, zones,
gates and landmarks around Al-Masjid an-Nabawi, routing rules spread over the agencies, and
the season's 24/7 policy with the standard ladder.

Tickets are written with bulk inserts, not through `ticket_create` ten thousand times, but
they are what the services and the one-minute pass would have left: deadlines and escalation
steps computed with the same `sla` functions, steps already due marked fired (with their
timeline event), a timeline per ticket (reported, assigned, acknowledged, started, paused,
resolved, closed, comments, escalations), and the references the service gives. The open
tickets were reported over the last hours, so some are breached and most are running; the
resolved and closed ones go back a week, for the metrics.
"""

import datetime
import itertools
import random
from dataclasses import dataclass, field

from django.db import models, transaction
from django.utils import timezone

from modules.accounts.models import User
from modules.accounts.roles import Role
from modules.agencies.models import Agency, Membership
from modules.core.hijri import to_hijri
from modules.statistics.management.seeding import _agencies as agencies_for_seeding

from . import sla
from .management.catalogue import (
    CATEGORIES,
    COMMENTS,
    LADDER,
    LANDMARKS,
    PAUSE_REASONS,
    POLICY_NAME_AR,
    POLICY_NAME_EN,
    PRIORITIES,
    REASSIGN_REASON,
    REPORTERS,
    ZONES,
    CategorySpec,
)
from .models import (
    DEFAULT_PAUSE_STATUSES,
    DONE_STATUSES,
    Category,
    EscalationStep,
    EventKind,
    Landmark,
    Priority,
    Recipients,
    RoutingRule,
    SlaPolicy,
    SlaTarget,
    Source,
    Status,
    Target,
    Ticket,
    TicketAttachment,
    TicketEscalation,
    TicketEvent,
    Zone,
)
from .tasks import _describe as describe_step

PREFIX = "seed-"
BATCH = 5000
MINUTE = datetime.timedelta(minutes=1)
# Open tickets are spread over the last hours, most of them recent.
OPEN_AGES_MINUTES = ((0.7, 0, 120), (0.25, 120, 480), (0.05, 480, 1440))
OPEN_STATUS_SHARES = (
    (Status.ASSIGNED, 0.35),
    (Status.ACKNOWLEDGED, 0.22),
    (Status.IN_PROGRESS, 0.33),
    (Status.ON_HOLD, 0.10),
)
SOURCES = (
    (Source.PUBLIC, 0.45),
    (Source.OPERATOR, 0.35),
    (Source.AGENCY, 0.15),
    (Source.API, 0.05),
)
HISTORY_DAYS = 7


class SeedError(Exception):
    pass


@dataclass
class SeedResult:
    counts: dict[str, int] = field(default_factory=dict)


def _fast_delete(queryset: models.QuerySet) -> int:
    """DELETE … WHERE without fetching every row for the delete signals first."""
    return queryset._raw_delete(queryset.db)


@transaction.atomic
def reset_seeded() -> dict[str, int]:
    """Remove the seeded tickets and configuration (not the agencies, which are shared)."""
    categories = Category.objects.filter(code__startswith=PREFIX)
    policy_ids = set(categories.exclude(sla_policy=None).values_list("sla_policy_id", flat=True))
    tickets = Ticket.objects.filter(category__in=categories)
    removed = {
        "attachments": _fast_delete(TicketAttachment.objects.filter(ticket__in=tickets)),
        "escalation steps": _fast_delete(TicketEscalation.objects.filter(ticket__in=tickets)),
        "events": _fast_delete(TicketEvent.objects.filter(ticket__in=tickets)),
        "tickets": _fast_delete(tickets),
        "routing rules": RoutingRule.objects.filter(category__in=categories).delete()[0],
    }
    removed["categories"] = categories.delete()[0]
    zones = Zone.objects.filter(code__startswith=PREFIX)
    Landmark.objects.filter(zone__in=zones).delete()
    zones.delete()
    unused = SlaPolicy.objects.filter(pk__in=policy_ids, categories=None, tickets=None)
    removed["policies"] = len(unused)
    for policy in unused:
        policy.delete()
    Priority.objects.filter(code__startswith=PREFIX, tickets=None).delete()
    return removed


@dataclass
class Room:
    """The seeded configuration, loaded once."""

    priorities: dict[str, Priority]
    policy: SlaPolicy
    categories: list[tuple[Category, CategorySpec]]
    zones: dict[str, Zone]
    landmarks: list[Landmark]
    rules: dict[tuple[int, int | None], Agency]

    def route(self, category: Category, zone: Zone | None) -> Agency | None:
        """`routing.route` over the rules in memory: the zone's rule, else the general one."""
        if zone is not None and (category.pk, zone.pk) in self.rules:
            return self.rules[(category.pk, zone.pk)]
        return self.rules.get((category.pk, None))


def ensure_room(
    agencies: list[Agency], *, prefix: str = PREFIX, supervisor=None, spread: bool = True
) -> Room:
    """The catalogue's configuration under codes starting with `prefix`, made if missing.

    Routing: each category's general rule goes to its first listed agency present (else the
    next agency in turn); four zones get rules of their own, for the next agencies in turn
    when `spread` (so the tickets reach every agency), else for the category's other listed
    agencies."""
    priorities = {}
    for spec in PRIORITIES:
        priorities[spec.code], _created = Priority.objects.get_or_create(
            code=f"{prefix}{spec.code}",
            defaults={
                "name_ar": spec.name_ar,
                "name_en": spec.name_en,
                "rank": spec.rank,
                "colour": spec.colour,
            },
        )
    first = Category.objects.filter(code=f"{prefix}{CATEGORIES[0].code}").first()
    policy = first.sla_policy if first and first.sla_policy_id else None
    if policy is None:
        policy = _make_policy(priorities, supervisor)
    zones = {
        spec.code: Zone.objects.get_or_create(
            code=f"{prefix}{spec.code}",
            defaults={"name_ar": spec.name_ar, "name_en": spec.name_en, "sort_order": order},
        )[0]
        for order, spec in enumerate(ZONES)
    }
    landmarks = list(Landmark.objects.filter(zone__in=zones.values()))
    if not landmarks:
        landmarks = Landmark.objects.bulk_create(
            Landmark(
                zone=zones[spec.zone],
                kind=spec.kind,
                name_ar=spec.name_ar,
                name_en=spec.name_en,
                latitude=spec.latitude,
                longitude=spec.longitude,
            )
            for spec in LANDMARKS
        )
    categories = []
    for order, spec in enumerate(CATEGORIES):
        category, _created = Category.objects.get_or_create(
            code=f"{prefix}{spec.code}",
            defaults={
                "name_ar": spec.name_ar,
                "name_en": spec.name_en,
                "description_ar": spec.description_ar,
                "description_en": spec.description_en,
                "default_priority": priorities[spec.priority],
                "sla_policy": policy,
                "is_public": spec.is_public,
                "sort_order": order,
            },
        )
        categories.append((category, spec))
    rules = _ensure_rules(categories, list(zones.values()), agencies, spread=spread)
    return Room(priorities, policy, categories, zones, landmarks, rules)


def _make_policy(priorities: dict[str, Priority], supervisor) -> SlaPolicy:
    policy = SlaPolicy.objects.create(
        name_ar=POLICY_NAME_AR,
        name_en=POLICY_NAME_EN,
        is_default=not SlaPolicy.objects.filter(is_default=True).exists(),
        pause_statuses=list(DEFAULT_PAUSE_STATUSES),
    )
    SlaTarget.objects.bulk_create(
        SlaTarget(
            policy=policy,
            priority=priorities[spec.code],
            acknowledge_minutes=spec.acknowledge_minutes,
            resolve_minutes=spec.resolve_minutes,
            sort_order=order,
        )
        for order, spec in enumerate(PRIORITIES)
    )
    EscalationStep.objects.bulk_create(
        EscalationStep(
            policy=policy,
            sort_order=order,
            target=step.target,
            percent=step.percent,
            minutes_after=step.minutes_after,
            # Without a named supervisor, every operator hears.
            recipients=(
                Recipients.OPERATORS
                if step.recipients == Recipients.PERSON and supervisor is None
                else step.recipients
            ),
            person=supervisor if step.recipients == Recipients.PERSON else None,
            by_email=True,
            by_sms=step.by_sms,
        )
        for order, step in enumerate(LADDER)
    )
    return policy


def _ensure_rules(categories, zones, agencies, *, spread) -> dict[tuple, Agency]:
    existing = RoutingRule.objects.filter(category__in=[category for category, _s in categories])
    if existing.exists():
        return {
            (rule.category_id, rule.zone_id): rule.agency
            for rule in existing.select_related("agency")
        }
    if not agencies:
        raise SeedError("There is no agency to route the reports to.")
    by_code = {agency.code: agency for agency in agencies}
    turn = itertools.cycle(agencies)
    rules = []
    for category, spec in categories:
        if not spec.routed:
            continue
        listed = [by_code[code] for code in spec.agencies if code in by_code]
        rules.append(RoutingRule(category=category, agency=listed[0] if listed else next(turn)))
        others = listed[1:]
        for index, zone in enumerate(zones[1:5]):
            if spread:
                agency = next(turn)
            elif others:
                agency = others[index % len(others)]
            else:
                continue
            rules.append(RoutingRule(category=category, zone=zone, agency=agency))
    RoutingRule.objects.bulk_create(rules)
    return {(rule.category_id, rule.zone_id): rule.agency for rule in rules}


def seed_tickets(
    *, tickets: int, history: int, agencies: int, seed: int, now: datetime.datetime | None = None
) -> SeedResult:
    """`tickets` open tickets and `history` resolved or closed ones, with their timelines."""
    now = now or timezone.now()
    with transaction.atomic():
        agency_list, created_agencies = agencies_for_seeding(agencies)
        supervisor = User.objects.filter(role=Role.OPERATOR, is_active=True).order_by("pk").first()
        room = ensure_room(agency_list, supervisor=supervisor)
        writer = _Writer(room, agency_list, random.Random(seed), now=now)
        for _ in range(tickets):
            writer.open_ticket()
        for _ in range(history):
            writer.done_ticket()
        counts = writer.save()
    return SeedResult(
        {"agencies": len(agency_list), "agencies created": created_agencies, **counts}
    )


@dataclass
class _Draft:
    ticket: Ticket
    spec: CategorySpec
    events: list[TicketEvent] = field(default_factory=list)
    escalations: list[TicketEscalation] = field(default_factory=list)


def _seconds(value: float) -> datetime.timedelta:
    return datetime.timedelta(seconds=value)


class _Writer:
    """Builds tickets in memory the way the services and the pass would have left them."""

    def __init__(self, room: Room, agencies: list[Agency], rng: random.Random, *, now):
        self.room = room
        self.agencies = agencies
        self.rng = rng
        self.now = now
        policy = (
            SlaPolicy.objects.select_related("calendar")
            .prefetch_related("targets", "steps", "calendar__periods", "calendar__holidays")
            .get(pk=room.policy.pk)
        )
        self.targets = list(policy.targets.all())
        self.steps = sorted(policy.steps.all(), key=lambda step: (step.sort_order, step.pk))
        self.hours = sla.BusinessHours.for_policy(policy)
        self.members: dict[int, list[int]] = {}
        for agency_id, user_id in Membership.objects.order_by("agency_id", "user_id").values_list(
            "agency_id", "user_id"
        ):
            self.members.setdefault(agency_id, []).append(user_id)
        self.operators = list(
            User.objects.filter(role=Role.OPERATOR, is_active=True).values_list("pk", flat=True)
        )
        self.routed_to = sorted(set(room.rules.values()), key=lambda agency: agency.pk)
        self.weights = [spec.weight for _category, spec in room.categories]
        self.drafts: list[_Draft] = []

    # --- helpers -------------------------------------------------------------------------

    def _pick(self, shares):
        values, weights = zip(*shares, strict=True)
        return self.rng.choices(values, weights=weights)[0]

    def _between(self, start, end):
        return start + (end - start) * self.rng.random()

    def _member(self, agency_id):
        people = self.members.get(agency_id)
        return self.rng.choice(people) if people else None

    def _operator(self):
        return self.rng.choice(self.operators) if self.operators else None

    def _event(self, draft, kind, at, actor_id, *, public=True, **fields):
        draft.events.append(
            TicketEvent(kind=kind, at=at, actor_id=actor_id, is_public=public, **fields)
        )

    def _move(self, draft, kind, at, to_status, *, actor_id, comment="", public=True):
        """A status change as `services._move` records it."""
        ticket = draft.ticket
        self._event(
            draft,
            kind,
            at,
            actor_id,
            from_status=ticket.status,
            to_status=to_status,
            comment=comment,
            public=public,
        )
        ticket.status = to_status

    # --- a ticket's life -----------------------------------------------------------------

    def _report(self, created: datetime.datetime) -> _Draft:
        """Intake as `ticket_create` does it: located, routed, the clock started."""
        category, spec = self.rng.choices(self.room.categories, weights=self.weights)[0]
        source = self._pick(SOURCES)
        landmark = self.rng.choice(self.room.landmarks)
        arabic, english = self.rng.choice(spec.reports)
        ticket = Ticket(
            reference=f"{PREFIX}{len(self.drafts)}",
            source=source,
            status=Status.NEW,
            category=category,
            priority=category.default_priority,
            description=arabic if self.rng.random() < 0.75 else english,
            policy=self.room.policy,
            clock_started_at=created,
        )
        if source in (Source.PUBLIC, Source.API) and self.rng.random() < 0.5:
            # A point on the map near where the reporter stood; sometimes a landmark too.
            ticket.latitude = round(float(landmark.latitude) + self.rng.uniform(-7e-4, 7e-4), 6)
            ticket.longitude = round(float(landmark.longitude) + self.rng.uniform(-7e-4, 7e-4), 6)
            if self.rng.random() < 0.3:
                ticket.landmark, ticket.zone = landmark, landmark.zone
        else:
            ticket.landmark, ticket.zone = landmark, landmark.zone
        if source == Source.PUBLIC:
            ticket.reporter_name = self.rng.choice(REPORTERS) if self.rng.random() < 0.7 else ""
            if self.rng.random() < 0.6:
                ticket.reporter_phone = f"+9665{self.rng.randrange(10**7, 10**8)}"
        elif source == Source.OPERATOR:
            ticket.created_by_id = self._operator()
        elif source == Source.AGENCY:
            reporter = self.rng.choice(self.agencies)
            ticket.reporting_agency = reporter
            ticket.created_by_id = self._member(reporter.pk)
        plan = sla.budget(self.targets, ticket.priority_id)
        ticket.acknowledge_seconds, ticket.resolve_seconds = plan.acknowledge, plan.resolve
        draft = _Draft(ticket, spec)
        self.drafts.append(draft)
        self._event(draft, EventKind.CREATED, created, ticket.created_by_id, to_status=Status.NEW)
        agency = self.room.route(category, ticket.zone)
        if agency is not None:
            self._assign(draft, agency, created, ticket.created_by_id)
        return draft

    def _assign(self, draft, agency, at, actor_id):
        ticket = draft.ticket
        self._event(
            draft,
            EventKind.ASSIGNED,
            at,
            actor_id,
            from_status=ticket.status,
            to_status=Status.ASSIGNED,
            to_agency_id=agency.pk,
        )
        ticket.agency, ticket.assigned_at, ticket.status = agency, at, Status.ASSIGNED

    def _work(self, draft, *, until, status):
        """What the agency (and the room) did before `until` to reach `status`."""
        ticket = draft.ticket
        if ticket.agency is None:
            if status != Status.RESOLVED and self.rng.random() < 0.6:
                return  # still waiting for an operator to route it
            at = self._between(ticket.clock_started_at, until)
            self._assign(draft, self.rng.choice(self.routed_to), at, self._operator())
        since = ticket.assigned_at
        if self.rng.random() < 0.03:
            moved_to = self.rng.choice(self.routed_to)
            if moved_to != ticket.agency:
                at = self._between(since, until)
                self._event(
                    draft,
                    EventKind.REASSIGNED,
                    at,
                    self._operator(),
                    public=False,
                    from_status=ticket.status,
                    to_status=Status.ASSIGNED,
                    from_agency_id=ticket.agency_id,
                    to_agency_id=moved_to.pk,
                    comment=REASSIGN_REASON,
                )
                ticket.agency, ticket.assigned_at, since = moved_to, at, at
        worker = self._member(ticket.agency_id)
        acknowledged = status in (Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.RESOLVED) or (
            status == Status.ON_HOLD and self.rng.random() < 0.6
        )
        if acknowledged:
            # Mostly within the time to acknowledge, sometimes late.
            latest = min(until, since + _seconds(2 * ticket.acknowledge_seconds))
            ticket.acknowledged_at = since = self._between(since, latest)
            self._move(draft, EventKind.ACKNOWLEDGED, since, Status.ACKNOWLEDGED, actor_id=worker)
            if status == Status.IN_PROGRESS or self.rng.random() < 0.4:
                since = self._between(since, until)
                self._move(draft, EventKind.STARTED, since, Status.IN_PROGRESS, actor_id=worker)
            if self.rng.random() < 0.2:
                self._event(
                    draft,
                    EventKind.COMMENTED,
                    self._between(since, until),
                    worker,
                    public=False,
                    comment=self.rng.choice(COMMENTS),
                )
        if status == Status.ON_HOLD:
            ticket.status_before_pause = ticket.status
            ticket.paused_at = self._between(since, until)
            self._move(
                draft,
                EventKind.PAUSED,
                ticket.paused_at,
                Status.ON_HOLD,
                actor_id=self._operator(),
                comment=self.rng.choice(PAUSE_REASONS),
                public=False,
            )

    def _clock(self, draft):
        """The deadlines and the ladder as `_reschedule` stores them and the pass fires them:
        a step due before the clock stopped (or its target was met) has fired, within the
        minute; a step still to come is pending while the ticket runs."""
        ticket = draft.ticket
        plan = sla.Budget(ticket.acknowledge_seconds, ticket.resolve_seconds)
        ticket.acknowledge_due_at = sla.due(self.hours, ticket, plan.acknowledge)
        ticket.resolve_due_at = sla.due(self.hours, ticket, plan.resolve)
        for step in self.steps:
            due_at = sla.step_due(self.hours, ticket, plan, step)
            if due_at is None:
                continue
            met_at = (
                ticket.acknowledged_at if step.target == Target.ACKNOWLEDGE else ticket.resolved_at
            )
            stops = [moment for moment in (met_at, ticket.paused_at) if moment]
            if due_at <= min([self.now, *stops]):
                fired_at = min(due_at + _seconds(self.rng.uniform(0, 59)), self.now)
                draft.escalations.append(
                    TicketEscalation(step=step, due_at=due_at, fired_at=fired_at)
                )
                self._event(
                    draft,
                    EventKind.ESCALATED,
                    fired_at,
                    None,
                    public=False,
                    comment=describe_step(step),
                )
            elif not stops:
                draft.escalations.append(TicketEscalation(step=step, due_at=due_at))

    def open_ticket(self) -> None:
        _share, low, high = self._pick([(age, age[0]) for age in OPEN_AGES_MINUTES])
        created = self.now - _seconds(60 * self.rng.uniform(low, high) + 60)
        draft = self._report(created)
        self._work(draft, until=self.now, status=self._pick(OPEN_STATUS_SHARES))
        self._clock(draft)

    def done_ticket(self) -> None:
        created = self.now - _seconds(60 * self.rng.uniform(8 * 60, HISTORY_DAYS * 24 * 60))
        draft = self._report(created)
        ticket = draft.ticket
        resolved = created + _seconds(ticket.resolve_seconds * self.rng.uniform(0.25, 1.5))
        self._work(draft, until=resolved, status=Status.RESOLVED)
        ticket.resolved_at = resolved
        ticket.resolution = self.rng.choice(draft.spec.resolutions)
        self._move(
            draft,
            EventKind.RESOLVED,
            resolved,
            Status.RESOLVED,
            actor_id=self._member(ticket.agency_id),
            comment=ticket.resolution,
        )
        ticket.paused_at = resolved  # a done ticket's clock stands still, as after ticket_resolve
        closed = resolved + _seconds(60 * self.rng.uniform(15, 240))
        if closed < self.now and self.rng.random() < 0.7:
            ticket.closed_at = closed
            self._move(draft, EventKind.CLOSED, closed, Status.CLOSED, actor_id=self._operator())
            # Closing counts the stopped time since the resolution and stops it again anew.
            ticket.paused_seconds = self.hours.between(resolved, closed)
            ticket.paused_at = closed
        self._clock(draft)

    # --- writing -------------------------------------------------------------------------

    def save(self) -> dict[str, int]:
        tickets = [draft.ticket for draft in self.drafts]
        Ticket.objects.bulk_create(tickets, batch_size=BATCH)
        events, escalations = [], []
        for draft in self.drafts:
            ticket = draft.ticket
            # The insert stamped both with the present moment: put back the ticket's own.
            ticket.created_at = ticket.clock_started_at
            ticket.updated_at = max(event.at for event in draft.events)
            year = to_hijri(timezone.localdate(ticket.created_at)).year
            ticket.reference = f"{year}-{ticket.pk:06d}"
            for item in (*draft.events, *draft.escalations):
                item.ticket = ticket
            events += draft.events
            escalations += draft.escalations
        Ticket.objects.bulk_update(
            tickets, ["reference", "created_at", "updated_at"], batch_size=1000
        )
        TicketEvent.objects.bulk_create(events, batch_size=BATCH)
        TicketEscalation.objects.bulk_create(escalations, batch_size=BATCH)
        done = sum(ticket.status in DONE_STATUSES for ticket in tickets)
        return {
            "open tickets": len(tickets) - done,
            "resolved or closed tickets": done,
            "timeline events": len(events),
            "escalation steps fired": sum(row.fired_at is not None for row in escalations),
            "escalation steps to come": sum(row.fired_at is None for row in escalations),
        }
