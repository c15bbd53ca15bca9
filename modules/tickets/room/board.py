"""What the operations board shows: open tickets with their countdowns, and counts per agency.

The same dictionaries fill the page (server-rendered, the no-JS fallback), its JSON endpoint
(board.js redraws from it every ~15 s) and the list of all tickets. The tickets are read as
plain values — only the columns shown, with the names of their category, priority, agency,
zone and landmark joined in — because a wall screen may hold thousands of open tickets and
building model instances for each would cost most of the time. `selectors.clocks_for` reads
the clocks from the same values: a fixed number of queries however many tickets are open.

The countdown fields follow the front-end contract of static/tickets/countdown.js.
"""

import datetime
from collections.abc import Iterable
from types import SimpleNamespace

from django.db.models import Case, Count, F, Q, QuerySet, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from .. import sla
from ..models import Status, Target, Ticket
from ..selectors import Clock, clocks_for, ticket_list

# What `selectors.clocks_for` reads of a ticket.
CLOCK_COLUMNS = (
    "policy_id",
    "acknowledge_due_at",
    "resolve_due_at",
    "acknowledge_seconds",
    "resolve_seconds",
    "paused_at",
    "acknowledged_at",
    "resolved_at",
)
# What a board row reads (the description, up to 4,000 characters, is not among them).
BOARD_COLUMNS = (
    "id",
    "reference",
    "status",
    "reassign_requested",
    "latitude",
    "longitude",
    "category_id",
    "priority_id",
    "agency_id",
    "zone_id",
    *CLOCK_COLUMNS,
    "category__name_ar",
    "category__name_en",
    "priority__name_ar",
    "priority__name_en",
    "priority__colour",
    "priority__rank",
    "agency__name_ar",
    "agency__name_en",
    "zone__name_ar",
    "zone__name_en",
    "landmark__name_ar",
    "landmark__name_en",
    "landmark__latitude",
    "landmark__longitude",
)

DEFAULT_COLOUR = "#4a5565"
MINUS = "\u2212"


def format_seconds(seconds: int) -> str:
    """3725 → "01:02:05"; a breached clock reads "−00:05:00" (as countdown.js writes it)."""
    whole = abs(int(seconds))
    text = f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
    return f"{MINUS}{text}" if seconds < 0 else text


def tone(remaining: sla.Remaining, total: int | None, warning: float) -> str:
    """The countdown's colour, decided as countdown.js decides it."""
    if remaining.met:
        return "done"
    if remaining.paused:
        return "paused"
    if remaining.seconds < 0:
        return "breached"
    if total and 1 - remaining.seconds / total >= warning:
        return "warning"
    return "ok"


def countdown(
    remaining: sla.Remaining | None,
    *,
    target: str,
    due_at: datetime.datetime | None,
    total: int | None,
    clock: Clock,
) -> dict | None:
    """The data attributes (and server text) of one `<span class="countdown">`."""
    if remaining is None or due_at is None:
        return None
    return {
        "target": target,
        "due": timezone.localtime(due_at).isoformat(),
        "seconds": remaining.seconds,
        "total": total or 0,
        "warning": clock.warning_fraction,
        "running": clock.running,
        "paused": remaining.paused,
        "met": remaining.met,
        "tone": tone(remaining, total, clock.warning_fraction),
        "text": format_seconds(remaining.seconds),
    }


def acknowledge_countdown(ticket: Ticket, clock: Clock) -> dict | None:
    return countdown(
        clock.acknowledge,
        target=Target.ACKNOWLEDGE,
        due_at=ticket.acknowledge_due_at,
        total=ticket.acknowledge_seconds,
        clock=clock,
    )


def resolve_countdown(ticket: Ticket, clock: Clock) -> dict | None:
    return countdown(
        clock.resolve,
        target=Target.RESOLVE,
        due_at=ticket.resolve_due_at,
        total=ticket.resolve_seconds,
        clock=clock,
    )


def current_countdown(ticket: Ticket, clock: Clock) -> dict | None:
    """The clock that matters now: acknowledge until it is met, then resolve."""
    if clock.acknowledge is not None and not clock.acknowledge.met:
        return acknowledge_countdown(ticket, clock)
    return resolve_countdown(ticket, clock)


def safe_colour(value: str) -> str:
    """A priority's colour for a style attribute: "#rgb" or "#rrggbb", else a neutral grey."""
    text = (value or "").strip()
    digits = text[1:]
    if (
        text.startswith("#")
        and len(digits) in (3, 6)
        and all(c in "0123456789abcdefABCDEF" for c in digits)
    ):
        return text
    return DEFAULT_COLOUR


def _name(record: dict, relation: str, english: bool) -> str:
    first, second = ("en", "ar") if english else ("ar", "en")
    return record[f"{relation}__name_{first}"] or record[f"{relation}__name_{second}"] or ""


def _coordinates(record: dict) -> tuple[float | None, float | None]:
    """The reported point, else the landmark's (a gate chosen from the list has a place)."""
    for prefix in ("", "landmark__"):
        latitude, longitude = record[f"{prefix}latitude"], record[f"{prefix}longitude"]
        if latitude is not None and longitude is not None:
            return float(latitude), float(longitude)
    return None, None


def board_values(tickets: QuerySet[Ticket], *extra: str) -> QuerySet:
    """The board's columns (and any `extra` ones) of these tickets, as dictionaries."""
    return tickets.values(*BOARD_COLUMNS, *extra)


def _urgency(row: dict) -> tuple:
    """Breached and nearly due first; paused clocks after running ones; no clock last."""
    clock = row["countdown"]
    if clock is None:
        return (2, 0, row["reference"])
    return (1 if clock["paused"] else 0, clock["seconds"], row["reference"])


def board_rows(
    records: Iterable[dict], now: datetime.datetime | None = None, *, sort: bool = True
) -> list[dict]:
    """One dictionary per ticket (the JSON's "tickets") from `board_values` records; most
    urgent first unless `sort` is False (the list page keeps its own order)."""
    records = list(records)
    # clocks_for reads attributes: each record lends it an object with just those.
    clock_inputs = {
        record["id"]: SimpleNamespace(
            pk=record["id"], **{name: record[name] for name in CLOCK_COLUMNS}
        )
        for record in records
    }
    clocks = clocks_for(clock_inputs.values(), now)
    english = (get_language() or "ar").startswith("en")
    statuses = {value: str(label) for value, label in Status.choices}
    placeholder = "0000-000000"
    url_pattern = reverse("tickets_room:ticket", args=[placeholder])
    rows = []
    for record in records:
        latitude, longitude = _coordinates(record)
        ticket_id = record["id"]
        rows.append(
            {
                "id": ticket_id,
                "reference": record["reference"],
                "url": url_pattern.replace(placeholder, record["reference"]),
                "status": record["status"],
                "status_label": statuses.get(record["status"], record["status"]),
                "category": _name(record, "category", english),
                "category_id": record["category_id"],
                "priority": {
                    "name": _name(record, "priority", english),
                    "colour": safe_colour(record["priority__colour"]),
                    "rank": record["priority__rank"],
                },
                "priority_id": record["priority_id"],
                "agency": _name(record, "agency", english),
                "agency_id": record["agency_id"],
                "zone": _name(record, "zone", english),
                "zone_id": record["zone_id"],
                "landmark": _name(record, "landmark", english),
                "lat": latitude,
                "lng": longitude,
                "reassign_requested": record["reassign_requested"],
                "awaiting": record["acknowledged_at"] is None,
                "countdown": current_countdown(clock_inputs[ticket_id], clocks[ticket_id]),
            }
        )
    if sort:
        rows.sort(key=_urgency)
    return rows


def _breached_now(now: datetime.datetime) -> Q:
    """Tickets whose current clock (acknowledge until met, then resolve) has run out by now,
    or had run out when the clock stopped: the countdown's own rule, in SQL."""
    acknowledging = Q(acknowledged_at__isnull=True, acknowledge_due_at__isnull=False)

    def past(due: str) -> Q:
        return Q(paused_at__isnull=True, **{f"{due}__lt": now}) | Q(paused_at__gt=F(due))

    return (acknowledging & past("acknowledge_due_at")) | (~acknowledging & past("resolve_due_at"))


def board_counts(tickets: QuerySet[Ticket], now: datetime.datetime) -> dict:
    """Open, breached and awaiting-acknowledgement counts per agency (unassigned as its own
    line, named ""), most breached first, and their totals: one grouped query."""
    english = (get_language() or "ar").startswith("en")
    grouped = (
        tickets.order_by()
        .values("agency_id", "agency__name_ar", "agency__name_en")
        .annotate(
            open=Count("id"),
            breached=Count("id", filter=_breached_now(now)),
            awaiting=Count("id", filter=Q(acknowledged_at__isnull=True)),
        )
    )
    agencies = [
        {
            "id": record["agency_id"],
            "name": _name(record, "agency", english),
            "open": record["open"],
            "breached": record["breached"],
            "awaiting": record["awaiting"],
        }
        for record in grouped
    ]
    ordered = sorted(
        agencies,
        key=lambda c: (c["id"] is not None, -c["breached"], -c["open"], c["name"]),
    )
    total = {key: sum(count[key] for count in ordered) for key in ("open", "breached", "awaiting")}
    return {"agencies": ordered, "total": total}


# The rows a screen can usefully show; the counts cover every open ticket. During a surge
# the most urgent come first and the filters narrow the rest down.
BOARD_LIMIT = 300


def board_data(*, user, filters: dict, now: datetime.datetime | None = None) -> dict:
    """Everything the board shows for these filters (agency, category, priority, zone)."""
    now = now or timezone.now()
    tickets = ticket_list(user=user, open_only=True, **filters)
    counts = board_counts(tickets, now)
    # The most urgent first, by the deadline of the clock that matters now (wall time; the
    # rows are then ordered by the business time left), running clocks before stopped ones.
    current_due = Case(
        When(
            acknowledged_at__isnull=True,
            acknowledge_due_at__isnull=False,
            then=F("acknowledge_due_at"),
        ),
        default=F("resolve_due_at"),
    )
    urgent = tickets.annotate(current_due=current_due).order_by(
        F("paused_at").asc(nulls_first=True),
        F("current_due").asc(nulls_last=True),
        "reference",
    )
    rows = board_rows(board_values(urgent)[:BOARD_LIMIT], now)
    return {
        "generated_at": timezone.localtime(now).isoformat(),
        "tickets": rows,
        "shown": len(rows),
        "total": counts["total"]["open"],
        "counts": counts,
    }
