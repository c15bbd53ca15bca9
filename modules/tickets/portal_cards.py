"""The incidents card on the portal home: what is open, still to acknowledge, and overdue."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from modules.portal.cards import Card, Tone, register

from .portal.queue import agency_counts


@register(order=15)
def incidents_card(request) -> Card | None:
    """None when the agency has no open incident: the home shows only real work."""
    user = request.user
    if not user.has_perm("tickets.view_ticket") or user.agency_id is None:
        return None
    counts = agency_counts(agency_id=user.agency_id, now=timezone.now())
    if not counts.open:
        return None
    parts = []
    if counts.breached:
        parts.append(
            ngettext(
                "%(count)s is past its deadline.",
                "%(count)s are past their deadline.",
                counts.breached,
            )
            % {"count": counts.breached}
        )
    if counts.awaiting:
        parts.append(
            ngettext(
                "%(count)s waits for you to acknowledge it.",
                "%(count)s wait for you to acknowledge them.",
                counts.awaiting,
            )
            % {"count": counts.awaiting}
        )
    if counts.breached:
        tone = Tone.DANGER
    elif counts.awaiting:
        tone = Tone.WARNING
    else:
        tone = Tone.INFO
        parts.append(_("Every one is acknowledged and within its deadlines."))
    return Card(
        title=_("Open incidents"),
        value=counts.open,
        description=" ".join(parts),
        url=reverse("tickets_portal:queue"),
        link_label=_("Open the incident queue"),
        tone=tone,
        icon="report",
    )
