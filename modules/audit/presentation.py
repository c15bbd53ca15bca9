"""How an audit entry's recorded changes read: the field's label and readable values."""

from django.db import models
from django.utils.formats import localize
from django.utils.translation import gettext as _

from .models import AuditEntry

EMPTY = "—"


def _fields_by_attname(model) -> dict[str, models.Field]:
    return {field.attname: field for field in model._meta.concrete_fields} if model else {}


def _related_names(field: models.Field, values: set) -> dict:
    """The current names of the records a foreign key pointed to (one query per field)."""
    ids = {value for value in values if value is not None}
    if not ids:
        return {}
    related = field.related_model._base_manager.in_bulk(ids)
    return {pk: str(obj) for pk, obj in related.items()}


def _readable(field: models.Field | None, value, names: dict) -> str:
    if value is None or value == "":
        return EMPTY
    if field is None:
        return str(value)
    if field.is_relation:
        name = names.get(value)
        return f"{name} (#{value})" if name else f"#{value}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("Yes") if value else _("No")
    return str(localize(value))


def change_rows(entry: AuditEntry) -> list[dict]:
    """[{"label", "before", "after"}] for each field the entry recorded, in model order."""
    model = entry.content_type.model_class()
    fields = _fields_by_attname(model)
    order = list(fields)
    recorded = sorted(
        entry.changes.items(),
        key=lambda item: order.index(item[0]) if item[0] in fields else len(order),
    )
    rows = []
    for attname, (before, after) in recorded:
        field = fields.get(attname)
        names = _related_names(field, {before, after}) if field and field.is_relation else {}
        rows.append(
            {
                "label": str(field.verbose_name) if field else attname,
                "before": _readable(field, before, names),
                "after": _readable(field, after, names),
            }
        )
    return rows
