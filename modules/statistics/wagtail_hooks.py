"""Registers the statistics admin (menus, viewsets and views) defined in `admin/`."""

from .admin import config, dashboard, review  # noqa: F401
