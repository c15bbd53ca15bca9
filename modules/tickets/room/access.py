"""Who may use the operations room.

Committee people holding `tickets.view_ticket` (operators, reviewers, administrators) read
everything here; the actions need `tickets.operate_ticket` as well (checked per action by
`selectors.allowed_actions`, and again by the services). Agency people are sent to their
portal, where their own queue is; anyone else signed in gets a 403 page that says why.
Nothing in the room may be kept by a browser or a proxy.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

VIEW_PERMISSION = "tickets.view_ticket"


def may_use_room(user) -> bool:
    return bool(user.is_authenticated and user.is_committee and user.has_perm(VIEW_PERMISSION))


def room_view(view):
    """Decorate every operations-room page with this."""

    @wraps(view)
    def gate(request, *args, **kwargs):
        user = request.user
        if user.is_agency_user:
            return redirect("portal:home")
        if not may_use_room(user):
            reason = _(
                "The operations room is for the committee's operators and reviewers. "
                "Please ask a committee administrator for access."
            )
            return render(request, "403.html", {"reason": reason}, status=403)
        return view(request, *args, **kwargs)

    return never_cache(login_required(gate))
