"""The committee's indicators dashboard: what one request needs, as plain JSON-ready data.

`dashboard_data` reads a fixed number of queries, whatever the number of indicators,
agencies or days: the indicators, the daily figures (the rollup, or the reported values when
agencies are chosen), the reporting counts, the forms' items, the forms' agencies and the
reports per day. Everything else is arithmetic on those rows, so a season of 60 agencies ×
150 indicators × 90 days costs the 13,500 rollup rows and no per-value work.

`indicator_breakdown` is the drill-down: one indicator's figures per agency and day.
"""

import datetime
import functools
import operator
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from modules.agencies.models import Agency, Season
from modules.agencies.selectors import active_season
from modules.core.hijri import HIJRI_MONTHS, format_dual, format_hijri, to_hijri

from . import periods
from .aggregation import (
    daily_figures,
    day_figures,
    over_period,
    per_agency,
)
from .models import (
    COUNTED_STATUSES,
    Aggregation,
    DailyReport,
    Indicator,
    IndicatorDayTotal,
    IndicatorSet,
    IndicatorSetItem,
)

ONE_DAY = datetime.timedelta(days=1)
# Figures are stored with four decimal places; more would only be float noise.
_PLACES = 4


@dataclass(frozen=True)
class Period:
    season: Season
    start: datetime.date
    end: datetime.date
    today: datetime.date

    @property
    def days(self) -> list[datetime.date]:
        return [self.start + ONE_DAY * offset for offset in range((self.end - self.start).days + 1)]

    @property
    def is_season_to_date(self) -> bool:
        return self.start == self.season.starts_on and self.end == _season_so_far(
            self.season, self.today
        )

    @property
    def label(self) -> str:
        if not self.is_season_to_date:
            return _("Over the period")
        if self.today > self.season.ends_on:
            return _("Season total")
        return _("Season to date")


def _season_so_far(season: Season, today: datetime.date) -> datetime.date:
    """The default end of the period: today, within the season."""
    return max(season.starts_on, min(today, season.ends_on))


def dashboard_period(
    season: Season,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    *,
    today: datetime.date | None = None,
) -> Period:
    """The days shown: by default the season so far; always inside the season."""
    today = today or timezone.localdate()
    first, last = season.starts_on, season.ends_on
    end = end or _season_so_far(season, today)
    start = start or first
    start, end = (min(max(day, first), last) for day in (start, end))
    if start > end:
        start, end = end, start
    return Period(season=season, start=start, end=end, today=today)


def visible_agency_ids(user, agency_ids) -> list[int] | None:
    """The agencies whose figures `user` may read, narrowed to `agency_ids` when given.

    None means every agency (the rollup answers); a list means only those, and an empty
    list means none at all. Committee people see every agency; anyone else at most their own.
    """
    wanted = sorted({int(pk) for pk in agency_ids}) if agency_ids else None
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if user.is_committee:
        return wanted
    if user.agency_id is None or (wanted is not None and user.agency_id not in wanted):
        return []
    return [user.agency_id]


def _number(value: Decimal | None) -> float | None:
    return None if value is None else round(float(value), _PLACES)


def _series(by_day: dict[datetime.date, Decimal], days: list[datetime.date]) -> list:
    """The figures aligned with `days` (None where there is none): the one loop that runs
    indicators × days times, so it stays plain."""
    get = by_day.get
    return [None if (value := get(day)) is None else round(float(value), _PLACES) for day in days]


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def day_labels(day: datetime.date) -> dict:
    return dict(_day_labels(day, get_language() or "ar"))


@functools.lru_cache(maxsize=4096)
def _day_labels(day: datetime.date, language: str) -> tuple:
    """A day's labels never change in one language; formatting them is the slow part."""
    hijri = to_hijri(day)
    return tuple(
        {
            "date": day.isoformat(),
            "gregorian": formats.date_format(day, "DATE_FORMAT"),
            "gregorian_short": formats.date_format(day, "j F"),
            "hijri": format_hijri(day),
            "hijri_short": f"{hijri.day} {HIJRI_MONTHS[hijri.month - 1]}",
        }.items()
    )


def period_value_label(period_label: str, indicator: Indicator) -> str:
    """What the figure over the period is: a total for a flow; for a level, the days'
    average, highest or latest figure, and the label says which."""
    method = indicator.day_aggregation
    if method == Aggregation.AVERAGE:
        return _("%(period)s, average per day") % {"period": period_label}
    if method == Aggregation.MAXIMUM:
        return _("%(period)s, highest day") % {"period": period_label}
    if method == Aggregation.LATEST:
        return _("%(period)s, latest day") % {"period": period_label}
    return period_label


def _indicator_meta(indicator: Indicator) -> dict:
    return {
        "id": indicator.pk,
        "code": indicator.code,
        "name": indicator.name,
        "unit": indicator.unit,
        "category_id": indicator.category_id,
        "category": indicator.category.name,
        "decimal_places": indicator.decimal_places,
        "day_aggregation": indicator.day_aggregation,
        "agency_aggregation": indicator.agency_aggregation,
    }


def _last_due_day(deadline_time: datetime.time, now: datetime.datetime) -> datetime.date:
    """The latest day whose figures were due by `now` for a form with this deadline time."""
    probe = IndicatorSet(deadline_time=deadline_time)
    yesterday = timezone.localdate(now) - ONE_DAY
    return yesterday if periods.deadline(probe, yesterday) <= now else yesterday - ONE_DAY


@dataclass
class _Forms:
    """The active forms in view: their agencies (within the filter) and their indicators."""

    agencies: dict[int, set[int]]
    indicators: dict[int, set[int]]
    due_through: datetime.date


def _forms(indicator_ids, agency_ids, *, narrow_to_indicators: bool, now) -> _Forms:
    items = IndicatorSetItem.objects.filter(
        indicator_set__is_active=True, indicator_id__in=indicator_ids
    ).values_list("indicator_set_id", "indicator_id")
    indicators: dict[int, set[int]] = defaultdict(set)
    for set_id, indicator_id in items:
        indicators[set_id].add(indicator_id)
    memberships = IndicatorSet.agencies.through.objects.filter(
        indicatorset__is_active=True, agency__is_active=True
    )
    if agency_ids is not None:
        memberships = memberships.filter(agency_id__in=agency_ids)
    agencies: dict[int, set[int]] = defaultdict(set)
    deadlines = set()
    for set_id, agency_id, deadline_time in memberships.values_list(
        "indicatorset_id", "agency_id", "indicatorset__deadline_time"
    ):
        if narrow_to_indicators and set_id not in indicators:
            continue
        agencies[set_id].add(agency_id)
        deadlines.add(deadline_time)
    if deadlines:
        due_through = min(_last_due_day(deadline_time, now) for deadline_time in deadlines)
    else:
        due_through = timezone.localdate(now) - ONE_DAY
    return _Forms(agencies=agencies, indicators=indicators, due_through=due_through)


def _rollup_reporting(indicator_ids, period: Period, *, last_day, due_through):
    """{indicator id: (figures reported on due days, agencies reporting on `last_day`)}."""
    rows = (
        IndicatorDayTotal.objects.filter(
            indicator_id__in=indicator_ids, day__gte=period.start, day__lte=period.end
        )
        .values("indicator_id")
        .annotate(
            reported=Sum("reporting", filter=Q(day__lte=due_through)),
            last=Sum("reporting", filter=Q(day=last_day)),
        )
        .values_list("indicator_id", "reported", "last")
    )
    return {indicator_id: (reported or 0, last or 0) for indicator_id, reported, last in rows}


def _counted_reporting(counts, period: Period, *, last_day, due_through):
    return {
        indicator_id: (
            sum(n for day, n in by_day.items() if period.start <= day <= due_through),
            by_day.get(last_day, 0),
        )
        for indicator_id, by_day in counts.items()
    }


def _completeness(period: Period, forms: _Forms) -> dict:
    """Per day: the reports expected (each form's agencies), submitted on time, late, missing
    (due and not submitted) and pending (not yet due); and the rates over the due days."""
    expected_per_day = sum(len(agencies) for agencies in forms.agencies.values())
    submitted: dict[datetime.date, tuple[int, int]] = {}
    if expected_per_day:
        # Each form's own agencies, read through the (form, agency, day) unique index.
        expected_pairs = functools.reduce(
            operator.or_,
            (
                Q(indicator_set_id=set_id, agency_id__in=sorted(set_agencies))
                for set_id, set_agencies in forms.agencies.items()
                if set_agencies
            ),
        )
        reports = DailyReport.objects.filter(
            expected_pairs,
            day__gte=period.start,
            day__lte=period.end,
            status__in=COUNTED_STATUSES,
        )
        for day, on_time, late in (
            reports.order_by()
            .values("day")
            .annotate(
                on_time=Count("pk", filter=Q(is_late=False)),
                late=Count("pk", filter=Q(is_late=True)),
            )
            .values_list("day", "on_time", "late")
        ):
            submitted[day] = (on_time, late)
    days, totals = [], defaultdict(int)
    for day in period.days:
        on_time, late = submitted.get(day, (0, 0))
        outstanding = max(expected_per_day - on_time - late, 0)
        is_due = day <= forms.due_through
        row = {
            "date": day.isoformat(),
            "expected": expected_per_day,
            "on_time": on_time,
            "late": late,
            "missing": outstanding if is_due else 0,
            "pending": 0 if is_due else outstanding,
            "is_due": is_due,
        }
        days.append(row)
        for key in ("expected", "on_time", "late", "missing", "pending"):
            totals[key] += row[key]
        if is_due:
            totals["due_expected"] += expected_per_day
            totals["due_on_time"] += on_time
            totals["due_submitted"] += on_time + late
    return {
        "days": days,
        "expected": totals["expected"],
        "on_time": totals["on_time"],
        "late": totals["late"],
        "missing": totals["missing"],
        "pending": totals["pending"],
        "due_through": forms.due_through.isoformat(),
        "completeness_rate": _ratio(totals["due_submitted"], totals["due_expected"]),
        "on_time_rate": _ratio(totals["due_on_time"], totals["due_expected"]),
    }


NO_SEASON = {
    "season": None,
    "period": None,
    "filters": {"agency_ids": None, "category_id": None},
    "last_day": None,
    "previous_day": None,
    "days": [],
    "indicators": [],
    "categories": [],
    "completeness": None,
}


def dashboard_data(
    *,
    user,
    season: Season | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    agency_ids: list[int] | None = None,
    category_id: int | None = None,
    now: datetime.datetime | None = None,
) -> dict:
    """Everything the dashboard shows for these filters, JSON-serialisable.

    - `days`: the period's days with Gregorian and Hijri labels;
    - `indicators`: each active indicator (of the category, if one is chosen) with its tile
      (the figure on the last day with figures, the change against the day before, the
      figure over the period) and its daily series aligned with `days`;
    - `categories`: per category, its indicators and how many of their figures came in;
    - `completeness`: per day, the reports expected, submitted on time, late, missing and
      pending, and the completeness and on-time rates over the days already due.
    """
    now = now or timezone.now()
    season = season or active_season()
    if season is None:
        return {**NO_SEASON}
    period = dashboard_period(season, start, end, today=timezone.localdate(now))
    agency_ids = visible_agency_ids(user, agency_ids)
    indicators = Indicator.objects.filter(is_active=True).select_related("category")
    if category_id:
        indicators = indicators.filter(category_id=category_id)
    indicators = list(indicators.order_by("category__sort_order", "category_id", "code"))
    ids = [indicator.pk for indicator in indicators]
    days = period.days

    # From the day before the period, so that the first day's change can be told.
    first = period.start - ONE_DAY
    figures, counts = {}, None
    if indicators and agency_ids is None:
        figures = daily_figures(indicators, first, period.end)
    elif indicators and agency_ids:
        figures, counts = day_figures(indicators, first, period.end, agency_ids)
    last_day = max(
        (day for by_day in figures.values() for day in by_day if day >= period.start),
        default=period.end,
    )
    previous_day = last_day - ONE_DAY

    forms = _forms(ids, agency_ids, narrow_to_indicators=bool(category_id), now=now)
    window = {"last_day": last_day, "due_through": forms.due_through}
    if counts is not None:
        reporting = _counted_reporting(counts, period, **window)
    elif figures:
        reporting = _rollup_reporting(ids, period, **window)
    else:
        reporting = {}
    due_days = max((min(period.end, forms.due_through) - period.start).days + 1, 0)
    expected_agencies: dict[int, int] = defaultdict(int)
    for set_id, set_agencies in forms.agencies.items():
        for indicator_id in forms.indicators.get(set_id, ()):
            expected_agencies[indicator_id] += len(set_agencies)

    period_labels = {
        method: period_value_label(period.label, Indicator(day_aggregation=method))
        for method in Aggregation.values
    }
    indicator_rows, categories = [], {}
    for indicator in indicators:
        by_day = figures.get(indicator.pk, {})
        in_period = {day: value for day, value in by_day.items() if day >= period.start}
        value, previous = by_day.get(last_day), by_day.get(previous_day)
        change = value - previous if value is not None and previous is not None else None
        reported, reporting_last = reporting.get(indicator.pk, (0, 0))
        expected = expected_agencies[indicator.pk]
        indicator_rows.append(
            {
                **_indicator_meta(indicator),
                "period_label": period_labels[indicator.day_aggregation],
                "tile": {
                    "value": _number(value),
                    "previous": _number(previous),
                    "change": _number(change),
                    "change_pct": (
                        _number(change / abs(previous) * 100)
                        if change is not None and previous
                        else None
                    ),
                    "period_value": _number(over_period(indicator, in_period)),
                    "reporting": reporting_last,
                    "expected_agencies": expected,
                },
                "series": _series(in_period, days),
            }
        )
        category = categories.get(indicator.category_id)
        if category is None:
            category = categories[indicator.category_id] = {
                "id": indicator.category_id,
                "code": indicator.category.code,
                "name": indicator.category.name,
                "indicator_count": 0,
                "reported": 0,
                "expected": 0,
                "reporting_rate": None,
                "indicator_ids": [],
            }
        category["indicator_count"] += 1
        category["reported"] += reported
        category["expected"] += expected * due_days
        category["indicator_ids"].append(indicator.pk)
    for category in categories.values():
        category["reporting_rate"] = _ratio(category["reported"], category["expected"])

    return {
        "season": {
            "id": season.pk,
            "label": str(season),
            "starts_on": season.starts_on.isoformat(),
            "ends_on": season.ends_on.isoformat(),
        },
        "period": period_json(period),
        "filters": {"agency_ids": agency_ids, "category_id": category_id},
        "last_day": day_labels(last_day),
        "previous_day": previous_day.isoformat(),
        "days": [day_labels(day) for day in days],
        "indicators": indicator_rows,
        "categories": list(categories.values()),
        "completeness": _completeness(period, forms),
    }


def period_json(period: Period) -> dict:
    return {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "label": period.label,
        "is_season_to_date": period.is_season_to_date,
        "start_label": format_dual(period.start),
        "end_label": format_dual(period.end),
    }


def indicator_breakdown(
    *,
    user,
    indicator: Indicator,
    start: datetime.date,
    end: datetime.date,
    agency_ids: list[int] | None = None,
) -> dict:
    """One indicator's figures per agency: over the period, on the last day with figures, and
    per day, for the agencies that report it (those that sent nothing are listed too, so the
    committee sees who is missing). Biggest figure over the period first. Four queries."""
    agency_ids = visible_agency_ids(user, agency_ids)
    days = [start + ONE_DAY * offset for offset in range((end - start).days + 1)]
    by_agency, totals = {}, {}
    if agency_ids != []:
        by_agency = per_agency(indicator, start, end, agency_ids)
        totals = daily_figures([indicator], start, end, agency_ids).get(indicator.pk, {})
    agencies = Agency.objects.for_user(user).filter(
        Q(pk__in=list(by_agency))
        | Q(
            is_active=True,
            indicator_sets__is_active=True,
            indicator_sets__items__indicator=indicator,
        )
    )
    if agency_ids is not None:
        agencies = agencies.filter(pk__in=agency_ids)
    last_day = max(totals, default=end)
    rows = []
    for agency in agencies.distinct().order_by("name_ar"):
        figures = by_agency.get(agency.pk, {})
        rows.append(
            {
                "id": agency.pk,
                "code": agency.code,
                "name": agency.name,
                "period_value": _number(over_period(indicator, figures)),
                "last_value": _number(figures.get(last_day)),
                "days_reported": len(figures),
                "series": [_number(figures.get(day)) for day in days],
            }
        )
    rows.sort(key=lambda row: (row["period_value"] is None, -(row["period_value"] or 0)))
    return {
        "indicator": _indicator_meta(indicator),
        "last_day": day_labels(last_day),
        "days": [day_labels(day) for day in days],
        "total": {
            "period_value": _number(over_period(indicator, totals)),
            "last_value": _number(totals.get(last_day)),
            "series": [_number(totals.get(day)) for day in days],
        },
        "agencies": rows,
    }
