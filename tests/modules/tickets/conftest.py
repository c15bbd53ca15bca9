"""Fixtures shared by the tickets tests: an operations room routed to agency A, an operator,
a reporting moment, and file storage in a temporary directory."""

import pytest
from django.core.files.storage import default_storage

from modules.notifications.models import Message
from modules.tickets.models import Ticket, TicketAttachment, TicketEscalation, TicketEvent
from tests.support.tickets import at, make_operator, make_room


@pytest.fixture
def t0():
    """A Wednesday morning in the season (Asia/Riyadh)."""
    return at("2026-05-20 10:00")


@pytest.fixture
def room(agency_a):
    """24/7 default policy (15 min to acknowledge, 120 to resolve), a public category routed
    to agency A, a zone and a gate."""
    return make_room(agency=agency_a)


@pytest.fixture
def operator(db):
    return make_operator()


@pytest.fixture
def media(settings, tmp_path):
    """Attachments written to a real directory (the test settings keep them in memory), so a
    test can see that a refused report left no file behind."""
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    assert default_storage.location == str(tmp_path)
    return tmp_path


@pytest.fixture
def stored(media):
    """What a ticket operation has written: rows of each kind and files under MEDIA_ROOT."""

    def snapshot() -> dict[str, int]:
        return {
            "tickets": Ticket.objects.count(),
            "events": TicketEvent.objects.count(),
            "attachments": TicketAttachment.objects.count(),
            "escalations": TicketEscalation.objects.count(),
            "messages": Message.objects.count(),
            "files": sum(1 for path in media.rglob("*") if path.is_file()),
        }

    return snapshot
