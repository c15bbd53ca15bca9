"""The operations room's tickets at /api/v1/tickets/.

- `POST tickets/`: a new report — by an operator, an agency, or an app for the public that
  does not sign in (limited per address, with the site's report form: 429 past it). JSON, or
  multipart/form-data with a `photo`. The public's creator gets the status token and links in
  this answer only.
- `GET tickets/status/?reference=…&token=…`: the reporter's status (no sign-in; 404 unless
  both match). The token travels in the query, as in the status link the reporter was given.
- `GET tickets/`: the queue, soonest deadline first, each with its clock; `GET tickets/<id>/`
  one ticket with its timeline and files; `GET tickets/<id>/attachments/<id>/` a file.
- `POST tickets/<id>/<transition>/`: acknowledge, start, resolve, close, reopen, pause,
  resume, assign, priority, request-reassign; `GET/POST tickets/<id>/comments/`.

Every ticket is found through `selectors.ticket_list(user=…)`, so another agency's ticket is a
404 on every route. The services decide the rest: refused input is a 400 with messages by
field; an action this person may not take is a 403; an action the ticket's status does not
allow is a 409.

The queue costs the session, the user (with their agency), the count and the page: four
queries whatever the page size, as `ticket_list` brings each ticket's policy and warning point
for the clocks (policies with business hours add two, for their hours and holidays). A
committee person costs three more: the MFA middleware's check and the two permission lookups
of the operations room's gate (`tickets.view_ticket`, which keeps editors out).
"""

from urllib.parse import urlencode

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings

from .. import selectors, services
from ..downloads import attachment_response
from ..models import Category, EventKind, Landmark, Priority
from ..public import status as public
from ..workflow import is_operator
from .inputs import (
    AssignInputSerializer,
    CommentInputSerializer,
    LandmarkQueryInputSerializer,
    PriorityInputSerializer,
    ReasonInputSerializer,
    ResolveInputSerializer,
    StatusQueryInputSerializer,
    TicketCreateInputSerializer,
    TicketQueryInputSerializer,
)
from .outputs import (
    EventOutputSerializer,
    LandmarkOutputSerializer,
    PriorityOutputSerializer,
    PublicStatusOutputSerializer,
    TicketCategoryOutputSerializer,
    TicketCreatedOutputSerializer,
    TicketDetailOutputSerializer,
    TicketMessageOutputSerializer,
    TicketOutputSerializer,
    files_context,
)
from .permissions import CreatesTickets, ReadsTickets, source_for
from .throttling import count_public_report

# The services name the files of a comment `attachments`; the API takes one `attachment`.
FIELD_NAMES = {"attachments": "attachment"}


class TransitionRefused(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("The report's status does not allow this.")
    default_code = "transition"


def api_error(error: DjangoValidationError) -> APIException:
    """A service's refusal as the API answers it: 409 for a transition the status does not
    allow, else 400 with the messages by field."""
    if not hasattr(error, "error_dict"):
        if getattr(error, "code", None) == "transition":
            return TransitionRefused(" ".join(error.messages))
        return ValidationError({api_settings.NON_FIELD_ERRORS_KEY: error.messages})
    return ValidationError(
        {FIELD_NAMES.get(name, name): messages for name, messages in error.message_dict.items()}
    )


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


MULTIPART_OR_JSON = ("multipart/form-data", "application/json")
REFUSED = OpenApiResponse(
    description=gettext_lazy("Refused input, nothing stored: the messages by field.")
)
NOT_ALLOWED = OpenApiResponse(
    TicketMessageOutputSerializer, description=gettext_lazy("This person may not do this.")
)
NOT_FOUND = OpenApiResponse(
    TicketMessageOutputSerializer,
    description=gettext_lazy("No such ticket among those this person may see."),
)
CONFLICT = OpenApiResponse(
    TicketMessageOutputSerializer,
    description=gettext_lazy("The ticket's status does not allow this (e.g. resolving twice)."),
)


def transition_schema(request=None, summary=""):
    return extend_schema(
        summary=summary,
        request=request,
        responses={
            200: TicketDetailOutputSerializer,
            400: REFUSED,
            403: NOT_ALLOWED,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )


@method_decorator(never_cache, name="dispatch")
class TicketViewSet(viewsets.GenericViewSet):
    """Incident reports: the queue, one ticket, new reports, transitions and comments."""

    serializer_class = TicketOutputSerializer
    lookup_value_regex = r"\d+"
    filter_backends = []

    def get_permissions(self):
        if self.action == "create":
            # AllowAny changes nothing here; it shows the schema that signing in is optional.
            return [AllowAny(), CreatesTickets()]
        if self.action == "public_status":
            return [AllowAny()]
        return [ReadsTickets()]

    def get_queryset(self):
        return selectors.ticket_list(user=self.request.user, open_only=False)

    def perform_content_negotiation(self, request, force=False):
        # A download answers whatever the Accept header (an image viewer asks for image/*).
        return super().perform_content_negotiation(
            request, force=force or self.action == "attachment"
        )

    def handle_exception(self, exc):
        if isinstance(exc, DjangoValidationError):
            exc = api_error(exc)
        return super().handle_exception(exc)

    def _detail(self, ticket) -> dict:
        context = {
            "clocks": {ticket.pk: selectors.ticket_clock(ticket)},
            "events": ticket.events.select_related("actor", "from_agency", "to_agency"),
            "attachments": list(ticket.attachments.all()),
            "actions": selectors.allowed_actions(ticket, self.request.user),
        }
        return TicketDetailOutputSerializer(ticket, context=context).data

    # --- reading ---------------------------------------------------------------------------

    @extend_schema(parameters=[TicketQueryInputSerializer])
    def list(self, request, *args, **kwargs):
        """The queue: open tickets (by default), the soonest deadline first."""
        query = _valid(TicketQueryInputSerializer, request.query_params)
        tickets = selectors.ticket_list(
            user=request.user,
            open_only=query["open"],
            status=query.get("status"),
            agency=query.get("agency"),
        )
        for name in ("category", "priority", "zone"):
            if query.get(name):
                tickets = tickets.filter(**{f"{name}__code": query[name]})
        page = self.paginate_queryset(tickets)
        context = {"clocks": selectors.clocks_for(page)}
        return self.get_paginated_response(
            TicketOutputSerializer(page, many=True, context=context).data
        )

    @extend_schema(responses={200: TicketDetailOutputSerializer, 404: NOT_FOUND})
    def retrieve(self, request, *args, **kwargs):
        """One ticket with its timeline, its files and the actions open to this person."""
        return Response(self._detail(self.get_object()))

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: NOT_FOUND}
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"attachments/(?P<attachment_id>\d+)",
        url_name="attachment",
    )
    def attachment(self, request, *args, attachment_id=None, **kwargs):
        """A file of the ticket, always as a download."""
        ticket = self.get_object()
        return attachment_response(get_object_or_404(ticket.attachments, pk=attachment_id))

    # --- reporting -------------------------------------------------------------------------

    @extend_schema(
        request=dict.fromkeys(MULTIPART_OR_JSON, TicketCreateInputSerializer),
        responses={
            201: TicketCreatedOutputSerializer,
            400: REFUSED,
            403: NOT_ALLOWED,
            429: OpenApiResponse(
                TicketMessageOutputSerializer,
                description=gettext_lazy("Too many reports from this address; nothing stored."),
            ),
        },
    )
    def create(self, request, *args, **kwargs):
        """Report an incident. Without signing in (a public app), the answer holds the status
        token and links, given this once."""
        data = _valid(TicketCreateInputSerializer, request.data)
        user = request.user
        signed_in = user.is_authenticated
        if not signed_in:
            count_public_report(request)
        photo = data.pop("photo", None)
        ticket = services.ticket_create(
            source=source_for(user),
            actor=user if signed_in else None,
            attachments=[photo] if photo else [],
            **data,
        )
        body = {
            "id": ticket.pk if signed_in else None,
            "reference": ticket.reference,
            "status": ticket.status,
            "status_label": ticket.get_status_display(),
            "created_at": ticket.created_at,
            "token": None,
            "status_url": None,
            "status_api_url": None,
        }
        if not signed_in:
            secret = {"reference": ticket.reference, "token": ticket.status_token}
            body["token"] = ticket.status_token
            body["status_url"] = request.build_absolute_uri(
                reverse("tickets_public:status", kwargs=secret)
            )
            body["status_api_url"] = request.build_absolute_uri(
                f"{reverse('api:ticket-public-status')}?{urlencode(secret)}"
            )
        return Response(TicketCreatedOutputSerializer(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[StatusQueryInputSerializer],
        responses={200: PublicStatusOutputSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=False, methods=["get"], url_path="status", url_name="public-status")
    def public_status(self, request, *args, **kwargs):
        """The reporter's view of a report: its status and public timeline, no names."""
        query = _valid(StatusQueryInputSerializer, request.query_params)
        ticket = selectors.public_status(query["reference"], query["token"])
        if ticket is None:
            raise NotFound(_("No report has this reference and token."))
        summary = public.summary(ticket)
        body = {
            "reference": ticket.reference,
            "status": ticket.status,
            "status_label": summary["label"],
            "summary": summary["text"],
            "category": ticket.category.name,
            "created_at": ticket.created_at,
            "resolved_at": ticket.resolved_at,
            "resolution": summary["resolution"],
            "timeline": public.timeline(ticket),
        }
        return Response(PublicStatusOutputSerializer(body).data)

    # --- transitions -----------------------------------------------------------------------

    def _transition(self, request, service, input_class=None):
        ticket = self.get_object()
        values = _valid(input_class, request.data) if input_class else {}
        service(ticket=ticket, actor=request.user, **values)
        return Response(self._detail(self.get_object()))

    @transition_schema(summary=gettext_lazy("The agency confirms it has the report."))
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, *args, **kwargs):
        return self._transition(request, services.ticket_acknowledge)

    @transition_schema(summary=gettext_lazy("Work starts (acknowledging it if need be)."))
    @action(detail=True, methods=["post"])
    def start(self, request, *args, **kwargs):
        return self._transition(request, services.ticket_start)

    @transition_schema(ResolveInputSerializer, gettext_lazy("Resolved, with a note."))
    @action(detail=True, methods=["post"])
    def resolve(self, request, *args, **kwargs):
        return self._transition(request, services.ticket_resolve, ResolveInputSerializer)

    @transition_schema(summary=gettext_lazy("The operations room closes a resolved ticket."))
    @action(detail=True, methods=["post"])
    def close(self, request, *args, **kwargs):
        return self._transition(request, services.ticket_close)

    @transition_schema(ReasonInputSerializer, gettext_lazy("The room reopens a done ticket."))
    @action(detail=True, methods=["post"])
    def reopen(self, request, *args, **kwargs):
        return self._transition(request, services.ticket_reopen, ReasonInputSerializer)

    @transition_schema(ReasonInputSerializer, gettext_lazy("The room pauses the clock."))
    @action(detail=True, methods=["post"])
    def pause(self, request, *args, **kwargs):
        return self._transition(request, services.ticket_pause, ReasonInputSerializer)

    @transition_schema(summary=gettext_lazy("The room restarts a paused ticket's clock."))
    @action(detail=True, methods=["post"])
    def resume(self, request, *args, **kwargs):
        return self._transition(request, services.ticket_resume)

    @transition_schema(AssignInputSerializer, gettext_lazy("The room assigns or reassigns."))
    @action(detail=True, methods=["post"])
    def assign(self, request, *args, **kwargs):
        return self._transition(request, services.ticket_assign, AssignInputSerializer)

    @transition_schema(PriorityInputSerializer, gettext_lazy("The room changes the priority."))
    @action(detail=True, methods=["post"])
    def priority(self, request, *args, **kwargs):
        return self._transition(request, services.ticket_change_priority, PriorityInputSerializer)

    @transition_schema(
        ReasonInputSerializer, gettext_lazy("The agency asks the room to reassign it.")
    )
    @action(detail=True, methods=["post"], url_path="request-reassign", url_name="request-reassign")
    def request_reassign(self, request, *args, **kwargs):
        return self._transition(request, services.ticket_request_reassign, ReasonInputSerializer)

    # --- comments --------------------------------------------------------------------------

    @extend_schema(
        methods=["GET"], responses={200: EventOutputSerializer(many=True), 404: NOT_FOUND}
    )
    @extend_schema(
        methods=["POST"],
        request=dict.fromkeys(MULTIPART_OR_JSON, CommentInputSerializer),
        responses={201: EventOutputSerializer, 400: REFUSED, 403: NOT_ALLOWED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get", "post"])
    def comments(self, request, *args, **kwargs):
        """The ticket's comments, oldest first; POST adds one (with a file, if any)."""
        ticket = self.get_object()
        if request.method == "POST":
            return self._comment(request, ticket)
        comments = ticket.events.filter(kind=EventKind.COMMENTED).select_related("actor")
        page = self.paginate_queryset(comments)
        files = ticket.attachments.filter(event__in=[event.pk for event in page])
        return self.get_paginated_response(
            EventOutputSerializer(page, many=True, context=files_context(files)).data
        )

    def _comment(self, request, ticket):
        data = _valid(CommentInputSerializer, request.data)
        if data["is_public"] and not is_operator(request.user):
            raise ValidationError(
                {"is_public": _("Only the operations room shares comments with the reporter.")}
            )
        attachment = data.pop("attachment", None)
        event = services.ticket_comment(
            ticket=ticket,
            actor=request.user,
            text=data["text"],
            attachments=[attachment] if attachment else [],
            is_public=data["is_public"],
        )
        context = files_context(event.attachments.all())
        return Response(
            EventOutputSerializer(event, context=context).data, status=status.HTTP_201_CREATED
        )


# --- reference lists for the apps ---------------------------------------------------------


@method_decorator(never_cache, name="dispatch")
class TicketCategoryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The categories a report may have: those offered to the public, when not signed in."""

    serializer_class = TicketCategoryOutputSerializer
    permission_classes = [AllowAny]
    filter_backends = []

    def get_queryset(self):
        categories = Category.objects.filter(is_active=True).select_related("default_priority")
        if not self.request.user.is_authenticated:
            categories = categories.filter(is_public=True)
        return categories


@method_decorator(never_cache, name="dispatch")
@extend_schema(parameters=[LandmarkQueryInputSerializer])
class LandmarkViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Landmarks, gates and areas a report may name instead of a map point, with their zone."""

    serializer_class = LandmarkOutputSerializer
    permission_classes = [AllowAny]
    filter_backends = []

    def get_queryset(self):
        query = _valid(LandmarkQueryInputSerializer, self.request.query_params)
        landmarks = Landmark.objects.filter(is_active=True).select_related("zone")
        if query.get("zone"):
            landmarks = landmarks.filter(zone__code=query["zone"])
        if query.get("kind"):
            landmarks = landmarks.filter(kind=query["kind"])
        return landmarks


@method_decorator(never_cache, name="dispatch")
class PriorityViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The priorities, most urgent first."""

    serializer_class = PriorityOutputSerializer
    filter_backends = []
    queryset = Priority.objects.all()
