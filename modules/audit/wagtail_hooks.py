"""The audit log in the Wagtail admin: a read-only listing and, per entry, each field's
value before and after. Shown to people with `audit.view_auditentry` (committee
administrators); there are no add, edit or delete views.
"""

import django_filters
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import ContentTypeFilter, DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.coreutils import get_content_type_label

from modules.agencies.models import Agency

from .models import AuditAction, AuditEntry
from .presentation import change_rows
from .selectors import audit_actor_list, audit_entry_list, audited_content_type_list


class AuditEntryFilterSet(WagtailFilterSet):
    actor = django_filters.ModelChoiceFilter(
        label=capfirst(_("who")), queryset=lambda request: audit_actor_list()
    )
    action = django_filters.ChoiceFilter(label=capfirst(_("action")), choices=AuditAction.choices)
    content_type = ContentTypeFilter(
        label=capfirst(_("record type")), queryset=lambda request: audited_content_type_list()
    )
    agency = django_filters.ModelChoiceFilter(
        label=capfirst(_("agency")), queryset=lambda request: Agency.objects.for_user(request.user)
    )
    created_at = django_filters.DateFromToRangeFilter(
        label=capfirst(_("when")), widget=DateRangePickerWidget
    )

    class Meta:
        model = AuditEntry
        fields = []


class AuditEntryIndexView(generic.IndexView):
    def get_base_queryset(self):
        return audit_entry_list(user=self.request.user)


class AuditEntryInspectView(generic.InspectView):
    template_name = "audit/admin/inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(audit_entry_list(user=self.request.user), pk=self.pk)

    def get_content_type_display_value(self):
        return get_content_type_label(self.object.content_type)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["changes"] = change_rows(self.object)
        return context


def _record_type(entry: AuditEntry) -> str:
    return get_content_type_label(entry.content_type)


class ReadOnlyViewSetMixin:
    """For listings nobody edits here (the log, reports under review): no add, edit,
    delete, history or usage links on their pages."""

    def get_common_view_kwargs(self, **kwargs):
        read_only = {
            "add_url_name": None,
            "edit_url_name": None,
            "delete_url_name": None,
            "history_url_name": None,
            "usage_url_name": None,
        }
        return super().get_common_view_kwargs(**{**read_only, **kwargs})


class AuditEntryViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    model = AuditEntry
    icon = "history"
    menu_label = _("Audit log")
    menu_order = 8000
    add_to_admin_menu = True
    add_to_reference_index = False
    index_view_class = AuditEntryIndexView
    inspect_view_class = AuditEntryInspectView
    inspect_view_enabled = True
    inspect_view_fields = [
        "created_at",
        "actor_repr",
        "action",
        "content_type",
        "object_repr",
        "object_id",
        "agency",
    ]
    copy_view_enabled = False
    filterset_class = AuditEntryFilterSet
    ordering = "-created_at"
    list_display = [
        "object_repr",
        "action",
        Column("content_type", label=capfirst(_("record type")), accessor=_record_type),
        "actor_repr",
        "agency",
        DateColumn("created_at", label=capfirst(_("when")), sort_key="created_at"),
    ]

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]

    @property
    def url_finder_class(self):
        finder = super().url_finder_class
        finder.edit_url_name = self.get_url_name("inspect")
        return finder


@hooks.register("register_admin_viewset")
def register_audit_log():
    return AuditEntryViewSet("audit_log")
