"""The Wagtail admin's forms for people: no password fields, one role, and the agency."""

from django import forms
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from modules.agencies.models import Agency
from modules.agencies.validators import normalize_phone

from .models import User
from .roles import AGENCY_ROLES, Role

PROFILE_FIELDS = ["email", "first_name", "last_name", "phone", "preferred_language"]


class UserAdminForm(forms.ModelForm):
    """Validation shared by the create and edit forms; the views save through services."""

    required_css_class = "required"
    role = forms.ChoiceField(label=capfirst(_("role")), choices=Role.choices)
    agency = forms.ModelChoiceField(
        label=capfirst(_("agency")),
        queryset=Agency.objects.none(),
        required=False,
        help_text=_("Required for agency roles; leave empty for committee roles."),
    )

    class Meta:
        model = User
        fields = PROFILE_FIELDS

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.for_user = for_user
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        self.fields["agency"].queryset = Agency.objects.for_user(for_user).filter(is_active=True)

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        others = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(
                _("A person with this e-mail address already has an account."),
                code="duplicate_email",
            )
        return email

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        return normalize_phone(phone) if phone else ""

    def clean(self):
        cleaned = super().clean()
        if "role" not in self.fields or not cleaned.get("role"):
            return cleaned
        agency_role = Role(cleaned["role"]) in AGENCY_ROLES
        if agency_role and cleaned.get("agency") is None:
            self.add_error("agency", _("Choose the agency this person works for."))
        elif not agency_role and cleaned.get("agency") is not None:
            self.add_error("agency", _("Committee roles do not belong to an agency."))
        return cleaned

    def _get_validation_exclusions(self):
        # Uniqueness of the e-mail address is checked case-insensitively in clean_email.
        exclusions = super()._get_validation_exclusions()
        exclusions.add("email")
        return exclusions


class UserCreateForm(UserAdminForm):
    pass


class UserEditForm(UserAdminForm):
    is_active = forms.BooleanField(
        label=capfirst(_("active")),
        required=False,
        help_text=_(
            "Unticking signs the person out everywhere and ends their app tokens; "
            "they can no longer sign in."
        ),
    )

    def __init__(self, *args, editing_self=False, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.instance
        self.fields["is_active"].initial = user.is_active
        self.fields["role"].initial = user.role
        self.fields["agency"].initial = user.agency_id
        # A person can stay in an agency that has since been made inactive.
        self.fields["agency"].queryset = Agency.objects.for_user(self.for_user).filter(
            Q(is_active=True) | Q(pk=user.agency_id)
        )
        if editing_self:
            # Nobody can lock themselves out: their own role and access are changed by another.
            for name in ("role", "agency", "is_active"):
                del self.fields[name]
