"""Forms of the operations room's configuration in the Wagtail admin.

Each form refuses, with a message on the field or row concerned, what the database would
refuse with an error page (two rules for the same category and zone, a second default
policy, a priority twice in a policy) and what it would accept but the clocks cannot use:

- a policy needs a time target for **every** priority. A ticket whose priority has no target
  gets no deadline, no countdown and no escalation — silently — so a policy with a gap is
  refused rather than saved. (A priority added later is missing from the policies saved before
  it: the admin says so when the priority is created, and each policy's form then opens with
  a row for it.)
- an escalation step that tells a named person names one, and goes out by e-mail or SMS;
- a business calendar has at least one working period, and its periods on a day do not
  overlap (overlapping hours would be counted twice).
"""

import re
from collections import defaultdict

from django import forms
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from modules.accounts.models import User
from modules.accounts.roles import COMMITTEE_ROLES
from modules.agencies.models import Agency

from .models import (
    DEFAULT_PAUSE_STATUSES,
    OPEN_STATUSES,
    Priority,
    Recipients,
    RoutingRule,
    SlaPolicy,
    Status,
    Weekday,
)

HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def _kept_rows(formset) -> list[forms.Form]:
    """The inline rows that will be saved; each validated on its own first, so `cleaned_data`
    holds every field that is valid even when another field of the row is not."""
    rows = []
    for form in formset.forms:
        form.is_valid()
        if form.empty_permitted and not form.has_changed():
            continue
        if not form.cleaned_data.get("DELETE"):
            rows.append(form)
    return rows


def _share_choices(formset, name: str, queryset) -> None:
    """Give every row of `formset` one list of choices for `name`, read once instead of once
    per row; a posted value is still checked against `queryset`."""
    choices = [("", "---------")] + [(item.pk, str(item)) for item in queryset]
    for form in formset.forms:
        form.fields[name].queryset = queryset
        form.fields[name].choices = choices


class PriorityForm(WagtailAdminModelForm):
    def clean_colour(self):
        colour = self.cleaned_data["colour"].strip()
        if not HEX_COLOUR.fullmatch(colour):
            raise forms.ValidationError(
                _("Enter a colour as # and six hexadecimal digits, such as #b42318."),
                code="invalid_colour",
            )
        return colour.lower()


class CategoryForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("sla_policy") and not SlaPolicy.objects.filter(is_default=True).exists():
            self.add_error(
                "sla_policy",
                _(
                    "There is no default SLA policy yet: choose a policy for this category, "
                    "or first mark a policy as the default."
                ),
            )
        return cleaned


class LandmarkForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if (latitude is None) != (longitude is None) and not (
            self.has_error("latitude") or self.has_error("longitude")
        ):
            raise forms.ValidationError(
                _("Give both the latitude and the longitude, or neither."), code="half_point"
            )
        return cleaned


class RoutingRuleForm(WagtailAdminModelForm):
    """A category has one rule per zone and at most one rule for "any zone"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "agency" in self.fields:
            # An inactive agency is offered only while this rule still names it.
            self.fields["agency"].queryset = (
                Agency.objects.for_user(self.for_user)
                .filter(Q(is_active=True) | Q(pk=self.instance.agency_id))
                .order_by("name_ar")
            )

    def clean(self):
        cleaned = super().clean()
        category, zone = cleaned.get("category"), cleaned.get("zone")
        if category is None:
            return cleaned
        others = RoutingRule.objects.filter(category=category).exclude(pk=self.instance.pk)
        if zone is None and others.filter(zone__isnull=True).exists():
            self.add_error(
                "zone",
                _(
                    "%(category)s already has a rule for any zone. Edit that rule, or choose "
                    "the zone this rule is for."
                )
                % {"category": category},
            )
        elif zone is not None and others.filter(zone=zone).exists():
            self.add_error(
                "zone",
                _("%(category)s already has a rule for %(zone)s. Edit that rule instead.")
                % {"category": category, "zone": zone},
            )
        return cleaned


def _pause_status_choices() -> list[tuple[str, str]]:
    return [(value, label) for value, label in Status.choices if value in OPEN_STATUSES]


def duty_people():
    """Who a step may name: active committee people (never one of 4,000 agency accounts)."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(role__in=COMMITTEE_ROLES) | Q(is_superuser=True))
        .order_by("first_name", "last_name", "email")
    )


class SlaPolicyForm(WagtailAdminModelForm):
    """A policy with its `targets` (per priority) and `steps` (the ladder) as inline rows."""

    pause_statuses = forms.MultipleChoiceField(
        label=capfirst(SlaPolicy._meta.get_field("pause_statuses").verbose_name),
        choices=_pause_status_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "While a ticket is in one of these statuses its clocks stand still and it cannot "
            "breach."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance._state.adding and not self.is_bound:
            self.initial["pause_statuses"] = list(DEFAULT_PAUSE_STATUSES)
        priorities = Priority.objects.order_by("rank", "code")
        self.priorities = list(priorities)
        if "targets" in self.formsets:
            if not self.is_bound:
                self._offer_missing_priorities()
            _share_choices(self.formsets["targets"], "priority", priorities)
        if "steps" in self.formsets:
            _share_choices(self.formsets["steps"], "person", duty_people())

    def _offer_missing_priorities(self) -> None:
        """The form opens with a row for each priority the policy has no target for yet:
        all of them on a new policy, a priority added since on an old one."""
        formset = self.formsets["targets"]
        present = {target.priority_id for target in formset.get_queryset()}
        missing = [{"priority": p.pk} for p in self.priorities if p.pk not in present]
        formset.extra = len(missing)
        formset.initial_extra = missing

    def clean_is_default(self):
        is_default = self.cleaned_data.get("is_default")
        if is_default:
            current = SlaPolicy.objects.filter(is_default=True).exclude(pk=self.instance.pk).first()
            if current is not None:
                raise forms.ValidationError(
                    _(
                        "“%(policy)s” is already the default policy. Untick it there first: "
                        "only one policy is the default."
                    )
                    % {"policy": current},
                    code="second_default",
                )
        return is_default

    def clean(self):
        # Runs before the formsets validate themselves, so a repeated priority gets this
        # message on its row rather than the formset's generic one about unique fields.
        cleaned = super().clean()
        if "targets" in self.formsets:
            self._check_targets()
        if "steps" in self.formsets:
            self._check_steps()
        return cleaned

    def _check_targets(self) -> None:
        covered: set[int] = set()
        for form in _kept_rows(self.formsets["targets"]):
            priority = form.cleaned_data.get("priority")
            if priority is None:
                continue
            if priority.pk in covered:
                form.add_error(
                    "priority",
                    _("%(priority)s already has a time target in this policy.")
                    % {"priority": priority},
                )
            covered.add(priority.pk)
            acknowledge = form.cleaned_data.get("acknowledge_minutes")
            resolve = form.cleaned_data.get("resolve_minutes")
            if acknowledge and resolve and acknowledge > resolve:
                form.add_error(
                    "acknowledge_minutes",
                    _("The time to acknowledge cannot be longer than the time to resolve."),
                )
        missing = [priority for priority in self.priorities if priority.pk not in covered]
        if missing:
            self.add_error(
                None,
                _(
                    "Give a time target for every priority; missing: %(priorities)s. A ticket "
                    "of a priority without a target would have no deadline."
                )
                % {"priorities": ", ".join(str(priority) for priority in missing)},
            )

    def _check_steps(self) -> None:
        seen: set[tuple] = set()
        for form in _kept_rows(self.formsets["steps"]):
            data = form.cleaned_data
            recipients = data.get("recipients")
            if recipients == Recipients.PERSON and not data.get("person"):
                form.add_error("person", _("Choose the person this step tells."))
            elif recipients and recipients != Recipients.PERSON:
                # A person left over from an earlier choice of recipients is not kept.
                data["person"] = None
                form.instance.person = None
            if not data.get("by_email") and not data.get("by_sms"):
                form.add_error("by_email", _("Send the step by e-mail, by SMS or both."))
            key = (
                data.get("target"),
                data.get("percent"),
                data.get("minutes_after"),
                recipients,
                getattr(data.get("person"), "pk", None),
            )
            if key in seen:
                form.add_error(
                    None, _("The same step is already on the ladder; it would be sent twice.")
                )
            seen.add(key)


WEEK_FROM_SATURDAY = (
    Weekday.SATURDAY,
    Weekday.SUNDAY,
    Weekday.MONDAY,
    Weekday.TUESDAY,
    Weekday.WEDNESDAY,
    Weekday.THURSDAY,
    Weekday.FRIDAY,
)


class WorkingPeriodForm(WagtailAdminModelForm):
    """A row of a calendar's working hours; the week is offered from Saturday."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "weekday" in self.fields:
            self.fields["weekday"].choices = [("", "---------")] + [
                (day.value, day.label) for day in WEEK_FROM_SATURDAY
            ]

    def clean(self):
        # Here rather than in the calendar's form: a row whose `closes` has an error is not
        # checked against the model's constraint again, which would say the same less clearly.
        cleaned = super().clean()
        opens, closes = cleaned.get("opens"), cleaned.get("closes")
        if opens is not None and closes is not None and closes <= opens:
            self.add_error("closes", _("The closing time must be after the opening time."))
        return cleaned


class BusinessCalendarForm(WagtailAdminModelForm):
    """A calendar with its `periods` (weekly working hours) and `holidays` as inline rows."""

    def clean(self):
        cleaned = super().clean()
        self._check_periods()
        self._check_holidays()
        return cleaned

    def _check_periods(self) -> None:
        rows = _kept_rows(self.formsets["periods"])
        by_day: dict[int, list[forms.Form]] = defaultdict(list)
        for form in rows:
            opens, closes = form.cleaned_data.get("opens"), form.cleaned_data.get("closes")
            if opens is None or closes is None or form.cleaned_data.get("weekday") is None:
                continue
            by_day[form.cleaned_data["weekday"]].append(form)
        for forms_of_day in by_day.values():
            forms_of_day.sort(key=lambda form: form.cleaned_data["opens"])
            for before, after in zip(forms_of_day, forms_of_day[1:], strict=False):
                if after.cleaned_data["opens"] < before.cleaned_data["closes"]:
                    after.add_error(
                        "opens",
                        _("This period overlaps another one on the same day; join them."),
                    )
        if not rows:
            self.add_error(
                None,
                _(
                    "Add at least one working period: a calendar without working hours would "
                    "stop every clock that uses it. For round-the-clock service, leave the "
                    "policy's business hours empty instead."
                ),
            )

    def _check_holidays(self) -> None:
        days: set = set()
        for form in _kept_rows(self.formsets["holidays"]):
            day = form.cleaned_data.get("day")
            if day is None:
                continue
            if day in days:
                form.add_error("day", _("This date is already a holiday in this calendar."))
            days.add(day)
