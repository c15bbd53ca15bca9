"""`load_demo`'s daily statistics: two forms and the last two weeks of the demo agencies."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from modules.agencies.models import Agency, Season
from modules.core.demo.records import Tally
from modules.core.demo.statistics import load_statistics
from modules.statistics.models import (
    COUNTED_STATUSES,
    DailyReport,
    Indicator,
    IndicatorDayTotal,
    IndicatorSet,
    ReportStatus,
    ReportValue,
)

pytestmark = pytest.mark.django_db
WRITES = ("INSERT", "UPDATE", "DELETE")


def load_demo():
    call_command("load_demo", "--force", stdout=io.StringIO())


def test_two_bilingual_forms_with_a_few_public_indicators():
    load_demo()

    forms = list(IndicatorSet.objects.prefetch_related("items", "rules", "agencies"))
    assert {form.code for form in forms} == {"daily-health", "daily-field"}
    indicators = list(Indicator.objects.all())
    assert 12 <= len(indicators) <= 20
    for indicator in indicators:
        assert indicator.name_ar and indicator.name_en and indicator.name_ar != indicator.name_en
    assert 3 <= sum(indicator.is_public for indicator in indicators) < len(indicators)
    for form in forms:
        assert form.rules.exists()
        assert form.items.filter(section_ar__gt="").count() >= 2, "the form has sections"
        assert "red-crescent" in {agency.code for agency in form.agencies.all()}


def test_the_last_two_weeks_of_figures_with_some_missing_and_late():
    load_demo()
    season = Season.objects.get(is_active=True)
    reports = list(DailyReport.objects.select_related("indicator_set"))
    days = sorted({report.day for report in reports})
    last = min(season.ends_on, timezone.localdate() - datetime.timedelta(days=1))

    assert days[-1] == last
    assert len(days) == 14
    expected = sum(form.agencies.count() for form in IndicatorSet.objects.all()) * len(days)
    assert 0.8 * expected < len(reports) < expected, "a few reports are missing"
    assert any(report.is_late for report in reports)
    assert {report.status for report in reports} >= {ReportStatus.SUBMITTED, ReportStatus.DRAFT}

    totals = {
        (row.indicator_id, row.day): (row.total, row.reporting)
        for row in IndicatorDayTotal.objects.all()
    }
    counted = {}
    for indicator_id, day, value in ReportValue.objects.filter(
        report__status__in=COUNTED_STATUSES
    ).values_list("indicator_id", "day", "value"):
        total, reporting = counted.get((indicator_id, day), (0, 0))
        counted[(indicator_id, day)] = (total + value, reporting + 1)
    assert totals == counted


def test_a_second_pass_reads_a_few_queries_and_writes_nothing():
    load_demo()
    agencies = {agency.code: agency for agency in Agency.objects.all()}
    season = Season.objects.get(is_active=True)
    tallies = {}

    with CaptureQueriesContext(connection) as queries:
        load_statistics(
            season=season, agencies=agencies, tally=lambda label: tallies.setdefault(label, Tally())
        )

    writes = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().startswith(WRITES)]
    assert writes == []
    assert not any(tally.wrote for tally in tallies.values())
    assert tallies["daily reports"].unchanged == DailyReport.objects.count()
    assert len(queries.captured_queries) < 20
