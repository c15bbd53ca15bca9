"""Restart: stop the worker while work is due, start it again — everything due runs, once.

Real parts only: `manage.py qcluster` in its own process, on the test database, sending
through the loopback SMTP server.

1. Twenty invitations are queued (tasks in django-q2's ORM broker table) and the minute
   schedules are written. /healthz says 503: no worker has beaten yet.
2. A worker starts and sends slowly (the SMTP server waits before accepting). Once some
   messages are sent and others are being sent, the whole worker (cluster, sentinel, pusher,
   workers) is killed with SIGKILL, as a crash or an OOM kill would.
3. A new worker starts. It sends what was still waiting in the broker. Its first scheduler
   pass (django-q2 runs the scheduler about 30 s after a cluster starts) beats the heartbeat
   and runs the notification sweep, which queues again the messages whose tasks the dead
   worker had taken, and marks failed the ones it died in the middle of sending (at most
   once: nobody knows if the SMTP server got them; see modules/notifications/tasks.py).
4. The broker's own redelivery of the tasks the dead worker held (180 s after it took them,
   Q_CLUSTER "retry") is brought forward; those runs must change nothing.

Then: every message that was not mid-send ends `sent`, each of its recipients received
exactly one e-mail; the mid-send ones end `failed` with the explanation and at most one
e-mail; no message was claimed twice; /healthz says 200.

The worker process reads its settings from the environment (cms/settings/base.py), so the
sweep's timers are shortened through NOTIFICATION_SENDING_TIMEOUT and
NOTIFICATION_REQUEUE_AFTER, and EMAIL_* point it at the test's SMTP server.
"""

import collections
import contextlib
import datetime
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_q.conf import Conf
from django_q.models import OrmQ

from modules.core.models import WorkerHeartbeat
from modules.core.tasks import HEARTBEAT_NAME
from modules.notifications.models import Message, MessageStatus
from modules.notifications.services import notify

BASE_DIR = Path(settings.BASE_DIR)
PROC = Path("/proc")
MESSAGES = 20
WORKERS = 2  # Q_WORKERS for the worker process: how many messages can be mid-send at once
SLOW_SMTP_SECONDS = 2.5  # before the crash: every send takes this long, so some are mid-send
# The sweep's timers for this test; production has 600 s and 300 s.
SENDING_TIMEOUT_SECONDS = 10
REQUEUE_AFTER_SECONDS = 10
# Generous: a loaded 2-core machine. The test normally takes about 40 s, most of it waiting
# for the second worker's first scheduler pass.
FIRST_SENDS_TIMEOUT = 90
RECOVERY_TIMEOUT = 150
POLL_SECONDS = 0.05
ABANDONED_ERROR = (
    "The worker stopped while sending this message, so it may or may not have been "
    "delivered. Check with the provider before sending it again."
)

pytestmark = pytest.mark.django_db(transaction=True)


def _database_url() -> str:
    """The test database (not the development one), for the worker process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{db['NAME']}"


def _running_in_group(pgid: int) -> list[int]:
    """Processes of a process group that can still run (zombies cannot); Linux's /proc."""
    if not PROC.is_dir():  # elsewhere, ask the kernel (a zombie counts as alive there)
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return []
        return [pgid]
    pids = []
    for entry in os.listdir(PROC):
        if not entry.isdigit():
            continue
        try:
            stat = (PROC / entry / "stat").read_text()
        except OSError:  # it ended while we looked
            continue
        state, _ppid, pgrp = stat.rpartition(")")[2].split()[:3]
        if int(pgrp) == pgid and state not in ("Z", "X"):
            pids.append(int(entry))
    return pids


def _wait_for_other_sessions_to_end(timeout: float = 15) -> None:
    """PostgreSQL: a killed client's server process may still be finishing a statement it
    had received; wait until none is busy, so what we read next is final. An idle one (its
    client gone, not yet noticed by the server) can change nothing and is left alone."""
    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + timeout
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid, state, query FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                "AND state <> 'idle'"
            )
            sessions = cursor.fetchall()
        if not sessions:
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"sessions of killed workers still busy: {sessions}")
        time.sleep(POLL_SECONDS)


class Worker:
    """`manage.py qcluster` as production runs it, in a process group of its own so that
    SIGKILL reaches every process django-q2 forks (sentinel, pusher, workers, monitor)."""

    def __init__(self, name: str, env: dict[str, str], log_dir: Path):
        self.name = name
        self.log_path = log_dir / f"{name.replace(' ', '-')}.log"
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"],
            cwd=BASE_DIR,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def log_tail(self, lines: int = 40) -> str:
        self._log.flush()
        text = self.log_path.read_text(errors="replace").splitlines()[-lines:]
        return f"--- {self.log_path} ---\n" + "\n".join(text)

    def check_running(self) -> None:
        if self.process.poll() is not None:
            pytest.fail(f"the {self.name} exited ({self.process.returncode})\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL the whole group and return once none of its processes can run again."""
        pgid = self.process.pid  # a session leader: its pid is the group's id
        if self.process.poll() is None or _running_in_group(pgid):
            with contextlib.suppress(ProcessLookupError):  # it ended by itself meanwhile
                os.killpg(pgid, signal.SIGKILL)
        self.process.wait(timeout=30)
        deadline = time.monotonic() + 30
        while _running_in_group(pgid):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name}: processes {_running_in_group(pgid)} survived")
            time.sleep(POLL_SECONDS)
        self._log.close()


@pytest.fixture
def start_worker(tmp_path, smtp_server):
    """Start real workers on the test database and SMTP server; all are killed at the end."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": _database_url(),
        "Q_SYNC": "0",
        "Q_WORKERS": str(WORKERS),
        "TEST_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": smtp_server.host,
        "EMAIL_PORT": str(smtp_server.port),
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_TLS": "0",
        "NOTIFICATION_SENDING_TIMEOUT": str(SENDING_TIMEOUT_SECONDS),
        "NOTIFICATION_REQUEUE_AFTER": str(REQUEUE_AFTER_SECONDS),
        "PYTHONUNBUFFERED": "1",
    }
    started: list[Worker] = []

    def start(name: str) -> Worker:
        worker = Worker(name, env, tmp_path)
        started.append(worker)
        return worker

    try:
        yield start
    finally:
        with contextlib.ExitStack() as stack:  # kill every one, even if killing one fails
            for worker in started:
                stack.callback(worker.kill)
        _wait_for_other_sessions_to_end()


def _status_counts() -> dict[str, int]:
    rows = Message.objects.values("status").annotate(n=Count("id")).values_list("status", "n")
    return collections.Counter(dict(rows))


def _wait_until(condition, *, timeout: float, worker: Worker, what: str):
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        worker.check_running()
        if time.monotonic() > deadline:
            pytest.fail(f"gave up after {timeout} s waiting for {what}\n{worker.log_tail()}")
        time.sleep(POLL_SECONDS)


def _abandoned_error_texts() -> set[str]:
    """The sweep writes its explanation in the worker's active language."""
    texts = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            texts.add(gettext(ABANDONED_ERROR))
    return texts


def test_a_killed_worker_is_restarted_and_everything_due_runs_once(
    start_worker, smtp_server, settings, monkeypatch, client
):
    # This process only queues: its tasks go to the ORM broker table for the worker.
    # django-q2 copies Q_CLUSTER into Conf once, at import; async_task reads Conf.SYNC.
    monkeypatch.setattr(Conf, "SYNC", False)
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": False}
    # notify() sets when the sweep queues a message again (in case its task was lost).
    settings.NOTIFICATIONS = {
        **settings.NOTIFICATIONS,
        "REQUEUE_AFTER_SECONDS": REQUEUE_AFTER_SECONDS,
    }
    started_at = time.monotonic()

    call_command("setup_schedules", stdout=io.StringIO())
    assert client.get("/healthz").status_code == 503

    recipients = [f"pilgrim-{n:02}@example.org" for n in range(MESSAGES)]
    with transaction.atomic():
        for n, address in enumerate(recipients):
            notify(
                channel="email",
                template="accounts/invitation",
                to=address,
                language="en",
                context={
                    "invitation_url": f"https://rifada.test/invite/{n}/",
                    "user_name": f"Pilgrim {n}",
                },
            )
    assert OrmQ.objects.count() == MESSAGES, "the sends were not queued in the broker"
    assert _status_counts() == {MessageStatus.QUEUED: MESSAGES}

    # --- The first worker: killed while some messages are sent and some are being sent.
    smtp_server.delay = SLOW_SMTP_SECONDS
    first = start_worker("first worker")

    def crash_point():
        counts = _status_counts()
        # The SMTP server records a message before accepting it: nothing is `sent` before.
        if counts[MessageStatus.SENT] and not smtp_server.received:
            pytest.fail(
                "the worker marked messages sent but none reached the SMTP server: does "
                "cms/settings/test.py take TEST_EMAIL_BACKEND from the environment?\n"
                + first.log_tail()
            )
        return counts[MessageStatus.SENT] >= 2 and counts[MessageStatus.SENDING]

    _wait_until(crash_point, timeout=FIRST_SENDS_TIMEOUT, worker=first, what="the first sends")
    first.kill()
    crashed_at, crashed_on_clock = time.monotonic(), timezone.now()
    _wait_for_other_sessions_to_end()

    at_crash = dict(Message.objects.values_list("pk", "status"))
    mid_send = {pk for pk, status in at_crash.items() if status == MessageStatus.SENDING}
    sent_before = {pk for pk, status in at_crash.items() if status == MessageStatus.SENT}
    assert 1 <= len(mid_send) <= WORKERS, at_crash
    assert 2 <= len(sent_before) < MESSAGES - len(mid_send), "nothing left due at the crash"
    # Tasks the dead worker had taken from the broker stay locked until the broker's retry.
    held_by_dead_worker = set(
        OrmQ.objects.filter(lock__gt=timezone.now()).values_list("pk", flat=True)
    )

    # --- The second worker: no delay now.
    smtp_server.delay = 0
    second = start_worker("second worker")

    def recovered():
        counts = _status_counts()
        done = counts[MessageStatus.SENT] + counts[MessageStatus.FAILED] == MESSAGES
        beaten = WorkerHeartbeat.objects.filter(name=HEARTBEAT_NAME).exists()
        # Everything the second worker took from the broker is finished and acknowledged.
        drained = set(OrmQ.objects.values_list("pk", flat=True)) <= held_by_dead_worker
        return done and beaten and drained

    _wait_until(recovered, timeout=RECOVERY_TIMEOUT, worker=second, what="the recovery")
    recovered_at = time.monotonic()

    # The broker would hand the dead worker's tasks out again 180 s after it took them;
    # bring that forward. Running them again must change nothing.
    assert held_by_dead_worker, "the dead worker held no task: the broker path is not covered"
    OrmQ.objects.filter(pk__in=held_by_dead_worker).update(
        lock=timezone.now() - datetime.timedelta(seconds=1)
    )
    _wait_until(
        lambda: not OrmQ.objects.exists(),
        timeout=RECOVERY_TIMEOUT,
        worker=second,
        what="the redelivered tasks",
    )
    second.check_running()

    # --- Everything due ran, once.
    received = collections.Counter()
    for mail in smtp_server.received:
        received.update(mail.rcpt_tos)
    assert set(received) <= set(recipients), received
    assert max(received.values(), default=0) == 1, f"someone got two e-mails: {received}"

    abandoned_errors = _abandoned_error_texts()
    mails_by_recipient = {mail["To"]: mail for mail in smtp_server.messages}
    for message in Message.objects.all():
        assert message.attempts == 1, f"{message.recipient} was claimed {message.attempts} times"
        if message.pk in mid_send:
            # At most once: it may or may not have reached the SMTP server before the crash.
            assert message.status == MessageStatus.FAILED, message.recipient
            assert message.error in abandoned_errors, message.error
            assert message.sent_at is None
            assert received[message.recipient] <= 1
        else:
            assert message.status == MessageStatus.SENT, (message.recipient, message.error)
            assert received[message.recipient] == 1, message.recipient
            mail = mails_by_recipient[message.recipient]
            assert message.provider_id == mail["Message-ID"]
            assert (
                f"/invite/{recipients.index(message.recipient)}/"
                in mail.get_body(("plain",)).get_content()
            )

    # --- The heartbeat schedule ran on the restarted worker: the site reports it healthy.
    assert WorkerHeartbeat.objects.get(name=HEARTBEAT_NAME).beat_at > crashed_on_clock
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    assert response.json()["worker"] == "ok"

    print(  # shown with -s or -rA: where the time goes
        f"\ncrash after {crashed_at - started_at:.1f} s "
        f"({len(sent_before)} sent, {len(mid_send)} mid-send, "
        f"{len(held_by_dead_worker)} tasks held by the dead worker); "
        f"recovered {recovered_at - crashed_at:.1f} s later; "
        f"total {time.monotonic() - started_at:.1f} s"
    )
