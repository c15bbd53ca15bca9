"""The escalation pass and the operations board on 10,000 open tickets. Not run by CI.

    Q_SYNC=0 DATABASE_URL=postgres://postgres@127.0.0.1:5432/rifada_bench_tickets \\
        .venv/bin/pytest tests/bench/test_tickets_bench.py -p no:cacheprovider -o addopts="" -s

(Q_SYNC=0: a task the pass queues is queued, as in production, not run inside the pass.)

Data: `seed_tickets --tickets 10000 --history 5000 --agencies 60` (every state, timelines,
ladder rows fired up to the moment of seeding), made inside the test's transaction and then
ANALYZEd; each agency has a manager (with a phone, for the breach SMS) and a staff member, and
the room two operators, so the digests have their real recipients.

Measured in-process (no network), median and p95 over repeated runs with the query count of
one run. Between runs the rows a pass fired are put back as they were (fired_at emptied, its
timeline events and digests deleted), so each run does the same work:
- the pass in the steady state: the next 1 % of the tickets' steps fall due;
- the pass after an hour of worker downtime: every step due in that hour at once;
- EXPLAIN (ANALYZE, BUFFERS) of the pass's read of the due rows;
- the board's data endpoint through the test client as an operator, unfiltered and for one
  agency (skipped if the board's URL is not there).

Messages are recorded but not sent here: sending is a separate task queued after the commit.

BENCH_TICKETS=500 makes a quick smoke run.
"""

import datetime
import io
import os
import statistics
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_q.models import OrmQ

from modules.accounts.models import User
from modules.accounts.roles import Role
from modules.agencies.models import Agency, Membership
from modules.notifications.models import Message
from modules.tickets import tasks
from modules.tickets.models import EventKind, Ticket, TicketEscalation, TicketEvent
from tests.support.fixtures import make_user

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]

TICKETS = int(os.environ.get("BENCH_TICKETS", "10000"))
AGENCIES = 60
TARGET_SECONDS = 1.0


def report(label: str, timings: list[float], queries: int, extra: str = "") -> None:
    timings = sorted(timings)
    p95 = timings[max(0, round(len(timings) * 0.95) - 1)]
    print(
        f"{label:<46} median {statistics.median(timings):8.1f} ms   p95 {p95:8.1f} ms   "
        f"{queries:3d} queries   ({len(timings)} runs){extra}"
    )


def counted(call):
    queries = []
    # Counted by a wrapper: the test client's request_started empties connection.queries.
    with connection.execute_wrapper(
        lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)
    ):
        result = call()
    return result, len(queries)


def people(agencies: list[Agency]) -> None:
    """A manager (with a phone) and a staff member per agency: the digests' recipients."""
    users = User.objects.bulk_create(
        User(
            email=f"{kind}-{agency.code}@bench.example.org",
            first_name=f"{kind} {agency.code}",
            phone=f"+96650{index:07d}" if kind == "manager" else "",
            preferred_language="ar" if index % 3 else "en",
            role=role,
        )
        for index, agency in enumerate(agencies)
        for kind, role in (("manager", Role.AGENCY_MANAGER), ("staff", Role.AGENCY_STAFF))
    )
    Membership.objects.bulk_create(
        Membership(user=user, agency=agency, role=user.role)
        for user, agency in zip(users, [a for a in agencies for _ in range(2)], strict=True)
    )


@pytest.fixture
def seeded(db, settings):
    settings.MFA_REQUIRED_FOR_COMMITTEE = False
    operator = make_user("operator@bench.example.org", Role.OPERATOR)
    make_user("supervisor@bench.example.org", Role.OPERATOR)
    out = io.StringIO()
    started = time.perf_counter()
    call_command(
        "seed_tickets",
        f"--tickets={TICKETS}",
        f"--history={TICKETS // 2}",
        f"--agencies={AGENCIES}",
        stdout=out,
    )
    elapsed = time.perf_counter() - started
    people(list(Agency.objects.filter(routing_rules__isnull=False).distinct()))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"\n{out.getvalue().strip()}\n(seed_tickets wall time {elapsed:.1f} s)")
    return operator


class Pass:
    """One escalation pass at `now`, repeatable: `rearm` undoes what it wrote."""

    def __init__(self, now: datetime.datetime):
        self.now = now
        self.due = TicketEscalation.objects.filter(fired_at__isnull=True, due_at__lte=now)
        self.row_ids = list(self.due.values_list("pk", flat=True))

    def run(self) -> int:
        return tasks.escalate(now=self.now)

    def rearm(self) -> None:
        TicketEscalation.objects.filter(pk__in=self.row_ids).update(fired_at=None)
        TicketEvent.objects.filter(kind=EventKind.ESCALATED, at=self.now).delete()
        Message.objects.filter(template="tickets/escalation").delete()
        OrmQ.objects.all().delete()

    @staticmethod
    def digests() -> int:
        """Digests recorded by the pass, or queued by it for a worker to render."""
        return Message.objects.filter(template="tickets/escalation").count() + OrmQ.objects.count()

    def measure(self, label: str, runs: int) -> list[float]:
        OrmQ.objects.all().delete()
        fired, queries = counted(self.run)
        assert fired == len(self.row_ids)
        messages = self.digests()
        tickets = len(
            set(
                self.due.model.objects.filter(pk__in=self.row_ids).values_list(
                    "ticket_id", flat=True
                )
            )
        )
        self.rearm()
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            assert self.run() == fired
            timings.append((time.perf_counter() - start) * 1000)
            self.rearm()
        report(
            label,
            timings,
            queries,
            f"\n{'':46} {fired:,} steps of {tickets:,} tickets, {messages} digests",
        )
        return timings


def explain_due_read(now: datetime.datetime) -> None:
    query = (
        TicketEscalation.objects.filter(fired_at__isnull=True, due_at__lte=now)
        .order_by("due_at")
        .values_list("pk", "ticket_id", "step_id", "due_at")[: tasks.MAX_PER_PASS]
    )
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql} FOR UPDATE SKIP LOCKED", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    print(f"\nEXPLAIN (ANALYZE, BUFFERS) of the due rows:\n{plan}")


def test_escalation_pass_and_board_on_10000_open_tickets(seeded, client):
    seeded_at = Ticket.objects.order_by("-clock_started_at").values_list(
        "clock_started_at", flat=True
    )[0]
    open_count = Ticket.objects.open().count()
    pending = TicketEscalation.objects.filter(fired_at__isnull=True)
    print(
        f"\n{connection.vendor} {connection.pg_version // 10000}, {open_count:,} open tickets, "
        f"{Ticket.objects.count():,} in all, {TicketEvent.objects.count():,} events, "
        f"{pending.count():,} steps to come"
    )

    # Steady state: the pass finds the next 1 % of the open tickets' steps due.
    share = max(1, open_count // 100)
    steady_now = pending.order_by("due_at").values_list("due_at", flat=True)[share - 1]
    steady = Pass(steady_now).measure("pass, steady state (1 % due)", runs=15)

    # The worker was down for an hour: everything due in it fires in one pass.
    downtime = Pass(steady_now + datetime.timedelta(hours=1))
    after_downtime = downtime.measure("pass after an hour of downtime", runs=5)
    explain_due_read(steady_now + datetime.timedelta(hours=1))
    print(f"(seeded at {timezone.localtime(seeded_at):%H:%M}; target {TARGET_SECONDS} s a pass)")

    try:
        url = reverse("tickets_room:board-data")
    except NoReverseMatch:
        pytest.skip("the board's data endpoint is not there yet")
    client.force_login(seeded)
    agency = Agency.objects.filter(tickets__status="in_progress").order_by("code").first()

    for label, params in (
        ("board data, all open tickets", {}),
        ("board data, one agency", {"agency": agency.pk}),
    ):

        def get(params=params):
            response = client.get(url, params)
            assert response.status_code == 200, response.content[:300]
            return response

        for _ in range(3):
            get()
        response, queries = counted(get)
        timings = []
        for _ in range(20):
            start = time.perf_counter()
            get()
            timings.append((time.perf_counter() - start) * 1000)
        size = len(response.content)
        report(label, timings, queries, f"   {size / 1024:,.0f} KiB")

    assert statistics.median(steady) < TARGET_SECONDS * 1000
    assert statistics.median(after_downtime) < TARGET_SECONDS * 1000
