"""Registers the operations room's admin (menu and viewsets) defined in `admin/`."""

from .admin import menu  # noqa: F401
