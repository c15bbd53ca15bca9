"""Daily statistics: indicators, the daily forms that group them, and what agencies report.

The model is simply indicator × agency × day. The committee configures `Indicator`s and
`IndicatorSet`s (one daily form each: ordered indicators in sections, the agencies that
report it, a deadline and a grace period) and `ValidationRule`s across indicators. An agency
fills one `DailyReport` per (set, day); each figure is a `ReportValue`, and every change to
one is a `ValueChange`. `IndicatorDayTotal` is the rollup of submitted figures per indicator
and day, rewritten for the report's day whenever a report is submitted, returned or approved,
so the dashboard is live with no rebuild step.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from modules.core.models import BilingualNameMixin, TimeStampedModel
from modules.core.sanitize import validate_plain_text
from modules.core.scoping import AgencyScopedManager


def _localized(ar: str, en: str) -> str:
    if (get_language() or "ar").startswith("en"):
        return en or ar
    return ar or en


class ValueType(models.TextChoices):
    INTEGER = "integer", _("Whole number")
    DECIMAL = "decimal", _("Decimal number")
    PERCENTAGE = "percentage", _("Percentage")


class Aggregation(models.TextChoices):
    SUM = "sum", _("Sum")
    AVERAGE = "average", _("Average")
    MAXIMUM = "maximum", _("Maximum")
    LATEST = "latest", _("Latest")


class IndicatorCategory(BilingualNameMixin, TimeStampedModel):
    """A theme indicators are grouped under on the dashboard (health, transport, crowds…)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator category")
        verbose_name_plural = _("indicator categories")
        ordering = ["sort_order", "name_ar"]


class Indicator(BilingualNameMixin, TimeStampedModel):
    """One figure an agency reports each day, and how the committee adds it up."""

    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("A short Latin code used in uploads and the API, e.g. hospital-admissions."),
    )
    description_ar = models.TextField(
        _("description (Arabic)"), blank=True, validators=[validate_plain_text]
    )
    description_en = models.TextField(
        _("description (English)"), blank=True, validators=[validate_plain_text]
    )
    unit_ar = models.CharField(
        _("unit (Arabic)"), max_length=40, blank=True, validators=[validate_plain_text]
    )
    unit_en = models.CharField(
        _("unit (English)"), max_length=40, blank=True, validators=[validate_plain_text]
    )
    value_type = models.CharField(
        _("value type"), max_length=12, choices=ValueType.choices, default=ValueType.INTEGER
    )
    day_aggregation = models.CharField(
        _("over days"),
        max_length=10,
        choices=Aggregation.choices,
        default=Aggregation.SUM,
        help_text=_("How days add up: a flow (admissions) is a sum; a stock (beds) the latest."),
    )
    agency_aggregation = models.CharField(
        _("over agencies"),
        max_length=10,
        choices=Aggregation.choices,
        default=Aggregation.SUM,
        help_text=_("How the agencies' figures for one day add up."),
    )
    minimum = models.DecimalField(
        _("hard minimum"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    maximum = models.DecimalField(
        _("hard maximum"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    change_tolerance = models.PositiveSmallIntegerField(
        _("tolerated change (%)"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_(
            "A value further than this from the agency's own recent days asks for a comment."
        ),
    )
    category = models.ForeignKey(
        IndicatorCategory,
        on_delete=models.PROTECT,
        related_name="indicators",
        verbose_name=_("category"),
    )
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Shown on the public indicators page.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["category__sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum__isnull=True)
                | Q(maximum__isnull=True)
                | Q(maximum__gte=models.F("minimum")),
                name="indicator_max_not_below_min",
            ),
        ]

    @property
    def description(self) -> str:
        return _localized(self.description_ar, self.description_en)

    @property
    def unit(self) -> str:
        if self.value_type == ValueType.PERCENTAGE:
            return "%"
        return _localized(self.unit_ar, self.unit_en)

    @property
    def decimal_places(self) -> int:
        return 0 if self.value_type == ValueType.INTEGER else 2

    def clean(self):
        if self.minimum is not None and self.maximum is not None and self.maximum < self.minimum:
            raise ValidationError({"maximum": _("The maximum cannot be below the minimum.")})
        out_of_percent = (self.minimum is not None and self.minimum < 0) or (
            self.maximum is not None and self.maximum > 100
        )
        if self.value_type == ValueType.PERCENTAGE and out_of_percent:
            raise ValidationError(
                {"maximum": _("A percentage's limits must lie between 0 and 100.")}
            )


class IndicatorSet(BilingualNameMixin, ClusterableModel):
    """One daily form: which indicators, in which sections, reported by which agencies.

    The figures for day D are due at `deadline_time` on day D + 1 (Asia/Riyadh); entry stays
    open `grace_days` days longer, then the day locks unless the committee grants an exception.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    agencies = ParentalManyToManyField(
        "agencies.Agency", related_name="indicator_sets", blank=True, verbose_name=_("agencies")
    )
    deadline_time = models.TimeField(
        _("deadline (next day)"),
        default=datetime.time(10, 0),
        help_text=_("The figures for a day are due at this time on the following day."),
    )
    grace_days = models.PositiveSmallIntegerField(
        _("days open after the deadline"),
        default=1,
        validators=[MaxValueValidator(30)],
        help_text=_("Late entry stays possible this many days after the deadline."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("daily form")
        verbose_name_plural = _("daily forms")
        ordering = ["name_ar"]


class IndicatorSetItem(Orderable):
    """One indicator's place on a daily form. A section title starts a new section there."""

    indicator_set = ParentalKey(IndicatorSet, on_delete=models.CASCADE, related_name="items")
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="set_items", verbose_name=_("indicator")
    )
    section_ar = models.CharField(
        _("new section (Arabic)"),
        max_length=120,
        blank=True,
        validators=[validate_plain_text],
        help_text=_("Fill in to start a new section at this indicator; leave empty to continue."),
    )
    section_en = models.CharField(
        _("new section (English)"), max_length=120, blank=True, validators=[validate_plain_text]
    )
    is_required = models.BooleanField(_("required"), default=True)

    class Meta(Orderable.Meta):
        verbose_name = _("indicator on the form")
        verbose_name_plural = _("indicators on the form")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator_set", "indicator"], name="indicator_once_per_set"
            ),
        ]

    @property
    def section(self) -> str:
        return _localized(self.section_ar, self.section_en)


class Comparison(models.TextChoices):
    LTE = "lte", "≤"
    LT = "lt", "<"
    EQ = "eq", "="
    GTE = "gte", "≥"
    GT = "gt", ">"


class Severity(models.TextChoices):
    BLOCKING = "blocking", _("Blocking: the form cannot be saved")
    WARNING = "warning", _("Warning: a comment is needed")


class ValidationRule(Orderable):
    """ "left ≤ right" across a form's indicators, e.g. discharged ≤ admitted.

    The right side is another indicator (times `factor`), or a constant when none is chosen.
    A rule is checked only when both sides have a value.
    """

    indicator_set = ParentalKey(IndicatorSet, on_delete=models.CASCADE, related_name="rules")
    left = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="+", verbose_name=_("indicator")
    )
    comparison = models.CharField(_("comparison"), max_length=3, choices=Comparison.choices)
    right = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("compared with indicator"),
    )
    factor = models.DecimalField(_("times"), max_digits=10, decimal_places=4, default=Decimal(1))
    constant = models.DecimalField(
        _("or with the number"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.BLOCKING
    )
    message_ar = models.CharField(
        _("message (Arabic)"), max_length=300, validators=[validate_plain_text]
    )
    message_en = models.CharField(
        _("message (English)"), max_length=300, validators=[validate_plain_text]
    )

    class Meta(Orderable.Meta):
        verbose_name = _("validation rule")
        verbose_name_plural = _("validation rules")

    @property
    def message(self) -> str:
        return _localized(self.message_ar, self.message_en)

    def clean(self):
        if (self.right_id is None) == (self.constant is None):
            raise ValidationError(
                _("Compare with either another indicator or a number, not both or neither.")
            )
        if self.right_id is not None and self.right_id == self.left_id:
            raise ValidationError({"right": _("An indicator cannot be compared with itself.")})


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    APPROVED = "approved", _("Approved")


COUNTED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


class DailyReport(TimeStampedModel):
    """One agency's figures for one daily form and one day."""

    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="daily_reports",
        verbose_name=_("agency"),
    )
    indicator_set = models.ForeignKey(
        IndicatorSet, on_delete=models.PROTECT, related_name="reports", verbose_name=_("form")
    )
    season = models.ForeignKey(
        "agencies.Season",
        on_delete=models.PROTECT,
        related_name="daily_reports",
        verbose_name=_("season"),
    )
    day = models.DateField(_("day"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    is_late = models.BooleanField(_("late"), default=False)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    review_comment = models.TextField(
        _("reviewer's comment"), blank=True, validators=[validate_plain_text]
    )
    reopened_until = models.DateTimeField(
        _("open for entry until"),
        null=True,
        blank=True,
        help_text=_("Set by an exception or a return: entry is possible until then."),
    )

    agency_lookup = "agency"
    objects = AgencyScopedManager()

    class Meta:
        verbose_name = _("daily report")
        verbose_name_plural = _("daily reports")
        permissions = [("review_dailyreport", _("Can return or approve daily reports"))]
        ordering = ["-day", "agency__name_ar"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator_set", "agency", "day"], name="one_report_per_set_agency_day"
            ),
        ]
        indexes = [
            models.Index(fields=["day", "indicator_set", "status"]),
            models.Index(fields=["agency", "day"]),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_set} — {self.agency} — {self.day.isoformat()}"


class ReportValue(models.Model):
    """One figure: an indicator's value for one agency and day, with the agency's comment
    (required when the value raised a warning) and the reviewer's follow-up flag."""

    report = models.ForeignKey(
        DailyReport, on_delete=models.CASCADE, related_name="values", verbose_name=_("report")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="values", verbose_name=_("indicator")
    )
    # Copied from the report so the dashboard's aggregates read one table.
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    day = models.DateField(_("day"))
    # Empty when the agency cleared a figure it had saved: the row keeps its history.
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4, null=True)
    comment = models.CharField(
        _("comment"), max_length=500, blank=True, validators=[validate_plain_text]
    )
    follow_up = models.BooleanField(_("flagged for follow-up"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    agency_lookup = "agency"
    objects = AgencyScopedManager()

    class Meta:
        verbose_name = _("reported value")
        verbose_name_plural = _("reported values")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="one_value_per_indicator"),
        ]
        indexes = [
            models.Index(fields=["indicator", "day"]),
            models.Index(fields=["agency", "indicator", "day"]),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} = {self.value}"


class ValueChange(models.Model):
    """The history of one figure: who changed it, when, from what to what."""

    value = models.ForeignKey(
        ReportValue, on_delete=models.CASCADE, related_name="history", verbose_name=_("value")
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    changed_at = models.DateTimeField(_("when"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("who"),
    )
    old_value = models.DecimalField(
        _("old value"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    new_value = models.DecimalField(
        _("new value"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    old_comment = models.CharField(_("old comment"), max_length=500, blank=True)
    new_comment = models.CharField(_("new comment"), max_length=500, blank=True)

    agency_lookup = "agency"
    objects = AgencyScopedManager()

    class Meta:
        verbose_name = _("value change")
        verbose_name_plural = _("value changes")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.old_value} → {self.new_value}"


class EntryException(TimeStampedModel):
    """A committee administrator reopened a locked day for one agency and form."""

    report = models.ForeignKey(
        DailyReport, on_delete=models.CASCADE, related_name="exceptions", verbose_name=_("report")
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    open_until = models.DateTimeField(_("open until"))
    reason = models.CharField(_("reason"), max_length=500, validators=[validate_plain_text])

    agency_lookup = "agency"
    objects = AgencyScopedManager()

    class Meta:
        verbose_name = _("entry exception")
        verbose_name_plural = _("entry exceptions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.report} → {self.open_until:%Y-%m-%d %H:%M}"


class ReminderKind(models.TextChoices):
    BEFORE_DEADLINE = "before", _("Reminder before the deadline")
    AFTER_DEADLINE = "after", _("Notice after the deadline")


class ReminderSent(models.Model):
    """One reminder per agency, form, day and kind: the unique row is the "exactly once"."""

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.CASCADE, related_name="+", verbose_name=_("agency")
    )
    indicator_set = models.ForeignKey(
        IndicatorSet, on_delete=models.CASCADE, related_name="+", verbose_name=_("form")
    )
    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=10, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    agency_lookup = "agency"
    objects = AgencyScopedManager()

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator_set", "agency", "day", "kind"], name="one_reminder_per_step"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.day.isoformat()}"


class IndicatorDayTotal(models.Model):
    """The rollup: one indicator's submitted figures for one day over all agencies.

    Rewritten for a (day, form) whenever one of its reports is submitted, changed, returned or
    approved, in the same transaction. Average over agencies is `total / reporting`; the
    latest is the figure most recently saved.
    """

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="day_totals", verbose_name=_("indicator")
    )
    # Derived from the figures (whose every change is in ValueChange): not audited itself.
    audited = False
    day = models.DateField(_("day"))
    total = models.DecimalField(_("sum"), max_digits=20, decimal_places=4)
    maximum = models.DecimalField(_("maximum"), max_digits=16, decimal_places=4)
    latest = models.DecimalField(_("latest"), max_digits=16, decimal_places=4)
    reporting = models.PositiveIntegerField(_("agencies reporting"))

    class Meta:
        verbose_name = _("indicator day total")
        verbose_name_plural = _("indicator day totals")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "day"], name="one_total_per_indicator_day"
            ),
        ]
        indexes = [models.Index(fields=["day", "indicator"])]

    def __str__(self) -> str:
        return f"{self.indicator_id} @ {self.day.isoformat()}: {self.total}"
