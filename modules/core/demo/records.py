"""Read the fixture files; write their rows by natural key, touching only what differs."""

import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import models

FIXTURES_DIR = settings.BASE_DIR / "fixtures"


def read_json(name: str):
    """A JSON file under fixtures/, e.g. "content/news.json"."""
    return json.loads((FIXTURES_DIR / name).read_text(encoding="utf-8"))


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    @property
    def wrote(self) -> bool:
        return bool(self.created or self.updated or self.removed)


def sync_rows(
    model: type[models.Model],
    *,
    key: str,
    rows: Iterable[dict],
    tally: Tally,
    scope: dict | None = None,
) -> dict:
    """`update_or_create` by the natural key `key` for many rows, in one read.

    Unlike `update_or_create`, a row equal to the stored record is not saved again, so a
    second run writes nothing (not even `updated_at`). Every written record is validated
    with `full_clean()` first: a wrong phone or national ID in a fixture stops the load.
    """
    rows = list(rows)
    scope = scope or {}
    manager = model._default_manager
    stored = {
        getattr(obj, key): obj
        for obj in manager.filter(**scope, **{f"{key}__in": [row[key] for row in rows]})
    }
    result = {}
    for row in rows:
        obj = stored.get(row[key])
        if obj is None:
            obj = model(**scope, **row)
            obj.full_clean()
            obj.save()
            tally.created += 1
        else:
            changed = {name: value for name, value in row.items() if getattr(obj, name) != value}
            if changed:
                for name, value in changed.items():
                    setattr(obj, name, value)
                obj.full_clean()
                obj.save()
                tally.updated += 1
            else:
                tally.unchanged += 1
        result[row[key]] = obj
    return result
