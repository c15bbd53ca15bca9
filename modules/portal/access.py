"""Who may use the agency portal.

Agency managers and staff only. Committee people work in the Wagtail admin and are sent
there; a signed-in person with neither role gets a 403 page that says why.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache


def agency_user_required(view):
    """Decorate every portal view with this (the roster's too)."""

    @wraps(view)
    def gate(request, *args, **kwargs):
        user = request.user
        if user.is_committee:
            return redirect("wagtailadmin_home")
        if not user.is_agency_user or user.agency_id is None:
            reason = _(
                "Your account is not linked to an agency, so the agency portal has nothing "
                "to show you. Please ask the committee to add you to your agency."
            )
            return render(request, "403.html", {"reason": reason}, status=403)
        return view(request, *args, **kwargs)

    # Portal pages hold one agency's data: no browser or proxy may keep a copy.
    return never_cache(login_required(gate))
