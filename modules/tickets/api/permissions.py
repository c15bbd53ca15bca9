"""Who may use the tickets API.

Reading tickets: agency people (whom `Ticket.objects.for_user` keeps to their agency's tickets)
and committee people who may use the operations room (`tickets.view_ticket`). Agency roles
all carry `tickets.view_ticket`, so they are not asked for it again: on the queue that would
cost two permission queries per request.

Making a report: operators (source "operator"), agency people (source "agency") and anyone
not signed in — a tablet or phone app for the public (source "api"), limited per address.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from modules.core.scoping import can

from ..models import Source
from ..room.access import may_use_room
from ..workflow import is_operator

ADD_PERMISSION = "tickets.add_ticket"


class ReadsTickets(permissions.BasePermission):
    message = _("Incident reports are for the operations room and the agencies.")

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and (user.is_agency_user or may_use_room(user)))


class CreatesTickets(permissions.BasePermission):
    message = _(
        "Signed in, reports are made by the operations room and by the agencies; the public's "
        "apps send them without signing in."
    )

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return True
        if is_operator(user):
            return True
        return user.is_agency_user and user.agency_id is not None and can(user, ADD_PERMISSION)


def source_for(user) -> Source:
    """Where a report made through the API comes from, by who sends it."""
    if not (user and user.is_authenticated):
        return Source.API
    return Source.OPERATOR if is_operator(user) else Source.AGENCY
