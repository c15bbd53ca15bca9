"""Template tags of the public indicators page (IndicatorsPage) and the home page's link to
it: figures in the reader's language, what a season figure means, the chart's data."""

import datetime
from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from cms.base.templatetags.public_tags import Sections
from modules.core.hijri import HIJRI_MONTHS, format_dual, to_hijri
from modules.statistics.models import Aggregation, Indicator
from modules.statistics.public_indicators import PublicFigure

from ..models import IndicatorsPage

register = template.Library()

# What the figure over the season is, by how the indicator adds up over days.
SEASON_LABELS = {
    Aggregation.SUM: _("Season total so far"),
    Aggregation.AVERAGE: _("Daily average this season"),
    Aggregation.MAXIMUM: _("Highest day this season"),
    Aggregation.LATEST: _("Latest figure"),
}


@register.filter
def indicators_page(sections: Sections) -> IndicatorsPage | None:
    """{{ sections|indicators_page }}: the home's live indicators page, found in the
    sections base.html already read (no query)."""
    return sections.first_of(IndicatorsPage) if isinstance(sections, Sections) else None


@register.filter
def figure(value: Decimal | None, indicator: Indicator) -> str:
    """{{ value|figure:indicator }}: grouped, in the indicator's decimals and the active
    language's number format."""
    if value is None:
        return ""
    return number_format(value, indicator.decimal_places, force_grouping=True)


@register.filter
def season_label(indicator: Indicator) -> str:
    return SEASON_LABELS.get(indicator.day_aggregation, SEASON_LABELS[Aggregation.SUM])


def _short_hijri(day: datetime.date) -> str:
    hijri = to_hijri(day)
    return f"{hijri.day} {HIJRI_MONTHS[hijri.month - 1]}"


@register.simple_tag
def chart_series(public_figure: PublicFigure) -> dict:
    """{% chart_series figure as series %}{{ series|json_script:… }}: the daily series as
    static/js/statistics-public.js draws it, labels already in the page's language."""
    return {
        "decimals": public_figure.indicator.decimal_places,
        "unit": public_figure.indicator.unit,
        "points": [
            {
                "day": day.isoformat(),
                "label": _short_hijri(day),
                "title": format_dual(day),
                "value": round(float(value), 2),
            }
            for day, value in public_figure.series
        ],
    }
