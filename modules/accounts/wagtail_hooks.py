"""Wagtail's bulk actions on users, routed through our services.

Wagtail's own "set active state" only flips a flag (sessions and app tokens would live on) and
its "assign role" adds a group without the agency membership. These replace them: a bulk
action registered later under the same `action_type` wins, hence `order=1`.
"""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.users.views.bulk_actions.assign_role import AssignRoleBulkAction
from wagtail.users.views.bulk_actions.set_active_state import SetActiveStateBulkAction

from modules.agencies.models import Agency

from .roles import AGENCY_ROLES, Role
from .services import user_deactivate, user_reactivate, user_set_role


class SetActiveStateThroughServices(SetActiveStateBulkAction):
    @classmethod
    def execute_action(cls, objects, mark_as_active=False, model=None, user=None, **kwargs):
        people = [person for person in objects if user is None or person.pk != user.pk]
        for person in people:
            if mark_as_active and not person.is_active:
                user_reactivate(user=person)
            elif not mark_as_active and person.is_active:
                user_deactivate(user=person)
        return len(people), 0


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=capfirst(_("role")), choices=Role.choices)
    agency = forms.ModelChoiceField(
        label=capfirst(_("agency")),
        queryset=Agency.objects.filter(is_active=True),
        required=False,
        help_text=_("Required for agency roles; leave empty for committee roles."),
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("role"):
            return cleaned
        agency_role = Role(cleaned["role"]) in AGENCY_ROLES
        if agency_role and cleaned.get("agency") is None:
            self.add_error("agency", _("Choose the agency these people work for."))
        elif not agency_role and cleaned.get("agency") is not None:
            self.add_error("agency", _("Committee roles do not belong to an agency."))
        return cleaned


class AssignRoleThroughServices(AssignRoleBulkAction):
    form_class = RoleForm

    def get_execution_context(self):
        return {
            "role": self.cleaned_form.cleaned_data["role"],
            "agency": self.cleaned_form.cleaned_data["agency"],
        }

    @classmethod
    def execute_action(cls, objects, role=None, agency=None, **kwargs):
        for person in objects:
            user_set_role(user=person, role=role, agency=agency)
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d person now has the role %(role)s.",
            "%(count)d people now have the role %(role)s.",
            num_parent_objects,
        ) % {
            "count": num_parent_objects,
            "role": Role(self.cleaned_form.cleaned_data["role"]).label,
        }


hooks.register("register_bulk_action", SetActiveStateThroughServices, order=1)
hooks.register("register_bulk_action", AssignRoleThroughServices, order=1)
