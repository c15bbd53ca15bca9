"""Reads for the statistics module: a form's layout, the agency's recent figures, reports."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from modules.agencies.models import Agency, Season

from .checks import RECENT_DAYS, Recent
from .models import (
    DailyReport,
    IndicatorSet,
    IndicatorSetItem,
    ReportValue,
    ValidationRule,
    ValueChange,
)


@dataclass
class Section:
    title: str
    items: list[IndicatorSetItem]


@dataclass
class FormLayout:
    """A daily form ready to show or check: items in order (indicator loaded), sections,
    and rules. Two queries, whatever the number of indicators."""

    indicator_set: IndicatorSet
    items: list[IndicatorSetItem]
    rules: list[ValidationRule]

    @property
    def indicators(self):
        return [(item.indicator, item.is_required) for item in self.items]

    @property
    def indicator_ids(self) -> list[int]:
        return [item.indicator_id for item in self.items]

    @property
    def sections(self) -> list[Section]:
        sections: list[Section] = []
        for item in self.items:
            if item.section_ar or item.section_en or not sections:
                sections.append(Section(title=item.section, items=[]))
            sections[-1].items.append(item)
        return sections


def form_layout(indicator_set: IndicatorSet) -> FormLayout:
    items = list(
        IndicatorSetItem.objects.filter(indicator_set=indicator_set, indicator__is_active=True)
        .select_related("indicator", "indicator__category")
        .order_by("sort_order", "pk")
    )
    rules = list(ValidationRule.objects.filter(indicator_set=indicator_set).order_by("sort_order"))
    return FormLayout(indicator_set=indicator_set, items=items, rules=rules)


def recent_figures(
    *, agency: Agency, indicator_ids: list[int], day: datetime.date
) -> dict[int, Recent]:
    """The agency's own figures over the RECENT_DAYS days before `day`, per indicator."""
    start = day - datetime.timedelta(days=RECENT_DAYS)
    rows = ReportValue.objects.filter(
        agency=agency,
        indicator_id__in=indicator_ids,
        day__gte=start,
        day__lt=day,
        value__isnull=False,
    ).values_list("indicator_id", "day", "value")
    recent: dict[int, Recent] = {}
    yesterday = day - datetime.timedelta(days=1)
    for indicator_id, value_day, value in rows:
        entry = recent.setdefault(indicator_id, Recent())
        entry.days += 1
        entry.low = value if entry.low is None else min(entry.low, value)
        entry.high = value if entry.high is None else max(entry.high, value)
        if value_day == yesterday:
            entry.yesterday = value
    return recent


def season_for_day(day: datetime.date) -> Season | None:
    return Season.objects.filter(starts_on__lte=day, ends_on__gte=day).first()


def sets_for_agency(agency_id: int) -> QuerySet[IndicatorSet]:
    return IndicatorSet.objects.filter(is_active=True, agencies__id=agency_id).order_by("name_ar")


def report_list(*, user) -> QuerySet[DailyReport]:
    return DailyReport.objects.for_user(user).select_related("agency", "indicator_set", "season")


def report_values(report: DailyReport) -> QuerySet[ReportValue]:
    history = ValueChange.objects.select_related("changed_by").order_by("-changed_at", "-pk")
    return report.values.select_related("indicator").prefetch_related(
        Prefetch("history", queryset=history, to_attr="changes")
    )
