"""Forms of the committee's Wagtail admin for seasons, agencies, memberships and staff."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from modules.accounts.models import User
from modules.accounts.roles import COMMITTEE_ROLES
from modules.core.widgets import HijriDateInput

from .forms import PhoneField, StaffMemberForm
from .models import Agency, Membership, MembershipRole, Season, StaffMember


class SeasonForm(WagtailAdminModelForm):
    class Meta:
        model = Season
        fields = ["hijri_year", "starts_on", "ends_on", "is_active"]
        widgets = {"starts_on": HijriDateInput(), "ends_on": HijriDateInput()}
        help_texts = {
            "is_active": _("Making this season active ends the season active until now."),
        }

    def _get_validation_exclusions(self):
        # One active season is kept by `season_save`, which ends the previous one in the same
        # transaction; checking the constraint here would refuse every new active season.
        exclusions = super()._get_validation_exclusions()
        exclusions.add("is_active")
        return exclusions


class AgencyForm(WagtailAdminModelForm):
    class Meta:
        model = Agency
        fields = [
            "name_ar",
            "name_en",
            "code",
            "kind",
            "contact_name",
            "phone",
            "email",
            "is_active",
        ]
        field_classes = {"phone": PhoneField}


class StaffMemberCreateForm(StaffMemberForm):
    """The portal's roster form, plus the agency (given by the view) and the season."""

    season = forms.ModelChoiceField(
        label=StaffMember._meta.get_field("season").verbose_name,
        queryset=Season.objects.all(),
        required=False,
        help_text=_("Leave empty for the active season."),
    )


class StaffMemberEditForm(StaffMemberForm):
    """The agency and season of a roster entry never change; it can be (de)activated."""

    # Not a model field of the form: `staff_set_active` compares it with the stored value.
    is_active = forms.BooleanField(
        label=StaffMember._meta.get_field("is_active").verbose_name, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["is_active"].initial = self.instance.is_active


class MembershipForm(WagtailAdminModelForm):
    """Saved through `user_set_role`, so the person's role group always matches."""

    class Meta:
        model = Membership
        fields = ["user", "agency", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.for_user(self.for_user)
        self.fields["role"].choices = MembershipRole.choices
        people = User.objects.filter(is_active=True, is_superuser=False)
        if self.instance.pk:
            self.fields["user"].disabled = True
        else:
            # Committee people become agency people on the Users page, where it is explicit.
            people = people.filter(membership__isnull=True).exclude(
                groups__name__in=COMMITTEE_ROLES
            )
        self.fields["user"].queryset = people
