"""The committee's read-only view of sent messages in the Wagtail admin, with a resend action.

Seeing the list needs `notifications.view_message`; resending a failed message needs
`notifications.change_message`. Nothing else can be done to a message from the admin.
Message bodies are not shown: an invitation's body carries a one-time password link.
"""

import django_filters
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton, MenuItem

from .models import Message, MessageStatus
from .services import message_resend


class MessageFilterSet(WagtailFilterSet):
    created_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Created"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Message
        fields = {"channel": ["exact"], "status": ["exact"]}


class ResendMixin:
    resend_url_name = None

    def get_resend_url(self, message: Message) -> str | None:
        if message.status == MessageStatus.FAILED and self.user_has_permission("change"):
            return reverse(self.resend_url_name, args=[message.pk])
        return None


class MessageIndexView(ResendMixin, IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if resend_url := self.get_resend_url(instance):
            buttons.append(MenuItem(_("Resend"), url=resend_url, icon_name="redirect"))
        return buttons


class MessageInspectView(ResendMixin, InspectView):
    @cached_property
    def header_buttons(self):
        if resend_url := self.get_resend_url(self.object):
            return [HeaderButton(_("Resend"), url=resend_url, icon_name="redirect")]
        return []


class MessageResendView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """GET asks for confirmation, POST puts the failed message back in the queue."""

    model = Message
    permission_required = "change"
    template_name = "notifications/admin/confirm_resend.html"
    page_title = gettext_lazy("Resend")
    header_icon = "mail"
    index_url_name = None
    inspect_url_name = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(Message, pk=kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": Message._meta.verbose_name_plural},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            object=self.object,
            can_resend=self.object.status == MessageStatus.FAILED,
            inspect_url=reverse(self.inspect_url_name, args=[self.object.pk]),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if message_resend(message=self.object):
            messages.success(request, _("The message is queued to be sent again."))
        else:
            messages.error(request, _("Only a failed message can be sent again."))
        return redirect(self.inspect_url_name, self.object.pk)


class MessageViewSet(ModelViewSet):
    model = Message
    icon = "mail"
    menu_label = gettext_lazy("Messages sent")
    menu_order = 900
    add_to_admin_menu = True
    index_view_class = MessageIndexView
    inspect_view_class = MessageInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "recipient",
        "channel",
        "template",
        "status",
        Column("attempts", label=gettext_lazy("Attempts")),
        DateColumn("created_at", label=gettext_lazy("Created")),
        DateColumn("sent_at", label=gettext_lazy("Sent")),
    ]
    filterset_class = MessageFilterSet
    search_fields = ["recipient", "provider_id"]
    search_backend_name = None
    inspect_view_fields = [
        "channel",
        "recipient",
        "user",
        "language",
        "template",
        "subject",
        "status",
        "attempts",
        "error",
        "provider_id",
        "created_at",
        "next_attempt_at",
        "sent_at",
    ]

    def get_common_view_kwargs(self, **kwargs):
        # No add, edit, delete, copy, history or usage views: their URLs are never built.
        return super().get_common_view_kwargs(
            add_url_name=None,
            edit_url_name=None,
            delete_url_name=None,
            history_url_name=None,
            usage_url_name=None,
            resend_url_name=self.get_url_name("resend"),
            **kwargs,
        )

    @property
    def resend_view(self):
        return self.construct_view(MessageResendView)

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("resend/<int:pk>/", self.resend_view, name="resend"),
        ]

    def get_permissions_to_register(self):
        return (
            super()
            .get_permissions_to_register()
            .filter(codename__in=["view_message", "change_message"])
        )


message_viewset = MessageViewSet("messages")
