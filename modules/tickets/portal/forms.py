"""The agency portal's incident forms: the queue's filters, a new incident, and the actions.

The forms only shape the input; `services` cleans and checks it and has the last word (a
`ValidationError` it raises is shown on the form by `add_service_error`).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..models import Category, Landmark, Priority, Ticket, Zone

TEXT_LIMIT = Ticket._meta.get_field("description").max_length
ACCEPTED_FILES = "image/jpeg,image/png,image/webp,application/pdf,.pdf"


class QueueView:
    ASSIGNED = "assigned"
    REPORTED = "reported"


class QueueStatus:
    OPEN = "open"
    RESOLVED = "resolved"
    ALL = "all"


class LocalizedChoiceField(forms.ModelChoiceField):
    """A configuration record shown by its name in the active language."""

    def label_from_instance(self, obj) -> str:
        return obj.name


class LandmarkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.zone.name} — {obj.name}"


class QueueFilterForm(forms.Form):
    """The queue's filters, read from the address (?status=…&priority=…&category=…)."""

    view = forms.ChoiceField(
        choices=[
            (QueueView.ASSIGNED, _("Assigned to us")),
            (QueueView.REPORTED, _("Reported by us")),
        ],
        required=False,
        widget=forms.HiddenInput,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (QueueStatus.OPEN, pgettext_lazy("incident reports", "Open")),
            (QueueStatus.RESOLVED, _("Resolved or closed")),
            (QueueStatus.ALL, _("All")),
        ],
        required=False,
    )
    priority = LocalizedChoiceField(
        label=_("Priority"),
        queryset=Priority.objects.all(),
        required=False,
        empty_label=_("Any priority"),
    )
    category = LocalizedChoiceField(
        label=_("Category"),
        queryset=Category.objects.all(),
        required=False,
        empty_label=_("Any category"),
    )

    def filters(self) -> dict:
        """The valid filters; a value that does not validate is ignored, not shown as an error."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "view": data.get("view") or QueueView.ASSIGNED,
            "status": data.get("status") or QueueStatus.OPEN,
            "priority": data.get("priority"),
            "category": data.get("category"),
        }


class TicketCreateForm(forms.Form):
    """An incident the agency reports itself. The routing rules decide who answers it and the
    category gives its priority; only the operations room changes either."""

    category = LocalizedChoiceField(
        label=_("Category"),
        queryset=Category.objects.filter(is_active=True),
        empty_label=_("Choose a category"),
    )
    description = forms.CharField(
        label=_("What happened"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
    )
    zone = LocalizedChoiceField(
        label=_("Zone"),
        queryset=Zone.objects.all(),
        required=False,
        empty_label=_("Choose a zone"),
    )
    landmark = LandmarkChoiceField(
        label=_("Landmark, gate or area"),
        queryset=Landmark.objects.filter(is_active=True).select_related("zone"),
        required=False,
        empty_label=_("Choose a place"),
    )
    # Text, not numbers: the service reads Arabic-Indic digits and the Arabic decimal point.
    latitude = forms.CharField(
        label=_("Latitude"),
        required=False,
        max_length=20,
        help_text=_("Optional, in decimal degrees, e.g. 21.422487."),
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "decimal"}),
    )
    longitude = forms.CharField(
        label=_("Longitude"),
        required=False,
        max_length=20,
        help_text=_("Optional, in decimal degrees, e.g. 39.826206."),
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "decimal"}),
    )
    location_note = forms.CharField(
        label=_("Location details"),
        max_length=Ticket._meta.get_field("location_note").max_length,
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    photo = forms.FileField(
        label=_("Photo or document"),
        required=False,
        help_text=_("Optional: a JPEG, PNG or WebP photo, or a PDF document."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_FILES}),
    )

    def clean(self):
        data = super().clean()
        has_place = data.get("zone") or data.get("landmark")
        has_point = bool(data.get("latitude") or data.get("longitude"))
        if not self.errors and not (has_place or has_point):
            raise ValidationError(
                _("Say where it is: choose a zone or a landmark, or give the coordinates."),
                code="location_required",
            )
        return data

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        upload = data.pop("photo")
        return {**data, "attachments": [upload] if upload else []}


class ResolveForm(forms.Form):
    note = forms.CharField(
        label=_("Resolution note"),
        max_length=TEXT_LIMIT,
        help_text=_("What was done; the operations room reads it before closing the incident."),
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
    attachments = forms.FileField(
        label=_("Photo or document"),
        required=False,
        help_text=_("Optional: a JPEG, PNG or WebP photo, or a PDF document."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_FILES}),
    )

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("text", "").strip() or data.get("attachments")):
            raise ValidationError(_("Write a comment or attach a file."), code="empty_comment")
        return data

    def service_arguments(self) -> dict:
        upload = self.cleaned_data["attachments"]
        return {"text": self.cleaned_data["text"], "attachments": [upload] if upload else []}


class ReassignRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why another agency should take it"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: a field's message under that field when
    the form has it, everything else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
