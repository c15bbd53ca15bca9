"""Clock arithmetic: business time, deadlines and the escalation steps a ticket will reach.

Everything here is a pure function of the ticket's stored fields, the policy and a `now`, so
it is tested with frozen time and never keeps a timer in memory.

The clock of a ticket starts at `clock_started_at` (when it was reported) and stops while
paused; `paused_seconds` is the business time spent paused (or resolved, before a reopen).
A target of B seconds is therefore due when `start + B + paused_seconds` of business time
has passed, and a step at p % plus m minutes when `start + B·p/100 + m + paused` has.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from .models import EscalationStep, SlaPolicy, SlaTarget, Target, Ticket

# How far ahead business time is searched; a calendar with no working hours in two years
# is a configuration error the admin form refuses.
HORIZON_DAYS = 731


@dataclass(frozen=True)
class BusinessHours:
    """Working periods per weekday (Python numbering) and holidays; `always` means 24/7."""

    periods: dict[int, tuple[tuple[datetime.time, datetime.time], ...]] = field(
        default_factory=dict
    )
    holidays: frozenset[datetime.date] = frozenset()
    always: bool = False

    @classmethod
    def for_policy(cls, policy: SlaPolicy | None) -> "BusinessHours":
        """The policy's hours; reads `calendar.periods` and `calendar.holidays` (prefetch them)."""
        if policy is None or policy.calendar_id is None:
            return ALWAYS
        calendar = policy.calendar
        periods: dict[int, list] = {}
        for period in calendar.periods.all():
            periods.setdefault(period.weekday, []).append((period.opens, period.closes))
        return cls(
            periods={day: tuple(sorted(spans)) for day, spans in periods.items()},
            holidays=frozenset(holiday.day for holiday in calendar.holidays.all()),
        )

    def _intervals(self, day: datetime.date):
        if day in self.holidays:
            return
        zone = timezone.get_default_timezone()
        for opens, closes in self.periods.get(day.weekday(), ()):
            yield (
                timezone.make_aware(datetime.datetime.combine(day, opens), zone),
                timezone.make_aware(datetime.datetime.combine(day, closes), zone),
            )

    def add(self, start: datetime.datetime, seconds: float) -> datetime.datetime | None:
        """The moment `seconds` of business time after `start`; None past the horizon."""
        if self.always or seconds <= 0:
            return start + datetime.timedelta(seconds=max(seconds, 0))
        remaining = datetime.timedelta(seconds=seconds)
        first = timezone.localdate(start, timezone.get_default_timezone())
        for offset in range(HORIZON_DAYS):
            for opens, closes in self._intervals(first + datetime.timedelta(days=offset)):
                if closes <= start:
                    continue
                begin = max(opens, start)
                available = closes - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
        return None

    def between(self, start: datetime.datetime, end: datetime.datetime) -> int:
        """Whole seconds of business time from `start` to `end` (0 if end is not after start)."""
        if end <= start:
            return 0
        if self.always:
            return int((end - start).total_seconds())
        total = datetime.timedelta()
        zone = timezone.get_default_timezone()  # the calendar's, not the request's
        first, last = timezone.localdate(start, zone), timezone.localdate(end, zone)
        for offset in range((last - first).days + 1):
            for opens, closes in self._intervals(first + datetime.timedelta(days=offset)):
                overlap = min(closes, end) - max(opens, start)
                if overlap > datetime.timedelta():
                    total += overlap
        return int(total.total_seconds())


ALWAYS = BusinessHours(always=True)


@dataclass(frozen=True)
class Budget:
    acknowledge: int  # seconds
    resolve: int

    def of(self, target: str) -> int:
        return self.acknowledge if target == Target.ACKNOWLEDGE else self.resolve


def budget(targets: list[SlaTarget], priority_id: int) -> Budget | None:
    for target in targets:
        if target.priority_id == priority_id:
            return Budget(target.acknowledge_minutes * 60, target.resolve_minutes * 60)
    return None


def due(hours: BusinessHours, ticket: Ticket, seconds: float) -> datetime.datetime | None:
    """When `seconds` of the ticket's own (unpaused) clock will have run."""
    return hours.add(ticket.clock_started_at, seconds + ticket.paused_seconds)


def elapsed(hours: BusinessHours, ticket: Ticket, now: datetime.datetime) -> int:
    """Seconds the ticket's clock has run by `now`; a paused clock stands where it stopped."""
    until = ticket.paused_at or now
    return max(hours.between(ticket.clock_started_at, until) - ticket.paused_seconds, 0)


def target_met(ticket: Ticket, target: str) -> bool:
    if target == Target.ACKNOWLEDGE:
        return ticket.acknowledged_at is not None
    return ticket.resolved_at is not None


def step_due(
    hours: BusinessHours, ticket: Ticket, plan: Budget, step: EscalationStep
) -> datetime.datetime | None:
    seconds = plan.of(step.target) * step.percent / 100 + step.minutes_after * 60
    return due(hours, ticket, seconds)


@dataclass(frozen=True)
class Remaining:
    """What a countdown shows: seconds left (negative once breached) and its colour."""

    seconds: int
    fraction_used: float
    paused: bool
    met: bool
    warning: float = 0.75

    @property
    def breached(self) -> bool:
        return self.seconds < 0

    @property
    def tone(self) -> str:
        if self.met:
            return "done"
        if self.breached:
            return "breached"
        if self.fraction_used >= self.warning:
            return "warning"
        return "ok"


# Amber from this share of the time used, unless the policy's first warning comes sooner.
WARNING_FRACTION = 0.75


def signed_between(hours: BusinessHours, start, end) -> int:
    """Business seconds from `start` to `end`, negative when `end` is earlier."""
    if end >= start:
        return hours.between(start, end)
    return -hours.between(end, start)


def remaining(
    hours: BusinessHours,
    due_at: datetime.datetime | None,
    total_seconds: int | None,
    now: datetime.datetime,
    *,
    paused_at: datetime.datetime | None = None,
    met_at: datetime.datetime | None = None,
    warning: float = WARNING_FRACTION,
) -> Remaining | None:
    """The time left on one clock, computed on read from the stored deadline.

    The deadline already includes the paused time, so the business time from now (or from
    the moment the clock stopped) to the deadline is what is left.
    """
    if due_at is None or not total_seconds:
        return None
    stopped_at = met_at or paused_at
    left = signed_between(hours, stopped_at or now, due_at)
    return Remaining(
        left,
        1 - left / total_seconds,
        paused=met_at is None and paused_at is not None,
        met=met_at is not None,
        warning=warning,
    )


def is_running(hours: BusinessHours, now: datetime.datetime) -> bool:
    """Is business time passing right now (so a countdown on screen should tick)?"""
    return hours.always or hours.between(now, now + datetime.timedelta(seconds=1)) > 0
