"""Daily statistics on a seeded season. Not run by CI (timings are noisy).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rifada_bench \\
        .venv/bin/pytest tests/bench/test_statistics_bench.py -p no:cacheprovider -o addopts="" -s

Data: `seed_statistics --agencies 60 --indicators 150 --days 90` (4 forms, every agency
reports each: about 760,000 figures with 5% of the reports missing), made inside the test's
transaction and then ANALYZEd, so the planner sees the table sizes a live database has.

Measured, in-process (server time, no network), after warm-up runs; median and p95 with the
query count of one run:
- saving a full day of a 150-indicator form (`report_save`, every figure changed each time,
  the report submitted, so each save rewrites the day's rollup over the 60 agencies), called
  directly and as inside a portal or API request (the request's user bound for the audit);
- `dashboard_data` for the season, and with 5 agencies chosen;
- the dashboard page through the test client, as a committee administrator;
- EXPLAIN (ANALYZE, BUFFERS) of the main dashboard query, the rollup read over the season.
"""

import datetime
import io
import os
import statistics
import time
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from modules.accounts.roles import Role
from modules.agencies.models import Agency, Season
from modules.audit.context import bound_request
from modules.statistics.dashboard import dashboard_data
from modules.statistics.management.figures import SeasonShape
from modules.statistics.models import (
    DailyReport,
    Indicator,
    IndicatorSet,
    IndicatorSetItem,
    ReportValue,
    ValueType,
)
from modules.statistics.services import report_save
from tests.support.fixtures import make_user
from tests.support.statistics import local_noon

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]

# BENCH_STATISTICS_SIZE="6,150,20" makes a quick smoke run (agencies, indicators, days).
AGENCIES, INDICATORS, DAYS = (
    int(part) for part in os.environ.get("BENCH_STATISTICS_SIZE", "60,150,90").split(",")
)
SAVES = 30
ONE_DAY = datetime.timedelta(days=1)


def measure(label: str, call, *, runs: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        call()
    queries = []
    # Counted by a wrapper: the test client's request_started empties connection.queries.
    with connection.execute_wrapper(
        lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)
    ):
        call()
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        timings.append((time.perf_counter() - start) * 1000)
    report(label, timings, len(queries))
    return timings


def report(label: str, timings: list[float], queries: int) -> None:
    timings = sorted(timings)
    p95 = timings[max(0, round(len(timings) * 0.95) - 1)]
    print(
        f"{label:<44} median {statistics.median(timings):8.1f} ms   p95 {p95:8.1f} ms   "
        f"{queries:3d} queries   ({len(timings)} runs)"
    )


@pytest.fixture
def seeded_season(db):
    out = io.StringIO()
    started = time.perf_counter()
    call_command(
        "seed_statistics",
        f"--agencies={AGENCIES}",
        f"--indicators={INDICATORS}",
        f"--days={DAYS}",
        stdout=out,
    )
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"\n{out.getvalue().strip()}\n(seed_statistics wall time {elapsed:.1f} s)")
    return Season.objects.get(is_active=True)


def full_form(agency: Agency) -> IndicatorSet:
    """One form with every seeded indicator, reported by `agency`."""
    form = IndicatorSet.objects.create(
        code="bench-full-form", name_ar="النموذج الكامل", name_en="Full form"
    )
    form.agencies.set([agency])
    form.save()
    indicators = Indicator.objects.filter(code__startswith="seed-").order_by("pk")
    IndicatorSetItem.objects.bulk_create(
        IndicatorSetItem(indicator_set=form, indicator=indicator, sort_order=position)
        for position, indicator in enumerate(indicators)
    )
    return form


def test_statistics_on_the_seeded_season(seeded_season, committee_admin, admin_client):
    season = seeded_season
    hajj_day = SeasonShape.for_year(season.hijri_year, season.starts_on).hajj_first + 2 * ONE_DAY
    agency = Agency.objects.order_by("code").first()
    manager = make_user("bench-manager@example.org", Role.AGENCY_MANAGER, agency)
    form = full_form(agency)
    indicators = list(Indicator.objects.filter(set_items__indicator_set=form))
    assert len(indicators) == INDICATORS
    yesterday = dict(
        ReportValue.objects.filter(
            agency=agency, day=hajj_day - ONE_DAY, value__isnull=False
        ).values_list("indicator_id", "value")
    )
    print(
        f"\n{connection.vendor} {connection.pg_version // 10000}, "
        f"{ReportValue.objects.count():,} figures, "
        f"{DailyReport.objects.count():,} reports; saving {hajj_day} of a "
        f"{INDICATORS}-indicator form"
    )
    saves = iter(range(1000))

    def save():
        # Every figure moves a little from the agency's day before, so each save changes all
        # of them; the comments answer any warning about the jump.
        step = next(saves) % 4
        values = {}
        for indicator in indicators:
            base = yesterday.get(indicator.pk, Decimal(10))
            if indicator.value_type == ValueType.INTEGER:
                values[indicator.code] = str(int(base) + step)
            else:
                values[indicator.code] = str(min(base, Decimal(99)) + Decimal(step) / 10)
        return report_save(
            actor=manager,
            agency=agency,
            indicator_set=form,
            day=hajj_day,
            values=values,
            comments=dict.fromkeys(values, "Bench figure"),
            submit=True,
            now=local_noon(hajj_day),
        )

    first = save()
    assert first.report.status == "submitted" and first.changed == INDICATORS
    measure(f"full-form save ({INDICATORS} figures)", save, runs=SAVES)
    request = RequestFactory().post("/")
    request.user = manager

    def save_in_request():
        with bound_request(request):
            return save()

    measure("the same save inside a request (audited)", save_in_request, runs=10)

    measure(
        "dashboard_data, season",
        lambda: dashboard_data(user=committee_admin, season=season),
        runs=30,
    )
    five = list(Agency.objects.order_by("code").values_list("pk", flat=True)[:5])
    measure(
        "dashboard_data, season, 5 agencies",
        lambda: dashboard_data(user=committee_admin, season=season, agency_ids=five),
        runs=30,
    )
    url = reverse("statistics_dashboard")

    def page():
        response = admin_client.get(url)
        assert response.status_code == 200
        return response

    measure("dashboard page (test client)", page, runs=20)

    with CaptureQueriesContext(connection) as captured:
        dashboard_data(user=committee_admin, season=season)
    print("\nQueries of dashboard_data for the season:")
    for query in captured.captured_queries:
        print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:150]}")
    rollup_reads = [q["sql"] for q in captured if "statistics_indicatordaytotal" in q["sql"]]
    assert rollup_reads
    for sql in rollup_reads:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
        print(f"\nEXPLAIN (ANALYZE, BUFFERS) of the rollup read:\n{sql}\n{plan}")
