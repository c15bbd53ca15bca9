"""The portal's own cards. Other modules keep theirs in their own `portal_cards.py`."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from modules.agencies.models import Season, StaffMember

from .cards import Card, Tone, register


@register(order=10)
def roster_card(request) -> Card | None:
    """How many of the agency's staff are active on this season's roster."""
    user = request.user
    if not user.has_perm("agencies.view_staffmember"):
        return None
    season = Season.objects.active().first()
    if season is None:
        return None
    count = StaffMember.objects.for_user(user).filter(season=season, is_active=True).count()
    try:
        url = reverse("roster:list")
    except NoReverseMatch:
        url = ""
    return Card(
        title=_("Active staff"),
        value=count,
        description=_("People on your agency's roster for %(season)s.") % {"season": season},
        url=url,
        link_label=_("Open the staff roster"),
        tone=Tone.SUCCESS if count else Tone.WARNING,
        icon="users",
    )
