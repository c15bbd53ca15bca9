"""The daily-statistics card on the portal home: what is late and what is due today."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from modules.portal.cards import Card, Tone, register

from .days import agency_days


@register(order=20)
def daily_statistics_card(request) -> Card | None:
    """None when the agency reports no daily form in the active season."""
    user = request.user
    if not user.has_perm("statistics.view_dailyreport"):
        return None
    now = timezone.now()
    forms = agency_days(user=user, now=now)
    if not forms:
        return None
    days = [form_day for _set, form_days in forms for form_day in form_days]
    late = [form_day for form_day in days if form_day.is_late]
    returned = [form_day for form_day in days if form_day.is_returned]
    due = [form_day for form_day in days if form_day.is_due_today]
    parts = []
    if late:
        parts.append(
            ngettext(
                "%(count)s day's figures are late.",
                "%(count)s days' figures are late.",
                len(late),
            )
            % {"count": len(late)}
        )
    if returned:
        parts.append(
            ngettext(
                "%(count)s day was returned for correction.",
                "%(count)s days were returned for correction.",
                len(returned),
            )
            % {"count": len(returned)}
        )
    if due:
        first = min(form_day.deadline for form_day in due)
        parts.append(
            ngettext(
                "%(count)s form is due today by %(time)s.",
                "%(count)s forms are due today, the first by %(time)s.",
                len(due),
            )
            % {"count": len(due), "time": first.strftime("%H:%M")}
        )
    if late or returned:
        title, tone, value = _("Daily statistics to catch up"), Tone.DANGER, len(late + returned)
    elif due:
        title, tone, value = _("Daily statistics due today"), Tone.WARNING, len(due)
    else:
        parts.append(_("Nothing is late or due today. Today's figures can be entered from now on."))
        title, tone, value = _("Daily statistics"), Tone.SUCCESS, None
    return Card(
        title=title,
        value=value,
        description=" ".join(parts),
        url=reverse("statistics:index"),
        link_label=_("Open daily statistics"),
        tone=tone,
        icon="chart",
    )
