"""The shape of the seeded figures, shared by `seed_statistics` and the demo loader.

Each indicator of the catalogue (indicator_catalogue.csv) has a typical daily value per
agency; days follow a weekly rhythm (Friday busiest at the mosques), a season that builds up
towards Hajj, a spike over the Hajj days (8–13 Dhu al-Hijjah) and the drift back after it,
with noise on top. A figure that is a share of another (discharges of admissions) is drawn
from it, so the catalogue's validation rules hold.
"""

import csv
import datetime
import math
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from hijridate import Hijri

from ..models import Aggregation, Comparison, Severity, ValueType


@dataclass(frozen=True)
class Profile:
    """How one kind of figure behaves (a row of indicator_catalogue.csv).

    kind: "flow" (a count per day: summed), "tonnes" (a decimal flow), "stock" (what stands
    at the end of the day: latest over days, summed over agencies), "rate" (a percentage:
    averaged), "time" (minutes: averaged), "peak" (the day's highest reading: maximum).
    `hajj` multiplies the figure over the Hajj days, `friday` on Fridays; `share_of` makes it
    a share (between low and high) of another figure of the same agency and day.
    """

    code: str
    name_ar: str
    name_en: str
    category: str
    typical: float
    kind: str
    unit_ar: str
    unit_en: str
    hajj: float
    friday: float
    share_of: tuple[str, float, float] | None
    public: bool

    @classmethod
    def from_row(cls, row: dict) -> "Profile":
        share = row["share_of"].split()
        return cls(
            **{name: row[name] for name in ("code", "name_ar", "name_en", "category", "kind")},
            unit_ar=row["unit_ar"],
            unit_en=row["unit_en"],
            typical=float(row["typical"]),
            hajj=float(row["hajj"]),
            friday=float(row["friday"]),
            share_of=(share[0], float(share[1]), float(share[2])) if share else None,
            public=row["public"] == "yes",
        )

    @property
    def value_type(self) -> str:
        if self.kind == "rate":
            return ValueType.PERCENTAGE
        if self.kind in ("time", "peak", "tonnes"):
            return ValueType.DECIMAL
        return ValueType.INTEGER

    @property
    def aggregations(self) -> tuple[str, str]:
        """(over days, over agencies)"""
        return {
            "flow": (Aggregation.SUM, Aggregation.SUM),
            "tonnes": (Aggregation.SUM, Aggregation.SUM),
            "stock": (Aggregation.LATEST, Aggregation.SUM),
            "rate": (Aggregation.AVERAGE, Aggregation.AVERAGE),
            "time": (Aggregation.AVERAGE, Aggregation.AVERAGE),
            "peak": (Aggregation.MAXIMUM, Aggregation.MAXIMUM),
        }[self.kind]

    @property
    def limits(self) -> tuple[Decimal, Decimal]:
        """Hard limits no honest figure reaches: the generated ones stay well inside."""
        if self.kind == "rate":
            return Decimal(0), Decimal(100)
        if self.kind == "time":
            return Decimal(0), Decimal(240)
        if self.kind == "peak":
            return Decimal(0), Decimal(60)
        return Decimal(0), Decimal(10 ** math.ceil(math.log10(self.typical * 100)))

    def indicator_fields(self) -> dict:
        """What an `Indicator` of this profile says about itself (name, unit, type, …)."""
        minimum, maximum = self.limits
        over_days, over_agencies = self.aggregations
        return {
            "name_ar": self.name_ar,
            "name_en": self.name_en,
            "unit_ar": self.unit_ar,
            "unit_en": self.unit_en,
            "value_type": self.value_type,
            "day_aggregation": over_days,
            "agency_aggregation": over_agencies,
            "minimum": minimum,
            "maximum": maximum,
            # Hajj multiplies the busiest figures: a jump that large is expected there.
            "change_tolerance": 200 if self.hajj >= 2 else 60,
        }


CATEGORIES = [
    ("health", "الصحة", "Health"),
    ("emergency", "الإسعاف والطوارئ", "Ambulance and emergencies"),
    ("transport", "النقل", "Transport"),
    ("crowds", "الحشود والإرشاد", "Crowds and guidance"),
    ("supplies", "الإعاشة والسقيا", "Food and water"),
    ("lodging", "السكن والبيئة", "Lodging and environment"),
    ("volunteering", "التطوع", "Volunteering"),
]
with (Path(__file__).parent / "indicator_catalogue.csv").open(encoding="utf-8") as _catalogue:
    PROFILES = [Profile.from_row(row) for row in csv.DictReader(_catalogue)]
PROFILE_BY_CODE = {profile.code: profile for profile in PROFILES}

# Where a figure was counted: the catalogue is repeated per site to reach a large form.
SITES = [
    ("", "", ""),
    ("central", "المنطقة المركزية", "central area"),
    ("quba", "مسجد قباء", "Quba Mosque"),
    ("airport", "المطار", "airport"),
    ("train", "محطة القطار", "train station"),
    ("entry", "منافذ الدخول", "entry points"),
    ("hijrah", "طريق الهجرة", "Hijrah road"),
    ("miqat", "الميقات", "the Miqat"),
]

RULES = [
    # (left, comparison, right, severity, Arabic message, English message)
    ("hospital-discharges", Comparison.LTE, "hospital-admissions", Severity.BLOCKING,
     "لا يمكن أن يزيد عدد حالات الخروج على عدد حالات التنويم.",
     "Discharges cannot exceed admissions."),
    ("ambulance-missions", Comparison.LTE, "ambulance-calls", Severity.BLOCKING,
     "لا يمكن أن تزيد مهام الإسعاف المنفذة على البلاغات.",
     "Ambulance missions cannot exceed ambulance calls."),
    ("lost-reunited", Comparison.LTE, "lost-pilgrims", Severity.WARNING,
     "عدد المعادين إلى مساكنهم أكبر من عدد التائهين المرشدين: تحقق من الرقمين.",
     "More pilgrims returned to their lodgings than lost pilgrims guided: check both figures."),
]  # fmt: skip


def catalogue(count: int) -> list[tuple[Profile, tuple[str, str, str]]]:
    """`count` (profile, site) pairs: every profile once, then again per site."""
    return [(PROFILES[i % len(PROFILES)], SITES[i // len(PROFILES)]) for i in range(count)]


# ------------------------------------------------------------- the shape of a day ----


@dataclass(frozen=True)
class SeasonShape:
    """Where a day stands in the season: the build-up, the Hajj days, the drift after."""

    start: datetime.date
    hajj_first: datetime.date  # 8 Dhu al-Hijjah
    hajj_last: datetime.date  # 13 Dhu al-Hijjah

    @classmethod
    def for_year(cls, hijri_year: int, start: datetime.date) -> "SeasonShape":
        return cls(
            start=start,
            hajj_first=Hijri(hijri_year, 12, 8).to_gregorian(),
            hajj_last=Hijri(hijri_year, 12, 13).to_gregorian(),
        )

    def is_hajj(self, day: datetime.date) -> bool:
        return self.hajj_first <= day <= self.hajj_last

    def level(self, day: datetime.date, hajj: float) -> float:
        if self.is_hajj(day):
            # Rising to the day of Arafah and Eid, then easing over the days of Tashreeq.
            middle = (self.hajj_last - self.hajj_first).days / 2
            offset = abs((day - self.hajj_first).days - middle)
            return hajj * (1 - 0.08 * offset)
        if day < self.hajj_first:
            span = max((self.hajj_first - self.start).days, 1)
            return 0.55 + 0.45 * min(1.0, 1 - (self.hajj_first - day).days / span)
        return max(0.6, 1.3 - 0.02 * (day - self.hajj_last).days)


def figure(
    profile: Profile,
    *,
    day: datetime.date,
    shape: SeasonShape,
    scale: float,
    rng: random.Random,
    parent: Decimal | None = None,
) -> Decimal:
    """One agency's figure for one day. `parent` is the figure this one is a share of."""
    noise = rng.gauss(1.0, 0.08)
    if profile.share_of and parent is not None:
        _code, low, high = profile.share_of
        return Decimal(int(parent * Decimal(rng.uniform(low, high))))
    level = shape.level(day, profile.hajj)
    if profile.kind == "rate":
        value = min(99.5, max(5.0, profile.typical * (1 + (level - 1) * 0.15) * noise))
    elif profile.kind == "peak":
        value = profile.typical + 3 * (level - 1) + rng.gauss(0, 1.2)
    elif profile.kind == "time":
        value = profile.typical * (1 + (level - 1) * 0.25) * noise
    else:
        weekly = profile.friday if day.weekday() == 4 else (1.0 if day.weekday() != 3 else 1.08)
        value = max(0.0, profile.typical * scale * level * weekly * noise)
    if profile.value_type == ValueType.INTEGER:
        return Decimal(round(value))
    return Decimal(str(round(value, 2)))
