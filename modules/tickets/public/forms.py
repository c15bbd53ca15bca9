"""The public's report form (بلاغ), rendered by `cms.pages.models.IncidentReportPage`.

The form checks what a visitor can correct on the spot (a missing category, a coordinate out
of range, a photo that is not one, a phone number) so that the rate limit counts only reports
that would be stored; `services.ticket_create` checks everything again and has the last word.
Its refusals are put back on the same fields with `add_service_errors`.
"""

from decimal import Decimal
from itertools import groupby

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from modules.agencies.validators import normalize_phone
from modules.core.sanitize import plain_text, validate_plain_text
from modules.core.templatetags.rifada import localized
from modules.core.text import clean_text, normalize_digits

from ..models import Category, Landmark, Ticket
from ..services import MAX_TEXT
from ..uploads import check_upload

# A field no person sees or fills (hidden by CSS, from assistive technology and from the tab
# order); a bot that fills every field it finds gives itself away. Named to look worth filling.
HONEYPOT_FIELD = "website"
LOCATION_ERROR = "location"
COORDINATE_PLACES = Decimal("0.000001")
PHOTO_TYPES = "image/jpeg,image/png,image/webp"


class _ListedChoiceIterator(ModelChoiceIterator):
    """Iterates the field's queryset itself, not a fresh `.iterator()` over it: the form reads
    the rows once, to tell whether there are any, and rendering reuses them."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)

    def __len__(self):
        return len(self.queryset) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.queryset)


class _ZoneGroupedIterator(_ListedChoiceIterator):
    """Landmarks under one <optgroup> per zone, in the zones' order."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for zone, landmarks in groupby(self.queryset, key=lambda landmark: landmark.zone):
            yield (zone.name, [self.choice(landmark) for landmark in landmarks])


# Each choice is labelled str(record): its name in the active language (BilingualNameMixin).
class CategoryField(forms.ModelChoiceField):
    iterator = _ListedChoiceIterator


class LandmarkField(forms.ModelChoiceField):
    iterator = _ZoneGroupedIterator


class CategoryRadioSelect(forms.RadioSelect):
    """One choice per category, with its description in the page's language beside its name
    (the report form's template lays each one out from `description`)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        category = getattr(value, "instance", None)
        description = localized(category, "description") if category else ""
        option["description"] = description
        if description and option["attrs"].get("id"):
            option["attrs"]["aria-describedby"] = f"{option['attrs']['id']}_description"
        return option


class CoordinateField(forms.DecimalField):
    """Latitude or longitude as typed: Arabic-Indic digits and the Arabic decimal separator are
    read, and the value is rounded to the six places stored (about 10 cm)."""

    def __init__(self, *, limit: int, example: str, **kwargs):
        self.limit = limit
        self.example = example
        super().__init__(
            required=False,
            widget=forms.TextInput(
                attrs={
                    "inputmode": "decimal",
                    "dir": "ltr",
                    "autocomplete": "off",
                    "spellcheck": "false",
                    "maxlength": 24,
                }
            ),
            **kwargs,
        )

    def refusal(self) -> ValidationError:
        return ValidationError(
            gettext("Enter a number between -%(limit)s and %(limit)s, such as %(example)s.")
            % {"limit": self.limit, "example": self.example},
            code="coordinate",
        )

    def to_python(self, value):
        if isinstance(value, str):
            value = normalize_digits(value).replace("٫", ".").strip()
        try:
            number = super().to_python(value)
        except ValidationError as error:
            raise self.refusal() from error
        if number is None:
            return None
        if not number.is_finite() or not -self.limit <= number <= self.limit:
            raise self.refusal()
        return number.quantize(COORDINATE_PLACES)


def _max_length(field_name: str) -> int:
    return Ticket._meta.get_field(field_name).max_length


class IncidentReportForm(forms.Form):
    category = CategoryField(
        label=_("What is the report about?"),
        queryset=Category.objects.none(),
        empty_label=None,
        widget=CategoryRadioSelect,
        error_messages={
            "required": _("Choose what the report is about."),
            "invalid_choice": _("Choose one of the listed categories."),
        },
    )
    description = forms.CharField(
        label=_("Describe what happened"),
        max_length=MAX_TEXT,
        help_text=_("What you see, how many people are affected, anything the team should know."),
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
        error_messages={
            "required": _("Describe what happened."),
            "max_length": _(
                "Write at most %(limit_value)d characters (this text has %(show_value)d)."
            ),
        },
    )
    landmark = LandmarkField(
        label=_("Landmark, gate or area"),
        queryset=Landmark.objects.none(),
        required=False,
        empty_label=_("Choose a place…"),
        error_messages={"invalid_choice": _("Choose one of the listed places.")},
    )
    latitude = CoordinateField(label=_("Latitude"), limit=90, example="24.467200")
    longitude = CoordinateField(label=_("Longitude"), limit=180, example="39.611100")
    location_note = forms.CharField(
        label=_("More about the place"),
        required=False,
        max_length=_max_length("location_note"),
        help_text=_("For example: the floor, the gate's side, a shop or a sign nearby."),
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("One photo (JPEG, PNG or WebP), if it helps to see the problem."),
        widget=forms.FileInput(attrs={"accept": PHOTO_TYPES}),
    )
    reporter_name = forms.CharField(
        label=_("Your name"),
        required=False,
        max_length=_max_length("reporter_name"),
        validators=[validate_plain_text],
        widget=forms.TextInput(attrs={"autocomplete": "name", "dir": "auto"}),
    )
    reporter_phone = forms.CharField(
        label=_("Your mobile phone"),
        required=False,
        max_length=32,
        help_text=_(
            "A Saudi number such as 0501234567. We send you a text message when the report "
            "is resolved, and the team may call you about it."
        ),
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel", "dir": "ltr"}
        ),
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(
            is_active=True, is_public=True
        ).order_by("sort_order", "name_ar", "pk")
        self.fields["landmark"].queryset = (
            Landmark.objects.filter(is_active=True)
            .select_related("zone")
            .order_by("zone__sort_order", "zone__name_ar", "zone_id", "kind", "name_ar", "pk")
        )

    @property
    def categories(self) -> list[Category]:
        return list(self.fields["category"].queryset)

    @property
    def has_landmarks(self) -> bool:
        return bool(self.fields["landmark"].queryset)

    @property
    def caught_in_honeypot(self) -> bool:
        """A bot filled the field no person sees."""
        return bool(self.is_bound and str(self.data.get(HONEYPOT_FIELD, "")).strip())

    # --- checks ------------------------------------------------------------------------

    def clean_description(self) -> str:
        """Text that is nothing but markup is no description; the service strips the markup."""
        description = self.cleaned_data["description"]
        if not plain_text(description):
            raise ValidationError(
                self.fields["description"].error_messages["required"], code="required"
            )
        return description

    def clean_reporter_phone(self) -> str:
        value = clean_text(self.cleaned_data["reporter_phone"])
        return normalize_phone(value) if value else ""

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo:
            check_upload(photo, images_only=True)
        return photo

    def clean(self):
        cleaned = super().clean()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        typed_a_coordinate = any(
            str(self.data.get(self.add_prefix(name), "")).strip()
            for name in ("latitude", "longitude")
        )
        if (latitude is None) != (longitude is None):
            if not self.has_error("latitude") and not self.has_error("longitude"):
                missing = "longitude" if longitude is None else "latitude"
                self.add_error(missing, _("Give both the latitude and the longitude, or neither."))
        elif (
            cleaned.get("landmark") is None
            and latitude is None
            and not typed_a_coordinate
            and not self.has_error("landmark")
        ):
            self.add_error(
                None,
                ValidationError(
                    _("Mark the place on the map, or choose a landmark, gate or area."),
                    code=LOCATION_ERROR,
                ),
            )
        return cleaned

    # --- the service -------------------------------------------------------------------

    def report_fields(self) -> dict:
        """The keyword arguments of `services.ticket_create` for a valid form."""
        data = self.cleaned_data
        photo = data.get("photo")
        return {
            "category": data["category"],
            "description": data["description"],
            "landmark": data.get("landmark"),
            "latitude": data.get("latitude"),
            "longitude": data.get("longitude"),
            "location_note": data.get("location_note", ""),
            "reporter_name": data.get("reporter_name", ""),
            "reporter_phone": data.get("reporter_phone", ""),
            "attachments": [photo] if photo else [],
        }

    def add_service_errors(self, error: ValidationError) -> None:
        """Put the service's refusal on the fields it names; the rest on the whole form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            if name in self.fields:
                self.add_error(name, errors)
            elif name == LOCATION_ERROR:
                for error_item in errors:
                    for message in error_item.messages:
                        self.add_error(None, ValidationError(message, code=LOCATION_ERROR))
            else:
                self.add_error(None, errors)

    # --- what the template shows -------------------------------------------------------

    @property
    def location_errors(self) -> list[str]:
        return [
            message
            for error in self.non_field_errors().as_data()
            if error.code == LOCATION_ERROR
            for message in error.messages
        ]

    @property
    def general_errors(self) -> list[str]:
        return [
            message
            for error in self.non_field_errors().as_data()
            if error.code != LOCATION_ERROR
            for message in error.messages
        ]

    def error_summary(self) -> list[dict]:
        """Every problem, in the form's order, with the id of the control to go to."""
        problems = [
            {"target": "", "name": "", "message": message} for message in self.general_errors
        ]
        for name, field in self.fields.items():
            bound = self[name]
            # The category's label is a question; the summary names it.
            label = _("Category") if name == "category" else field.label
            target = f"{bound.auto_id}_0" if name == "category" else bound.auto_id
            problems += [
                {"target": target, "name": label, "message": message} for message in bound.errors
            ]
            if name == "landmark":
                problems += [
                    {"target": "report-location", "name": _("Where"), "message": message}
                    for message in self.location_errors
                ]
        return problems
