"""The agency portal's staff roster: list, add, edit, (de)activate, import and export.

Every record is looked up through `StaffMember.objects.for_user(request.user)` (another
agency's record is a 404) and every action is checked with `can()` (agency staff may look,
not change: 403). Writes go through `services`, imports through `imports`.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from modules.core.scoping import can, get_for_user_or_404
from modules.portal.access import agency_user_required

from .forms import ImportUploadForm, RosterFilterForm, StaffMemberForm
from .imports import (
    CSV_CONTENT_TYPE,
    StaffImporter,
    csv_lines,
    staff_export_rows,
    template_file,
)
from .models import StaffMember
from .selectors import active_season, season_list, staff_list
from .services import staff_create, staff_set_active, staff_update

PAGE_SIZE = 25
TEMPLATE_FORMATS = ("csv", "xlsx")


def _require(user, permission: str, obj=None) -> None:
    if not can(user, permission, obj):
        raise PermissionDenied


def _roster(request):
    """The filter form, the season shown, and the matching staff (for the list and export)."""
    seasons = list(season_list())
    active = next((season for season in seasons if season.is_active), None)
    data = request.GET.copy()
    if "season" not in data and active is not None:
        data["season"] = str(active.hijri_year)
    form = RosterFilterForm(data, seasons=seasons)
    # A filter value that does not validate is ignored rather than shown as an error.
    form.is_valid()
    filters = getattr(form, "cleaned_data", {})
    year = filters.get("season")
    season = next((season for season in seasons if season.hijri_year == year), active)
    status = filters.get("status")
    queryset = staff_list(
        user=request.user,
        season=season,
        query=filters.get("q", ""),
        active=None if status not in ("active", "inactive") else status == "active",
    )
    return form, season, queryset.order_by("name_ar", "pk")


@agency_user_required
def roster_list(request):
    _require(request.user, "agencies.view_staffmember")
    form, season, queryset = _roster(request)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "agencies/roster_list.html",
        {
            "filter_form": form,
            "season": season,
            "page_obj": page,
            "can_add": can(request.user, "agencies.add_staffmember"),
            "can_change": can(request.user, "agencies.change_staffmember"),
        },
    )


@agency_user_required
def roster_add(request):
    _require(request.user, "agencies.add_staffmember")
    form = StaffMemberForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            member = staff_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, gettext("%(name)s was added to the roster.") % {"name": member.name}
            )
            return redirect("roster:list")
    return render(request, "agencies/staff_form.html", {"form": form, "season": active_season()})


@agency_user_required
def roster_edit(request, pk: int):
    member = get_for_user_or_404(StaffMember, request.user, pk=pk)
    _require(request.user, "agencies.change_staffmember", member)
    form = StaffMemberForm(request.POST or None, instance=member)
    if form.is_bound and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            if changed:
                staff_update(actor=request.user, staff=member, data=changed)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, gettext("The changes were saved."))
            return redirect("roster:list")
    return render(
        request,
        "agencies/staff_form.html",
        {"form": form, "member": member, "season": member.season},
    )


@require_POST
@agency_user_required
def roster_toggle_active(request, pk: int):
    member = get_for_user_or_404(StaffMember, request.user, pk=pk)
    _require(request.user, "agencies.change_staffmember", member)
    staff_set_active(actor=request.user, staff=member, is_active=not member.is_active)
    if member.is_active:
        message = gettext("%(name)s is active again.")
    else:
        message = gettext("%(name)s was deactivated.")
    messages.success(request, message % {"name": member.name})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("roster:list")
    return redirect(target)


@agency_user_required
def roster_import(request):
    _require(request.user, "agencies.add_staffmember")
    importer = StaffImporter(actor=request.user)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    report = None
    if form.is_bound and form.is_valid():
        report = importer.run(form.cleaned_data["file"])
        if report.file_error:
            form.add_error("file", report.file_error)
        elif report.ok:
            messages.success(
                request,
                ngettext(
                    "%(count)s person was added to the roster.",
                    "%(count)s people were added to the roster.",
                    report.created,
                )
                % {"count": report.created},
            )
            return redirect("roster:list")
    return render(
        request,
        "agencies/roster_import.html",
        {
            "form": form,
            "report": report,
            "columns": importer.get_columns(),
            "season": active_season(),
        },
    )


@agency_user_required
def roster_template(request, format: str):
    _require(request.user, "agencies.add_staffmember")
    if format not in TEMPLATE_FORMATS:
        raise Http404
    content, content_type = template_file(
        StaffImporter(actor=request.user).get_columns(), format, sheet_title=gettext("Roster")
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, f"roster-template.{format}")
    return response


@agency_user_required
def roster_export(request):
    _require(request.user, "agencies.view_staffmember")
    _form, season, queryset = _roster(request)
    response = StreamingHttpResponse(
        csv_lines(staff_export_rows(queryset)), content_type=CSV_CONTENT_TYPE
    )
    name = f"roster-{season.hijri_year}.csv" if season else "roster.csv"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
