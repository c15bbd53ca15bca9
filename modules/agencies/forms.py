"""Forms shared by the portal and the imports: one set of rules, typed in or imported."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from modules.accounts.models import Language, User
from modules.accounts.roles import Role

from .models import Gender, Season, StaffMember
from .validators import normalize_national_id, normalize_phone


class NationalIdField(forms.CharField):
    """Accepts Arabic-Indic digits and spaces; the cleaned value is ten ASCII digits."""

    def to_python(self, value):
        return normalize_national_id(super().to_python(value))

    def widget_attrs(self, widget):
        # The limit applies to the cleaned value; "١٠٠٠ ٠٠٠ ٠٠٨" as typed is longer.
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class PhoneField(forms.CharField):
    """Accepts any way of writing a valid number (05…, 9665…, Arabic-Indic); cleans to E.164."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_phone(value) if value else value


class StaffMemberForm(forms.ModelForm):
    """A roster entry. The agency is not a field: it comes from who is acting (see services)."""

    gender = forms.ChoiceField(
        label=StaffMember._meta.get_field("gender").verbose_name,
        choices=Gender.choices,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = StaffMember
        fields = ["name_ar", "name_en", "national_id", "phone", "email", "job_title", "gender"]
        field_classes = {"national_id": NationalIdField, "phone": PhoneField}
        widgets = {
            "name_ar": forms.TextInput(attrs={"lang": "ar", "dir": "rtl", "autocomplete": "off"}),
            "name_en": forms.TextInput(attrs={"lang": "en", "dir": "ltr", "autocomplete": "off"}),
            "national_id": forms.TextInput(
                attrs={"inputmode": "numeric", "dir": "ltr", "autocomplete": "off"}
            ),
            "phone": forms.TextInput(attrs={"type": "tel", "dir": "ltr", "autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "off"}),
        }
        help_texts = {
            "national_id": _("Ten digits starting with 1 (citizen) or 2 (resident)."),
            "phone": _("A Saudi mobile such as 0501234567, or an international number with +."),
        }

    def __init__(self, *args, agencies=None, **kwargs):
        """`agencies`: a queryset to choose from, given only to committee people adding."""
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields = {
                "agency": forms.ModelChoiceField(
                    queryset=agencies, label=StaffMember._meta.get_field("agency").verbose_name
                ),
                **self.fields,
            }


class AgencyUserForm(forms.Form):
    """One agency account to create and invite; the agency is resolved by the caller."""

    email = forms.EmailField(label=User._meta.get_field("email").verbose_name, max_length=254)
    first_name = forms.CharField(
        label=User._meta.get_field("first_name").verbose_name, max_length=150
    )
    last_name = forms.CharField(
        label=User._meta.get_field("last_name").verbose_name, max_length=150
    )
    phone = PhoneField(
        label=User._meta.get_field("phone").verbose_name, max_length=20, required=False
    )
    preferred_language = forms.ChoiceField(
        label=User._meta.get_field("preferred_language").verbose_name,
        choices=Language.choices,
        required=False,
    )
    role = forms.ChoiceField(
        label=_("role"),
        choices=[(role.value, role.label) for role in (Role.AGENCY_MANAGER, Role.AGENCY_STAFF)],
    )

    def clean_email(self):
        return self.cleaned_data["email"].lower()

    def clean_preferred_language(self):
        return self.cleaned_data["preferred_language"] or Language.ARABIC


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet file"),
        widget=forms.FileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "A CSV file saved as UTF-8, or an Excel .xlsx workbook; at most %(size)s "
            "and %(rows)s rows. Nothing is imported unless every row is valid."
        ) % {
            "size": filesizeformat(settings.IMPORT_MAX_UPLOAD_SIZE),
            "rows": settings.IMPORT_MAX_ROWS,
        }


class RosterFilterForm(forms.Form):
    STATUS_CHOICES = [
        ("", _("All")),
        ("active", _("Active")),
        ("inactive", _("Inactive")),
    ]

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Name, national ID, phone or job title."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    season = forms.TypedChoiceField(label=_("Season"), coerce=int, required=False)

    def __init__(self, *args, seasons: list[Season], **kwargs):
        """`seasons` are given already loaded, so the page reads them from the database once."""
        super().__init__(*args, **kwargs)
        self.fields["season"].choices = [(season.hijri_year, str(season)) for season in seasons]
