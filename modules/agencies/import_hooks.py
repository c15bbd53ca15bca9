"""The committee's import pages in the Wagtail admin: staff for any agency, agency accounts.

They run the same importers as the portal and show the same error table. Registered when
`wagtail_hooks.py` imports this module.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .forms import ImportUploadForm
from .imports import AgencyUserImporter, Importer, StaffImporter, template_file

IMPORTERS: dict[str, type[Importer]] = {"staff": StaffImporter, "accounts": AgencyUserImporter}
TEMPLATE_FORMATS = ("csv", "xlsx")


class ImportView(WagtailAdminTemplateMixin, FormView):
    template_name = "agencies/admin/import.html"
    form_class = ImportUploadForm
    header_icon = "upload"
    kind = ""
    intro = ""
    success_message = ""

    def dispatch(self, request, *args, **kwargs):
        if not IMPORTERS[self.kind].allowed(request.user):
            raise PermissionDenied
        self.importer = IMPORTERS[self.kind](actor=request.user)
        self.report = None
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def form_valid(self, form):
        self.report = self.importer.run(form.cleaned_data["file"])
        if self.report.file_error:
            form.add_error("file", self.report.file_error)
            return self.form_invalid(form)
        if not self.report.ok:
            return self.form_invalid(form)
        messages.success(self.request, self.success_message % {"count": self.report.created})
        return redirect(self.request.path)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            report=self.report,
            columns=self.importer.get_columns(),
            intro=self.intro,
            template_urls={
                file_format: reverse("agencies_import_template", args=[self.kind, file_format])
                for file_format in TEMPLATE_FORMATS
            },
            **kwargs,
        )


class StaffImportView(ImportView):
    kind = "staff"
    page_title = _("Import staff")
    intro = _(
        "Adds people to the rosters of the agencies named in the agency code column, for the "
        "active season."
    )
    success_message = ngettext_lazy(
        "%(count)s person was added to the rosters.",
        "%(count)s people were added to the rosters.",
        "count",
    )


class AccountImportView(ImportView):
    kind = "accounts"
    page_title = _("Import agency accounts")
    intro = _(
        "Creates an account for each agency manager or staff member in the file and e-mails "
        "each of them an invitation to set a password."
    )
    success_message = ngettext_lazy(
        "%(count)s account was created and invited.",
        "%(count)s accounts were created and invited.",
        "count",
    )


def import_template(request, kind: str, file_format: str):
    importer_class = IMPORTERS.get(kind)
    if importer_class is None or file_format not in TEMPLATE_FORMATS:
        raise Http404
    if not importer_class.allowed(request.user):
        raise PermissionDenied
    columns = importer_class(actor=request.user).get_columns()
    sheet_title = gettext("Staff") if kind == "staff" else gettext("Accounts")
    content, content_type = template_file(columns, file_format, sheet_title=sheet_title)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{kind}-template.{file_format}"
    )
    return response


class ImportMenuItem(MenuItem):
    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind

    def is_shown(self, request):
        return IMPORTERS[self.kind].allowed(request.user)


@hooks.register("register_admin_urls")
def register_import_urls():
    return [
        path("imports/staff/", StaffImportView.as_view(), name="agencies_import_staff"),
        path("imports/accounts/", AccountImportView.as_view(), name="agencies_import_accounts"),
        path(
            "imports/<slug:kind>/template.<str:file_format>",
            import_template,
            name="agencies_import_template",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_imports_menu():
    items = [
        ImportMenuItem(
            _("Staff"),
            reverse("agencies_import_staff"),
            kind="staff",
            icon_name="group",
            name="import-staff",
            order=100,
        ),
        ImportMenuItem(
            _("Agency accounts"),
            reverse("agencies_import_accounts"),
            kind="accounts",
            icon_name="user",
            name="import-accounts",
            order=200,
        ),
    ]
    return SubmenuMenuItem(
        _("Imports"), Menu(items=items), icon_name="upload", name="imports", order=900
    )
