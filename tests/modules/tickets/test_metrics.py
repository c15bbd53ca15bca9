"""Metrics of the operations room on a small data set whose figures are worked out by hand:
compliance per agency and per category, mean times, breaches per day, their exports, the
metrics page — and a number of queries that does not grow with the number of tickets."""

import csv
import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from modules.tickets import metrics, services
from modules.tickets.exports import metrics_csv, metrics_xlsx
from tests.support.tickets import (
    at,
    make_category,
    make_operator,
    make_room,
    make_rule,
    make_ticket,
)

NOW = at("2026-05-22 12:00")
START, END = datetime.date(2026, 5, 20), datetime.date(2026, 5, 22)
MIN = datetime.timedelta(minutes=1)


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    settings.MFA_REQUIRED_FOR_COMMITTEE = False


@pytest.fixture
def data(agency_a, agency_b, staff_a, manager_b):
    """15 minutes to acknowledge and 120 to resolve, 24/7. Crowding goes to agency A, water
    to agency B. "Now" is 22 May 12:00.

    A1  20 May 10:00  acknowledged 10:10, resolved 11:30        both on time
    A2  20 May 10:00  acknowledged 10:20, resolved 12:30        both late (resolve due 20 May)
    A3  21 May 09:00  nothing done                             both overdue (resolve due 21 May)
    A4  21 May 09:00  on hold at 09:05                         neither: paused before its deadlines
    B1  21 May 10:00  acknowledged 10:05, resolved 11:00        both on time
    B2  22 May 11:30  nothing done yet                         acknowledge overdue, resolve not due
    C1  19 May 23:30  nothing done (before the period)         counted only as a breach on 20 May
    C2  25 Apr 10:00  (long before)                            nowhere
    """
    room = make_room(agency=agency_a)
    water = make_category("water", priority=room.priority)
    make_rule(water, agency_b)
    operator = make_operator()

    def handled(ticket, actor, acknowledged, resolved):
        services.ticket_acknowledge(ticket=ticket, actor=actor, now=acknowledged)
        services.ticket_resolve(ticket=ticket, actor=actor, note="تم", now=resolved)

    a1 = make_ticket(room, now=at("2026-05-20 10:00"))
    handled(a1, staff_a, at("2026-05-20 10:10"), at("2026-05-20 11:30"))
    a2 = make_ticket(room, now=at("2026-05-20 10:00"))
    handled(a2, staff_a, at("2026-05-20 10:20"), at("2026-05-20 12:30"))
    make_ticket(room, now=at("2026-05-21 09:00"))
    a4 = make_ticket(room, now=at("2026-05-21 09:00"))
    services.ticket_pause(ticket=a4, actor=operator, reason="انتظار", now=at("2026-05-21 09:05"))
    b1 = make_ticket(room, now=at("2026-05-21 10:00"), category=water)
    handled(b1, manager_b, at("2026-05-21 10:05"), at("2026-05-21 11:00"))
    make_ticket(room, now=at("2026-05-22 11:30"), category=water)
    make_ticket(room, now=at("2026-05-19 23:30"))
    make_ticket(room, now=at("2026-04-25 10:00"))
    return room, water


def _row(compliance, key):
    return next(row for row in compliance["rows"] if row["id"] == key)


AGENCY_A = {
    "tickets": 4,
    "acknowledged": 2,
    "acknowledged_on_time": 1,
    "acknowledged_breached": 2,
    "acknowledge_rate": 33.3,
    "resolved": 2,
    "resolved_on_time": 1,
    "resolved_breached": 2,
    "resolve_rate": 33.3,
    "mean_acknowledge_minutes": 15.0,
    "mean_resolve_minutes": 120.0,
}
AGENCY_B = {
    "tickets": 2,
    "acknowledged": 1,
    "acknowledged_on_time": 1,
    "acknowledged_breached": 1,
    "acknowledge_rate": 50.0,
    "resolved": 1,
    "resolved_on_time": 1,
    "resolved_breached": 0,
    "resolve_rate": 100.0,
    "mean_acknowledge_minutes": 5.0,
    "mean_resolve_minutes": 60.0,
}
TOTAL = {
    "tickets": 6,
    "acknowledged": 3,
    "acknowledged_on_time": 2,
    "acknowledged_breached": 3,
    "acknowledge_rate": 40.0,
    "resolved": 3,
    "resolved_on_time": 2,
    "resolved_breached": 2,
    "resolve_rate": 50.0,
    "mean_acknowledge_minutes": 11.7,
    "mean_resolve_minutes": 100.0,
}


def test_compliance_per_agency(data, agency_a, agency_b):
    result = metrics.sla_compliance(start=START, end=END, group_by="agency", now=NOW)
    assert result["group_by"] == "agency"
    assert [row["id"] for row in result["rows"]] == [agency_a.pk, agency_b.pk]
    assert _row(result, agency_a.pk) == {"id": agency_a.pk, "name": agency_a.name_ar, **AGENCY_A}
    assert _row(result, agency_b.pk) == {"id": agency_b.pk, "name": agency_b.name_ar, **AGENCY_B}
    assert result["total"] == TOTAL


def test_compliance_per_category(data):
    room, water = data
    with translation.override("en"):
        result = metrics.sla_compliance(start=START, end=END, group_by="category", now=NOW)
    crowding = _row(result, room.category.pk)
    assert crowding["name"] == "Category crowding"
    assert {key: crowding[key] for key in AGENCY_A} == AGENCY_A
    assert {key: _row(result, water.pk)[key] for key in AGENCY_B} == AGENCY_B
    assert result["total"] == TOTAL


def test_unassigned_tickets_are_a_row_of_their_own(agency_a):
    room = make_room(agency=agency_a)
    lost = make_category("lost", priority=room.priority)
    make_ticket(room, now=at("2026-05-21 10:00"), category=lost)
    result = metrics.sla_compliance(start=START, end=END, now=NOW)
    assert [(row["id"], row["tickets"]) for row in result["rows"]] == [(None, 1)]
    assert result["rows"][0]["name"]
    assert result["rows"][0]["acknowledge_rate"] == 0.0


def test_nothing_to_measure(db):
    result = metrics.sla_compliance(start=START, end=END, now=NOW)
    assert result["rows"] == []
    assert result["total"]["tickets"] == 0
    assert result["total"]["acknowledge_rate"] is None
    assert result["total"]["mean_resolve_minutes"] is None
    with pytest.raises(ValueError):
        metrics.sla_compliance(start=START, end=END, group_by="zone")


def test_breaches_per_day(data):
    days = metrics.breaches_per_day(start=datetime.date(2026, 5, 19), end=END, now=NOW)
    assert days == [
        {"date": datetime.date(2026, 5, 19), "breaches": 0},
        # A2, resolved late, and C1, reported the evening before and still overdue.
        {"date": datetime.date(2026, 5, 20), "breaches": 2},
        {"date": datetime.date(2026, 5, 21), "breaches": 1},  # A3 (A4 is on hold)
        {"date": datetime.date(2026, 5, 22), "breaches": 0},  # B2 is not due yet
    ]
    later = metrics.breaches_per_day(start=END, end=END, now=at("2026-05-22 14:00"))
    assert later == [{"date": END, "breaches": 1}], "B2's deadline (13:30) has now passed"


def test_the_default_period_is_the_active_season(season):
    assert metrics.default_period() == (season.starts_on, season.ends_on)


def test_without_a_season_the_last_thirty_days(db):
    assert metrics.default_period(today=END) == (datetime.date(2026, 4, 23), END)


@pytest.mark.parametrize("size", [5, 50])
def test_the_figures_cost_a_fixed_number_of_queries(
    agency_a, agency_b, size, django_assert_num_queries
):
    room = make_room(agency=agency_a)
    water = make_category("water", priority=room.priority)
    make_rule(water, agency_b)
    for index in range(size):
        category = water if index % 2 else room.category
        make_ticket(room, now=at("2026-05-21 10:00") + index * MIN, category=category)
    with django_assert_num_queries(2):
        result = metrics.sla_compliance(start=START, end=END, now=NOW)
    with django_assert_num_queries(1):
        days = metrics.breaches_per_day(start=START, end=END, now=NOW)
    with django_assert_num_queries(5):
        metrics.metrics_summary(start=START, end=END, now=NOW)
    assert result["total"]["tickets"] == size
    assert sum(day["breaches"] for day in days) == size


# --- exports ---------------------------------------------------------------------------------


def _summary():
    return metrics.metrics_summary(start=START, end=END, now=NOW)


def test_the_csv_export(data, agency_a):
    with translation.override("en"):
        content = metrics_csv(_summary(), "agencies")
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Agency", "Tickets"]
    assert rows[0][5] == "Acknowledged on time (%)"
    assert rows[1][:6] == [agency_a.name_en, "4", "2", "1", "2", "33.3"]
    assert rows[1][-2:] == ["15.0", "120.0"]
    assert rows[-1][:2] == ["Total", "6"]

    days = list(csv.reader(io.StringIO(metrics_csv(_summary(), "days").decode("utf-8-sig"))))
    assert len(days[0]) == 3
    assert [row[2] for row in days[1:]] == ["2", "1", "0"]
    assert days[1][0] == "2026-05-20"


def test_a_name_that_looks_like_a_formula_is_written_as_text(data, agency_a):
    agency_a.name_ar = "=HYPERLINK(1)"
    agency_a.save()
    content = metrics_csv(_summary(), "agencies").decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in content


def test_the_xlsx_export(data, agency_a):
    workbook = load_workbook(io.BytesIO(metrics_xlsx(_summary())))
    assert len(workbook.sheetnames) == 3
    agencies = workbook.worksheets[0]
    assert agencies.sheet_view.rightToLeft is True, "Arabic sheets read right to left"
    assert agencies["A2"].value == agency_a.name_ar
    assert agencies["B2"].value == 4
    assert agencies["F2"].value == pytest.approx(0.333)
    assert agencies["F2"].number_format == "0.0%"
    assert agencies["B4"].value == 6, "the total closes the sheet"
    days = workbook.worksheets[2]
    assert [days.cell(row=row, column=3).value for row in (2, 3, 4)] == [2, 1, 0]
    with translation.override("en"):
        english = load_workbook(io.BytesIO(metrics_xlsx(_summary())))
    assert english.sheetnames == ["By agency", "By category", "Breaches per day"]
    assert english.worksheets[0].sheet_view.rightToLeft in (False, None)
    assert english.worksheets[0]["A1"].value == "Agency"


# --- the page ---------------------------------------------------------------------------------


@pytest.fixture
def operator_client(client, db):
    client.force_login(make_operator("room@example.org"))
    return client


def test_the_metrics_page(operator_client, data, agency_a, season):
    params = {"start": "2026-05-20", "end": "2026-05-22"}
    with time_machine.travel(NOW, tick=False):
        response = operator_client.get(reverse("tickets_room:metrics"), params)
        default = operator_client.get(reverse("tickets_room:metrics"))
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary["agencies"]["total"] == TOTAL
    html = response.content.decode()
    assert agency_a.name_ar in html and "33.3" in html
    assert "format=xlsx" in html and "table=days" in html
    assert (default.context["summary"]["start"], default.context["summary"]["end"]) == (
        season.starts_on,
        season.ends_on,
    )


def test_a_backwards_period_is_refused(operator_client, data):
    response = operator_client.get(
        reverse("tickets_room:metrics"), {"start": "2026-05-22", "end": "2026-05-20"}
    )
    assert response.status_code == 200
    assert "end" in response.context["form"].errors
    export = operator_client.get(
        reverse("tickets_room:metrics-export"),
        {"start": "2026-05-22", "end": "2026-05-20", "format": "csv"},
    )
    assert export.status_code == 400


def test_the_exports_through_the_view(operator_client, data):
    params = {"start": "2026-05-20", "end": "2026-05-22"}
    with time_machine.travel(NOW, tick=False):
        xlsx = operator_client.get(reverse("tickets_room:metrics-export"), {**params})
        days = operator_client.get(
            reverse("tickets_room:metrics-export"), {**params, "format": "csv", "table": "days"}
        )
        wrong = operator_client.get(
            reverse("tickets_room:metrics-export"), {**params, "format": "pdf"}
        )
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="incident-metrics-2026-05-20-2026-05-22.xlsx"' in xlsx["Content-Disposition"]
    assert load_workbook(io.BytesIO(xlsx.content)).worksheets[0]["B2"].value == 4
    assert days["Content-Type"].startswith("text/csv")
    assert "-days.csv" in days["Content-Disposition"]
    assert wrong.status_code == 404
