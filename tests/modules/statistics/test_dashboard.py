"""The committee's indicators dashboard: its data (on the known data set of
test_aggregation), its query count at two sizes, and its admin pages, JSON and exports."""

import csv
import datetime
import io
import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from modules.accounts.roles import Role
from modules.statistics.dashboard import dashboard_data, indicator_breakdown
from modules.statistics.models import Indicator, IndicatorCategory
from tests.support.fixtures import make_agency, make_user
from tests.support.mfa import activate_totp
from tests.support.statistics import local_noon, make_category, make_indicator, make_set, save_day

from .test_aggregation import DAY_1, DAY_2, DAY_3, save_known

AFTER = local_noon(DAY_3 + datetime.timedelta(days=2))  # every day of the set is due


@pytest.fixture
def known(season, agency_a, agency_b):
    return save_known(agency_a, agency_b)


def _data(known, user, agency_keys=None, **kwargs):
    agency_ids = None
    if agency_keys is not None:
        agency_ids = [known["agencies"][key].pk for key in agency_keys]
    kwargs.setdefault("now", AFTER)
    return dashboard_data(
        user=user, season=None, start=DAY_1, end=DAY_3, agency_ids=agency_ids, **kwargs
    )


def _by_code(data):
    return {indicator["code"]: indicator for indicator in data["indicators"]}


# --- the data -------------------------------------------------------------------------------


def test_tiles_give_the_last_day_its_change_and_the_period(known, committee_admin):
    data = _data(known, committee_admin)
    json.dumps(data)  # JSON-serialisable as it is
    assert data["last_day"]["date"] == DAY_3.isoformat()
    assert data["previous_day"] == DAY_2.isoformat()
    assert [day["date"] for day in data["days"]] == [d.isoformat() for d in (DAY_1, DAY_2, DAY_3)]
    admissions = _by_code(data)["admissions"]
    assert admissions["tile"] == {
        "value": 66,
        "previous": 32,
        "change": 34,
        "change_pct": 106.25,
        "period_value": 158,
        "reporting": 3,
        "expected_agencies": 3,
    }
    assert admissions["series"] == [60, 32, 66]
    tiles = {code: row["tile"] for code, row in _by_code(data).items()}
    assert tiles["beds"]["period_value"] == 660
    assert tiles["occupancy"]["period_value"] == pytest.approx(63.3333)
    assert _by_code(data)["occupancy"]["decimal_places"] == 2
    assert tiles["peak"]["value"] == 6
    assert tiles["peak"]["change"] == -6
    assert tiles["peak"]["period_value"] == 12
    assert tiles["on-duty"]["period_value"] == 16
    assert data["period"]["label"] == "خلال الفترة"  # "Over the period", in Arabic


def test_an_agency_filter_reads_the_reported_values(known, committee_admin):
    data = _data(known, committee_admin, ["a", "c"])
    admissions = _by_code(data)["admissions"]
    assert admissions["series"] == [40, 11, 44]
    assert admissions["tile"]["change"] == 33
    assert admissions["tile"]["change_pct"] == 300
    assert admissions["tile"]["period_value"] == 95
    assert admissions["tile"]["reporting"] == 2
    assert admissions["tile"]["expected_agencies"] == 2
    assert _by_code(data)["on-duty"]["tile"]["period_value"] == 15
    assert data["filters"]["agency_ids"] == sorted(known["agencies"][key].pk for key in ("a", "c"))


def test_categories_count_indicators_and_reported_figures(known, committee_admin):
    other = make_category("transport", name_ar="النقل", name_en="Transport", order=1)
    make_indicator("buses", category=other)  # on no form: expected nowhere
    data = _data(known, committee_admin)
    health, transport = data["categories"]
    assert (health["code"], health["indicator_count"]) == ("health", 5)
    # 5 indicators × (3 + 2 + 3) figures, of 5 × 3 agencies × 3 days expected
    assert (health["reported"], health["expected"]) == (40, 45)
    assert health["reporting_rate"] == pytest.approx(40 / 45, abs=1e-4)
    assert transport["indicator_ids"] == [Indicator.objects.get(code="buses").pk]
    assert transport["reporting_rate"] is None
    only_transport = _data(known, committee_admin, category_id=other.pk)
    assert [row["code"] for row in only_transport["indicators"]] == ["buses"]
    # no form carries a transport indicator: no report is expected
    assert only_transport["completeness"]["expected"] == 0


def test_completeness_counts_on_time_late_missing_and_pending(known, committee_admin):
    indicator_set, agencies = known["set"], known["agencies"]
    silent = make_agency("agency-d")
    indicator_set.agencies.add(silent)
    indicator_set.save()
    values = {"admissions": 31, "beds": 310, "occupancy": 70, "peak": 5, "on-duty": 1}
    late = save_day(None, agencies["c"], indicator_set, DAY_2, values, now=local_noon(DAY_3))
    assert late.report.is_late
    completeness = _data(known, committee_admin)["completeness"]
    assert [
        (day["expected"], day["on_time"], day["late"], day["missing"], day["pending"])
        for day in completeness["days"]
    ] == [(4, 3, 0, 1, 0), (4, 2, 1, 1, 0), (4, 3, 0, 1, 0)]
    assert completeness["completeness_rate"] == 0.75
    assert completeness["on_time_rate"] == pytest.approx(8 / 12, abs=1e-4)
    # At noon on day 3 that day is not due yet (its deadline is the next morning).
    early = _data(known, committee_admin, now=local_noon(DAY_3))["completeness"]
    assert early["days"][2] | {"date": None} == {
        "date": None,
        "expected": 4,
        "on_time": 3,
        "late": 0,
        "missing": 0,
        "pending": 1,
        "is_due": False,
    }
    assert early["completeness_rate"] == pytest.approx(6 / 8)


def test_a_returned_report_leaves_the_tiles(known, committee_admin):
    from modules.statistics.services import report_return

    report_return(actor=committee_admin, report=known["reports"]["c", DAY_3], comment="Check")
    admissions = _by_code(_data(known, committee_admin))["admissions"]
    assert admissions["tile"]["value"] == 34
    assert admissions["tile"]["reporting"] == 2


def test_the_default_period_is_the_season_so_far(known, committee_admin, season):
    data = dashboard_data(user=committee_admin, season=season, now=AFTER)
    assert data["period"]["start"] == season.starts_on.isoformat()
    assert data["period"]["end"] == (DAY_3 + datetime.timedelta(days=2)).isoformat()
    assert data["period"]["label"] == "الموسم حتى الآن"  # "Season to date"
    assert data["last_day"]["date"] == DAY_3.isoformat()
    assert _by_code(data)["admissions"]["tile"]["period_value"] == 158
    assert "1447" in data["days"][0]["hijri"]


def test_agency_people_see_only_their_agency(known, agency_a, manager_a):
    data = _data(known, manager_a, ["b", "c"])
    assert data["filters"]["agency_ids"] == []
    assert _by_code(data)["admissions"]["series"] == [None, None, None]
    own = _data(known, manager_a)
    assert _by_code(own)["admissions"]["series"] == [10, 11, 12]


def test_the_breakdown_lists_every_agency_of_the_indicator(known, committee_admin):
    silent = make_agency("agency-d")
    known["set"].agencies.add(silent)
    known["set"].save()
    breakdown = indicator_breakdown(
        user=committee_admin, indicator=known["indicators"]["admissions"], start=DAY_1, end=DAY_3
    )
    rows = [(row["code"], row["period_value"], row["series"]) for row in breakdown["agencies"]]
    # biggest first; the agency that sent nothing is listed last
    assert rows == [
        ("agency-b", 63, [20, 21, 22]),
        ("agency-c", 62, [30, None, 32]),
        ("agency-a", 33, [10, 11, 12]),
        ("agency-d", None, [None, None, None]),
    ]
    assert breakdown["total"]["series"] == [60, 32, 66]


# --- queries --------------------------------------------------------------------------------


def _build(prefix, indicator_count, agency_count, actor):
    category = make_category()
    Indicator.objects.bulk_create(
        Indicator(
            code=f"{prefix}-{n}",
            name_ar=f"مؤشر {n}",
            name_en=f"Indicator {n}",
            category=category,
            change_tolerance=1000,
        )
        for n in range(indicator_count)
    )
    indicators = list(Indicator.objects.filter(code__startswith=f"{prefix}-"))
    agencies = [make_agency(f"{prefix}-agency-{n}") for n in range(agency_count)]
    indicator_set = make_set(f"{prefix}-form", indicators=indicators, agencies=agencies)
    values = {indicator.code: 5 for indicator in indicators}
    for day in (DAY_1, DAY_2):
        for agency in agencies:
            save_day(None, agency, indicator_set, day, values)
    return agencies


def _count(user, season, agency_ids=None):
    with CaptureQueriesContext(connection) as queries:
        dashboard_data(
            user=user, season=season, start=DAY_1, end=DAY_2, agency_ids=agency_ids, now=AFTER
        )
    return len(queries)


def test_the_query_count_does_not_grow_with_indicators_or_agencies(season, committee_admin):
    small = _build("small", 10, 2, committee_admin)
    small_counts = (
        _count(committee_admin, season),
        _count(committee_admin, season, [agency.pk for agency in small]),
    )
    large = _build("large", 140, 4, committee_admin)
    assert Indicator.objects.count() == 150
    large_counts = (
        _count(committee_admin, season),
        _count(committee_admin, season, [agency.pk for agency in small + large]),
    )
    assert small_counts == large_counts
    assert max(large_counts) <= 8


# --- the admin pages --------------------------------------------------------------------------


def _signed_in(user, language="en") -> Client:
    from wagtail.users.models import UserProfile

    activate_totp(user)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def reviewer(db):
    return make_user("reviewer@example.org", Role.REVIEWER)


@pytest.fixture
def editor(db):
    return make_user("editor@example.org", Role.EDITOR)


def _urls(known):
    indicator = known["indicators"]["admissions"]
    return {
        "page": reverse("statistics_dashboard"),
        "data": reverse("statistics_dashboard_data"),
        "export": reverse("statistics_dashboard_export") + "?format=csv",
        "indicator": reverse("statistics_dashboard_indicator", args=[indicator.pk]),
        "indicator_data": reverse("statistics_dashboard_indicator_data", args=[indicator.pk]),
    }


def test_the_urls_sit_under_admin_statistics_dashboard():
    assert reverse("statistics_dashboard") == "/admin/statistics/dashboard/"


def test_a_reviewer_reads_the_page_and_its_json(known, reviewer):
    client = _signed_in(reviewer)
    response = client.get(reverse("statistics_dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="dashboard-data"' in html
    assert "vendor/chartjs/chart.umd.js" in html
    # No inline script: every <script> has a src or is JSON data.
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    page_data = json.loads(re.search(r'id="dashboard-data"[^>]*>(.*?)</script>', html, re.S)[1])
    assert _by_code(page_data)["admissions"]["tile"]["period_value"] == 158

    agencies = known["agencies"]
    query = f"?start={DAY_1}&end={DAY_3}&agencies={agencies['a'].pk}&agencies={agencies['c'].pk}"
    response = client.get(reverse("statistics_dashboard_data") + query)
    assert response.status_code == 200
    data = response.json()
    assert _by_code(data)["admissions"]["series"] == [40, 11, 44]
    assert data["period"]["start"] == DAY_1.isoformat()


def test_bad_filters_get_a_400_with_the_reason(known, reviewer):
    client = _signed_in(reviewer)
    response = client.get(
        reverse("statistics_dashboard_data") + f"?start={DAY_3}&end={DAY_1}&agencies=999999"
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"end", "agencies"}


def test_the_export_is_the_current_view_in_xlsx_and_csv(known, committee_admin):
    client = _signed_in(committee_admin)
    base = reverse("statistics_dashboard_export") + f"?start={DAY_1}&end={DAY_3}"
    response = client.get(base + "&format=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == (
        "Indicator",
        "Category",
        "Unit",
        f"Last day ({DAY_3})",
        "Change against the day before",
        "Over the period",
    )
    assert rows[0][6].startswith(DAY_1.isoformat())
    admissions = next(row for row in rows if row[0] == "Indicator admissions")
    assert admissions[1:] == ("Health", None, 66, 34, 158, 60, 32, 66)  # no unit: empty
    assert sheet.sheet_view.rightToLeft is not True
    completeness = list(workbook.worksheets[1].iter_rows(values_only=True))
    assert completeness[2][:1] + completeness[2][2:] == (DAY_2.isoformat(), 3, 2, 0, 1, 0)

    response = client.get(base + f"&agencies={known['agencies']['a'].pk}&format=csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    admissions = next(row for row in rows if row[0] == "Indicator admissions")
    assert admissions[3:] == ["12", "1", "33", "10", "11", "12"]
    occupancy = next(row for row in rows if row[0] == "Indicator occupancy")
    assert occupancy[2] == "%"
    assert occupancy[5] == "50"


def test_the_export_in_arabic_is_right_to_left(known, reviewer):
    client = _signed_in(reviewer, language="ar")
    response = client.get(reverse("statistics_dashboard_export") + "?format=xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.worksheets[0].sheet_view.rightToLeft is True
    names = [row[0] for row in workbook.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert "مؤشر admissions" in names


def test_an_unknown_export_format_is_404(known, committee_admin):
    client = _signed_in(committee_admin)
    response = client.get(reverse("statistics_dashboard_export") + "?format=pdf")
    assert response.status_code == 404


def test_the_drill_down_lists_the_agencies(known, committee_admin):
    client = _signed_in(committee_admin)
    urls = _urls(known)
    response = client.get(urls["indicator"] + f"?start={DAY_1}&end={DAY_3}")
    assert response.status_code == 200
    html = response.content.decode()
    for agency in known["agencies"].values():
        assert agency.name_en in html
    assert "data-sortable" in html
    assert reverse("statistics_dashboard") + f"?start={DAY_1}" in html  # back, same filters
    data = client.get(urls["indicator_data"] + f"?start={DAY_1}&end={DAY_3}").json()
    assert [row["name"] for row in data["agencies"]][:1] == ["Agency agency-b"]
    missing = client.get(reverse("statistics_dashboard_indicator", args=[999999]))
    assert missing.status_code == 404


def test_an_editor_without_the_permission_is_refused_everywhere(known, editor):
    client = _signed_in(editor)
    assert client.get("/admin/").status_code == 200
    for name, url in _urls(known).items():
        # Wagtail sends a refused page home with a message, and answers the script with 403.
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, "/admin/"), name
        response = client.get(url, headers={"x-requested-with": "XMLHttpRequest"})
        assert response.status_code == 403, name


def test_agency_people_never_reach_it(known, manager_a):
    client = Client()
    client.force_login(manager_a)
    for name, url in _urls(known).items():
        assert client.get(url).status_code == 403, name


def test_the_category_choices_are_the_categories(known, reviewer):
    make_category("transport", name_ar="النقل", name_en="Transport", order=1)
    html = _signed_in(reviewer).get(reverse("statistics_dashboard")).content.decode()
    for category in IndicatorCategory.objects.all():
        assert category.name_en in html


def test_without_a_season_the_page_says_so(reviewer):
    client = _signed_in(reviewer)
    response = client.get(reverse("statistics_dashboard"))
    assert response.status_code == 200
    assert b"There is no active season yet" in response.content
    data = client.get(reverse("statistics_dashboard_data")).json()
    assert (data["season"], data["indicators"]) == (None, [])
    assert client.get(reverse("statistics_dashboard_export") + "?format=csv").status_code == 200
