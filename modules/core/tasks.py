from django.utils import timezone

from .models import WorkerHeartbeat

HEARTBEAT_NAME = "qcluster"


def worker_heartbeat() -> None:
    """Idempotent: the row only ever moves forward to now."""
    WorkerHeartbeat.objects.update_or_create(
        name=HEARTBEAT_NAME, defaults={"beat_at": timezone.now()}
    )


def clear_expired_sessions() -> None:
    from django.core.management import call_command

    call_command("clearsessions")
