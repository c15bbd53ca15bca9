"""The agency portal's incidents: the queue, a new incident, a ticket with its timeline and the
agency's actions on it, and the ticket's attachments.

Every ticket is looked up through `selectors.ticket_list(user=…)` (which starts from
`Ticket.objects.for_user`), so another agency's ticket — or one reassigned away — is a 404.
Each action is a POST to its own address calling its service; the service decides whether the
user may (PermissionDenied: 403) and whether the ticket's status allows it (ValidationError:
shown on the page). A done action redirects back to the ticket with a message.
"""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from modules.core.scoping import can
from modules.portal.access import agency_user_required

from .. import services
from ..downloads import attachment_response
from ..models import DONE_STATUSES, Source, Ticket, TicketAttachment
from ..selectors import allowed_actions, clocks_for, ticket_clock, ticket_list
from .forms import (
    CommentForm,
    QueueFilterForm,
    QueueStatus,
    QueueView,
    ReassignRequestForm,
    ResolveForm,
    TicketCreateForm,
    add_service_error,
)
from .queue import Countdown, QueueRow, agency_counts, queue_order, ticket_countdowns

PAGE_SIZE = 25
VIEW_PERMISSION = "tickets.view_ticket"
ADD_PERMISSION = "tickets.add_ticket"


def _require(user, permission: str) -> None:
    if not can(user, permission):
        raise PermissionDenied


def _ticket(user, pk: int) -> Ticket:
    _require(user, VIEW_PERMISSION)
    return get_object_or_404(ticket_list(user=user, open_only=False), pk=pk)


# --- the queue -----------------------------------------------------------------------------


def _queue_tickets(user, filters: dict):
    tickets = ticket_list(
        user=user,
        open_only=filters["status"] == QueueStatus.OPEN,
        category=filters["category"],
        priority=filters["priority"],
    )
    if filters["status"] == QueueStatus.RESOLVED:
        tickets = tickets.filter(status__in=DONE_STATUSES)
    if filters["view"] == QueueView.REPORTED:
        tickets = tickets.filter(reporting_agency_id=user.agency_id).exclude(
            agency_id=user.agency_id
        )
    else:
        tickets = tickets.filter(agency_id=user.agency_id)
    return queue_order(tickets)


@agency_user_required
def queue(request):
    user = request.user
    _require(user, VIEW_PERMISSION)
    now = timezone.now()
    filter_form = QueueFilterForm(request.GET)
    filters = filter_form.filters()
    page = Paginator(_queue_tickets(user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    clocks = clocks_for(page.object_list, now)
    rows = [
        QueueRow(
            ticket=ticket,
            countdown=ticket_countdowns(ticket, clocks[ticket.pk])["current"],
            awaiting=ticket.is_open and ticket.acknowledged_at is None,
        )
        for ticket in page.object_list
    ]
    return render(
        request,
        "tickets/portal/queue.html",
        {
            "filter_form": filter_form,
            "filters": filters,
            "page_obj": page,
            "rows": rows,
            "counts": agency_counts(agency_id=user.agency_id, now=now),
            "can_add": can(user, ADD_PERMISSION),
            "reported_view": filters["view"] == QueueView.REPORTED,
        },
    )


@agency_user_required
def create(request):
    user = request.user
    _require(user, ADD_PERMISSION)
    form = TicketCreateForm(request.POST or None, request.FILES or None)
    if form.is_bound and form.is_valid():
        try:
            ticket = services.ticket_create(
                source=Source.AGENCY, actor=user, **form.service_arguments()
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if ticket.agency_id == user.agency_id:
                text = gettext("Incident %(reference)s was recorded and is in your queue.")
            elif ticket.agency_id:
                text = gettext(
                    "Incident %(reference)s was recorded and sent to the agency responsible."
                )
            else:
                text = gettext(
                    "Incident %(reference)s was recorded; the operations room will route it."
                )
            messages.success(request, text % {"reference": ticket.reference})
            return redirect("tickets_portal:detail", pk=ticket.pk)
    return render(request, "tickets/portal/create.html", {"form": form})


# --- one ticket ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ClockRow:
    target: str  # "acknowledge" or "resolve"
    countdown: Countdown | None
    met_at: datetime.datetime | None


def _render_detail(request, ticket: Ticket, **forms):
    user = request.user
    now = timezone.now()
    events = ticket.events.select_related("actor", "from_agency", "to_agency").prefetch_related(
        Prefetch("attachments", queryset=TicketAttachment.objects.order_by("uploaded_at", "pk"))
    )
    is_ours = ticket.agency_id == user.agency_id
    countdowns = ticket_countdowns(ticket, ticket_clock(ticket, now))
    clocks = [
        ClockRow("acknowledge", countdowns["acknowledge"], ticket.acknowledged_at),
        ClockRow("resolve", countdowns["resolve"], ticket.resolved_at),
    ]
    return render(
        request,
        "tickets/portal/detail.html",
        {
            "ticket": ticket,
            "clocks": clocks,
            "current_clock": next(
                (row.target for row in clocks if row.countdown is countdowns["current"]), ""
            ),
            "events": events,
            "actions": allowed_actions(ticket, user) if is_ours else set(),
            "is_ours": is_ours,
            "resolve_form": forms.get("resolve_form") or ResolveForm(),
            "comment_form": forms.get("comment_form") or CommentForm(),
            "reassign_form": forms.get("reassign_form") or ReassignRequestForm(),
        },
    )


@agency_user_required
def detail(request, pk: int):
    return _render_detail(request, _ticket(request.user, pk))


def _done(request, ticket: Ticket, text: str):
    messages.success(request, text % {"reference": ticket.reference})
    return redirect("tickets_portal:detail", pk=ticket.pk)


def _refused(request, pk: int, error: ValidationError):
    messages.error(request, " ".join(error.messages))
    return redirect("tickets_portal:detail", pk=pk)


@require_POST
@agency_user_required
def acknowledge(request, pk: int):
    ticket = _ticket(request.user, pk)
    try:
        ticket = services.ticket_acknowledge(ticket=ticket, actor=request.user)
    except ValidationError as error:
        return _refused(request, pk, error)
    return _done(
        request,
        ticket,
        gettext("You acknowledged %(reference)s; its clock now counts to the resolution."),
    )


@require_POST
@agency_user_required
def start(request, pk: int):
    ticket = _ticket(request.user, pk)
    try:
        ticket = services.ticket_start(ticket=ticket, actor=request.user)
    except ValidationError as error:
        return _refused(request, pk, error)
    return _done(request, ticket, gettext("Work on %(reference)s has started."))


def _form_action(request, pk: int, form_name: str, form, perform, success: str):
    """A POST action with input: on a refusal the ticket page is shown again with the form as
    typed and its errors; the ticket is read afresh, since the service's changes were undone."""
    ticket = _ticket(request.user, pk)
    if form.is_valid():
        try:
            perform(ticket, form)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return _done(request, ticket, success)
    return _render_detail(request, _ticket(request.user, pk), **{form_name: form})


@require_POST
@agency_user_required
def resolve(request, pk: int):
    return _form_action(
        request,
        pk,
        "resolve_form",
        ResolveForm(request.POST),
        lambda ticket, form: services.ticket_resolve(
            ticket=ticket, actor=request.user, note=form.cleaned_data["note"]
        ),
        gettext("%(reference)s is marked resolved. The operations room will close it."),
    )


@require_POST
@agency_user_required
def comment(request, pk: int):
    return _form_action(
        request,
        pk,
        "comment_form",
        CommentForm(request.POST, request.FILES),
        lambda ticket, form: services.ticket_comment(
            ticket=ticket, actor=request.user, **form.service_arguments()
        ),
        gettext("Your comment was added to %(reference)s."),
    )


@require_POST
@agency_user_required
def request_reassign(request, pk: int):
    return _form_action(
        request,
        pk,
        "reassign_form",
        ReassignRequestForm(request.POST),
        lambda ticket, form: services.ticket_request_reassign(
            ticket=ticket, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        gettext(
            "The operations room was asked to give %(reference)s to another agency. It stays "
            "in your queue until they do."
        ),
    )


@agency_user_required
def attachment(request, pk: int, attachment_pk: int):
    """A ticket's file, to this agency only, always as a download (never shown inline)."""
    ticket = _ticket(request.user, pk)
    return attachment_response(get_object_or_404(ticket.attachments, pk=attachment_pk))
