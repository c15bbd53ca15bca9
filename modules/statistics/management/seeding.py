"""A realistic season of daily statistics, for demos and benchmarks.

`seed_season` (behind `manage.py seed_statistics`) builds the indicators, forms and every
agency's reports for a run of days, writing with bulk inserts a day at a time, and then the
rollup through the same `refresh_day_totals` the entry service uses. The figures' shape
(weekly rhythm, the Hajj spike, noise) is in `figures`.

Everything seeded is recognisable by its code (`seed-…`), so `--reset` removes exactly it.
"""

import datetime
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models, transaction
from hijridate import Hijri
from wagtail.signal_handlers import disable_reference_index_auto_update

from modules.agencies.models import Agency, AgencyKind, Membership, Season
from modules.core.hijri import to_hijri

from .. import periods
from ..models import (
    DailyReport,
    EntryException,
    Indicator,
    IndicatorCategory,
    IndicatorDayTotal,
    IndicatorSet,
    IndicatorSetItem,
    ReminderSent,
    ReportStatus,
    ReportValue,
    ValidationRule,
    ValueChange,
)
from ..services import refresh_day_totals
from .figures import CATEGORIES, PROFILES, RULES, SITES, Profile, SeasonShape, catalogue, figure

PREFIX = "seed-"
ONE_DAY = datetime.timedelta(days=1)
BATCH = 5000
MAX_INDICATORS = len(PROFILES) * len(SITES)
# Shares of the (agency, form, day) grid; each at least one report when the grid is small.
MISSING_SHARE = 0.05
LATE_SHARE = 0.10
DRAFT_SHARE = 0.02
RETURNED_SHARE = 0.01
APPROVED_SHARE = 0.40  # of the submitted reports older than a few days
HISTORY_SHARE = 0.001  # of each day's values (at least one): corrected after the first save

AGENCY_NAMES = [
    (AgencyKind.GOVERNMENT, "مركز صحي", "Health centre"),
    (AgencyKind.GOVERNMENT, "فرقة إسعاف", "Ambulance unit"),
    (AgencyKind.PRIVATE, "شركة نقل", "Transport company"),
    (AgencyKind.PRIVATE, "شركة إعاشة", "Catering company"),
    (AgencyKind.CHARITY, "جمعية سقيا", "Water charity"),
    (AgencyKind.VOLUNTEER, "فريق تطوع", "Volunteer team"),
]
DISTRICTS = [
    ("قباء", "Quba"),
    ("العوالي", "Al-Awali"),
    ("سيد الشهداء", "Sayed Al-Shuhada"),
    ("الحرة الشرقية", "Al-Harrah Al-Sharqiyah"),
    ("العزيزية", "Al-Aziziyah"),
    ("باب المجيدي", "Bab Al-Majidi"),
    ("العيون", "Al-Uyun"),
    ("الخالدية", "Al-Khalidiyah"),
    ("بني حارثة", "Bani Harithah"),
    ("الجرف", "Al-Jurf"),
]


@dataclass(frozen=True)
class SeededIndicator:
    indicator: Indicator
    profile: Profile
    site: str


@dataclass
class SeedResult:
    season: Season
    start: datetime.date
    end: datetime.date
    counts: dict[str, int] = field(default_factory=dict)


class SeedError(Exception):
    pass


def seeded_exists() -> bool:
    return IndicatorSet.objects.filter(code__startswith=PREFIX).exists()


def _fast_delete(queryset: models.QuerySet) -> int:
    """DELETE … WHERE without loading rows. The audit's delete signals make Django fetch
    every row first; seeded rows were never audited and there are ~10⁶ of them."""
    return queryset._raw_delete(queryset.db)


@transaction.atomic
def reset_seeded() -> dict[str, int]:
    """Remove the seeded statistics (not the agencies or the season, which are reused)."""
    forms = IndicatorSet.objects.filter(code__startswith=PREFIX)
    indicators = Indicator.objects.filter(code__startswith=PREFIX)
    reports = DailyReport.objects.filter(indicator_set__in=forms)
    removed = {
        "value changes": _fast_delete(ValueChange.objects.filter(value__report__in=reports)),
        "entry exceptions": _fast_delete(EntryException.objects.filter(report__in=reports)),
        "values": _fast_delete(ReportValue.objects.filter(report__in=reports)),
        "reminders": _fast_delete(ReminderSent.objects.filter(indicator_set__in=forms)),
        "reports": _fast_delete(reports),
        "day totals": _fast_delete(IndicatorDayTotal.objects.filter(indicator__in=indicators)),
    }
    ValidationRule.objects.filter(indicator_set__in=forms).delete()
    IndicatorSetItem.objects.filter(indicator_set__in=forms).delete()
    removed["forms"] = forms.count()
    forms.delete()
    removed["indicators"] = indicators.count()
    indicators.delete()
    IndicatorCategory.objects.filter(code__startswith=PREFIX).delete()
    return removed


def season_window(days: int, *, today: datetime.date) -> tuple[Season, datetime.date]:
    """The season to fill and its first seeded day: the active season, else one made for the
    latest Hajj that has begun. The days are placed so that Hajj falls past their middle."""
    season = Season.objects.active().first()
    if season is None:
        year = to_hijri(today).year
        if Hijri(year, 12, 8).to_gregorian() > today:
            year -= 1
        hajj = Hijri(year, 12, 8).to_gregorian()
        start = hajj - ONE_DAY * round(days * 0.6)
        season, _created = Season.objects.get_or_create(
            hijri_year=year,
            defaults={
                "starts_on": min(Hijri(year, 10, 1).to_gregorian(), start),
                "ends_on": max(Hijri(year + 1, 1, 29).to_gregorian(), start + ONE_DAY * days),
            },
        )
        season.is_active = True
        season.save(update_fields=["is_active", "updated_at"])
    length = (season.ends_on - season.starts_on).days + 1
    if days > length:
        raise SeedError(
            f"The active season ({season.starts_on} – {season.ends_on}) has only {length} days; "
            f"ask for --days {length} or fewer."
        )
    hajj = Hijri(season.hijri_year, 12, 8).to_gregorian()
    start = max(season.starts_on, hajj - ONE_DAY * round(days * 0.6))
    start = min(start, season.ends_on - ONE_DAY * (days - 1))
    return season, start


def _agencies(count: int) -> tuple[list[Agency], int]:
    """The first `count` active agencies by code, made up to `count` with new ones."""
    agencies = list(Agency.objects.filter(is_active=True).order_by("code")[:count])
    created = []
    number = 0
    while len(agencies) + len(created) < count:
        number += 1
        code = f"{PREFIX}agency-{number:03d}"
        if Agency.objects.filter(code=code).exists():
            continue
        kind, kind_ar, kind_en = AGENCY_NAMES[number % len(AGENCY_NAMES)]
        district_ar, district_en = DISTRICTS[(number // len(AGENCY_NAMES)) % len(DISTRICTS)]
        round_ = number // (len(AGENCY_NAMES) * len(DISTRICTS))
        suffix = f" {round_ + 1}" if round_ else ""
        created.append(
            Agency(
                code=code,
                kind=kind,
                name_ar=f"{kind_ar} {district_ar}{suffix}",
                name_en=f"{kind_en}, {district_en}{suffix}",
            )
        )
    Agency.objects.bulk_create(created)
    return agencies + created, len(created)


def _indicators(count: int) -> list[SeededIndicator]:
    categories = {
        code: IndicatorCategory.objects.create(
            code=f"{PREFIX}{code}", name_ar=name_ar, name_en=name_en, sort_order=order
        )
        for order, (code, name_ar, name_en) in enumerate(CATEGORIES)
    }
    seeded = []
    for profile, (site, site_ar, site_en) in catalogue(count):
        fields = profile.indicator_fields()
        if site:
            fields["name_ar"] = f"{profile.name_ar} — {site_ar}"
            fields["name_en"] = f"{profile.name_en} — {site_en}"
        code = f"{PREFIX}{profile.code}" + (f"-{site}" if site else "")
        indicator = Indicator(
            code=code,
            category=categories[profile.category],
            is_public=profile.public and not site,
            **fields,
        )
        seeded.append(SeededIndicator(indicator, profile, site))
    Indicator.objects.bulk_create([item.indicator for item in seeded])
    return seeded


def _forms(seeded: list[SeededIndicator], agencies: list[Agency]) -> list[tuple]:
    """2–4 forms, each a run of whole categories (or of a category split), with sections per
    category and the catalogue's rules where both sides are on the form."""
    count = 2 if len(seeded) < 60 else 3 if len(seeded) < 120 else 4
    count = min(count, len(seeded))
    order = sorted(seeded, key=lambda item: (item.indicator.category.sort_order, item.indicator.pk))
    size = math.ceil(len(order) / count)
    forms = []
    for number in range(count):
        chunk = order[number * size : (number + 1) * size]
        if not chunk:
            continue
        names = list(dict.fromkeys(item.indicator.category for item in chunk))
        indicator_set = IndicatorSet.objects.create(
            code=f"{PREFIX}form-{number + 1}",
            name_ar="النموذج اليومي: " + "، ".join(name.name_ar for name in names),
            name_en="Daily form: " + ", ".join(name.name_en for name in names),
            deadline_time=datetime.time(10, 0),
            grace_days=2,
        )
        indicator_set.agencies.set(agencies)
        indicator_set.save()
        items, previous = [], None
        for position, item in enumerate(chunk):
            category = item.indicator.category
            starts = category != previous
            previous = category
            items.append(
                IndicatorSetItem(
                    indicator_set=indicator_set,
                    indicator=item.indicator,
                    sort_order=position,
                    section_ar=category.name_ar if starts else "",
                    section_en=category.name_en if starts else "",
                    is_required=item.profile.kind != "peak",
                )
            )
        IndicatorSetItem.objects.bulk_create(items)
        by_code = {item.indicator.code: item.indicator for item in chunk}
        rules = [
            ValidationRule(
                indicator_set=indicator_set,
                left=by_code[f"{PREFIX}{left}"],
                comparison=comparison,
                right=by_code[f"{PREFIX}{right}"],
                severity=severity,
                message_ar=message_ar,
                message_en=message_en,
                sort_order=position,
            )
            for position, (left, comparison, right, severity, message_ar, message_en) in enumerate(
                RULES
            )
            if f"{PREFIX}{left}" in by_code and f"{PREFIX}{right}" in by_code
        ]
        ValidationRule.objects.bulk_create(rules)
        forms.append((indicator_set, chunk))
    return forms


def _statuses(size: int, rng: random.Random) -> list[str]:
    """The fate of each report of the grid: missing, draft, returned, late or on time."""

    def share(fraction: float) -> int:
        return max(1, round(size * fraction)) if size >= 10 else 0

    fates = (
        ["missing"] * share(MISSING_SHARE)
        + ["draft"] * share(DRAFT_SHARE)
        + ["returned"] * share(RETURNED_SHARE)
        + ["late"] * share(LATE_SHARE)
    )
    fates += ["on time"] * (size - len(fates))
    rng.shuffle(fates)
    return fates


RETURN_COMMENTS = [
    "أعداد التنويم تبدو مكررة من اليوم السابق، يرجى المراجعة.",
    "يرجى التحقق من عدد الرحلات مقارنة بعدد الحافلات المشغلة.",
    "الرقم أعلى بكثير من المعتاد دون تعليق يوضح السبب.",
]
SPIKE_COMMENTS = ["ذروة أيام التشريق", "تفويج الحجاج بعد النفرة", "ارتفاع بسبب موجة الحر"]


def seed_season(
    *, agencies: int, indicators: int, days: int, seed: int, today: datetime.date
) -> SeedResult:
    """Build it all in one transaction; SeedError if seeded statistics already exist."""
    if indicators > MAX_INDICATORS:
        raise SeedError(f"The catalogue makes at most {MAX_INDICATORS} indicators.")
    with transaction.atomic():
        if seeded_exists():
            raise SeedError("Seeded statistics already exist: pass --reset to replace them.")
        # Wagtail indexes the references of each saved form; nothing here is referenced yet.
        with disable_reference_index_auto_update():
            return _Seeder(random.Random(seed), today=today).run(agencies, indicators, days)


class _Seeder:
    def __init__(self, rng: random.Random, *, today: datetime.date):
        self.rng = rng
        self.today = today

    def run(self, agency_count: int, indicator_count: int, day_count: int) -> SeedResult:
        season, start = season_window(day_count, today=self.today)
        days = [start + ONE_DAY * offset for offset in range(day_count)]
        result = SeedResult(season=season, start=days[0], end=days[-1])
        agencies, created_agencies = _agencies(agency_count)
        seeded = _indicators(indicator_count)
        forms = _forms(seeded, agencies)
        self.shape = SeasonShape.for_year(season.hijri_year, season.starts_on)
        self.scale = {
            (agency.pk, category): self.rng.lognormvariate(0, 0.45)
            * self.rng.choice([0.3, 0.7, 1.0, 1.0, 1.4])
            for agency in agencies
            for category, _ar, _en in CATEGORIES
        }
        self.submitters = dict(
            Membership.objects.filter(agency__in=agencies)
            .order_by("agency_id", "user_id")
            .values_list("agency_id", "user_id")
            .distinct()
        )
        fates = iter(_statuses(len(days) * len(forms) * len(agencies), self.rng))
        totals = dict.fromkeys(
            ["reports", "values", "missing", "late", "drafts", "returned", "approved"], 0
        )
        totals["value changes"] = 0
        for day in days:
            figures = self._figures(day, agencies, seeded)
            reports, values = [], []
            for form, chunk in forms:
                for agency in agencies:
                    fate = next(fates)
                    if fate == "missing":
                        totals["missing"] += 1
                        continue
                    report = self._report(season, form, agency, day, fate)
                    reports.append((report, chunk))
            DailyReport.objects.bulk_create([report for report, _chunk in reports])
            for report, chunk in reports:
                values += self._values(report, chunk, figures[report.agency_id])
            ReportValue.objects.bulk_create(values, batch_size=BATCH)
            totals["value changes"] += self._history(values)
            totals["reports"] += len(reports)
            totals["values"] += len(values)
            for report, _chunk in reports:
                totals["late"] += report.is_late
                totals["drafts"] += report.status == ReportStatus.DRAFT
                totals["returned"] += report.status == ReportStatus.RETURNED
                totals["approved"] += report.status == ReportStatus.APPROVED
        indicator_ids = [item.indicator.pk for item in seeded]
        for day in days:
            refresh_day_totals(day=day, indicator_ids=indicator_ids)
        result.counts = {
            "agencies": len(agencies),
            "agencies created": created_agencies,
            "categories": len(CATEGORIES),
            "indicators": len(seeded),
            "forms": len(forms),
            "validation rules": ValidationRule.objects.filter(
                indicator_set__in=[form for form, _chunk in forms]
            ).count(),
            **totals,
            "day totals": IndicatorDayTotal.objects.filter(indicator_id__in=indicator_ids).count(),
        }
        return result

    def _figures(self, day, agencies, seeded) -> dict[int, dict[int, Decimal]]:
        """Every agency's figure for every indicator on `day`, shares after their whole."""
        figures = {}
        wholes_first = sorted(seeded, key=lambda item: item.profile.share_of is not None)
        for agency in agencies:
            by_key, row = {}, {}
            for item in wholes_first:
                parent = None
                if item.profile.share_of:
                    parent = by_key.get((item.profile.share_of[0], item.site))
                value = figure(
                    item.profile,
                    day=day,
                    shape=self.shape,
                    scale=self.scale[(agency.pk, item.profile.category)],
                    rng=self.rng,
                    parent=parent,
                )
                by_key[(item.profile.code, item.site)] = value
                row[item.indicator.pk] = value
            figures[agency.pk] = row
        return figures

    def _report(self, season, form, agency, day, fate) -> DailyReport:
        rng = self.rng
        deadline = periods.deadline(form, day)
        report = DailyReport(agency=agency, indicator_set=form, season=season, day=day)
        if fate == "draft":
            return report
        if fate == "late":
            report.submitted_at = deadline + datetime.timedelta(
                minutes=rng.randint(30, form.grace_days * 24 * 60 - 30)
            )
            report.is_late = True
        else:
            report.submitted_at = deadline - datetime.timedelta(minutes=rng.randint(20, 14 * 60))
        report.submitted_by_id = self.submitters.get(agency.pk)
        report.status = ReportStatus.SUBMITTED
        reviewed_at = report.submitted_at + datetime.timedelta(minutes=rng.randint(60, 20 * 60))
        if fate == "returned":
            report.status = ReportStatus.RETURNED
            report.reviewed_at = reviewed_at
            report.review_comment = rng.choice(RETURN_COMMENTS)
            report.reopened_until = reviewed_at + ONE_DAY * max(form.grace_days, 1)
        elif day <= self.today - ONE_DAY * 3 and rng.random() < APPROVED_SHARE:
            report.status = ReportStatus.APPROVED
            report.reviewed_at = reviewed_at
        return report

    def _values(self, report, chunk, figures) -> list[ReportValue]:
        rng = self.rng
        is_draft = report.status == ReportStatus.DRAFT
        spike = self.shape.is_hajj(report.day)
        values = []
        for item in chunk:
            if is_draft and rng.random() < 0.3:
                continue  # not filled in yet: no row, as the entry service stores it
            values.append(
                ReportValue(
                    report=report,
                    indicator_id=item.indicator.pk,
                    agency_id=report.agency_id,
                    day=report.day,
                    value=figures[item.indicator.pk],
                    comment=rng.choice(SPIKE_COMMENTS) if spike and rng.random() < 0.02 else "",
                    follow_up=rng.random() < 0.002,
                )
            )
        return values

    def _history(self, values: list[ReportValue]) -> int:
        """A few figures of the day were corrected after their first save: old → new."""
        if not values:
            return 0
        picked = self.rng.sample(values, max(1, round(len(values) * HISTORY_SHARE)))
        changes = [
            ValueChange(
                value=value,
                agency_id=value.agency_id,
                changed_at=(
                    value.report.submitted_at
                    or periods.deadline(value.report.indicator_set, value.day)
                )
                + datetime.timedelta(minutes=self.rng.randint(30, 600)),
                changed_by_id=self.submitters.get(value.agency_id),
                old_value=(value.value * Decimal("0.9")).quantize(value.value),
                new_value=value.value,
            )
            for value in picked
        ]
        ValueChange.objects.bulk_create(changes)
        return len(changes)
