"""What the reporter's status page says: the status in plain words and a public timeline.

The timeline is built from `selectors.public_timeline` (the events marked public). It names
the agency a report went to, never a person, and shows only the words meant for the public:
the resolution note and the operations room's public updates. Reasons given for reopening,
pausing or reassigning stay internal, even on an event the service marked public.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import DONE_STATUSES, EventKind, Status, Ticket, TicketEvent
from ..selectors import public_timeline

STATUS_SUMMARIES = {
    Status.NEW: _(
        "We have received your report. The operations room is passing it to the agency responsible."
    ),
    Status.ASSIGNED: _(
        "Your report is with the agency responsible, which will confirm it shortly."
    ),
    Status.ACKNOWLEDGED: _(
        "The agency responsible has confirmed your report and will deal with it."
    ),
    Status.IN_PROGRESS: _("A team is working on it."),
    Status.ON_HOLD: _("Work on your report is paused for the moment and will continue."),
    Status.RESOLVED: _("The problem has been dealt with."),
    Status.CLOSED: _("The report is closed."),
}

# The tone of the status badge.
STATUS_TONES = {
    Status.NEW: "info",
    Status.ASSIGNED: "info",
    Status.ACKNOWLEDGED: "info",
    Status.IN_PROGRESS: "warning",
    Status.ON_HOLD: "neutral",
    Status.RESOLVED: "success",
    Status.CLOSED: "success",
}

_TITLES = {
    EventKind.CREATED: _("Report received"),
    EventKind.ACKNOWLEDGED: _("The agency confirmed the report"),
    EventKind.STARTED: _("Work started"),
    EventKind.PAUSED: _("Work paused"),
    EventKind.RESUMED: _("Work resumed"),
    EventKind.RESOLVED: _("Resolved"),
    EventKind.CLOSED: _("Closed"),
    EventKind.REOPENED: _("Reopened"),
    EventKind.COMMENTED: _("Update from the operations room"),
}
_ROUTED = frozenset({EventKind.ASSIGNED, EventKind.REASSIGNED})
# The only events whose text the reporter reads.
_WITH_TEXT = frozenset({EventKind.RESOLVED, EventKind.COMMENTED})


@dataclass(frozen=True)
class TimelineEntry:
    kind: str
    at: datetime.datetime
    title: str
    text: str = ""


def _title(event: TicketEvent) -> str | None:
    if event.kind in _ROUTED:
        if event.to_agency is not None:
            return gettext("Passed to %(agency)s") % {"agency": event.to_agency.name}
        return gettext("Passed to the agency responsible")
    title = _TITLES.get(event.kind)
    return str(title) if title is not None else None


def timeline(ticket: Ticket) -> list[TimelineEntry]:
    """The public events, oldest first; kinds without a public wording are left out."""
    entries = []
    for event in public_timeline(ticket).select_related("to_agency"):
        title = _title(event)
        if title is None:
            continue
        text = event.comment if event.kind in _WITH_TEXT else ""
        entries.append(
            TimelineEntry(kind=event.kind, at=timezone.localtime(event.at), title=title, text=text)
        )
    return entries


def summary(ticket: Ticket) -> dict:
    """The status's name, its tone, a sentence about it and, once done, what was done."""
    status = Status(ticket.status)
    return {
        "label": status.label,
        "tone": STATUS_TONES[status],
        "text": STATUS_SUMMARIES[status],
        "resolution": ticket.resolution if status in DONE_STATUSES else "",
    }
