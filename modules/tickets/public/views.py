"""The public side of the operations room: the report form's handling (served by
`cms.pages.models.IncidentReportPage`), the thank-you page and the reporter's status page.

A report goes form → rate limit → `services.ticket_create` → redirect (POST/redirect/GET) to
the thank-you page, which names the reference and the private status link. Nothing is stored
unless every check passes: the form's, the rate limit's and the service's (one transaction).
"""

from http import HTTPStatus

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_ratelimit.core import is_ratelimited

from ..models import Source, Ticket
from ..selectors import public_status
from ..services import ticket_create
from . import status as public
from .forms import IncidentReportForm

RATE_GROUP = "tickets-public"
# The report page may ask the browser where the reporter is ("use my location"); production's
# security headers forbid geolocation everywhere else.
REPORT_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(self), payment=()"
# Search engines and other sites have no business with a reporter's private pages.
PRIVATE_PAGE_HEADERS = {"X-Robots-Tag": "noindex, nofollow", "Referrer-Policy": "no-referrer"}


# --- the report form (IncidentReportPage.serve) ---------------------------------------------


def serve_report_page(page, request) -> HttpResponse:
    """The form (GET) or a report (POST). The page's own headers let it ask for the reporter's
    location (the tile server's images are allowed by SecurityHeadersMiddleware)."""
    if request.method == "POST":
        response = _receive(page, request)
    else:
        response = _form_page(page, request, IncidentReportForm())
    response["Permissions-Policy"] = REPORT_PERMISSIONS_POLICY
    return response


def _receive(page, request) -> HttpResponse:
    form = IncidentReportForm(request.POST, request.FILES)
    if form.caught_in_honeypot:
        # The same answer a person gets, minus the reference: nothing tells the bot it failed.
        return redirect("tickets_public:received")
    if not form.is_valid():
        return _form_page(page, request, form)
    if is_ratelimited(
        request,
        group=RATE_GROUP,
        key="ip",
        rate=settings.TICKETS_PUBLIC_RATE,
        increment=True,
    ):
        form.add_error(
            None,
            gettext(
                "Too many reports have been sent from your connection in a short time, so this "
                "one was not sent. Please try again later, or call the operations room if it "
                "is urgent."
            ),
        )
        return _form_page(page, request, form, status=HTTPStatus.TOO_MANY_REQUESTS)
    try:
        ticket = ticket_create(source=Source.PUBLIC, **form.report_fields())
    except ValidationError as error:
        form.add_service_errors(error)
        return _form_page(page, request, form)
    return redirect("tickets_public:thanks", reference=ticket.reference, token=ticket.status_token)


def _form_page(page, request, form: IncidentReportForm, *, status: int = 200) -> HttpResponse:
    context = page.get_context(request)
    context["form"] = form
    return TemplateResponse(request, page.get_template(request), context, status=status)


# --- after a report ------------------------------------------------------------------------


def _report_page():
    """The report form of the language being read, for "report another incident"."""
    model = apps.get_model("pages", "IncidentReportPage")
    return model.objects.live().filter(locale__language_code=get_language()).first()


def _private(response: HttpResponse) -> HttpResponse:
    for name, value in PRIVATE_PAGE_HEADERS.items():
        response[name] = value
    return response


def _reporters_ticket(reference: str, token: str) -> Ticket:
    ticket = public_status(reference, token)
    if ticket is None:
        raise Http404
    return ticket


@never_cache
@require_safe
def thanks(request, reference: str, token: str) -> HttpResponse:
    """Right after a report: the reference, big and easy to copy, and the private link."""
    ticket = _reporters_ticket(reference, token)
    status_path = reverse(
        "tickets_public:status", kwargs={"reference": ticket.reference, "token": token}
    )
    context = {
        "ticket": ticket,
        "status_url": request.build_absolute_uri(status_path),
        "status_path": status_path,
        "report_page": _report_page(),
    }
    return _private(TemplateResponse(request, "tickets/public/thanks.html", context))


@never_cache
@require_safe
def received(request) -> HttpResponse:
    """The thank-you a report caught in the honeypot is sent to: nothing was stored."""
    context = {"report_page": _report_page()}
    return _private(TemplateResponse(request, "tickets/public/received.html", context))


@never_cache
@require_safe
def status(request, reference: str, token: str) -> HttpResponse:
    """The reporter's private status page: where the report stands and what has happened."""
    ticket = _reporters_ticket(reference, token)
    context = {
        "ticket": ticket,
        "reported_at": timezone.localtime(ticket.created_at),
        "state": public.summary(ticket),
        "timeline": public.timeline(ticket),
        "report_page": _report_page(),
    }
    return _private(TemplateResponse(request, "tickets/public/status.html", context))
