"""What the statistics API reads (input serializers) and what it returns (output serializers),
kept apart: inputs are checked here and handed to the services; outputs describe what the
selectors and `aggregation` give back.

Figures travel as strings ("1250", "12.50"): a JSON number would lose the exact decimal. A
figure sent in may be a string (Arabic-Indic digits and separators allowed) or a number.
"""

import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from modules.agencies.models import Agency
from modules.core.text import normalize_digits

from .. import periods
from ..checks import COMMENT_MAX_LENGTH, format_number
from ..models import (
    DailyReport,
    Indicator,
    IndicatorCategory,
    IndicatorSet,
    ReportStatus,
    ReportValue,
    ValueChange,
)

# The longest period one aggregates request may cover: a season with room on either side.
MAX_PERIOD_DAYS = 366
MAX_LIST_ITEMS = 200


def figure_text(value: float | Decimal | None, indicator: Indicator) -> str | None:
    """A figure as the indicator shows it; an average of whole numbers keeps two decimals."""
    if value is None:
        return None
    if indicator.decimal_places == 0 and not float(value).is_integer():
        return f"{value:.2f}"
    return format_number(value, indicator)


# --- input ------------------------------------------------------------------------------


class DayField(serializers.DateField):
    """A YYYY-MM-DD date, in Latin or Arabic-Indic digits."""

    def to_internal_value(self, value):
        if isinstance(value, str):
            value = normalize_digits(value).strip()
        return super().to_internal_value(value)


@extend_schema_field(
    {"oneOf": [{"type": "string"}, {"type": "number"}], "nullable": True, "example": "١٢٥٠"}
)
class FigureInputField(serializers.Field):
    """A figure as typed: a string (Arabic-Indic or Latin digits) or a JSON number; null or
    "" clears it. `checks.parse_value` reads it, so the portal and the API agree."""

    default_error_messages = {
        "invalid": _("Send the figure as a number or a string of digits."),
        "max_length": _("This figure is too long."),
    }
    max_text_length = 40

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, str | int | float):
            self.fail("invalid")
        if isinstance(data, str) and len(data) > self.max_text_length:
            self.fail("max_length")
        return data

    def to_representation(self, value):
        return value


class CommaSeparatedField(serializers.ListField):
    """A query parameter holding a list: ?indicator=a,b or ?indicator=a&indicator=b."""

    def get_value(self, dictionary):
        if self.field_name not in dictionary:
            return serializers.empty
        raw = dictionary.getlist(self.field_name) if hasattr(dictionary, "getlist") else []
        return [
            part.strip()
            for text in raw
            for part in normalize_digits(text).split(",")
            if part.strip()
        ]


class PeriodQueryInputSerializer(serializers.Serializer):
    """?from=…&to=… (both days included). Python cannot name a field `from`, so the fields
    are `start` and `end` and take their public names in `get_fields`."""

    start = DayField(required=False, help_text=_("The first day, included (YYYY-MM-DD)."))
    end = DayField(required=False, help_text=_("The last day, included (YYYY-MM-DD)."))

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("start")
        fields["to"] = fields.pop("end")
        return fields

    def validate(self, attrs):
        attrs["start"], attrs["end"] = attrs.pop("from", None), attrs.pop("to", None)
        start, end = attrs["start"], attrs["end"]
        if start and end and end < start:
            raise serializers.ValidationError({"to": _("The last day is before the first.")})
        return attrs


class ReportQueryInputSerializer(PeriodQueryInputSerializer):
    form = serializers.SlugField(required=False, help_text=_("The daily form's code."))
    day = DayField(required=False)
    status = serializers.ChoiceField(choices=ReportStatus.choices, required=False)
    agency = CommaSeparatedField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=MAX_LIST_ITEMS,
        help_text=_("Agency ids, comma-separated (committee users)."),
    )


class AggregateQueryInputSerializer(PeriodQueryInputSerializer):
    group_by = serializers.ChoiceField(
        choices=[("day", _("Per indicator and day")), ("agency", _("Per indicator and agency"))],
        default="day",
    )
    indicator = CommaSeparatedField(
        child=serializers.SlugField(max_length=40),
        required=False,
        max_length=MAX_LIST_ITEMS,
        help_text=_("Indicator codes, comma-separated; all by default."),
    )
    agency = CommaSeparatedField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=MAX_LIST_ITEMS,
        help_text=_("Agency ids, comma-separated; every agency by default (committee users)."),
    )
    category = serializers.SlugField(
        required=False, max_length=40, help_text=_("An indicator category's code.")
    )


class IndicatorQueryInputSerializer(serializers.Serializer):
    category = serializers.SlugField(required=False, max_length=40)
    form = serializers.SlugField(required=False, max_length=40)
    is_public = serializers.BooleanField(required=False, allow_null=True, default=None)


class ValueInputSerializer(serializers.Serializer):
    indicator = serializers.SlugField(max_length=40, help_text=_("The indicator's code."))
    value = FigureInputField(allow_null=True)
    comment = serializers.CharField(
        max_length=COMMENT_MAX_LENGTH,
        allow_blank=True,
        required=False,
        help_text=_("Needed when the figure raises a warning. Left out: the stored comment stays."),
    )


class ReportInputSerializer(serializers.Serializer):
    """A day's figures for one of the agency's daily forms; `submit: false` saves a draft."""

    form = serializers.SlugRelatedField(
        slug_field="code",
        queryset=IndicatorSet.objects.none(),
        error_messages={"does_not_exist": _("Your agency does not report the form “{value}”.")},
        help_text=_("The daily form's code."),
    )
    day = DayField()
    values = ValueInputSerializer(many=True, max_length=1000)
    submit = serializers.BooleanField(default=True)

    def __init__(self, *args, forms=None, **kwargs):
        super().__init__(*args, **kwargs)
        if forms is not None:
            self.fields["form"].queryset = forms

    def validate_values(self, values):
        seen, repeated = set(), []
        for item in values:
            code = item["indicator"]
            if code in seen and code not in repeated:
                repeated.append(code)
            seen.add(code)
        if repeated:
            raise serializers.ValidationError(
                _("Send each indicator once; repeated: %(codes)s.") % {"codes": ", ".join(repeated)}
            )
        return values


# --- output -----------------------------------------------------------------------------


class CategoryOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorCategory
        fields = ["id", "code", "name_ar", "name_en"]


class IndicatorOutputSerializer(serializers.ModelSerializer):
    category = CategoryOutputSerializer()

    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "name_ar",
            "name_en",
            "description_ar",
            "description_en",
            "unit_ar",
            "unit_en",
            "value_type",
            "day_aggregation",
            "agency_aggregation",
            "minimum",
            "maximum",
            "category",
            "is_public",
        ]


class FormOutputSerializer(serializers.ModelSerializer):
    indicator_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = IndicatorSet
        fields = [
            "id",
            "code",
            "name_ar",
            "name_en",
            "deadline_time",
            "grace_days",
            "is_active",
            "indicator_count",
        ]


class FormItemOutputSerializer(serializers.Serializer):
    indicator = IndicatorOutputSerializer()
    is_required = serializers.BooleanField()


class FormSectionOutputSerializer(serializers.Serializer):
    title = serializers.CharField(help_text=_("In the request's language."))
    title_ar = serializers.SerializerMethodField()
    title_en = serializers.SerializerMethodField()
    items = FormItemOutputSerializer(many=True)

    def get_title_ar(self, section) -> str:
        return section.items[0].section_ar

    def get_title_en(self, section) -> str:
        return section.items[0].section_en


class RuleOutputSerializer(serializers.Serializer):
    left = serializers.SerializerMethodField(help_text=_("The indicator checked (its code)."))
    comparison = serializers.CharField()
    right = serializers.SerializerMethodField(
        help_text=_("The indicator compared with (its code), or null for a number.")
    )
    factor = serializers.DecimalField(max_digits=10, decimal_places=4)
    constant = serializers.DecimalField(max_digits=16, decimal_places=4, allow_null=True)
    severity = serializers.CharField()
    message_ar = serializers.CharField()
    message_en = serializers.CharField()

    def get_left(self, rule) -> str:
        return self.context["codes"].get(rule.left_id, "")

    def get_right(self, rule) -> str | None:
        return self.context["codes"].get(rule.right_id) if rule.right_id else None


class FormLayoutOutputSerializer(serializers.Serializer):
    """A daily form with its indicators in sections and its validation rules."""

    form = FormOutputSerializer(source="indicator_set")
    sections = FormSectionOutputSerializer(many=True)
    rules = serializers.SerializerMethodField()

    @extend_schema_field(RuleOutputSerializer(many=True))
    def get_rules(self, layout):
        codes = {item.indicator_id: item.indicator.code for item in layout.items}
        return RuleOutputSerializer(layout.rules, many=True, context={"codes": codes}).data


class AgencyBriefOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "code", "name_ar", "name_en"]


class ReportOutputSerializer(serializers.ModelSerializer):
    form = serializers.SlugRelatedField(source="indicator_set", slug_field="code", read_only=True)
    agency = AgencyBriefOutputSerializer()
    season = serializers.IntegerField(source="season.hijri_year", help_text=_("Hijri year."))
    deadline = serializers.SerializerMethodField()
    locks_at = serializers.SerializerMethodField()
    is_open = serializers.SerializerMethodField(
        help_text=_("Whether the agency may enter or change figures for this day now.")
    )

    class Meta:
        model = DailyReport
        fields = [
            "id",
            "form",
            "agency",
            "season",
            "day",
            "status",
            "is_late",
            "submitted_at",
            "reviewed_at",
            "review_comment",
            "reopened_until",
            "deadline",
            "locks_at",
            "is_open",
            "updated_at",
        ]

    def get_deadline(self, report) -> datetime.datetime:
        return periods.deadline(report.indicator_set, report.day)

    def get_locks_at(self, report) -> datetime.datetime:
        return periods.locks_at(report.indicator_set, report.day)

    def get_is_open(self, report) -> bool:
        return periods.is_open(report.indicator_set, report.day, report)


class ValueChangeOutputSerializer(serializers.ModelSerializer):
    changed_by = serializers.IntegerField(source="changed_by_id", allow_null=True)

    class Meta:
        model = ValueChange
        fields = [
            "changed_at",
            "changed_by",
            "old_value",
            "new_value",
            "old_comment",
            "new_comment",
        ]


class ReportValueOutputSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code", help_text=_("The indicator's code."))
    value = serializers.SerializerMethodField()
    history = ValueChangeOutputSerializer(source="changes", many=True)

    class Meta:
        model = ReportValue
        fields = ["indicator", "value", "comment", "follow_up", "updated_at", "history"]

    def get_value(self, value) -> str | None:
        return figure_text(value.value, value.indicator)


class ReportDetailOutputSerializer(ReportOutputSerializer):
    values = serializers.SerializerMethodField()

    class Meta(ReportOutputSerializer.Meta):
        fields = [*ReportOutputSerializer.Meta.fields, "values"]

    @extend_schema_field(ReportValueOutputSerializer(many=True))
    def get_values(self, report):
        return ReportValueOutputSerializer(self.context["values"], many=True).data


class MessagesByIndicator(serializers.DictField):
    child = serializers.ListField(child=serializers.CharField())


class ReportSavedOutputSerializer(ReportDetailOutputSerializer):
    warnings = serializers.SerializerMethodField(
        help_text=_("Warnings the comments sent with the figures answer, by indicator code.")
    )

    class Meta(ReportDetailOutputSerializer.Meta):
        fields = [*ReportDetailOutputSerializer.Meta.fields, "warnings"]

    @extend_schema_field(MessagesByIndicator())
    def get_warnings(self, report):
        return self.context["warnings"]


class EntryRejectedOutputSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = MessagesByIndicator(help_text=_("What stops the save, by indicator code."))
    warnings = MessagesByIndicator(help_text=_("What needs a comment, by indicator code."))
    form_errors = serializers.ListField(child=serializers.CharField())


class DetailOutputSerializer(serializers.Serializer):
    detail = serializers.CharField()


class DayFigureOutputSerializer(serializers.Serializer):
    day = serializers.DateField()
    value = serializers.CharField()


class AgencyFigureOutputSerializer(serializers.Serializer):
    agency = serializers.IntegerField()
    value = serializers.CharField()


class IndicatorAggregateOutputSerializer(serializers.Serializer):
    indicator = serializers.CharField(help_text=_("The indicator's code."))
    name_ar = serializers.CharField()
    name_en = serializers.CharField()
    value = serializers.CharField(
        allow_null=True, help_text=_("The figure over the whole period, or null without data.")
    )
    days = DayFigureOutputSerializer(many=True, required=False)
    agencies = AgencyFigureOutputSerializer(many=True, required=False)


# One object (the period and its results) though served by a viewset's list action.
@extend_schema_serializer(many=False)
class AggregatesOutputSerializer(serializers.Serializer):
    group_by = serializers.ChoiceField(choices=["day", "agency"])
    start = serializers.DateField()
    end = serializers.DateField()
    agencies = serializers.ListField(
        child=serializers.IntegerField(),
        allow_null=True,
        help_text=_("The agencies counted, or null for every agency."),
    )
    results = IndicatorAggregateOutputSerializer(many=True)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("start")
        fields["to"] = fields.pop("end")
        return fields
