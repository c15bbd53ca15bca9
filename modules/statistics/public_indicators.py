"""The public figures: indicators the committee marked public, for the home page's indicator
area and the public indicators page. Read from the rollup, so they cost a few queries."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Subquery
from django.utils import timezone
from django.utils.formats import number_format

from cms.home.indicators import PublicIndicator, register
from modules.agencies.models import Season

from .aggregation import daily_figures, over_period
from .models import Indicator

HOME_INDICATOR_COUNT = 4


@dataclass(frozen=True)
class PublicFigure:
    indicator: Indicator
    period_value: Decimal | None
    latest_day: datetime.date | None
    latest_value: Decimal | None
    series: list[tuple[datetime.date, Decimal]]


def public_figures(limit: int | None = None) -> list[PublicFigure]:
    """The active season's public indicators: the figure over the season so far, the latest
    day's figure and the daily series. Empty when there is no active season."""
    active = Season.objects.active()
    # The season's dates come with the indicators: one query fewer on every public page.
    indicators = list(
        Indicator.objects.filter(is_public=True, is_active=True)
        .annotate(
            season_starts_on=Subquery(active.values("starts_on")[:1]),
            season_ends_on=Subquery(active.values("ends_on")[:1]),
        )
        .select_related("category")
        .order_by("category__sort_order", "code")[:limit]
    )
    if not indicators or indicators[0].season_starts_on is None:
        return []
    start = indicators[0].season_starts_on
    end = min(indicators[0].season_ends_on, timezone.localdate())
    figures = daily_figures(indicators, start, end)
    result = []
    for indicator in indicators:
        by_day = figures.get(indicator.pk, {})
        series = sorted(by_day.items())
        result.append(
            PublicFigure(
                indicator=indicator,
                period_value=over_period(indicator, by_day),
                latest_day=series[-1][0] if series else None,
                latest_value=series[-1][1] if series else None,
                series=series,
            )
        )
    return [figure for figure in result if figure.period_value is not None]


@register
def home_indicators(request) -> list[PublicIndicator]:
    return [
        PublicIndicator(
            label=figure.indicator.name,
            value=number_format(
                figure.period_value, figure.indicator.decimal_places, force_grouping=True
            ),
            unit=figure.indicator.unit,
        )
        for figure in public_figures(limit=HOME_INDICATOR_COUNT)
    ]
