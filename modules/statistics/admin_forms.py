"""Forms of the committee's statistics admin: daily forms with their indicators and rules,
and the exception that reopens a locked day.

A daily form is one `IndicatorSetForm` with two inline formsets, `items` and `rules`. What no
single row can check is checked across them here: an indicator appears once per form (and
once among the active forms an agency reports), and a rule compares only indicators that are
on the form.
"""

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateTimeInput

from modules.agencies.models import Agency

from .models import EntryException, Indicator, IndicatorSet, IndicatorSetItem

INDICATOR_FIELDS = ("indicator", "left", "right")


def indicator_label(indicator: Indicator) -> str:
    return f"{indicator.name} ({indicator.code})"


def indicator_choices() -> list[tuple[object, str]]:
    """Every indicator as a choice, read once for all the rows of a daily form."""
    return [("", "---------")] + [
        (indicator.pk, indicator_label(indicator))
        for indicator in Indicator.objects.order_by("code").only("pk", "code", "name_ar", "name_en")
    ]


class IndicatorRowForm(WagtailAdminModelForm):
    """A row of a daily form (an item or a rule): indicators are labelled with their code."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in INDICATOR_FIELDS:
            if name in self.fields:
                self.fields[name].label_from_instance = indicator_label


def _kept_rows(formset) -> list[forms.Form]:
    """The rows not marked for deletion, validated on their own (`cleaned_data` then holds
    every field that is valid, even when another field of the row is not)."""
    rows = []
    for form in formset.forms:
        form.is_valid()
        if not form.cleaned_data.get("DELETE"):
            rows.append(form)
    return rows


class IndicatorSetForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "agencies" in self.fields:
            # Inactive agencies are offered only if the form still lists them.
            chosen = [agency.pk for agency in self.instance.agencies.all()]
            self.fields["agencies"].queryset = (
                Agency.objects.for_user(self.for_user)
                .filter(Q(is_active=True) | Q(pk__in=chosen))
                .order_by("name_ar")
            )
        # One query for the indicator lists of every row, not one per row.
        choices = indicator_choices()
        for formset in self.formsets.values():
            for form in formset.forms:
                for name in INDICATOR_FIELDS:
                    if name in form.fields:
                        form.fields[name].choices = choices

    def clean(self):
        # Runs before the formsets' own validation, so a duplicated indicator gets this
        # message on its row rather than the formset's generic one about unique fields.
        cleaned = super().clean()
        self._check_rows()
        return cleaned

    def _check_rows(self) -> None:
        on_form: dict[int, forms.Form] = {}
        for form in _kept_rows(self.formsets["items"]):
            indicator = form.cleaned_data.get("indicator")
            if indicator is None:
                continue
            if indicator.pk in on_form:
                form.add_error(
                    "indicator",
                    _("%(indicator)s is already on this form: an indicator appears once.")
                    % {"indicator": indicator_label(indicator)},
                )
            on_form.setdefault(indicator.pk, form)
        self._check_other_forms(on_form)
        for form in _kept_rows(self.formsets["rules"]):
            for name in ("left", "right"):
                indicator = form.cleaned_data.get(name)
                if indicator is not None and indicator.pk not in on_form:
                    form.add_error(
                        name,
                        _("%(indicator)s is not on this form; a rule compares its indicators.")
                        % {"indicator": indicator_label(indicator)},
                    )

    def _check_other_forms(self, on_form: dict[int, forms.Form]) -> None:
        """An agency reports each indicator on one active form only: on two, its figure
        would be counted twice in the day's total."""
        agencies = self.cleaned_data.get("agencies")
        if not on_form or not agencies or not self.cleaned_data.get("is_active"):
            return
        clashes = (
            IndicatorSetItem.objects.filter(
                indicator_id__in=on_form,
                indicator_set__is_active=True,
                indicator_set__agencies__in=agencies,
            )
            .exclude(indicator_set_id=self.instance.pk)
            .select_related("indicator_set")
            .distinct()
        )
        for item in clashes:
            on_form[item.indicator_id].add_error(
                "indicator",
                _(
                    "This indicator is already on the daily form “%(form)s”, which some of "
                    "these agencies also report: their figures would be counted twice."
                )
                % {"form": item.indicator_set.name},
            )


class ExceptionGrantForm(forms.Form):
    """What `exception_grant` needs beyond the cell it was opened from."""

    open_until = forms.DateTimeField(
        label=capfirst(EntryException._meta.get_field("open_until").verbose_name),
        widget=AdminDateTimeInput(attrs={"dir": "ltr"}),
        help_text=_("The agency can enter and correct this day's figures until then."),
    )
    reason = forms.CharField(
        label=capfirst(EntryException._meta.get_field("reason").verbose_name),
        max_length=EntryException._meta.get_field("reason").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded with the exception and shown to reviewers."),
    )

    def __init__(self, *args, indicator_set: IndicatorSet, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            grace = datetime.timedelta(days=max(indicator_set.grace_days, 1))
            until = timezone.localtime() + grace
            self.initial.setdefault("open_until", until.replace(second=0, microsecond=0))
