"""/api/v1/statistics/: forms and indicators, a day's figures submitted, reports and aggregates
read back — scoped to the agency, checked as in the portal, stored whole or not at all."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from modules.agencies.models import Season
from modules.statistics.models import (
    Aggregation,
    DailyReport,
    ReportStatus,
    ReportValue,
    ValueChange,
    ValueType,
)
from tests.support.mfa import activate_totp
from tests.support.statistics import local_noon, make_indicator, make_rule, make_set, save_day

pytestmark = pytest.mark.django_db

API = "/api/v1/statistics"
# Session, user with agency, count, page (QUALITY.md: ≤ 4 whatever the page size).
API_LIST_QUERIES = 4
# Committee people cost one more: modules.accounts.middleware looks up their TOTP
# authenticator on every request.
COMMITTEE_API_LIST_QUERIES = API_LIST_QUERIES + 1
FEW, MANY = 5, 50


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def current_season(db, today):
    """A season around today: the API saves with the real clock, so "today" must be open."""
    return Season.objects.create(
        hijri_year=1448,
        starts_on=today - datetime.timedelta(days=60),
        ends_on=today + datetime.timedelta(days=10),
        is_active=True,
    )


@pytest.fixture
def committee(committee_admin):
    """The committee administrator, second factor set up (else every request is sent there)."""
    activate_totp(committee_admin)
    return committee_admin


@pytest.fixture
def indicators(db):
    return {
        "admitted": make_indicator("admitted"),
        "discharged": make_indicator("discharged"),
        "occupancy": make_indicator(
            "occupancy",
            value_type=ValueType.PERCENTAGE,
            day_aggregation=Aggregation.AVERAGE,
            agency_aggregation=Aggregation.AVERAGE,
        ),
        "ambulances": make_indicator("ambulances"),
    }


@pytest.fixture
def health_form(indicators, agency_a, agency_b, current_season):
    form = make_set(
        "daily-health",
        indicators=[indicators["admitted"], indicators["discharged"], indicators["occupancy"]],
        agencies=[agency_a, agency_b],
        sections={0: ("الدخول", "Admissions"), 2: ("الأسرة", "Beds")},
    )
    make_rule(form, indicators["discharged"], "lte", indicators["admitted"])
    make_rule(form, indicators["admitted"], "lte", constant=1000, severity="warning")
    return form


@pytest.fixture
def b_only_form(indicators, agency_b, current_season):
    return make_set("transport", indicators=[indicators["ambulances"]], agencies=[agency_b])


def submit(client, body, language="en"):
    return client.post(
        f"{API}/reports/", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE=language
    )


def day_body(day, values, *, form="daily-health", submit=True):
    return {
        "form": form,
        "day": day.isoformat() if isinstance(day, datetime.date) else day,
        "values": [
            {"indicator": code, **({"value": value} if not isinstance(value, dict) else value)}
            for code, value in values.items()
        ],
        "submit": submit,
    }


# --- submitting -------------------------------------------------------------------------


def test_agency_user_submits_a_day_in_arabic_indic_digits(client, manager_a, health_form, today):
    client.force_login(manager_a)
    response = submit(
        client,
        day_body(today, {"admitted": "١٢٥", "discharged": 40, "occupancy": "٨٧٫٥"}),
        language="ar",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["form"], body["status"], body["agency"]["id"]) == (
        "daily-health",
        "submitted",
        manager_a.agency_id,
    )
    assert {value["indicator"]: value["value"] for value in body["values"]} == {
        "admitted": "125",
        "discharged": "40",
        "occupancy": "87.50",
    }
    stored = dict(
        ReportValue.objects.filter(report_id=body["id"]).values_list("indicator__code", "value")
    )
    assert stored == {
        "admitted": Decimal("125"),
        "discharged": Decimal("40"),
        "occupancy": Decimal("87.5"),
    }
    assert ValueChange.objects.filter(agency=manager_a.agency_id).count() == 3


def test_a_draft_then_a_change_answers_200_and_keeps_the_history(
    client, staff_a, health_form, today
):
    client.force_login(staff_a)
    draft = submit(client, day_body(today, {"admitted": 10}, submit=False))
    assert draft.status_code == 201, draft.content
    assert draft.json()["status"] == "draft"

    changed = submit(client, day_body(today, {"admitted": 12, "discharged": 3, "occupancy": 50}))
    assert changed.status_code == 200, changed.content
    assert changed.json()["id"] == draft.json()["id"]
    assert changed.json()["status"] == "submitted"
    [admitted] = [value for value in changed.json()["values"] if value["indicator"] == "admitted"]
    assert [(change["old_value"], change["new_value"]) for change in admitted["history"]] == [
        ("10.0000", "12.0000"),
        (None, "10.0000"),
    ]


def test_a_blocking_rule_refuses_the_day_and_stores_nothing(client, manager_a, health_form, today):
    client.force_login(manager_a)
    response = submit(
        client, day_body(today, {"admitted": 10, "discharged": 25, "occupancy": 50}), language="en"
    )

    assert response.status_code == 400
    body = response.json()
    assert body["errors"] == {"discharged": ["Rule not met"]}
    assert not DailyReport.objects.exists()
    assert not ReportValue.objects.exists()
    assert not ValueChange.objects.exists()


def test_errors_come_in_the_requested_language(client, manager_a, health_form, today):
    client.force_login(manager_a)
    body = day_body(today, {"admitted": 10, "discharged": 25, "occupancy": 50})
    assert submit(client, body, language="ar").json()["errors"] == {
        "discharged": ["قاعدة غير متحققة"]
    }
    assert submit(client, body, language="en").json()["errors"] == {"discharged": ["Rule not met"]}


def test_a_warning_needs_a_comment(client, manager_a, health_form, today):
    client.force_login(manager_a)
    without = submit(client, day_body(today, {"admitted": 5000, "discharged": 1, "occupancy": 50}))

    assert without.status_code == 400
    body = without.json()
    assert body["warnings"] == {"admitted": ["Rule not met"]}
    assert body["errors"]["admitted"] == ["Explain this figure in a short comment, or correct it."]
    assert not DailyReport.objects.exists()

    explained = day_body(
        today,
        {
            "admitted": {"value": 5000, "comment": "حادث جماعي"},
            "discharged": 1,
            "occupancy": 50,
        },
    )
    saved = submit(client, explained)
    assert saved.status_code == 201, saved.content
    assert saved.json()["warnings"] == {"admitted": ["Rule not met"]}
    assert ReportValue.objects.get(indicator__code="admitted").comment == "حادث جماعي"


def test_a_closed_day_is_a_conflict_and_stores_nothing(client, manager_a, health_form, today):
    client.force_login(manager_a)
    locked_day = today - datetime.timedelta(days=5)
    response = submit(
        client, day_body(locked_day, {"admitted": 1, "discharged": 1, "occupancy": 1})
    )

    assert response.status_code == 409
    assert "locked" in response.json()["detail"]
    assert not DailyReport.objects.exists()

    future = submit(client, day_body(today + datetime.timedelta(days=1), {"admitted": 1}))
    assert future.status_code == 409


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"form": "daily-health", "day": "2026-13-01", "values": []}, "day"),
        ({"form": "daily-health", "values": []}, "day"),
        ({"form": "daily-health", "day": "TODAY", "values": [{"indicator": "admitted"}]}, "values"),
        (
            {
                "form": "daily-health",
                "day": "TODAY",
                "values": [{"indicator": "admitted", "value": [1]}],
            },
            "values",
        ),
        (
            {
                "form": "daily-health",
                "day": "TODAY",
                "values": [
                    {"indicator": "admitted", "value": 1},
                    {"indicator": "admitted", "value": 2},
                ],
            },
            "values",
        ),
        (
            {
                "form": "daily-health",
                "day": "TODAY",
                "values": [{"indicator": "admitted", "value": 1, "comment": "x" * 501}],
            },
            "values",
        ),
    ],
)
def test_malformed_bodies_are_refused(client, manager_a, health_form, today, body, field):
    client.force_login(manager_a)
    if body.get("day") == "TODAY":
        body = {**body, "day": today.isoformat()}
    response = submit(client, body)
    assert response.status_code == 400
    assert field in response.json()
    assert not DailyReport.objects.exists()


def test_bad_figures_and_unknown_indicators_are_named(client, manager_a, health_form, today):
    client.force_login(manager_a)
    response = submit(
        client,
        day_body(today, {"admitted": "12.5", "discharged": "<b>1</b>", "beds": 3, "occupancy": 50}),
    )
    assert response.status_code == 400
    body = response.json()
    assert body["errors"]["admitted"] == ["Enter a whole number, without decimals."]
    assert body["errors"]["discharged"] == ["Enter a number."]
    assert body["form_errors"] == ["“beds” is not an indicator of this form."]
    assert not ReportValue.objects.exists()


def test_the_day_may_be_written_in_arabic_indic_digits(client, manager_a, health_form, today):
    client.force_login(manager_a)
    arabic_day = today.isoformat().translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    response = submit(client, day_body(arabic_day, {"admitted": 1}, submit=False))
    assert response.status_code == 201, response.content
    assert response.json()["day"] == today.isoformat()


def test_agency_cannot_submit_a_form_it_does_not_report(
    client, manager_a, health_form, b_only_form, today
):
    client.force_login(manager_a)
    response = submit(client, day_body(today, {"ambulances": 3}, form="transport"))
    assert response.status_code == 400
    assert response.json()["form"] == ["Your agency does not report the form “transport”."]
    assert not DailyReport.objects.exists()


def test_committee_cannot_submit(client, committee, health_form, today):
    client.force_login(committee)
    response = submit(client, day_body(today, {"admitted": 1}))
    assert response.status_code == 403
    assert not DailyReport.objects.exists()


def test_anonymous_is_refused_everywhere(client, health_form, today):
    for url in ("reports/", "forms/", "indicators/", "aggregates/"):
        assert client.get(f"{API}/{url}").status_code in (401, 403)
    assert submit(client, day_body(today, {"admitted": 1})).status_code in (401, 403)


# --- reading forms and indicators -------------------------------------------------------


def test_agency_sees_only_the_forms_it_reports(
    client, manager_a, manager_b, health_form, b_only_form
):
    client.force_login(manager_a)
    forms = client.get(f"{API}/forms/").json()
    assert [(form["code"], form["indicator_count"]) for form in forms["results"]] == [
        ("daily-health", 3)
    ]
    assert client.get(f"{API}/forms/transport/").status_code == 404
    codes = {indicator["code"] for indicator in client.get(f"{API}/indicators/").json()["results"]}
    assert codes == {"admitted", "discharged", "occupancy"}
    assert client.get(f"{API}/indicators/ambulances/").status_code == 404

    client.force_login(manager_b)
    forms = client.get(f"{API}/forms/").json()
    assert {form["code"] for form in forms["results"]} == {"daily-health", "transport"}


def test_a_form_comes_with_its_sections_and_rules(client, manager_a, health_form):
    client.force_login(manager_a)
    body = client.get(f"{API}/forms/daily-health/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["form"]["code"] == "daily-health"
    assert [
        (section["title"], [item["indicator"]["code"] for item in section["items"]])
        for section in body["sections"]
    ] == [("Admissions", ["admitted", "discharged"]), ("Beds", ["occupancy"])]
    assert body["sections"][0]["title_ar"] == "الدخول"
    assert [(rule["left"], rule["comparison"], rule["right"]) for rule in body["rules"]] == [
        ("discharged", "lte", "admitted"),
        ("admitted", "lte", None),
    ]


def test_committee_sees_every_form_and_indicator(client, committee, health_form, b_only_form):
    client.force_login(committee)
    assert client.get(f"{API}/forms/").json()["count"] == 2
    assert client.get(f"{API}/indicators/").json()["count"] == 4
    assert client.get(f"{API}/indicators/?form=transport").json()["count"] == 1


# --- reading reports --------------------------------------------------------------------


@pytest.fixture
def two_days(current_season, health_form, manager_a, manager_b, agency_a, agency_b, today):
    """Agency A and agency B, two past days each; a draft of B's on a third day."""
    first = today - datetime.timedelta(days=10)
    second = first + datetime.timedelta(days=1)
    figures = {
        (agency_a, first): {"admitted": 10, "discharged": 2, "occupancy": 50},
        (agency_a, second): {"admitted": 12, "discharged": 3, "occupancy": 60},
        (agency_b, first): {"admitted": 30, "discharged": 10, "occupancy": 80},
        (agency_b, second): {"admitted": 36, "discharged": 12, "occupancy": 70},
    }
    actors = {agency_a: manager_a, agency_b: manager_b}
    for (agency, day), values in figures.items():
        save_day(actors[agency], agency, health_form, day, values)
    third = second + datetime.timedelta(days=1)
    save_day(manager_b, agency_b, health_form, third, {"admitted": 40}, submit=False)
    return first, second, third


def test_agency_reads_only_its_own_reports(client, manager_a, agency_b, two_days):
    client.force_login(manager_a)
    body = client.get(f"{API}/reports/").json()
    assert body["count"] == 2
    assert {report["agency"]["id"] for report in body["results"]} == {manager_a.agency_id}

    theirs = DailyReport.objects.filter(agency=agency_b).first()
    assert client.get(f"{API}/reports/{theirs.pk}/").status_code == 404
    assert client.get(f"{API}/reports/?agency={agency_b.pk}").json()["count"] == 0


def test_committee_reads_every_report_and_filters(client, committee, agency_a, agency_b, two_days):
    first, second, third = two_days
    client.force_login(committee)
    assert client.get(f"{API}/reports/").json()["count"] == 5
    assert client.get(f"{API}/reports/?agency={agency_b.pk}").json()["count"] == 3
    assert client.get(f"{API}/reports/?status=draft").json()["count"] == 1
    assert client.get(f"{API}/reports/?day={first}").json()["count"] == 2
    assert client.get(f"{API}/reports/?from={second}&to={third}").json()["count"] == 3
    assert client.get(f"{API}/reports/?form=transport").json()["count"] == 0
    assert client.get(f"{API}/reports/?from={third}&to={first}").status_code == 400

    theirs = DailyReport.objects.get(agency=agency_b, day=first)
    body = client.get(f"{API}/reports/{theirs.pk}/").json()
    assert {value["indicator"]: value["value"] for value in body["values"]} == {
        "admitted": "30",
        "discharged": "10",
        "occupancy": "80.00",
    }
    assert body["is_open"] is False
    assert body["status"] == ReportStatus.SUBMITTED


# --- aggregates -------------------------------------------------------------------------


def figures_by_day(body) -> dict:
    return {
        result["indicator"]: (
            result["value"],
            [(day["day"], day["value"]) for day in result["days"]],
        )
        for result in body["results"]
    }


def figures_by_agency(body) -> dict:
    return {
        result["indicator"]: (
            result["value"],
            {row["agency"]: row["value"] for row in result["agencies"]},
        )
        for result in body["results"]
    }


def test_aggregates_per_day_over_every_agency(client, committee, two_days):
    first, second, _third = two_days
    client.force_login(committee)
    body = client.get(
        f"{API}/aggregates/?indicator=admitted,occupancy&from={first}&to={second}"
    ).json()
    assert (body["group_by"], body["from"], body["to"], body["agencies"]) == (
        "day",
        first.isoformat(),
        second.isoformat(),
        None,
    )
    assert figures_by_day(body) == {
        # Sums over agencies, then over days; the draft of the third day does not count.
        "admitted": ("88", [(first.isoformat(), "40"), (second.isoformat(), "48")]),
        # Average over agencies ((50 + 80) / 2, (60 + 70) / 2), then over days.
        "occupancy": ("65.00", [(first.isoformat(), "65.00"), (second.isoformat(), "65.00")]),
    }


def test_aggregates_per_agency(client, committee, agency_a, agency_b, two_days):
    client.force_login(committee)
    body = client.get(f"{API}/aggregates/?group_by=agency&indicator=admitted,occupancy").json()
    assert figures_by_agency(body) == {
        "admitted": ("88", {agency_a.pk: "22", agency_b.pk: "66"}),
        "occupancy": ("65.00", {agency_a.pk: "55.00", agency_b.pk: "75.00"}),
    }


def test_committee_may_choose_agencies(client, committee, agency_a, agency_b, two_days):
    client.force_login(committee)
    body = client.get(f"{API}/aggregates/?indicator=admitted&agency={agency_b.pk}").json()
    assert body["agencies"] == [agency_b.pk]
    assert figures_by_day(body)["admitted"][0] == "66"


def test_agency_sees_only_its_own_figures(client, manager_a, agency_a, agency_b, two_days):
    first, second, _third = two_days
    client.force_login(manager_a)
    body = client.get(f"{API}/aggregates/?indicator=admitted").json()
    assert body["agencies"] == [agency_a.pk]
    assert figures_by_day(body)["admitted"] == (
        "22",
        [(first.isoformat(), "10"), (second.isoformat(), "12")],
    )
    by_agency = client.get(f"{API}/aggregates/?group_by=agency&indicator=admitted").json()
    assert figures_by_agency(by_agency)["admitted"] == ("22", {agency_a.pk: "22"})

    assert client.get(f"{API}/aggregates/?agency={agency_b.pk}").status_code == 404
    assert client.get(f"{API}/aggregates/?agency={agency_a.pk},{agency_b.pk}").status_code == 404
    assert client.get(f"{API}/aggregates/?agency={agency_a.pk}").status_code == 200


def test_aggregates_refuse_a_bad_period(client, committee, two_days):
    client.force_login(committee)
    assert client.get(f"{API}/aggregates/?from=2026-06-01&to=2026-05-01").status_code == 400
    assert client.get(f"{API}/aggregates/?from=2024-01-01&to=2026-01-01").status_code == 400
    assert client.get(f"{API}/aggregates/?group_by=week").status_code == 400


def test_aggregates_per_agency_take_at_most_ten_indicators(client, committee, current_season):
    for number in range(11):
        make_indicator(f"many-{number}")
    client.force_login(committee)
    response = client.get(f"{API}/aggregates/?group_by=agency")
    assert response.status_code == 400
    assert "indicator" in response.json()


# --- query counts -----------------------------------------------------------------------


def grow(size, *, agency_a, agency_b, current_season, today, actor):
    """`size` indicators on `size` forms reported by both agencies, and `size` days of
    submitted reports of agency A (and as many of B's)."""
    created = [make_indicator(f"grown-{number}") for number in range(size)]
    forms = [
        make_set(f"form-{number}", indicators=[indicator], agencies=[agency_a, agency_b])
        for number, indicator in enumerate(created)
    ]
    days = [today - datetime.timedelta(days=number + 1) for number in range(size)]
    for agency in (agency_a, agency_b):
        DailyReport.objects.bulk_create(
            DailyReport(
                agency=agency,
                indicator_set=forms[0],
                season=current_season,
                day=day,
                status=ReportStatus.SUBMITTED,
            )
            for day in days
        )
    for day in days[:3]:
        save_day(actor, agency_a, forms[1], day, {created[1].code: 5}, now=local_noon(day))
    return created


@pytest.mark.parametrize("size", [FEW, MANY])
@pytest.mark.parametrize("role", ["agency", "committee"])
@pytest.mark.parametrize(
    "url",
    [
        "reports/",
        "reports/?status=submitted&from=2000-01-01",
        "forms/",
        "indicators/",
        "aggregates/?from={start}&to={end}",
        "aggregates/?group_by=agency&from={start}&to={end}&indicator={codes}",
    ],
)
def test_lists_take_constant_queries(
    client,
    manager_a,
    committee,
    agency_a,
    agency_b,
    current_season,
    today,
    django_assert_max_num_queries,
    size,
    role,
    url,
):
    grow(
        size,
        agency_a=agency_a,
        agency_b=agency_b,
        current_season=current_season,
        today=today,
        actor=manager_a,
    )
    client.force_login(manager_a if role == "agency" else committee)
    # Per agency, at most ten indicators may be asked for at once.
    codes = ",".join(f"grown-{number}" for number in range(min(size, 10)))
    address = f"{API}/" + url.format(start=current_season.starts_on, end=today, codes=codes)
    budget = API_LIST_QUERIES if role == "agency" else COMMITTEE_API_LIST_QUERIES
    with django_assert_max_num_queries(budget):
        response = client.get(address)
    assert response.status_code == 200
    body = response.json()
    listed = body["results"]
    assert len(listed) >= min(size, 3)


# --- schema -----------------------------------------------------------------------------


def test_the_schema_documents_the_statistics_api(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    text = response.content.decode()
    for path in (
        "/api/v1/statistics/indicators/",
        "/api/v1/statistics/forms/",
        "/api/v1/statistics/forms/{code}/",
        "/api/v1/statistics/reports/",
        "/api/v1/statistics/reports/{id}/",
        "/api/v1/statistics/aggregates/",
    ):
        assert f"{path}:" in text
    for component in ("ReportInput:", "EntryRejectedOutput:", "AggregatesOutput:"):
        assert component in text
