"""How figures add up: first over agencies within a day, then over the days of a period.

Each indicator says how (sum, average, maximum, latest) for each step. Without an agency
filter the daily figures come from the rollup (`IndicatorDayTotal`), one row per indicator
and day; with one, from the reported values of those agencies. Only submitted and approved
reports count.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

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


def _from_rollup(indicators, start, end) -> DailyFigures:
    by_id = {indicator.pk: indicator for indicator in indicators}
    figures: DailyFigures = defaultdict(dict)
    rows = IndicatorDayTotal.objects.filter(
        indicator_id__in=by_id, day__gte=start, day__lte=end
    ).values_list("indicator_id", "day", "total", "maximum", "latest", "reporting")
    for indicator_id, day, total, maximum, latest, reporting in rows:
        method = by_id[indicator_id].agency_aggregation
        if method == Aggregation.SUM:
            figures[indicator_id][day] = total
        elif method == Aggregation.AVERAGE:
            figures[indicator_id][day] = total / reporting
        elif method == Aggregation.MAXIMUM:
            figures[indicator_id][day] = maximum
        else:
            figures[indicator_id][day] = latest
    return figures


def reported_values(
    indicator_ids: Iterable[int], start, end, agency_ids: Iterable[int] | None = None
):
    """The counted figures of these agencies (or all), oldest save first."""
    values = ReportValue.objects.filter(
        indicator_id__in=list(indicator_ids),
        day__gte=start,
        day__lte=end,
        report__status__in=COUNTED_STATUSES,
        value__isnull=False,
    )
    if agency_ids is not None:
        values = values.filter(agency_id__in=list(agency_ids))
    return values.order_by("updated_at", "pk").values_list(
        "indicator_id", "day", "agency_id", "value"
    )


def _from_values(indicators, start, end, agency_ids) -> DailyFigures:
    by_id = {indicator.pk: indicator for indicator in indicators}
    grouped: dict[int, dict[datetime.date, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    for indicator_id, day, _agency_id, value in reported_values(by_id, start, end, agency_ids):
        grouped[indicator_id][day].append(value)
    return {
        indicator_id: {
            day: combine(values, by_id[indicator_id].agency_aggregation)
            for day, values in days.items()
        }
        for indicator_id, days in grouped.items()
    }


def daily_figures(
    indicators: list[Indicator],
    start: datetime.date,
    end: datetime.date,
    agency_ids: list[int] | None = None,
) -> DailyFigures:
    """{indicator id: {day: the day's figure over the chosen agencies (or all)}}."""
    if agency_ids:
        return _from_values(indicators, start, end, agency_ids)
    return _from_rollup(indicators, start, end)


def over_period(indicator: Indicator, by_day: dict[datetime.date, Decimal]) -> Decimal | None:
    """One figure for the whole period, by the indicator's aggregation over days."""
    return combine([by_day[day] for day in sorted(by_day)], indicator.day_aggregation)


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
