import re

from django.db.models import Q, QuerySet

from modules.core.text import normalize_digits

from .models import Agency, Season, StaffMember

_PHONE_LIKE = re.compile(r"[\d\s+()-]+")


def season_list() -> QuerySet[Season]:
    return Season.objects.all()


def active_season() -> Season | None:
    return Season.objects.active().first()


def agency_list(*, user) -> QuerySet[Agency]:
    return Agency.objects.for_user(user)


def _search_term(text: str) -> str:
    """What the user typed, made to match stored values: ASCII digits, and a phone typed as
    "050 123 4567" becomes "501234567", which the stored +966501234567 contains."""
    term = normalize_digits(text).strip()
    if _PHONE_LIKE.fullmatch(term):
        term = re.sub(r"[\s()-]", "", term).lstrip("0")
    return term


def staff_list(
    *, user, season: Season | None = None, query: str = "", active: bool | None = None
) -> QuerySet[StaffMember]:
    """The user's roster; `active=None` lists active and inactive people alike."""
    qs = StaffMember.objects.for_user(user).select_related("agency", "season")
    if season is not None:
        qs = qs.filter(season=season)
    if active is not None:
        qs = qs.filter(is_active=active)
    query = _search_term(query)
    if query:
        qs = qs.filter(
            Q(name_ar__icontains=query)
            | Q(name_en__icontains=query)
            | Q(national_id__startswith=query)
            | Q(phone__contains=query)
            | Q(job_title__icontains=query)
        )
    return qs
