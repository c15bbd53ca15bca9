"""Reviewing daily reports in the Wagtail admin: the list, a report's page, returning it to
the agency, approving it, and flagging figures for follow-up."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from modules.accounts.roles import Role
from modules.statistics.models import IndicatorDayTotal, ReportStatus, ReportValue
from modules.statistics.services import EntryClosed, report_save
from tests.support.fixtures import make_agency, make_user
from tests.support.statistics import make_indicator, make_set, reporter, save_day

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 5, 10)
REPORTS = "/admin/statistics/reports/"


@pytest.fixture
def buses(db):
    return make_indicator("buses", unit_ar="حافلة", unit_en="buses")


@pytest.fixture
def form(buses, agency_a, agency_b):
    return make_set(
        indicators=[buses, make_indicator("trips")],
        agencies=[agency_a, agency_b],
        sections={0: ("النقل", "Transport")},
    )


@pytest.fixture
def submitted(season, form, agency_a):
    """Agency A's day: a week of about 10 buses, then 60 on DAY, explained in a comment."""
    for offset in range(5, 0, -1):
        save_day(
            None,
            agency_a,
            form,
            DAY - datetime.timedelta(days=offset),
            {"buses": "10", "trips": "120"},
        )
    return save_day(
        None,
        agency_a,
        form,
        DAY,
        {"buses": "60", "trips": "120"},
        comments={"buses": "حافلات إضافية ليوم التروية"},
    ).report


def _page(report) -> str:
    return reverse("statistics_reports:inspect", args=[report.pk])


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def reviewer_client(client, settings):
    settings.MFA_REQUIRED_FOR_COMMITTEE = False

    def sign_in(role: Role):
        client.force_login(make_user(f"{role.value}@example.org", role))
        return client

    return sign_in


# --- The list -----------------------------------------------------------------------------


def test_the_list_shows_reports_awaiting_review_unless_asked_otherwise(
    admin_client, season, form, agency_a, agency_b
):
    waiting = save_day(None, agency_a, form, DAY, {"buses": "5", "trips": "9"}).report
    draft = save_day(None, agency_b, form, DAY, {"buses": "5"}, submit=False).report
    other_day = save_day(
        None, agency_b, form, DAY - datetime.timedelta(days=1), {"buses": "4", "trips": "8"}
    )

    def listed(**query):
        response = admin_client.get(REPORTS, query)
        assert response.status_code == 200
        return {report.pk for report in response.context["object_list"]}

    assert listed() == {waiting.pk, other_day.report.pk}
    assert listed(status="all") == {waiting.pk, draft.pk, other_day.report.pk}
    assert listed(status="draft") == {draft.pk}
    assert listed(status="all", agency=agency_b.pk) == {draft.pk, other_day.report.pk}
    assert listed(status="all", day=DAY.isoformat()) == {waiting.pk, draft.pk}
    assert listed(indicator_set=form.pk) == {waiting.pk, other_day.report.pk}


def test_the_list_takes_the_same_queries_for_few_or_many_reports(admin_client, season, form):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(REPORTS, {"status": "all"}).status_code == 200
        return len(captured)

    def add_reports(start: int, count: int):
        for number in range(start, start + count):
            agency = make_agency(f"agency-{number}")
            form.agencies.add(agency)
            form.save()  # a cluster's many-to-many is written on save
            save_day(None, agency, form, DAY, {"buses": "3", "trips": "4"})

    add_reports(0, 2)
    queries()  # the first request also fills per-process caches
    few = queries()
    add_reports(2, 10)
    assert queries() == few


# --- A report's page ----------------------------------------------------------------------


def test_the_report_page_shows_values_sections_comments_warnings_and_history(
    admin_client, submitted, agency_a, form
):
    save_day(
        None,
        agency_a,
        form,
        DAY,
        {"buses": "62"},
        comments={"buses": "حافلات إضافية ليوم التروية"},
    )
    response = admin_client.get(_page(submitted))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Transport" in text
    assert "62 buses" in text
    assert "حافلات إضافية ليوم التروية" in text
    [(title, rows), *_others] = response.context["sections"]
    assert title == "Transport"
    by_code = {row.indicator.code: row for row in rows}
    assert by_code["buses"].warnings, "60 buses against a week of 10 raises a warning"
    assert not by_code["trips"].warnings
    assert [(line.old, line.new) for line in by_code["buses"].history] == [("60", "62"), ("", "60")]
    assert "60 → 62" in text
    assert "stats-values__row--warning" in text


def test_the_report_page_takes_the_same_queries_for_few_or_many_indicators(
    admin_client, season, agency_a
):
    def queries(count: int) -> int:
        indicators = [make_indicator(f"figure-{count}-{n}") for n in range(count)]
        form = make_set(f"form-{count}", indicators=indicators, agencies=[agency_a])
        values = {indicator.code: str(n) for n, indicator in enumerate(indicators)}
        save_day(None, agency_a, form, DAY, values, submit=False)
        report = save_day(None, agency_a, form, DAY, values | {indicators[0].code: "1"}).report
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(_page(report)).status_code == 200
        return len(captured)

    queries(2)  # the first request also fills per-process caches
    assert queries(3) == queries(20)


def test_a_report_of_an_unknown_id_is_not_found(admin_client, db):
    assert admin_client.get(reverse("statistics_reports:inspect", args=[999])).status_code == 404


# --- Return and approve -------------------------------------------------------------------


def test_returning_takes_the_figures_off_the_dashboard_and_reopens_the_day(
    admin_client, submitted, agency_a, form, buses
):
    assert IndicatorDayTotal.objects.get(indicator=buses, day=DAY).total == 60
    with pytest.raises(EntryClosed):
        report_save(
            actor=reporter(agency_a), agency=agency_a, indicator_set=form, day=DAY, values={}
        )

    url = reverse("statistics_reports:return", args=[submitted.pk])
    response = admin_client.post(url, {"comment": "  عدد الحافلات   يبدو مرتفعًا "})
    assert response.status_code == 302 and response["Location"] == _page(submitted)
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.RETURNED
    assert submitted.review_comment == "عدد الحافلات يبدو مرتفعًا"
    assert not IndicatorDayTotal.objects.filter(indicator=buses, day=DAY).exists()

    result = report_save(
        actor=reporter(agency_a),
        agency=agency_a,
        indicator_set=form,
        day=DAY,
        values={"buses": "12"},
        comments={"buses": ""},
        submit=True,
    )
    assert result.report.status == ReportStatus.SUBMITTED
    assert IndicatorDayTotal.objects.get(indicator=buses, day=DAY).total == 12


def test_returning_needs_a_comment(admin_client, submitted):
    url = reverse("statistics_reports:return", args=[submitted.pk])
    response = admin_client.post(url, {"comment": "   "})
    assert response.status_code == 302
    assert "Say what the agency should correct." in _messages(response)
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED


def test_approving_locks_the_report(admin_client, submitted, agency_a, form):
    response = admin_client.post(reverse("statistics_reports:approve", args=[submitted.pk]))
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.APPROVED
    assert submitted.reviewed_by.email == "admin@example.org"
    with pytest.raises(EntryClosed):
        report_save(
            actor=reporter(agency_a),
            agency=agency_a,
            indicator_set=form,
            day=DAY,
            values={"buses": "1"},
            now=submitted.submitted_at,
        )

    response = admin_client.post(reverse("statistics_reports:approve", args=[submitted.pk]))
    assert "Only a submitted report can be approved." in _messages(response)
    text = admin_client.get(_page(submitted)).content.decode()
    assert reverse("statistics_reports:approve", args=[submitted.pk]) not in text


def test_a_draft_can_be_neither_returned_nor_approved(admin_client, season, form, agency_a):
    draft = save_day(None, agency_a, form, DAY, {"buses": "5"}, submit=False).report
    admin_client.post(reverse("statistics_reports:approve", args=[draft.pk]))
    admin_client.post(reverse("statistics_reports:return", args=[draft.pk]), {"comment": "x"})
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT


def test_a_figure_is_flagged_and_cleared_for_follow_up(admin_client, submitted):
    value = ReportValue.objects.get(report=submitted, indicator__code="buses")
    url = reverse("statistics_reports:follow_up", args=[submitted.pk, value.pk])
    assert admin_client.post(url, {"follow_up": "1"}).status_code == 302
    value.refresh_from_db()
    assert value.follow_up
    assert 'aria-pressed="true"' in admin_client.get(_page(submitted)).content.decode()
    admin_client.post(url, {"follow_up": "0"})
    value.refresh_from_db()
    assert not value.follow_up


def test_a_figure_of_another_report_is_not_found(admin_client, submitted, agency_b, form):
    theirs = save_day(None, agency_b, form, DAY, {"buses": "5", "trips": "9"}).report
    value = ReportValue.objects.get(report=theirs, indicator__code="buses")
    url = reverse("statistics_reports:follow_up", args=[submitted.pk, value.pk])
    assert admin_client.post(url, {"follow_up": "1"}).status_code == 404


def test_actions_are_post_only(admin_client, submitted):
    for name in ("return", "approve"):
        assert (
            admin_client.get(reverse(f"statistics_reports:{name}", args=[submitted.pk])).status_code
            == 405
        )


# --- Who may ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.EDITOR])
def test_operators_and_editors_cannot_return_approve_or_flag(reviewer_client, submitted, role):
    client = reviewer_client(role)
    value = ReportValue.objects.get(report=submitted, indicator__code="buses")
    for url, data in (
        (reverse("statistics_reports:return", args=[submitted.pk]), {"comment": "صحح"}),
        (reverse("statistics_reports:approve", args=[submitted.pk]), {}),
        (
            reverse("statistics_reports:follow_up", args=[submitted.pk, value.pk]),
            {"follow_up": "1"},
        ),
    ):
        response = client.post(url, data)
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    submitted.refresh_from_db()
    value.refresh_from_db()
    assert (submitted.status, value.follow_up) == (ReportStatus.SUBMITTED, False)


def test_an_operator_may_read_a_report_without_the_actions(reviewer_client, submitted):
    client = reviewer_client(Role.OPERATOR)
    response = client.get(_page(submitted))
    assert response.status_code == 200
    text = response.content.decode()
    assert reverse("statistics_reports:approve", args=[submitted.pk]) not in text
    assert reverse("statistics_reports:return", args=[submitted.pk]) not in text


def test_a_reviewer_returns_and_approves(reviewer_client, submitted):
    client = reviewer_client(Role.REVIEWER)
    client.post(reverse("statistics_reports:approve", args=[submitted.pk]))
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.APPROVED
    client.post(reverse("statistics_reports:return", args=[submitted.pk]), {"comment": "صحح"})
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.RETURNED


def test_agency_people_are_refused_at_the_admin(client, submitted, manager_a, staff_a):
    for person in (manager_a, staff_a):
        client.force_login(person)
        for url in (REPORTS, _page(submitted)):
            assert client.get(url).status_code == 403
        response = client.post(reverse("statistics_reports:approve", args=[submitted.pk]))
        assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED
