"""One record of every agency-scoped model, for the isolation test.

Every model that declares `agency_lookup` must have a maker here: the isolation test fails
for a scoped model without one, so a new module cannot forget to be checked. The records get
primary keys from `FOREIGN_PK_BASE` upward, which no other row in the test database has, so a
view that answers for one of these ids has served another agency's record.
"""

import datetime
import itertools

from django.contrib.contenttypes.models import ContentType

from modules.accounts.roles import Role
from modules.agencies.models import Agency, Membership, StaffMember
from modules.audit.models import AuditAction, AuditEntry

from .fixtures import make_user

FOREIGN_PK_BASE = 900_001
_pks = itertools.count(FOREIGN_PK_BASE)


def _agency(ctx):
    return ctx["agency"]


def _membership(ctx):
    user = make_user("foreign-manager@example.org", Role.AGENCY_MANAGER, ctx["agency"])
    membership = user.membership
    Membership.objects.filter(pk=membership.pk).update(id=next(_pks))
    return Membership.objects.get(user=user)


def _staff(ctx):
    return StaffMember.objects.create(
        pk=next(_pks),
        agency=ctx["agency"],
        season=ctx["season"],
        name_ar="موظف الجهة الأخرى",
        name_en="Foreign Staffer",
        national_id="1000000008",
        phone="+966501234567",
        gender="male",
    )


def _audit(ctx):
    return AuditEntry.objects.create(
        pk=next(_pks),
        actor_repr="someone",
        action=AuditAction.UPDATE,
        content_type=ContentType.objects.get_for_model(Agency),
        object_id=str(ctx["agency"].pk),
        object_repr="Foreign Agency",
        agency=ctx["agency"],
        changes={"name_en": ["a", "b"]},
    )


MAKERS = {
    Agency: _agency,
    Membership: _membership,
    StaffMember: _staff,
    AuditEntry: _audit,
}


def make_foreign_records(*, season) -> dict:
    """Agency B and one record of every scoped model belonging to it."""
    agency = Agency.objects.create(
        pk=next(_pks),
        code="foreign-agency",
        name_ar="الجهة الأجنبية",
        name_en="Foreign Agency",
        kind="government",
        phone="+966148000000",
        email="foreign@example.org",
    )
    ctx = {"agency": agency, "season": season, "today": datetime.date.today()}
    return {model: maker(ctx) for model, maker in MAKERS.items()}
