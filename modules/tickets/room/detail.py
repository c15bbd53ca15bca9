"""A ticket's page in the operations room: its details, both clocks, the timeline with
comments and attachments, and a form for each action the person may take now.

The page is drawn by `render_detail`, both for a plain visit and when an action's form comes
back with errors (the posted form then takes the place of its blank one).
"""

from django import forms
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from ..models import EventKind, Ticket, TicketAttachment, TicketEvent
from ..selectors import allowed_actions, ticket_clock
from ..workflow import is_operator
from .board import acknowledge_countdown, current_countdown, resolve_countdown
from .forms import (
    AssignForm,
    CommentForm,
    EmptyForm,
    PriorityForm,
    ReasonForm,
    ResolveForm,
)

# The room's actions in the order the page offers them, with their buttons' words;
# "request_reassign" belongs to the agency's portal, not here.
ROOM_ACTIONS = {
    "assign": _("Assign to an agency"),
    "acknowledge": _("Acknowledge on the agency's behalf"),
    "start": _("Start work on the agency's behalf"),
    "resolve": _("Resolve on the agency's behalf"),
    "priority": _("Change the priority"),
    "pause": _("Put on hold"),
    "resume": _("Resume the clock"),
    "close": _("Close the report"),
    "reopen": _("Reopen"),
    "comment": _("Add a comment"),
}
REASSIGN_LABEL = _("Reassign to another agency")


def ticket_for(user, reference: str) -> Ticket:
    """The ticket with this reference if the person may see it (404 otherwise)."""
    return get_object_or_404(
        Ticket.objects.for_user(user).select_related(
            "category",
            "priority",
            "agency",
            "zone",
            "landmark",
            "reporting_agency",
            "created_by",
            "policy",
        ),
        reference=reference,
    )


def action_form(action: str, *, user, ticket: Ticket, data=None, files=None) -> forms.Form:
    """The form of one action, blank or bound to what was posted."""
    if action == "assign":
        return AssignForm(data, user=user, ticket=ticket, prefix=action)
    if action == "priority":
        return PriorityForm(data, ticket=ticket, prefix=action)
    if action in ("pause", "reopen"):
        return ReasonForm(data, prefix=action)
    if action == "resolve":
        return ResolveForm(data, prefix=action)
    if action == "comment":
        return CommentForm(data, files, prefix=action)
    return EmptyForm(data, prefix=action)


def _timeline(ticket: Ticket) -> list[TicketEvent]:
    return list(
        ticket.events.select_related("actor", "from_agency", "to_agency").prefetch_related(
            Prefetch("attachments", queryset=TicketAttachment.objects.order_by("pk"))
        )
    )


def render_detail(request, ticket: Ticket, *, bound: forms.Form | None = None, action=""):
    user = request.user
    allowed = allowed_actions(ticket, user) if is_operator(user) else set()
    actions = []
    for name in ROOM_ACTIONS:
        if name not in allowed:
            continue
        if name == action and bound is not None:
            form = bound
        else:
            form = action_form(name, user=user, ticket=ticket)
        label = REASSIGN_LABEL if name == "assign" and ticket.agency_id else ROOM_ACTIONS[name]
        actions.append({"name": name, "label": label, "form": form, "quick": not form.fields})
    events = _timeline(ticket)
    asked = [event for event in events if event.kind == EventKind.REASSIGN_REQUESTED]
    clock = ticket_clock(ticket)
    acknowledge, resolve = acknowledge_countdown(ticket, clock), resolve_countdown(ticket, clock)
    clocks = [
        {"title": title, "countdown": countdown, "due_at": due_at, "done_at": done_at}
        for title, countdown, due_at, done_at in (
            (_("Acknowledge"), acknowledge, ticket.acknowledge_due_at, ticket.acknowledged_at),
            (_("Resolve"), resolve, ticket.resolve_due_at, ticket.resolved_at),
        )
        if countdown is not None
    ]
    return render(
        request,
        "tickets/room/ticket_detail.html",
        {
            "room_section": "tickets",
            "ticket": ticket,
            "current": current_countdown(ticket, clock),
            "clocks": clocks,
            "events": events,
            "loose_attachments": list(ticket.attachments.filter(event__isnull=True)),
            "reassign_request": asked[-1] if ticket.reassign_requested and asked else None,
            "actions": actions,
            "open_action": action,
        },
    )
