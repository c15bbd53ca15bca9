"""/api/v1/ for the tablet and phone apps: scoped lists in a constant number of queries."""

import pytest

from modules.agencies.models import StaffMember
from modules.agencies.validators import national_id_is_valid

pytestmark = pytest.mark.django_db

# Session, user with agency, count, page: whatever the page size (QUALITY.md: ≤ 4).
API_LIST_QUERIES = 4


def _valid_ids():
    number = 1_000_000_000
    while True:
        number += 1
        if national_id_is_valid(str(number)):
            yield str(number)


def _roster(agency, season, size, ids):
    StaffMember.objects.bulk_create(
        StaffMember(
            agency=agency,
            season=season,
            name_ar=f"موظف {n}",
            name_en=f"Staffer {n}",
            national_id=next(ids),
            phone="+966501234567",
            gender="female" if n % 2 else "male",
        )
        for n in range(size)
    )


@pytest.mark.parametrize("size", [5, 50])
@pytest.mark.parametrize("url", ["/api/v1/staff/", "/api/v1/agencies/", "/api/v1/seasons/"])
def test_list_endpoints_use_constant_queries(
    client, manager_a, agency_a, agency_b, season, django_assert_max_num_queries, size, url
):
    ids = _valid_ids()
    _roster(agency_a, season, size, ids)
    _roster(agency_b, season, size, ids)
    client.force_login(manager_a)
    with django_assert_max_num_queries(API_LIST_QUERIES):
        response = client.get(url)
    assert response.status_code == 200


def test_staff_list_is_the_users_agency_only_and_filters(
    client, manager_a, agency_a, agency_b, season
):
    ids = _valid_ids()
    _roster(agency_a, season, 4, ids)
    _roster(agency_b, season, 3, ids)
    client.force_login(manager_a)
    body = client.get("/api/v1/staff/").json()
    assert body["count"] == 4
    assert {row["agency"] for row in body["results"]} == {agency_a.pk}
    assert client.get("/api/v1/staff/?gender=female").json()["count"] == 2


def test_anonymous_requests_are_refused(client):
    assert client.get("/api/v1/staff/").status_code in (401, 403)


def test_the_schema_documents_the_api(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "/api/v1/staff/" in text
    assert "/api/v2/" not in text
