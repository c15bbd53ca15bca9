"""The committee's admin for seasons, agencies, memberships and staff: the "Agencies" menu.

Every listing, edit and delete view starts from `Model.objects.for_user(request.user)`.
"""

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.log_actions import log

import modules.agencies.import_hooks  # noqa: F401  (registers the import pages)
from modules.accounts.services import user_set_role
from modules.core.admin import InUseDeleteView
from modules.core.hijri import format_dual

from .admin_forms import (
    AgencyForm,
    MembershipForm,
    SeasonForm,
    StaffMemberCreateForm,
    StaffMemberEditForm,
)
from .models import Agency, Membership, Season, StaffMember
from .services import (
    EDITABLE_FIELDS,
    season_save,
    staff_create,
    staff_set_active,
    staff_update,
)


class ScopedIndexView(generic.IndexView):
    def get_base_queryset(self):
        return self.model.objects.for_user(self.request.user)


class ScopedEditView(generic.EditView):
    def get_queryset(self):
        return self.model.objects.for_user(self.request.user)


class ScopedDeleteView(InUseDeleteView):
    def get_queryset(self):
        return self.model.objects.for_user(self.request.user)


class AdminViewSet(ModelViewSet):
    copy_view_enabled = False
    delete_view_class = InUseDeleteView
    form_class = None

    def get_form_class(self, for_update=False):
        return self.form_class


class ScopedViewSet(AdminViewSet):
    index_view_class = ScopedIndexView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView


class WithoutDeleteMixin:
    """For records whose removal goes through a service instead (a role change, a
    deactivation): the generic delete view is not offered."""

    def get_urlpatterns(self):
        return [pattern for pattern in super().get_urlpatterns() if pattern.name != "delete"]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(**{"delete_url_name": None, **kwargs})


# --- Seasons ------------------------------------------------------------------------------


class SeasonCreateView(generic.CreateView):
    def save_instance(self):
        season = season_save(season=self.form.save(commit=False))
        log(instance=season, action="wagtail.create", user=self.request.user)
        return season


class SeasonEditView(generic.EditView):
    def save_instance(self):
        season = season_save(season=self.form.save(commit=False))
        log(
            instance=season,
            action="wagtail.edit",
            user=self.request.user,
            content_changed=self.form.has_changed(),
        )
        return season


class SeasonViewSet(AdminViewSet):
    """Seasons belong to no agency, so they are not scoped: the committee sees them all."""

    model = Season
    form_class = SeasonForm
    icon = "date"
    add_view_class = SeasonCreateView
    edit_view_class = SeasonEditView
    list_display = [
        "__str__",
        Column(
            "starts_on",
            label=capfirst(_("starts on")),
            accessor=lambda s: format_dual(s.starts_on),
            sort_key="starts_on",
        ),
        Column(
            "ends_on",
            label=capfirst(_("ends on")),
            accessor=lambda s: format_dual(s.ends_on),
            sort_key="ends_on",
        ),
        BooleanColumn("is_active", label=capfirst(_("active")), sort_key="is_active"),
    ]
    list_filter = ["is_active"]
    ordering = "-hijri_year"


# --- Agencies -----------------------------------------------------------------------------


class AgencyIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().annotate(membership_count=Count("memberships"))


class AgencyViewSet(ScopedViewSet):
    model = Agency
    form_class = AgencyForm
    icon = "group"
    index_view_class = AgencyIndexView
    list_display = [
        "__str__",
        "code",
        "kind",
        Column("membership_count", label=capfirst(_("memberships")), sort_key="membership_count"),
        BooleanColumn("is_active", label=capfirst(_("active")), sort_key="is_active"),
    ]
    list_filter = ["kind", "is_active"]
    search_fields = ["name_ar", "name_en", "code"]
    ordering = "name_ar"


# --- Memberships --------------------------------------------------------------------------


class MembershipSaveMixin:
    """A membership is a person's agency role: saved through `user_set_role`."""

    log_action = "wagtail.edit"

    def save_instance(self):
        data = self.form.cleaned_data
        user = data["user"]
        user_set_role(user=user, role=data["role"], agency=data["agency"])
        membership = Membership.objects.get(user=user)
        log(instance=membership, action=self.log_action, user=self.request.user)
        return membership


class MembershipCreateView(MembershipSaveMixin, generic.CreateView):
    log_action = "wagtail.create"


class MembershipEditView(MembershipSaveMixin, ScopedEditView):
    pass


class MembershipIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user", "agency")


class MembershipFilterSet(WagtailFilterSet):
    agency = django_filters.ModelChoiceFilter(
        label=capfirst(_("agency")), queryset=lambda request: Agency.objects.for_user(request.user)
    )

    class Meta:
        model = Membership
        fields = ["agency", "role"]


class MembershipViewSet(WithoutDeleteMixin, ScopedViewSet):
    """Removing a membership would leave an agency role without an agency: the person's role
    is changed, or they are deactivated, on the Users page instead."""

    model = Membership
    form_class = MembershipForm
    icon = "user"
    index_view_class = MembershipIndexView
    add_view_class = MembershipCreateView
    edit_view_class = MembershipEditView
    list_display = ["user", "agency", "role"]
    filterset_class = MembershipFilterSet
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    ordering = "agency"


# --- Staff --------------------------------------------------------------------------------


class ServiceErrorsMixin:
    """A service's ValidationError (say, a national ID on another roster) shows on the form."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            form.add_error(None, error)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class StaffMemberIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("agency", "season")


class StaffMemberCreateView(ServiceErrorsMixin, generic.CreateView):
    def get_form_kwargs(self):
        agencies = Agency.objects.for_user(self.request.user).filter(is_active=True)
        return {**super().get_form_kwargs(), "agencies": agencies}

    def save_instance(self):
        data = self.form.cleaned_data
        member = staff_create(
            actor=self.request.user,
            agency=data["agency"],
            season=data["season"],
            **{name: data[name] for name in EDITABLE_FIELDS},
        )
        log(instance=member, action="wagtail.create", user=self.request.user)
        return member


class StaffMemberEditView(ServiceErrorsMixin, ScopedEditView):
    def save_instance(self):
        data = self.form.cleaned_data
        changed = {name: data[name] for name in self.form.changed_data if name in EDITABLE_FIELDS}
        member = self.object
        if changed:
            member = staff_update(actor=self.request.user, staff=member, data=changed)
        member = staff_set_active(
            actor=self.request.user, staff=member, is_active=data["is_active"]
        )
        log(
            instance=member,
            action="wagtail.edit",
            user=self.request.user,
            content_changed=self.form.has_changed(),
        )
        return member


class StaffMemberFilterSet(WagtailFilterSet):
    agency = django_filters.ModelChoiceFilter(
        label=capfirst(_("agency")), queryset=lambda request: Agency.objects.for_user(request.user)
    )

    class Meta:
        model = StaffMember
        fields = ["agency", "season", "is_active"]


class StaffMemberViewSet(WithoutDeleteMixin, ScopedViewSet):
    """A roster entry is deactivated, not deleted: it stays on record."""

    model = StaffMember
    icon = "user"
    index_view_class = StaffMemberIndexView
    add_view_class = StaffMemberCreateView
    edit_view_class = StaffMemberEditView
    list_display = [
        "__str__",
        "agency",
        "season",
        "job_title",
        "phone",
        BooleanColumn("is_active", label=capfirst(_("active")), sort_key="is_active"),
    ]
    filterset_class = StaffMemberFilterSet
    search_fields = ["name_ar", "name_en", "national_id", "phone", "job_title"]
    ordering = "name_ar"

    def get_form_class(self, for_update=False):
        return StaffMemberEditForm if for_update else StaffMemberCreateForm


class AgenciesMenu(ModelViewSetGroup):
    menu_label = _("Agencies")
    menu_icon = "group"
    menu_order = 150
    items = (
        SeasonViewSet("seasons"),
        AgencyViewSet("agencies"),
        MembershipViewSet("memberships"),
        StaffMemberViewSet("staff_members"),
    )


@hooks.register("register_admin_viewset")
def register_agencies_menu():
    return AgenciesMenu()
