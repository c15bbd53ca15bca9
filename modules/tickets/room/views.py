"""The operations room's pages: the board and its JSON, the list of all tickets, a call taken
as a new incident, a ticket's page, attachments, and the metrics with their exports.

Every page is gated by `room_view` (committee people holding tickets.view_ticket; never
cached); taking calls and acting on tickets needs tickets.operate_ticket as well. Tickets are
read through `Ticket.objects.for_user` and the selectors, writes go through the services.
The actions posted from a ticket's page are in actions.py.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.gzip import gzip_page

from .. import services
from ..downloads import attachment_response
from ..exports import EXPORT_FORMATS, TABLES, metrics_file
from ..metrics import default_period, metrics_summary
from ..models import DONE_STATUSES, Source, TicketAttachment
from ..selectors import ticket_list
from ..workflow import is_operator
from .access import room_view
from .board import board_data, board_rows, board_values
from .detail import render_detail, ticket_for
from .forms import FilterForm, IncidentForm, MetricsForm, TicketSearchForm, add_service_errors

BOARD_REFRESH_SECONDS = 15
TICKETS_PER_PAGE = 50
MAP_ZOOM = 14


def _board_config(*, wall: bool) -> dict:
    """What board.js needs besides the data: words in the active language, the map."""
    return {
        "wall": wall,
        "time_zone": settings.TIME_ZONE,
        "map": {
            "tiles": settings.TICKETS_MAP_TILES,
            "attribution": settings.TICKETS_MAP_ATTRIBUTION,
            "center": list(settings.TICKETS_MAP_CENTER),
            "zoom": MAP_ZOOM,
        },
        "labels": {
            "updated": gettext("Last updated %(time)s"),
            "offline": gettext(
                "Connection lost. The board shows the last figures it received and keeps trying."
            ),
            "signed_out": gettext("Signed out. Reload the page to sign in again."),
            "unassigned": gettext("Not assigned"),
            "acknowledge": gettext("to acknowledge"),
            "resolve": gettext("to resolve"),
        },
    }


def _filter_query(form: FilterForm) -> str:
    """The chosen filters as a query string (for the links between board and wall screen)."""
    return urlencode({name: value.pk for name, value in form.filters().items()})


@room_view
def board(request):
    form = FilterForm(request.GET or None, user=request.user)
    wall = request.GET.get("wall") == "1"
    now = timezone.now()
    data = board_data(user=request.user, filters=form.filters(), now=now)
    return render(
        request,
        "tickets/room/board.html",
        {
            "room_section": "board",
            "updated_at": timezone.localtime(now),
            "form": form,
            "data": data,
            "located": [row for row in data["tickets"] if row["lat"] is not None],
            "wall": wall,
            "config": _board_config(wall=wall),
            "map_tiles": settings.TICKETS_MAP_TILES,
            "refresh_ms": BOARD_REFRESH_SECONDS * 1000,
            "filter_query": _filter_query(form),
            "may_operate": is_operator(request.user),
        },
    )


@room_view
@gzip_page
def board_json(request):
    form = FilterForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    data = board_data(user=request.user, filters=form.filters())
    return JsonResponse(data, json_dumps_params={"separators": (",", ":")})


@room_view
def ticket_index(request):
    form = TicketSearchForm(request.GET or None, user=request.user)
    search = form.search()
    tickets = ticket_list(
        user=request.user,
        open_only=search["state"] == TicketSearchForm.STATE_OPEN,
        status=search["status"],
        **form.filters(),
    )
    if search["state"] == TicketSearchForm.STATE_DONE:
        tickets = tickets.filter(status__in=DONE_STATUSES)
    if search["reference"]:
        tickets = tickets.filter(reference__icontains=search["reference"])
    records = board_values(tickets.order_by("-created_at", "-pk"), "created_at")
    page = Paginator(records, TICKETS_PER_PAGE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    return render(
        request,
        "tickets/room/ticket_list.html",
        {
            "room_section": "tickets",
            "form": form,
            "page_obj": page,
            "rows": list(zip(board_rows(items, sort=False), items, strict=True)),
            "may_operate": is_operator(request.user),
        },
    )


@room_view
def ticket_create(request):
    user = request.user
    if not is_operator(user):
        raise PermissionDenied
    form = IncidentForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = services.ticket_create(
                source=Source.OPERATOR, actor=user, **form.service_arguments()
            )
        except ValidationError as error:
            add_service_errors(form, error, IncidentForm.SERVICE_FIELDS)
        else:
            if ticket.agency_id:
                text = gettext("Report %(reference)s was recorded and sent to %(agency)s.") % {
                    "reference": ticket.reference,
                    "agency": ticket.agency,
                }
            else:
                text = gettext(
                    "Report %(reference)s was recorded. No routing rule matched: assign it to "
                    "an agency."
                ) % {"reference": ticket.reference}
            messages.success(request, text)
            return redirect("tickets_room:ticket", reference=ticket.reference)
    return render(
        request, "tickets/room/ticket_form.html", {"room_section": "create", "form": form}
    )


@room_view
def ticket_detail(request, reference: str):
    return render_detail(request, ticket_for(request.user, reference))


@never_cache
@login_required
def attachment(request, pk: int):
    """A ticket's file, for whoever may see that ticket's attachments (the committee, and the
    assigned agency's people): anyone else gets a 404, whatever the file."""
    return attachment_response(
        get_object_or_404(TicketAttachment.objects.for_user(request.user), pk=pk)
    )


# --- metrics ------------------------------------------------------------------------------------


def _metrics_period(request) -> tuple[MetricsForm, tuple]:
    default = default_period()
    form = MetricsForm(request.GET or None, initial={"start": default[0], "end": default[1]})
    return form, form.period(default)


@room_view
def metrics(request):
    form, (start, end) = _metrics_period(request)
    summary = metrics_summary(start=start, end=end)
    most = max((day["breaches"] for day in summary["days"]), default=0)
    return render(
        request,
        "tickets/room/metrics.html",
        {
            "room_section": "metrics",
            "form": form,
            "summary": summary,
            # Each day's bar, as a share of the worst day's.
            "days": [
                {**day, "share": round(100 * day["breaches"] / most) if most else 0}
                for day in summary["days"]
            ],
            "export_query": urlencode({"start": start.isoformat(), "end": end.isoformat()}),
        },
    )


@room_view
def metrics_export(request):
    form, (start, end) = _metrics_period(request)
    file_format = request.GET.get("format", "xlsx")
    table = request.GET.get("table", "agencies")
    if file_format not in EXPORT_FORMATS or table not in TABLES:
        raise Http404
    if form.is_bound and not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    content, content_type = metrics_file(metrics_summary(start=start, end=end), file_format, table)
    suffix = "" if file_format == "xlsx" else f"-{table}"
    filename = f"incident-metrics-{start.isoformat()}-{end.isoformat()}{suffix}.{file_format}"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
