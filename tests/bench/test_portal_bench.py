"""Portal and API timings on a season-sized roster. Not run by CI (timings are noisy).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rifada_bench make bench

Data: 60 agencies × 60 staff (3,600 people) in the active season. Each view is requested
in-process with Django's test client (server time, no network): 10 warm-up requests, then
50 timed; the median and p95 are printed with the query count of one request.
"""

import io
import statistics
import time

import pytest
from django.db import connection

from modules.agencies.models import StaffMember
from modules.agencies.validators import national_id_is_valid
from tests.support.fixtures import make_agency

pytestmark = pytest.mark.django_db

AGENCIES = 60
STAFF_PER_AGENCY = 60


def national_ids():
    number = 1_000_000_000
    while True:
        number += 1
        text = str(number)
        if national_id_is_valid(text):
            yield text


@pytest.fixture
def roster(season, agency_a):
    ids = national_ids()
    agencies = [agency_a] + [make_agency(f"bench-{n}") for n in range(AGENCIES - 1)]
    StaffMember.objects.bulk_create(
        StaffMember(
            agency=agency,
            season=season,
            name_ar=f"موظف {n}",
            name_en=f"Staffer {n}",
            national_id=next(ids),
            phone="+966501234567",
            gender="male",
            job_title="مسعف",
        )
        for agency in agencies
        for n in range(STAFF_PER_AGENCY)
    )
    return ids


def measure(label, call, runs=50):
    for _ in range(10):
        call()
    queries = []
    with connection.execute_wrapper(
        lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)
    ):
        response = call()
        if response.streaming:
            b"".join(response.streaming_content)
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = call()
        if response.streaming:
            b"".join(response.streaming_content)
        timings.append((time.perf_counter() - start) * 1000)
    assert response.status_code in (200, 302)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"{label:<28} median {statistics.median(timings):7.1f} ms   p95 {p95:7.1f} ms   "
        f"{len(queries)} queries"
    )


def test_portal_pages(client, manager_a, roster):
    client.force_login(manager_a)
    print(f"\n{connection.vendor}, {AGENCIES} agencies × {STAFF_PER_AGENCY} staff")
    measure("portal home", lambda: client.get("/ar/portal/"))
    measure("roster list (page 1)", lambda: client.get("/ar/portal/roster/"))
    measure("roster search", lambda: client.get("/ar/portal/roster/?q=موظف 1"))
    measure("roster export (CSV)", lambda: client.get("/ar/portal/roster/export/"))
    measure("API staff list", lambda: client.get("/api/v1/staff/"))
    measure("account page", lambda: client.get("/ar/portal/account/"))


def test_staff_import(client, manager_a, roster):
    client.force_login(manager_a)
    ids = roster
    for size in (100, 1000):
        lines = ["name_ar,name_en,national_id,phone,gender,job_title"]
        lines += [f"مستورد {n},Imported {n},{next(ids)},0501234567,male,مسعف" for n in range(size)]
        body = ("\n".join(lines)).encode("utf-8")
        upload = io.BytesIO(body)
        upload.name = "staff.csv"
        start = time.perf_counter()
        response = client.post("/ar/portal/roster/import/", {"file": upload})
        elapsed = time.perf_counter() - start
        assert response.status_code == 302, response.content[:2000]
        print(f"\nimport {size} rows: {elapsed:.2f} s ({size / elapsed:.0f} rows/s)")
