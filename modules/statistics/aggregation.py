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

from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FloatField,
    Max,
    Sum,
    When,
)
from django.db.models.functions import Cast

from .models import COUNTED_STATUSES, Aggregation, Indicator, IndicatorDayTotal, ReportValue

DailyFigures = dict[int, dict[datetime.date, float]]


Number = float | Decimal


def combine(values: list[Number], method: str) -> Number | None:
    """`values` in time (or save) order; None when there is nothing to combine."""
    if not values:
        return None
    if method == Aggregation.SUM:
        return sum(values)
    if method == Aggregation.AVERAGE:
        return sum(values) / len(values)
    if method == Aggregation.MAXIMUM:
        return max(values)
    return values[-1]


def _float(value) -> float | None:
    return None if value is None else float(value)


def over_agencies(method: str, total, maximum, latest, reporting: int) -> Decimal | None:
    """The day's figure by the indicator's aggregation over agencies."""
    if method == Aggregation.SUM:
        return total
    if method == Aggregation.AVERAGE:
        return total / reporting
    if method == Aggregation.MAXIMUM:
        return maximum
    return latest


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


# The rollup row's figure, chosen in the database by the indicator's aggregation over agencies:
# one float per row to read instead of four decimals (a season is 13,500 rows).
_ROLLUP_FIGURE = Cast(
    Case(
        When(indicator__agency_aggregation=Aggregation.SUM, then=F("total")),
        When(
            indicator__agency_aggregation=Aggregation.AVERAGE,
            then=ExpressionWrapper(F("total") / F("reporting"), output_field=DecimalField()),
        ),
        When(indicator__agency_aggregation=Aggregation.MAXIMUM, then=F("maximum")),
        default=F("latest"),
        output_field=DecimalField(max_digits=20, decimal_places=4),
    ),
    FloatField(),
)


def _from_rollup(indicator_ids, start, end):
    return IndicatorDayTotal.objects.filter(
        indicator_id__in=indicator_ids, day__gte=start, day__lte=end
    ).values_list("indicator_id", "day", _ROLLUP_FIGURE, "reporting")


def _from_values(indicators, start, end, agency_ids):
    """Grouped in the database; the latest figure is read only for the indicators that
    aggregate over agencies by "latest" (one more query when there are any)."""
    methods = {indicator.pk: indicator.agency_aggregation for indicator in indicators}
    values = counted_values(methods, start, end, agency_ids)
    latest_ids = [pk for pk, method in methods.items() if method == Aggregation.LATEST]
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
        (
            indicator_id,
            day,
            _float(
                over_agencies(
                    methods[indicator_id], total, maximum, latest.get((indicator_id, day)), n
                )
            ),
            n,
        )
        for indicator_id, day, total, maximum, n in grouped
    ]


def day_figures(
    indicators: list[Indicator],
    start: datetime.date,
    end: datetime.date,
    agency_ids: list[int] | None = None,
) -> tuple[DailyFigures, dict[int, dict[datetime.date, int]]]:
    """Each indicator's figure per day over the chosen agencies (or all of them, from the
    rollup), and how many agencies reported it: ({id: {day: figure}}, {id: {day: count}}).

    Figures read for adding up and showing are floats: stored figures have at most four
    decimals, far inside a float's precision, and a season's 13,500 rollup rows convert
    several times faster. Two queries at most, whatever the number of indicators, agencies
    and days.
    """
    if agency_ids is not None:
        rows = _from_values(indicators, start, end, agency_ids)
    else:
        rows = _from_rollup([indicator.pk for indicator in indicators], start, end)
    figures: DailyFigures = defaultdict(dict)
    counts: dict[int, dict[datetime.date, int]] = defaultdict(dict)
    for indicator_id, day, value, reporting in rows:
        figures[indicator_id][day] = value
        counts[indicator_id][day] = reporting
    return figures, counts


def daily_figures(
    indicators: list[Indicator],
    start: datetime.date,
    end: datetime.date,
    agency_ids: list[int] | None = None,
) -> DailyFigures:
    """{indicator id: {day: the day's figure over the chosen agencies (or all)}}."""
    return day_figures(indicators, start, end, agency_ids)[0]


def over_period(indicator: Indicator, by_day: dict[datetime.date, Number]) -> Number | None:
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
