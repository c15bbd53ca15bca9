"""Reads of the audit log: the entries a person may see, and the choices to filter them by."""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from .models import AuditEntry
from .recorder import registered_models


def audit_entry_list(*, user) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.for_user(user).select_related("content_type", "agency")


def audit_actor_list() -> QuerySet:
    """The people who have changed something, for the "who" filter."""
    User = get_user_model()
    return User.objects.filter(pk__in=AuditEntry.objects.values("actor_id"))


def audited_content_type_list() -> QuerySet[ContentType]:
    types = ContentType.objects.get_for_models(*registered_models()).values()
    return ContentType.objects.filter(pk__in=[content_type.pk for content_type in types])
