import datetime

from django.utils import timezone

from modules.core.models import WorkerHeartbeat
from modules.core.tasks import HEARTBEAT_NAME, worker_heartbeat


def test_unhealthy_until_a_worker_has_beaten(client, db):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["worker"] == "never-seen"


def test_healthy_after_heartbeat(client, db):
    worker_heartbeat()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_stale_heartbeat_is_unhealthy(client, db, settings):
    WorkerHeartbeat.objects.create(
        name=HEARTBEAT_NAME,
        beat_at=timezone.now() - datetime.timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE + 5),
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"] == "stale"
