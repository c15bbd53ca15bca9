"""The demo's daily statistics: two daily forms, their indicators, two weeks of figures.

Read from `fixtures/statistics.json`. An indicator's names, unit, type and how it adds up
come from the seed catalogue (modules/statistics/management/indicator_catalogue.csv), so the
demo and the benchmark season speak of the same things; the fixture adds descriptions, the
public flag and the forms. Categories and indicators are matched by code and put back where
they differ, like the agencies. A form's sections, rules and agencies are set when it is
created and then belong to the committee.

Figures are written only for a (form, agency, day) that has no report yet, from a random
generator seeded by those three, so the same few are missing, late or still drafts on every
run, and a second run writes nothing.
"""

import datetime
import random
from collections.abc import Callable

from django.utils import timezone

from modules.accounts.models import User
from modules.accounts.roles import Role
from modules.agencies.models import Agency, Membership, Season
from modules.statistics import periods
from modules.statistics.management.figures import PROFILE_BY_CODE, RULES, SeasonShape, figure
from modules.statistics.models import (
    DailyReport,
    Indicator,
    IndicatorCategory,
    IndicatorSet,
    IndicatorSetItem,
    ReportStatus,
    ReportValue,
    ValidationRule,
    ValueChange,
)
from modules.statistics.services import refresh_day_totals

from .content import DemoCalendar
from .records import Tally, read_json, sync_rows

ONE_DAY = datetime.timedelta(days=1)
RETURN_COMMENT = "يرجى مراجعة أعداد التنويم: تبدو مكررة من اليوم السابق."


def load_statistics(
    *, season: Season, agencies: dict[str, Agency], tally: Callable[[str], Tally]
) -> None:
    data = read_json("statistics.json")
    categories = sync_rows(
        IndicatorCategory, key="code", rows=data["categories"], tally=tally("indicator categories")
    )
    indicators = sync_rows(
        Indicator,
        key="code",
        rows=[_indicator_row(item, categories) for item in data["indicators"]],
        tally=tally("indicators"),
    )
    forms = [
        _ensure_form(spec, indicators=indicators, agencies=agencies, tally=tally("daily forms"))
        for spec in data["forms"]
    ]
    calendar = DemoCalendar.for_season(season, today=timezone.localdate() - ONE_DAY)
    days = [day for day in calendar.last_days(data["days"]) if day >= season.starts_on]
    if days:
        _DemoFigures(season, forms, days).write(tally("daily reports"), tally("reported values"))


def _indicator_row(item: dict, categories: dict[str, IndicatorCategory]) -> dict:
    profile = PROFILE_BY_CODE[item["code"]]
    return {
        "code": item["code"],
        **profile.indicator_fields(),
        "description_ar": item["description_ar"],
        "description_en": item["description_en"],
        "category_id": categories[profile.category].pk,
        "is_public": item.get("public", False),
        "is_active": True,
    }


def _ensure_form(
    spec: dict, *, indicators: dict[str, Indicator], agencies: dict[str, Agency], tally: Tally
) -> IndicatorSet:
    form = IndicatorSet.objects.filter(code=spec["code"]).first()
    if form is not None:
        tally.unchanged += 1
        return form
    form = IndicatorSet(
        code=spec["code"],
        name_ar=spec["name_ar"],
        name_en=spec["name_en"],
        deadline_time=datetime.time.fromisoformat(spec["deadline_time"]),
        grace_days=spec["grace_days"],
    )
    form.agencies.set([agencies[code] for code in spec["agencies"]])
    form.full_clean()
    form.save()
    items = []
    for section in spec["sections"]:
        for position, code in enumerate(section["indicators"]):
            items.append(
                IndicatorSetItem(
                    indicator_set=form,
                    indicator=indicators[code],
                    sort_order=len(items),
                    section_ar=section["title_ar"] if position == 0 else "",
                    section_en=section["title_en"] if position == 0 else "",
                )
            )
    IndicatorSetItem.objects.bulk_create(items)
    ValidationRule.objects.bulk_create(
        ValidationRule(
            indicator_set=form,
            left=indicators[left],
            comparison=comparison,
            right=indicators[right],
            severity=severity,
            message_ar=message_ar,
            message_en=message_en,
            sort_order=order,
        )
        for order, (left, comparison, right, severity, message_ar, message_en) in enumerate(RULES)
        if left in spec["rules"]
    )
    tally.created += 1
    return form


class _DemoFigures:
    """The figures of the demo forms' agencies for `days` (oldest first, ending yesterday)."""

    def __init__(self, season: Season, forms: list[IndicatorSet], days: list[datetime.date]):
        self.season = season
        self.forms = forms
        self.days = days
        self.now = timezone.now()
        self.shape = SeasonShape.for_year(season.hijri_year, season.starts_on)

    def write(self, reports_tally: Tally, values_tally: Tally) -> None:
        existing = set(
            DailyReport.objects.filter(indicator_set__in=self.forms, day__in=self.days).values_list(
                "indicator_set_id", "agency_id", "day"
            )
        )
        items = {}
        for item in IndicatorSetItem.objects.filter(indicator_set__in=self.forms).select_related(
            "indicator"
        ):
            items.setdefault(item.indicator_set_id, []).append(item.indicator)
        submitters = {}  # the agency's manager, else one of its staff
        for agency_id, user_id in Membership.objects.order_by("agency_id", "role").values_list(
            "agency_id", "user_id"
        ):
            submitters.setdefault(agency_id, user_id)
        reviewer = User.objects.filter(role=Role.REVIEWER, is_active=True).order_by("pk").first()
        reports, values = [], []
        for form in self.forms:
            for agency in form.agencies.order_by("code"):
                for day in self.days:
                    if (form.pk, agency.pk, day) in existing:
                        reports_tally.unchanged += 1
                        continue
                    rng = random.Random(f"{form.code}/{agency.code}/{day.isoformat()}")
                    report = self._report(form, agency, day, rng, submitters.get(agency.pk))
                    if report is None:
                        continue
                    if report.status in (ReportStatus.APPROVED, ReportStatus.RETURNED):
                        report.reviewed_by = reviewer
                    reports.append(report)
                    values += self._values(report, items.get(form.pk, []), agency, rng)
        if not reports:
            return
        DailyReport.objects.bulk_create(reports)
        ReportValue.objects.bulk_create(values)
        ValueChange.objects.bulk_create(
            ValueChange(
                value=value,
                agency_id=value.agency_id,
                changed_at=value.report.submitted_at or self.now,
                changed_by_id=value.report.submitted_by_id,
                new_value=value.value,
            )
            for value in values
        )
        reports_tally.created += len(reports)
        values_tally.created += len(values)
        indicator_ids = [indicator.pk for indicators in items.values() for indicator in indicators]
        for day in sorted({report.day for report in reports}):
            refresh_day_totals(day=day, indicator_ids=indicator_ids)

    def _report(self, form, agency, day, rng, submitter_id) -> DailyReport | None:
        """A report in the state the agency left it, or None for a day it never reported."""
        report = DailyReport(agency=agency, indicator_set=form, season=self.season, day=day)
        deadline = periods.deadline(form, day)
        chance = rng.random()
        is_last_day = day == self.days[-1]
        if chance < 0.06:
            return None
        if is_last_day and chance < 0.3:
            return report  # still a draft
        late = not is_last_day and chance > 0.88
        if late:
            submitted = deadline + datetime.timedelta(minutes=rng.randint(30, 30 * 60))
        else:
            submitted = deadline - datetime.timedelta(minutes=rng.randint(20, 14 * 60))
        report.status = ReportStatus.SUBMITTED
        report.submitted_at = min(submitted, self.now - datetime.timedelta(minutes=5))
        report.submitted_by_id = submitter_id
        report.is_late = late
        reviewed = report.submitted_at + datetime.timedelta(hours=rng.randint(2, 20))
        if day <= self.days[-1] - 3 * ONE_DAY and reviewed < self.now:
            if chance < 0.09:
                report.status = ReportStatus.RETURNED
                report.review_comment = RETURN_COMMENT
                report.reopened_until = reviewed + ONE_DAY * max(form.grace_days, 1)
                report.reviewed_at = reviewed
            elif chance < 0.55:
                report.status = ReportStatus.APPROVED
                report.reviewed_at = reviewed
        return report

    def _values(self, report, indicators, agency, rng) -> list[ReportValue]:
        scale = random.Random(agency.code).lognormvariate(0, 0.4)
        figures = {}
        ordered = sorted(
            indicators, key=lambda item: PROFILE_BY_CODE[item.code].share_of is not None
        )
        for indicator in ordered:
            profile = PROFILE_BY_CODE[indicator.code]
            parent = figures.get(profile.share_of[0]) if profile.share_of else None
            figures[indicator.code] = figure(
                profile, day=report.day, shape=self.shape, scale=scale, rng=rng, parent=parent
            )
        if report.status == ReportStatus.DRAFT:
            ordered = ordered[: len(ordered) // 2]  # half filled in so far
        return [
            ReportValue(
                report=report,
                indicator=indicator,
                agency=agency,
                day=report.day,
                value=figures[indicator.code],
            )
            for indicator in ordered
        ]
