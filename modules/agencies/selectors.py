from django.db.models import Q, QuerySet

from .models import Agency, Season, StaffMember


def season_list() -> QuerySet[Season]:
    return Season.objects.all()


def active_season() -> Season | None:
    return Season.objects.active().first()


def agency_list(*, user) -> QuerySet[Agency]:
    return Agency.objects.for_user(user)


def staff_list(
    *, user, season: Season | None = None, query: str = "", include_inactive: bool = True
) -> QuerySet[StaffMember]:
    qs = StaffMember.objects.for_user(user).select_related("agency", "season")
    if season is not None:
        qs = qs.filter(season=season)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if query:
        qs = qs.filter(
            Q(name_ar__icontains=query)
            | Q(name_en__icontains=query)
            | Q(national_id__startswith=query)
            | Q(phone__contains=query)
            | Q(job_title__icontains=query)
        )
    return qs
