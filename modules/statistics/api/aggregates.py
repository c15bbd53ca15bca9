"""The figures behind GET statistics/aggregates/, built on `aggregation`: per indicator and
day, or per indicator and agency, each with the indicator's figure over the whole period.

One query for the figures whatever the number of indicators, days and agencies: the rollup
(every agency) or the reported values (chosen agencies) by day, and the reported values for
the breakdown by agency.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from ..aggregation import combine, daily_figures, over_period, reported_values
from ..models import Indicator
from .serializers import figure_text


def _heading(indicator: Indicator, by_day: dict[datetime.date, Decimal]) -> dict:
    return {
        "indicator": indicator.code,
        "name_ar": indicator.name_ar,
        "name_en": indicator.name_en,
        "value": figure_text(over_period(indicator, by_day), indicator),
    }


def per_day(
    indicators: list[Indicator],
    start: datetime.date,
    end: datetime.date,
    agency_ids: list[int] | None,
) -> list[dict]:
    figures = daily_figures(indicators, start, end, agency_ids)
    results = []
    for indicator in indicators:
        by_day = figures.get(indicator.pk, {})
        results.append(
            {
                **_heading(indicator, by_day),
                "days": [
                    {"day": day, "value": figure_text(value, indicator)}
                    for day, value in sorted(by_day.items())
                ],
            }
        )
    return results


def per_agency(
    indicators: list[Indicator],
    start: datetime.date,
    end: datetime.date,
    agency_ids: list[int] | None,
) -> list[dict]:
    """Each agency's figure over the period; the indicator's own figure combines the
    agencies day by day first, as `aggregation.daily_figures` does."""
    by_id = {indicator.pk: indicator for indicator in indicators}
    by_agency: dict[int, dict[int, dict[datetime.date, Decimal]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    by_day: dict[int, dict[datetime.date, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    for indicator_id, day, agency_id, value in reported_values(by_id, start, end, agency_ids):
        by_agency[indicator_id][agency_id][day] = value
        by_day[indicator_id][day].append(value)
    results = []
    for indicator in indicators:
        days = {
            day: combine(values, indicator.agency_aggregation)
            for day, values in by_day[indicator.pk].items()
        }
        agencies = by_agency[indicator.pk]
        results.append(
            {
                **_heading(indicator, days),
                "agencies": [
                    {
                        "agency": agency_id,
                        "value": figure_text(
                            over_period(indicator, agencies[agency_id]), indicator
                        ),
                    }
                    for agency_id in sorted(agencies)
                ],
            }
        )
    return results
