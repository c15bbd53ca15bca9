"""Building blocks the modules' Wagtail admin screens share."""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import ProtectedError
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

# Codes are Latin (they appear in uploads and the API): typed left to right in Arabic too.
LATIN_INPUT = forms.TextInput(attrs={"dir": "ltr"})


class InUseDeleteView(generic.DeleteView):
    """Records still referenced (a season's rosters, an agency's staff) are kept with a
    message, including references Wagtail's usage count misses (bulk imports)."""

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except ProtectedError:
            messages.error(
                self.request,
                _("%(object)s is still in use and cannot be deleted.") % {"object": self.object},
            )
            return redirect(self.get_success_url())


class ConfigViewSet(ModelViewSet):
    """A configuration list (categories, priorities, policies…): no copy view, a read-only
    page for those who may only look, and no deleting what is still in use."""

    copy_view_enabled = False
    inspect_view_enabled = True
    delete_view_class = InUseDeleteView


class NamedUrlMenuItem(MenuItem):
    """A link to a named URL for holders of `permission`; hidden while the URL is not
    registered (the view may live in another module)."""

    def __init__(self, label, url_name: str, *, permission: str, **kwargs):
        super().__init__(label, "#", **kwargs)
        self.url_name = url_name
        self.permission = permission

    def is_shown(self, request):
        if not request.user.has_perm(self.permission):
            return False
        try:
            self.url = reverse(self.url_name)
        except NoReverseMatch:
            return False
        return True
