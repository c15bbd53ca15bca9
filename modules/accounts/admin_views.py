"""Wagtail's user admin, made to create, change and deactivate people through our services.

Wired in through `RifadaUsersAppConfig.user_viewset` (see apps.py). Creating asks for the
person's details, role and agency and sends the invitation; there are no password fields
(people choose their own from the invitation); deactivating ends their sessions and tokens.
"""

import django_filters
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import log
from wagtail.users.views import users as wagtail_users

from modules.agencies.models import Agency

from .admin_forms import UserCreateForm, UserEditForm
from .models import User
from .services import user_create, user_invite, user_update


def _role_label(user: User) -> str:
    return user.get_role_display()


def _agency_name(user: User) -> str:
    membership = getattr(user, "membership", None)
    return str(membership.agency) if membership else ""


class UserFilterSet(wagtail_users.UserFilterSet):
    agency = django_filters.ModelChoiceFilter(
        label=capfirst(_("agency")),
        field_name="membership__agency",
        queryset=lambda request: Agency.objects.for_user(request.user),
    )

    class Meta(wagtail_users.UserFilterSet.Meta):
        pass


class IndexView(wagtail_users.IndexView):
    @cached_property
    def columns(self):
        # Wagtail's columns: checkbox, name, username (our e-mail), access level, active, login.
        checkbox, name, _username, *others = super().columns
        return [
            checkbox,
            name,
            Column(
                "email",
                label=capfirst(User._meta.get_field("email").verbose_name),
                sort_key="email",
            ),
            Column("role", accessor=_role_label, label=capfirst(_("role"))),
            Column("agency", accessor=_agency_name, label=capfirst(_("agency"))),
            *others,
        ]

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("membership__agency")

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if instance.is_active and self.user_has_permission("change"):
            buttons.append(
                Button(
                    _("Resend invitation"),
                    url=reverse("wagtailusers_users:resend_invitation", args=[instance.pk]),
                    icon_name="mail",
                    priority=40,
                )
            )
        return buttons


class CreateView(wagtail_users.CreateView):
    success_message = _("%(object)s was added and an invitation was e-mailed to them.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "for_user": self.request.user}

    def save_instance(self):
        data = self.form.cleaned_data
        user = user_create(
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            phone=data["phone"],
            preferred_language=data["preferred_language"],
            role=data["role"],
            agency=data["agency"],
        )
        log(instance=user, action="wagtail.create", user=self.request.user)
        return user


class EditView(wagtail_users.EditView):
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "for_user": self.request.user}

    def save_instance(self):
        data = self.form.cleaned_data
        user_update(
            user=self.object,
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            phone=data["phone"],
            preferred_language=data["preferred_language"],
            role=data.get("role"),
            agency=data.get("agency"),
            is_active=data.get("is_active", True),
        )
        log(
            instance=self.object,
            action="wagtail.edit",
            user=self.request.user,
            content_changed=self.form.has_changed(),
        )
        return self.object

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.object.is_active and self.user_has_permission("change"):
            buttons.append(
                Button(
                    _("Resend invitation"),
                    url=reverse("wagtailusers_users:resend_invitation", args=[self.object.pk]),
                    icon_name="mail",
                    priority=40,
                )
            )
        return buttons


class ResendInvitationView(
    PermissionCheckedMixin, BaseObjectMixin, WagtailAdminTemplateMixin, TemplateView
):
    """Asks to confirm, then e-mails the person a fresh link to choose their password."""

    model = User
    permission_required = "change"
    template_name = "accounts/admin/resend_invitation.html"
    page_title = _("Resend invitation")
    header_icon = "mail"
    edit_url_name = None

    def get_base_object_queryset(self):
        return User.objects.filter(is_active=True)

    def get_page_subtitle(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["person"] = self.object
        context["edit_url"] = reverse(self.edit_url_name, args=[self.object.pk])
        return context

    def post(self, request, *args, **kwargs):
        user_invite(user=self.object)
        messages.success(
            request,
            _("A new invitation was e-mailed to %(email)s.") % {"email": self.object.email},
        )
        return redirect(self.edit_url_name, self.object.pk)


class UserViewSet(wagtail_users.UserViewSet):
    index_view_class = IndexView
    add_view_class = CreateView
    edit_view_class = EditView
    filterset_class = UserFilterSet
    # A copy would be created without a role or an invitation.
    copy_view_enabled = False
    # Wagtail's own user templates lay out its password and group fields, which we replace.
    create_template_name = "wagtailadmin/generic/create.html"
    edit_template_name = "wagtailadmin/generic/edit.html"

    def get_form_class(self, for_update=False):
        return UserEditForm if for_update else UserCreateForm

    @property
    def resend_invitation_view(self):
        return self.construct_view(ResendInvitationView)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "invite/<int:pk>/",
                self.resend_invitation_view,
                name="resend_invitation",
            ),
        ]
