"""What the operations room's pages read and post.

Filters come from the query string (every field optional); the incident form and the
action forms are posted, cleaned here for shape only, and handed to the services, which
have the last word (their field errors are put back on these forms).
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from modules.agencies.selectors import agency_list
from modules.core.text import normalize_digits
from modules.core.widgets import HijriDateInput

from ..models import Category, Landmark, Priority, Status, Zone


def _agencies(user):
    return agency_list(user=user).filter(is_active=True).order_by("name_ar")


class FilterForm(forms.Form):
    """The board's and the list's filters: agency, category, priority, zone."""

    agency = forms.ModelChoiceField(
        queryset=None, required=False, empty_label=_("All agencies"), label=_("Agency")
    )
    category = forms.ModelChoiceField(
        queryset=Category.objects.order_by("sort_order", "name_ar"),
        required=False,
        empty_label=_("All categories"),
        label=_("Category"),
    )
    priority = forms.ModelChoiceField(
        queryset=Priority.objects.all(),
        required=False,
        empty_label=_("All priorities"),
        label=_("Priority"),
    )
    zone = forms.ModelChoiceField(
        queryset=Zone.objects.all(), required=False, empty_label=_("All zones"), label=_("Zone")
    )

    FILTERS = ("agency", "category", "priority", "zone")

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["agency"].queryset = _agencies(user)

    def filters(self) -> dict:
        """Keyword arguments for `selectors.ticket_list` (none when the form is invalid)."""
        if not self.is_valid():
            return {}
        return {name: self.cleaned_data[name] for name in self.FILTERS if self.cleaned_data[name]}


class TicketSearchForm(FilterForm):
    """The list of all tickets: a reference, open or closed, a status, and the filters."""

    STATE_OPEN, STATE_DONE, STATE_ALL = "open", "done", "all"

    q = forms.CharField(
        required=False,
        max_length=20,
        label=_("Reference"),
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric", "type": "search"}),
    )
    state = forms.ChoiceField(
        required=False,
        label=_("Open or closed"),
        choices=[
            (STATE_OPEN, pgettext_lazy("incident reports", "Open")),
            (STATE_DONE, _("Resolved or closed")),
            (STATE_ALL, _("All")),
        ],
    )
    status = forms.ChoiceField(
        required=False, label=_("Status"), choices=[("", _("Any status")), *Status.choices]
    )

    def search(self) -> dict:
        """{"state", "status", "reference"}: open tickets of any status by default."""
        if not self.is_valid():
            return {"state": self.STATE_OPEN, "status": None, "reference": ""}
        data = self.cleaned_data
        return {
            "state": data["state"] or self.STATE_OPEN,
            "status": data["status"] or None,
            "reference": normalize_digits(data["q"]).strip(),
        }


class IncidentForm(forms.Form):
    """A call taken in the room (phone or radio). Routing picks the agency unless one is chosen."""

    category = forms.ModelChoiceField(
        queryset=Category.objects.filter(is_active=True).order_by("sort_order", "name_ar"),
        empty_label=_("Choose a category"),
        label=_("Category"),
    )
    priority = forms.ModelChoiceField(
        queryset=Priority.objects.all(),
        required=False,
        empty_label=_("The category's default"),
        label=_("Priority"),
    )
    zone = forms.ModelChoiceField(
        queryset=Zone.objects.all(), required=False, empty_label=_("—"), label=_("Zone")
    )
    landmark = forms.ModelChoiceField(
        queryset=Landmark.objects.filter(is_active=True).select_related("zone"),
        required=False,
        empty_label=_("—"),
        label=_("Landmark, gate or area"),
    )
    latitude = forms.CharField(
        required=False,
        max_length=20,
        label=_("Latitude"),
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "decimal"}),
    )
    longitude = forms.CharField(
        required=False,
        max_length=20,
        label=_("Longitude"),
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "decimal"}),
    )
    location_note = forms.CharField(required=False, max_length=300, label=_("Location details"))
    description = forms.CharField(
        label=_("What happened"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    reporter_name = forms.CharField(required=False, max_length=120, label=_("Caller's name"))
    reporter_phone = forms.CharField(
        required=False,
        max_length=20,
        label=_("Caller's phone"),
        widget=forms.TextInput(attrs={"dir": "ltr", "type": "tel", "autocomplete": "off"}),
    )
    attachment = forms.FileField(
        required=False,
        label=_("Attachment"),
        help_text=_("A photo (JPEG, PNG or WebP) or a PDF document."),
    )
    agency = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label=_("By the routing rules"),
        label=_("Send to agency"),
        help_text=_("Leave as it is to let the routing rules choose the agency."),
    )

    # The services' error keys that name no field of this form.
    SERVICE_FIELDS = {"photo": "attachment", "location": None}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = _agencies(user)

    def clean(self):
        cleaned = super().clean()
        zone, landmark = cleaned.get("zone"), cleaned.get("landmark")
        if zone and landmark and landmark.zone_id != zone.pk:
            self.add_error("landmark", _("This landmark is not in the chosen zone."))
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "category": data["category"],
            "priority": data["priority"],
            "zone": data["zone"],
            "landmark": data["landmark"],
            "latitude": data["latitude"] or None,
            "longitude": data["longitude"] or None,
            "location_note": data["location_note"],
            "description": data["description"],
            "reporter_name": data["reporter_name"],
            "reporter_phone": data["reporter_phone"],
            "agency": data["agency"],
            "attachments": [data["attachment"]] if data["attachment"] else [],
        }


def add_service_errors(form: forms.Form, error: ValidationError, renames=None) -> None:
    """Put a service's ValidationError back on the form: on the named fields it has, the
    rest as the form's own errors."""
    renames = renames or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        field = renames.get(name, name)
        form.add_error(field if field in form.fields else None, messages)


# --- the operator's actions on a ticket ------------------------------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssignForm(forms.Form):
    """First assignment, or a reassignment (which needs a reason: the services insist too)."""

    agency = forms.ModelChoiceField(queryset=None, label=_("Agency"))
    reason = forms.CharField(
        required=False,
        label=_("Reason"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, user, ticket, **kwargs):
        super().__init__(*args, **kwargs)
        self.ticket = ticket
        agencies = _agencies(user)
        if ticket.agency_id:
            agencies = agencies.exclude(pk=ticket.agency_id)
            self.fields["reason"].required = True
            self.fields["reason"].help_text = _("Say why the report goes to another agency.")
        self.fields["agency"].queryset = agencies


class PriorityForm(forms.Form):
    priority = forms.ModelChoiceField(queryset=None, label=_("New priority"))
    reason = forms.CharField(
        required=False, label=_("Reason"), max_length=4000, widget=forms.TextInput()
    )

    def __init__(self, *args, ticket, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = Priority.objects.exclude(pk=ticket.priority_id)


class ResolveForm(forms.Form):
    note = forms.CharField(
        label=_("Resolution note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        required=False,
        label=_("Comment"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    is_public = forms.BooleanField(
        required=False,
        label=_("Show this comment to the reporter"),
        help_text=_("It then appears on the reporter's status page."),
    )
    attachment = forms.FileField(required=False, label=_("Attachment"))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("text", "").strip() and not cleaned.get("attachment"):
            raise ValidationError(_("Write a comment or attach a file."), code="empty")
        return cleaned


class EmptyForm(forms.Form):
    """Acknowledge, start, resume, close: nothing to fill in, only the button."""


# --- metrics ------------------------------------------------------------------------------------


class MetricsForm(forms.Form):
    """The period of the metrics page and its exports (defaults: the active season)."""

    start = forms.DateField(required=False, label=_("From"), widget=HijriDateInput())
    end = forms.DateField(required=False, label=_("To"), widget=HijriDateInput())

    MAX_DAYS = 366

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if start > end:
                self.add_error("end", _("The end of the period cannot be before its start."))
            elif (end - start).days >= self.MAX_DAYS:
                self.add_error("end", _("Choose a period of at most a year."))
        return cleaned

    def period(
        self, default: tuple[datetime.date, datetime.date]
    ) -> tuple[datetime.date, datetime.date]:
        """(start, end), each falling back to the default's (a lone start after the default
        end makes a one-day period)."""
        if not self.is_bound or not self.is_valid():
            return default
        start = self.cleaned_data["start"] or default[0]
        end = self.cleaned_data["end"] or default[1]
        return start, max(start, end)
