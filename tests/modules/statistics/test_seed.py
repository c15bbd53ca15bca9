"""`manage.py seed_statistics`: a consistent, repeatable season on a small grid."""

import io
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from modules.agencies.models import Season
from modules.statistics import periods
from modules.statistics.aggregation import combine
from modules.statistics.management.figures import SeasonShape
from modules.statistics.models import (
    COUNTED_STATUSES,
    Aggregation,
    DailyReport,
    Indicator,
    IndicatorDayTotal,
    IndicatorSet,
    ReportStatus,
    ReportValue,
    ValidationRule,
    ValueChange,
)

pytestmark = pytest.mark.django_db
SMALL = ["--agencies", "3", "--indicators", "5", "--days", "10"]


def seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_statistics", *SMALL, *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = [DailyReport, ReportValue, ValueChange, IndicatorDayTotal, Indicator, IndicatorSet]
    return {model.__name__: model.objects.count() for model in models}


def figures() -> list[tuple]:
    return sorted(
        ReportValue.objects.values_list(
            "agency__code", "indicator__code", "day", "value", "report__status"
        )
    )


def test_a_small_run_is_consistent(season):
    output = seed()

    assert "Seeded season 1447 AH" in output
    forms = list(IndicatorSet.objects.filter(code__startswith="seed-"))
    assert len(forms) == 2
    assert Indicator.objects.filter(code__startswith="seed-").count() == 5
    days = sorted(set(DailyReport.objects.values_list("day", flat=True)))
    assert len(days) == 10
    assert season.starts_on <= days[0] and days[-1] <= season.ends_on
    for indicator in Indicator.objects.all():
        assert indicator.name_ar and indicator.name_en and indicator.name_ar != indicator.name_en

    reports = list(DailyReport.objects.select_related("indicator_set"))
    grid = 3 * len(forms) * 10
    assert 0 < grid - len(reports) <= grid * 0.1, "about 5% of the reports are missing"
    late = [report for report in reports if report.is_late]
    assert late
    for report in late:
        assert report.submitted_at > periods.deadline(report.indicator_set, report.day)
        assert report.submitted_at < periods.locks_at(report.indicator_set, report.day)
    statuses = {report.status for report in reports}
    assert statuses == set(ReportStatus.values)
    assert ValueChange.objects.exists()


def test_the_rollup_equals_aggregating_the_counted_values(season):
    seed()

    expected = defaultdict(list)
    counted = (
        ReportValue.objects.filter(report__status__in=COUNTED_STATUSES, value__isnull=False)
        .order_by("updated_at", "pk")
        .values_list("indicator_id", "day", "value")
    )
    for indicator_id, day, value in counted:
        expected[(indicator_id, day)].append(value)
    totals = {
        (row.indicator_id, row.day): (row.total, row.maximum, row.latest, row.reporting)
        for row in IndicatorDayTotal.objects.all()
    }
    assert totals.keys() == expected.keys()
    for key, values in expected.items():
        assert totals[key] == (
            combine(values, Aggregation.SUM),
            combine(values, Aggregation.MAXIMUM),
            combine(values, Aggregation.LATEST),
            len(values),
        )


def test_the_figures_follow_the_rules_and_spike_over_hajj(season):
    seed()

    for rule in ValidationRule.objects.select_related("left", "right"):
        assert rule.left.code == "seed-hospital-discharges"
        pairs = defaultdict(dict)
        for report_id, indicator_id, value in ReportValue.objects.filter(
            indicator__in=[rule.left, rule.right]
        ).values_list("report_id", "indicator_id", "value"):
            pairs[report_id][indicator_id] = value
        for pair in pairs.values():
            if len(pair) == 2:
                assert pair[rule.left_id] <= pair[rule.right_id]

    shape = SeasonShape.for_year(season.hijri_year, season.starts_on)
    admissions = Indicator.objects.get(code="seed-hospital-admissions")
    daily = dict(IndicatorDayTotal.objects.filter(indicator=admissions).values_list("day", "total"))
    hajj = [total for day, total in daily.items() if shape.is_hajj(day)]
    before = [total for day, total in daily.items() if day < shape.hajj_first]
    assert hajj and before
    assert sum(hajj) / len(hajj) > Decimal("1.5") * sum(before) / len(before)


def test_reset_runs_again_with_the_same_data(season):
    seed()
    first, first_figures = counts(), figures()

    with pytest.raises(CommandError, match="--reset"):
        seed()
    output = seed("--reset")

    assert "Removed the seeded statistics" in output
    assert counts() == first
    assert figures() == first_figures
    assert seed("--reset", "--seed", "7") and figures() != first_figures


def test_without_an_active_season_one_is_made_around_the_last_hajj(db):
    seed()

    season = Season.objects.get(is_active=True)
    shape = SeasonShape.for_year(season.hijri_year, season.starts_on)
    days = sorted(set(DailyReport.objects.values_list("day", flat=True)))
    assert season.starts_on <= days[0] <= shape.hajj_first <= days[-1] <= season.ends_on
    assert shape.hajj_first <= timezone.localdate()
