"""Records create/change/delete of every module record made by a person.

Registered models get pre_save/post_save/post_delete receivers. Bulk writes that bypass
signals (imports) call `record()` themselves.
"""

import datetime
import decimal
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete, post_save, pre_save

from .context import current_actor
from .models import AuditAction, AuditEntry

IGNORED_FIELDS = {"created_at", "updated_at", "password", "last_login"}
_registry: set[type[models.Model]] = set()


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name
    return value


def snapshot(instance) -> dict:
    return {
        field.attname: _plain(field.value_from_object(instance))
        for field in instance._meta.concrete_fields
        if field.attname not in IGNORED_FIELDS
    }


def _agency_id(instance):
    lookup = getattr(instance, "agency_lookup", None)
    if lookup is None:
        return None
    from modules.core.scoping import agency_of

    try:
        return agency_of(instance)
    except AttributeError:
        return None


def _entry(*, actor, action: str, instance, changes: dict) -> AuditEntry:
    agency_id = _agency_id(instance)
    if instance._meta.model_name == "agency":
        # A deleted agency's entry cannot point at it any more.
        agency_id = instance.pk if action != AuditAction.DELETE else None
    return AuditEntry(
        actor=actor,
        actor_repr=str(actor)[:255] if actor else "",
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        object_repr=str(instance)[:255],
        agency_id=agency_id,
        changes=changes,
    )


def record(*, actor, action: str, instance, changes: dict) -> AuditEntry:
    entry = _entry(actor=actor, action=action, instance=instance, changes=changes)
    entry.save()
    return entry


def record_created(*, actor, instances, batch_size: int = 500) -> list[AuditEntry]:
    """One "created" entry per record, in batched inserts: for bulk writes (imports), which
    send no signals."""
    entries = [
        _entry(
            actor=actor,
            action=AuditAction.CREATE,
            instance=instance,
            changes={
                name: [None, value]
                for name, value in snapshot(instance).items()
                if value not in ("", None)
            },
        )
        for instance in instances
    ]
    return AuditEntry.objects.bulk_create(entries, batch_size=batch_size)


def _before_save(sender, instance, raw=False, **kwargs):
    if raw or current_actor() is None:
        return
    if instance.pk is None or instance._state.adding:
        instance._audit_before = None
        return
    previous = sender._base_manager.filter(pk=instance.pk).first()
    instance._audit_before = snapshot(previous) if previous else None


def _after_save(sender, instance, created, raw=False, **kwargs):
    actor = current_actor()
    if raw or actor is None:
        return
    after = snapshot(instance)
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        changes = {name: [None, value] for name, value in after.items() if value not in ("", None)}
        record(actor=actor, action=AuditAction.CREATE, instance=instance, changes=changes)
        return
    changes = {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }
    if changes:
        record(actor=actor, action=AuditAction.UPDATE, instance=instance, changes=changes)


def _after_delete(sender, instance, **kwargs):
    actor = current_actor()
    if actor is None:
        return
    before = snapshot(instance)
    record(
        actor=actor,
        action=AuditAction.DELETE,
        instance=instance,
        changes={name: [value, None] for name, value in before.items() if value not in ("", None)},
    )


def register(model: type[models.Model]) -> None:
    if model in _registry:
        return
    _registry.add(model)
    uid = f"audit:{model._meta.label}"
    pre_save.connect(_before_save, sender=model, dispatch_uid=f"{uid}:pre")
    post_save.connect(_after_save, sender=model, dispatch_uid=f"{uid}:post")
    post_delete.connect(_after_delete, sender=model, dispatch_uid=f"{uid}:delete")


def registered_models() -> frozenset[type[models.Model]]:
    return frozenset(_registry)
