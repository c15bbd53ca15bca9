import datetime

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from .models import WorkerHeartbeat
from .tasks import HEARTBEAT_NAME


@never_cache
def healthz(request):
    """200 when the database answers and a worker beat recently; 503 otherwise."""
    body: dict = {"database": "ok", "worker": "ok"}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        beat = WorkerHeartbeat.objects.filter(name=HEARTBEAT_NAME).first()
    except Exception as exc:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"database": "error", "error": type(exc).__name__}, status=503)
    max_age = datetime.timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE)
    body["worker_last_heartbeat"] = beat.beat_at.isoformat() if beat else None
    if beat is None or timezone.now() - beat.beat_at > max_age:
        body["worker"] = "stale" if beat else "never-seen"
        healthy = False
    body["status"] = "ok" if healthy else "unhealthy"
    return JsonResponse(body, status=200 if healthy else 503)
