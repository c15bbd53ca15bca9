"""The operator's actions on a ticket, each posted from the ticket's page.

One view takes them all: it finds the ticket through `for_user`, refuses an action the
person may not take now (`selectors.allowed_actions`), checks the action's form and hands it
to the service. A refusal from the service comes back on the form; success goes back to the
ticket's page with a message.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from .. import services
from ..models import Ticket
from ..selectors import allowed_actions
from ..workflow import is_operator
from .access import room_view
from .detail import action_form, render_detail, ticket_for
from .forms import add_service_errors


def _assign(ticket: Ticket, user, data: dict) -> str:
    reassigning = ticket.agency_id is not None
    ticket = services.ticket_assign(
        ticket=ticket, agency=data["agency"], actor=user, reason=data["reason"]
    )
    if reassigning:
        return gettext("The report was reassigned to %(agency)s.") % {"agency": ticket.agency}
    return gettext("The report was assigned to %(agency)s.") % {"agency": ticket.agency}


def _priority(ticket: Ticket, user, data: dict) -> str:
    ticket = services.ticket_change_priority(
        ticket=ticket, actor=user, priority=data["priority"], reason=data["reason"]
    )
    return gettext("The priority is now %(priority)s; the deadlines were recalculated.") % {
        "priority": ticket.priority
    }


def _pause(ticket: Ticket, user, data: dict) -> str:
    services.ticket_pause(ticket=ticket, actor=user, reason=data["reason"])
    return gettext("The report is on hold: its clock is stopped.")


def _resume(ticket: Ticket, user, data: dict) -> str:
    services.ticket_resume(ticket=ticket, actor=user)
    return gettext("The report's clock runs again.")


def _acknowledge(ticket: Ticket, user, data: dict) -> str:
    services.ticket_acknowledge(ticket=ticket, actor=user)
    return gettext("The report was acknowledged on the agency's behalf.")


def _start(ticket: Ticket, user, data: dict) -> str:
    services.ticket_start(ticket=ticket, actor=user)
    return gettext("Work on the report has started.")


def _resolve(ticket: Ticket, user, data: dict) -> str:
    services.ticket_resolve(ticket=ticket, actor=user, note=data["note"])
    return gettext("The report was resolved.")


def _close(ticket: Ticket, user, data: dict) -> str:
    services.ticket_close(ticket=ticket, actor=user)
    return gettext("The report was closed.")


def _reopen(ticket: Ticket, user, data: dict) -> str:
    services.ticket_reopen(ticket=ticket, actor=user, reason=data["reason"])
    return gettext("The report was reopened.")


def _comment(ticket: Ticket, user, data: dict) -> str:
    services.ticket_comment(
        ticket=ticket,
        actor=user,
        text=data["text"],
        attachments=[data["attachment"]] if data.get("attachment") else [],
        is_public=data["is_public"],
    )
    if data["is_public"]:
        return gettext("The comment was added and is shown to the reporter.")
    return gettext("The comment was added.")


PERFORM: dict[str, Callable[[Ticket, object, dict], str]] = {
    "assign": _assign,
    "priority": _priority,
    "pause": _pause,
    "resume": _resume,
    "acknowledge": _acknowledge,
    "start": _start,
    "resolve": _resolve,
    "close": _close,
    "reopen": _reopen,
    "comment": _comment,
}

# Service error keys that name a field of the action's form by another name.
_RENAMES = {"attachments": "attachment"}


@require_POST
@room_view
def ticket_action(request, reference: str, action: str):
    if action not in PERFORM:
        raise Http404
    user = request.user
    if not is_operator(user):
        raise PermissionDenied
    ticket = ticket_for(user, reference)
    if action not in allowed_actions(ticket, user):
        messages.error(
            request,
            gettext("This cannot be done while the report is “%(status)s”.")
            % {"status": ticket.get_status_display()},
        )
        return redirect("tickets_room:ticket", reference=ticket.reference)
    form = action_form(action, user=user, ticket=ticket, data=request.POST, files=request.FILES)
    if form.is_valid():
        try:
            text = PERFORM[action](ticket, user, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error, _RENAMES)
        else:
            messages.success(request, text)
            return redirect("tickets_room:ticket", reference=ticket.reference)
    return render_detail(request, ticket, bound=form, action=action)
