"""How the operations room performed over a period: SLA compliance per agency and per
category, mean times to acknowledge and to resolve, and breaches per day.

Pure selectors over tickets reported in the period (local dates, both ends included),
computed in the database with aggregates — one query per grouping, whatever the number of
tickets. The operations room's metrics page, its exports and the season's final report all
read these functions.

Definitions
- A ticket is *reported* when its clock started (`clock_started_at`, else `created_at`).
- A target is *met* when it was done by its deadline (`acknowledged_at <= acknowledge_due_at`,
  `resolved_at <= resolve_due_at`) and *breached* when it was done late, or is not done, its
  deadline has passed and its clock is not paused. Tickets with neither outcome yet (not
  due, or paused before the deadline) and tickets without a deadline count in neither.
- Compliance (on time %) is met / (met + breached).
- Mean times are wall-clock minutes from the report to the acknowledgement / resolution.
- A ticket breached its resolve deadline on day D when its `resolve_due_at` falls on D
  (Asia/Riyadh) and its resolve target is breached as above.
"""

import datetime

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from modules.agencies.models import Season

from .models import Ticket

GROUPS = {
    "agency": ("agency_id", "agency__name_ar", "agency__name_en"),
    "category": ("category_id", "category__name_ar", "category__name_en"),
}
DEFAULT_DAYS = 30


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The active season's dates, else the last 30 days."""
    season = Season.objects.active().first()
    if season is not None:
        return season.starts_on, season.ends_on
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=DEFAULT_DAYS - 1), today


def _bounds(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """[start 00:00, the day after end 00:00) in the local time zone."""
    begin = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    until = timezone.make_aware(
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min)
    )
    return begin, until


def _reported_at():
    return Coalesce("clock_started_at", "created_at")


def _since_report(field: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(field) - _reported_at(), output_field=DurationField())


def _outcomes(prefix: str, done: str, due: str, now: datetime.datetime) -> dict:
    """Count aggregates for one target: done, met (on time), breached (late or overdue)."""
    met = Q(**{f"{done}__isnull": False, f"{due}__isnull": False, f"{done}__lte": F(due)})
    breached = Q(**{f"{due}__isnull": False, f"{done}__gt": F(due)}) | Q(
        **{f"{done}__isnull": True, f"{due}__lt": now, "paused_at__isnull": True}
    )
    return {
        prefix: Count("pk", filter=Q(**{f"{done}__isnull": False})),
        f"{prefix}_on_time": Count("pk", filter=met),
        f"{prefix}_breached": Count("pk", filter=breached),
    }


def _aggregates(now: datetime.datetime) -> dict:
    return {
        "tickets": Count("pk"),
        **_outcomes("acknowledged", "acknowledged_at", "acknowledge_due_at", now),
        **_outcomes("resolved", "resolved_at", "resolve_due_at", now),
        "mean_acknowledge": Avg(
            _since_report("acknowledged_at"), filter=Q(acknowledged_at__isnull=False)
        ),
        "mean_resolve": Avg(_since_report("resolved_at"), filter=Q(resolved_at__isnull=False)),
    }


def _rate(on_time: int, breached: int) -> float | None:
    decided = on_time + breached
    return round(100 * on_time / decided, 1) if decided else None


def _minutes(duration) -> float | None:
    if duration is None:
        return None
    if not isinstance(duration, datetime.timedelta):  # some backends give microseconds
        duration = datetime.timedelta(microseconds=float(duration))
    return round(duration.total_seconds() / 60, 1)


def _figures(values: dict) -> dict:
    return {
        "tickets": values["tickets"],
        "acknowledged": values["acknowledged"],
        "acknowledged_on_time": values["acknowledged_on_time"],
        "acknowledged_breached": values["acknowledged_breached"],
        "acknowledge_rate": _rate(values["acknowledged_on_time"], values["acknowledged_breached"]),
        "resolved": values["resolved"],
        "resolved_on_time": values["resolved_on_time"],
        "resolved_breached": values["resolved_breached"],
        "resolve_rate": _rate(values["resolved_on_time"], values["resolved_breached"]),
        "mean_acknowledge_minutes": _minutes(values["mean_acknowledge"]),
        "mean_resolve_minutes": _minutes(values["mean_resolve"]),
    }


def _reported_between(start: datetime.date, end: datetime.date):
    begin, until = _bounds(start, end)
    return Ticket.objects.alias(reported_at=_reported_at()).filter(
        reported_at__gte=begin, reported_at__lt=until
    )


def sla_compliance(
    *,
    start: datetime.date,
    end: datetime.date,
    group_by: str = "agency",
    now: datetime.datetime | None = None,
) -> dict:
    """Compliance and mean times of the tickets reported from `start` to `end`, per agency
    or per category.

    Returns {"group_by", "rows": [{"id", "name", <figures>} …], "total": {<figures>}} where
    the figures are tickets, acknowledged, acknowledged_on_time, acknowledged_breached,
    acknowledge_rate (%), resolved, resolved_on_time, resolved_breached, resolve_rate (%),
    mean_acknowledge_minutes and mean_resolve_minutes (rates and means None when there is
    nothing to measure). Rows are sorted by name; tickets with no agency are one row named
    "Not assigned".
    """
    if group_by not in GROUPS:
        raise ValueError(f"group_by must be one of {sorted(GROUPS)}")
    now = now or timezone.now()
    key, name_ar, name_en = GROUPS[group_by]
    english = (get_language() or "ar").startswith("en")
    tickets = _reported_between(start, end)
    rows = []
    for values in tickets.values(key, name_ar, name_en).annotate(**_aggregates(now)).order_by():
        if values[key] is None:
            name = _("Not assigned")
        else:
            name = (values[name_en] or values[name_ar]) if english else values[name_ar]
        rows.append({"id": values[key], "name": name, **_figures(values)})
    rows.sort(key=lambda row: (row["id"] is None, row["name"]))
    total = _figures(tickets.aggregate(**_aggregates(now)))
    return {"group_by": group_by, "rows": rows, "total": total}


def breaches_per_day(
    *, start: datetime.date, end: datetime.date, now: datetime.datetime | None = None
) -> list[dict]:
    """[{"date", "breaches"} …] for every day from `start` to `end`: the tickets whose
    resolve deadline fell on that day and that were resolved late or are still overdue."""
    now = now or timezone.now()
    begin, until = _bounds(start, end)
    breached = Q(resolved_at__gt=F("resolve_due_at")) | Q(
        resolved_at__isnull=True, resolve_due_at__lt=now, paused_at__isnull=True
    )
    counts = dict(
        Ticket.objects.filter(breached, resolve_due_at__gte=begin, resolve_due_at__lt=until)
        .annotate(day=TruncDate("resolve_due_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(breaches=Count("pk"))
        .order_by()
        .values_list("day", "breaches")
    )
    days = (end - start).days + 1
    return [
        {"date": day, "breaches": counts.get(day, 0)}
        for day in (start + datetime.timedelta(days=offset) for offset in range(days))
    ]


def metrics_summary(
    *, start: datetime.date, end: datetime.date, now: datetime.datetime | None = None
) -> dict:
    """Everything the metrics page and its exports show, for one period."""
    now = now or timezone.now()
    return {
        "start": start,
        "end": end,
        "agencies": sla_compliance(start=start, end=end, group_by="agency", now=now),
        "categories": sla_compliance(start=start, end=end, group_by="category", now=now),
        "days": breaches_per_day(start=start, end=end, now=now),
    }
