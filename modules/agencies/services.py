"""Every write to the staff roster goes through here: add, change, (de)activate, bulk import.

The agency a record belongs to always comes from the acting person: an agency user writes
only to their own agency's roster, whatever the input says; a committee person names the
agency. A national ID is on at most one roster per season, across all agencies; the error
says so without naming the agency that already has the person.
"""

import contextlib
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from modules.accounts.models import User
from modules.audit.context import acting_as
from modules.audit.recorder import record_created
from modules.core.scoping import can

from .models import Agency, Season, StaffMember
from .selectors import active_season
from .validators import normalize_national_id, normalize_phone

EDITABLE_FIELDS = ("name_ar", "name_en", "national_id", "phone", "email", "job_title", "gender")
BULK_BATCH_SIZE = 500

NO_ACTIVE_SEASON = _("There is no active season. Ask the committee to open one.")


def national_id_owners(
    *, season: Season, national_ids: Iterable[str], exclude_pk: int | None = None
) -> dict[str, int]:
    """Which agency (id) already has each of these national IDs on its roster this season."""
    queryset = StaffMember.objects.filter(season=season, national_id__in=set(national_ids))
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    return dict(queryset.values_list("national_id", "agency_id"))


def national_id_taken_message(*, owner_agency_id: int, agency_id: int | None) -> str:
    if owner_agency_id == agency_id:
        return gettext("This person is already on this agency's roster for this season.")
    return gettext(
        "This national ID is already registered with another agency for this season. "
        "Ask the committee if the person should move to your roster."
    )


def _acting_agency(actor: User, agency: Agency | None) -> Agency:
    """The agency an add is for: the actor's own, or (committee only) the one they chose."""
    if actor.is_committee:
        if agency is None:
            raise ValidationError({"agency": gettext("Choose the agency.")})
        return agency
    if actor.agency_id is None or (agency is not None and agency.pk != actor.agency_id):
        raise PermissionDenied
    return agency or Agency.objects.get(pk=actor.agency_id)


def _normalize(member: StaffMember) -> None:
    member.national_id = normalize_national_id(member.national_id)
    # An invalid number is left as typed: full_clean() reports it on the phone field.
    with contextlib.suppress(ValidationError):
        member.phone = normalize_phone(member.phone)


def _validate(member: StaffMember) -> None:
    _normalize(member)
    member.full_clean(exclude=["agency", "season"], validate_constraints=False)
    owners = national_id_owners(
        season=member.season, national_ids=[member.national_id], exclude_pk=member.pk
    )
    if member.national_id in owners:
        raise ValidationError(
            {
                "national_id": national_id_taken_message(
                    owner_agency_id=owners[member.national_id], agency_id=member.agency_id
                )
            }
        )


def _save(member: StaffMember, *, actor: User, update_fields: list[str] | None = None) -> None:
    """Save in a savepoint so that a concurrent duplicate becomes a form error, not a 500."""
    try:
        with transaction.atomic(), acting_as(actor):
            member.save(update_fields=update_fields)
    except IntegrityError as exc:
        raise ValidationError(
            {"national_id": gettext("This national ID is already on a roster for this season.")}
        ) from exc


@transaction.atomic
def staff_create(
    *,
    actor: User,
    name_ar: str,
    name_en: str,
    national_id: str,
    phone: str,
    gender: str,
    email: str = "",
    job_title: str = "",
    agency: Agency | None = None,
    season: Season | None = None,
) -> StaffMember:
    """Add a person to a roster (the actor's agency; the active season unless given)."""
    if not can(actor, "agencies.add_staffmember"):
        raise PermissionDenied
    agency = _acting_agency(actor, agency)
    season = season or active_season()
    if season is None:
        raise ValidationError(NO_ACTIVE_SEASON)
    member = StaffMember(
        agency=agency,
        season=season,
        name_ar=name_ar.strip(),
        name_en=name_en.strip(),
        national_id=national_id,
        phone=phone,
        email=email.strip(),
        job_title=job_title.strip(),
        gender=gender,
    )
    _validate(member)
    _save(member, actor=actor)
    return member


@transaction.atomic
def staff_update(*, actor: User, staff: StaffMember, data: Mapping[str, Any]) -> StaffMember:
    """Change a person's details; the agency and season never change here."""
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    if not can(actor, "agencies.change_staffmember", staff):
        raise PermissionDenied
    for field, value in data.items():
        setattr(staff, field, value.strip() if isinstance(value, str) else value)
    _validate(staff)
    _save(staff, actor=actor, update_fields=[*data, "updated_at"])
    return staff


@transaction.atomic
def staff_set_active(*, actor: User, staff: StaffMember, is_active: bool) -> StaffMember:
    """Deactivate (the person stays on record, out of new nominations) or reactivate."""
    if not can(actor, "agencies.change_staffmember", staff):
        raise PermissionDenied
    if staff.is_active != is_active:
        staff.is_active = is_active
        _save(staff, actor=actor, update_fields=["is_active", "updated_at"])
    return staff


@transaction.atomic
def staff_bulk_create(*, actor: User, members: list[StaffMember]) -> list[StaffMember]:
    """Insert already validated roster rows in batches, with an audit entry for each.

    The caller (the import) has validated every row, duplicates included; the unique
    constraint still guards against a concurrent add and rolls the whole batch back.
    """
    if not can(actor, "agencies.add_staffmember"):
        raise PermissionDenied
    if not actor.is_committee and any(m.agency_id != actor.agency_id for m in members):
        raise PermissionDenied
    created = StaffMember.objects.bulk_create(members, batch_size=BULK_BATCH_SIZE)
    # bulk_create sends no post_save signal, so the audit entries are written here.
    record_created(actor=actor, instances=created, batch_size=BULK_BATCH_SIZE)
    return created


@transaction.atomic
def season_save(*, season: Season) -> Season:
    """Save a season; making it active ends the season that was active before it."""
    if season.is_active:
        previous = Season.objects.select_for_update().active().exclude(pk=season.pk)
        for other in previous:
            other.is_active = False
            other.save(update_fields=["is_active", "updated_at"])
    season.save()
    return season
