"""The one scoping layer: what a user may see and change.

Every model that belongs to an agency uses `AgencyScopedQuerySet` (directly or through
`AgencyScopedManager`) and names the path to its agency in `agency_lookup`. Committee people
see everything; an agency user sees only their own agency's rows; anyone else sees nothing.
Portal views, admin listings, API endpoints, exports and downloads all start from
`Model.objects.for_user(user)`, so another agency's record is simply not found (404).
"""

from django.db import models
from django.shortcuts import get_object_or_404


class AgencyScopedQuerySet(models.QuerySet):
    def for_user(self, user):
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_committee:
            return self
        if user.agency_id is None:
            return self.none()
        return self.filter(**{self.model.agency_lookup: user.agency_id})


AgencyScopedManager = models.Manager.from_queryset(AgencyScopedQuerySet)


def get_for_user_or_404(model, user, **lookup):
    """The record if this user may see it; Http404 otherwise (never 403: no existence leak)."""
    return get_object_or_404(model.objects.for_user(user), **lookup)


def agency_of(obj) -> int | None:
    """The agency id a scoped record belongs to, following `agency_lookup`."""
    if obj.agency_lookup in ("id", "pk"):
        return obj.pk
    value = obj
    *path, last = obj.agency_lookup.split("__")
    for part in path:
        value = getattr(value, part)
    return getattr(value, f"{last}_id")


def can(user, perm: str, obj=None) -> bool:
    """Does `user` hold `perm` ("app.codename"), and is `obj` (if given) within their scope?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if not user.has_perm(perm):
        return False
    if obj is None or user.is_committee:
        return True
    return user.agency_id is not None and agency_of(obj) == user.agency_id
