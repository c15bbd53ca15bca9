"""How figures add up: first over agencies within a day, then over the days of a period.

Each indicator says how (sum, average, maximum, latest) for each step. Without an agency
filter the daily figures come from the rollup (`IndicatorDayTotal`), one row per indicator
and day; with one, from the reported values of those agencies. Only submitted and approved
reports count.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Sum

from .models import COUNTED_STATUSES, Aggregation, Indicator, IndicatorDayTotal, ReportValue

DailyFigures = dict[int, dict[datetime.date, Decimal]]


def combine(values: list[Decimal], method: str) -> Decimal | None:
    """`values` in time (or save) order; None when there is nothing to combine."""
    if not values:
        return None
    if method == Aggregation.SUM:
        return sum(values, Decimal(0))
    if method == Aggregation.AVERAGE:
        return sum(values, Decimal(0)) / len(values)
    if method == Aggregation.MAXIMUM:
        return max(values)
    return values[-1]


@dataclass(frozen=True)
class DayTotals:
    """One indicator's counted figures on one day, over the chosen agencies."""

    total: Decimal
    maximum: Decimal
    latest: Decimal | None
    reporting: int

    def figure(self, method: str) -> Decimal | None:
        """The day's figure by the indicator's aggregation over agencies."""
        if method == Aggregation.SUM:
            return self.total
        if method == Aggregation.AVERAGE:
            return self.total / self.reporting
        if method == Aggregation.MAXIMUM:
            return self.maximum
        return self.latest


def counted_values(indicator_ids: Iterable[int], start, end, agency_ids=None):
    """Figures of submitted and approved reports only; drafts and returns don't count."""
    values = ReportValue.objects.filter(
        indicator_id__in=list(indicator_ids),
        day__gte=start,
        day__lte=end,
        report__status__in=COUNTED_STATUSES,
        value__isnull=False,
    )
    if agency_ids is not None:
        values = values.filter(agency_id__in=list(agency_ids))
    return values


def _from_rollup(indicator_ids, start, end):
    rows = IndicatorDayTotal.objects.filter(
        indicator_id__in=indicator_ids, day__gte=start, day__lte=end
    ).values_list("indicator_id", "day", "total", "maximum", "latest", "reporting")
    return [(indicator_id, day, DayTotals(*totals)) for indicator_id, day, *totals in rows]


def _from_values(indicators, start, end, agency_ids):
    """Grouped in the database; the latest figure is read only for the indicators that
    aggregate over agencies by "latest" (one more query when there are any)."""
    values = counted_values([indicator.pk for indicator in indicators], start, end, agency_ids)
    latest_ids = [i.pk for i in indicators if i.agency_aggregation == Aggregation.LATEST]
    latest = {}
    if latest_ids:
        rows = (
            values.filter(indicator_id__in=latest_ids)
            .order_by("updated_at", "pk")
            .values_list("indicator_id", "day", "value")
        )
        latest = {(indicator_id, day): value for indicator_id, day, value in rows}
    grouped = (
        values.order_by()
        .values("indicator_id", "day")
        .annotate(total=Sum("value"), maximum=Max("value"), reporting=Count("value"))
        .values_list("indicator_id", "day", "total", "maximum", "reporting")
    )
    return [
        (indicator_id, day, DayTotals(total, maximum, latest.get((indicator_id, day)), reporting))
        for indicator_id, day, total, maximum, reporting in grouped
    ]


def day_totals(
    indicators: list[Indicator],
    start: datetime.date,
    end: datetime.date,
    agency_ids: list[int] | None = None,
) -> dict[int, dict[datetime.date, DayTotals]]:
    """{indicator id: {day: DayTotals}} over the chosen agencies, or all of them (from the
    rollup). Two queries at most, whatever the number of indicators, agencies and days."""
    if agency_ids is not None:
        rows = _from_values(indicators, start, end, agency_ids)
    else:
        rows = _from_rollup([indicator.pk for indicator in indicators], start, end)
    totals: dict[int, dict[datetime.date, DayTotals]] = defaultdict(dict)
    for indicator_id, day, day_total in rows:
        totals[indicator_id][day] = day_total
    return totals


def daily_figures(
    indicators: list[Indicator],
    start: datetime.date,
    end: datetime.date,
    agency_ids: list[int] | None = None,
) -> DailyFigures:
    """{indicator id: {day: the day's figure over the chosen agencies (or all)}}."""
    methods = {indicator.pk: indicator.agency_aggregation for indicator in indicators}
    return {
        indicator_id: {day: totals.figure(methods[indicator_id]) for day, totals in days.items()}
        for indicator_id, days in day_totals(indicators, start, end, agency_ids).items()
    }


def over_period(indicator: Indicator, by_day: dict[datetime.date, Decimal]) -> Decimal | None:
    """One figure for the whole period, by the indicator's aggregation over days."""
    return combine([by_day[day] for day in sorted(by_day)], indicator.day_aggregation)


def reported_values(
    indicator_ids: Iterable[int], start, end, agency_ids: Iterable[int] | None = None
):
    """The counted figures of these agencies (or all), oldest save first."""
    return (
        counted_values(indicator_ids, start, end, agency_ids)
        .order_by("updated_at", "pk")
        .values_list("indicator_id", "day", "agency_id", "value")
    )


def per_agency(
    indicator: Indicator, start, end, agency_ids: list[int] | None = None
) -> dict[int, dict[datetime.date, Decimal]]:
    """One indicator's figures by agency and day (for the breakdown and the drill-down)."""
    figures: dict[int, dict[datetime.date, Decimal]] = defaultdict(dict)
    for _indicator_id, day, agency_id, value in reported_values(
        [indicator.pk], start, end, agency_ids
    ):
        figures[agency_id][day] = value
    return figures
