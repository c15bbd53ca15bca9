"""Daily statistics at /api/v1/statistics/: the indicators and daily forms, a day's figures
submitted (or saved as a draft), the reports read back, and the aggregates.

Scoping: an agency user sees the forms and indicators their agency reports, their own
agency's reports and only their own agency's figures; committee people see everything.
Another agency's report is a 404. Only agency users submit, always for their own agency,
through `services.report_save`: the figures are checked as in the portal and stored all
together or not at all.

Each list costs the session, the user (with their agency), the count and the page: four
queries whatever the page size (the aggregates: the indicators and their figures instead of
count and page). A committee person costs one more, the MFA middleware's check.
"""

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from modules.agencies.selectors import active_season
from modules.core.scoping import can

from .. import selectors, services
from ..models import Indicator, IndicatorSet
from . import aggregates
from .serializers import (
    MAX_PERIOD_DAYS,
    AggregateQueryInputSerializer,
    AggregatesOutputSerializer,
    DetailOutputSerializer,
    EntryRejectedOutputSerializer,
    FormLayoutOutputSerializer,
    FormOutputSerializer,
    IndicatorOutputSerializer,
    IndicatorQueryInputSerializer,
    ReportDetailOutputSerializer,
    ReportInputSerializer,
    ReportOutputSerializer,
    ReportQueryInputSerializer,
    ReportSavedOutputSerializer,
)


def _query(serializer_class, request) -> dict:
    """The request's query parameters, checked (a 400 names the bad one)."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _forms_for(user):
    if not user.is_authenticated:
        return IndicatorSet.objects.none()
    if user.is_committee:
        return IndicatorSet.objects.all()
    if user.agency_id is None:
        return IndicatorSet.objects.none()
    return selectors.sets_for_agency(user.agency_id)


def _indicators_for(user):
    """Every indicator for the committee; for an agency user, those on the forms it reports."""
    indicators = Indicator.objects.select_related("category")
    if not user.is_authenticated:
        return indicators.none()
    if user.is_committee:
        return indicators
    if user.agency_id is None:
        return indicators.none()
    on_forms = selectors.sets_for_agency(user.agency_id).values("items__indicator")
    return indicators.filter(is_active=True, pk__in=on_forms)


def _period(query: dict) -> tuple:
    """The days asked for; what is left out comes from the active season (so far)."""
    start, end = query["start"], query["end"]
    if start is None or end is None:
        season = active_season()
        if season is None:
            raise ValidationError(
                {"from": _("There is no active season: give the period with from and to.")}
            )
        start = start or season.starts_on
        end = end or min(season.ends_on, timezone.localdate())
    if end < start:
        raise ValidationError({"to": _("The last day is before the first.")})
    if (end - start).days >= MAX_PERIOD_DAYS:
        raise ValidationError(
            {"to": _("Ask for at most %(days)s days at a time.") % {"days": MAX_PERIOD_DAYS}}
        )
    return start, end


class SubmitsFigures(permissions.BasePermission):
    """Reading needs an account; submitting needs an agency user who may enter figures."""

    message = gettext_lazy(
        "Only an agency's managers and staff submit figures, for their own agency."
    )

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return (
            user.is_agency_user
            and user.agency_id is not None
            and can(user, "statistics.add_dailyreport")
        )


@method_decorator(never_cache, name="dispatch")
class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    """The indicators: the committee's whole list, or those on the agency's forms."""

    serializer_class = IndicatorOutputSerializer
    lookup_field = "code"
    filter_backends = []

    def get_queryset(self):
        indicators = _indicators_for(self.request.user)
        if self.action != "list":
            return indicators
        query = _query(IndicatorQueryInputSerializer, self.request)
        if query.get("category"):
            indicators = indicators.filter(category__code=query["category"])
        if query.get("form"):
            indicators = indicators.filter(set_items__indicator_set__code=query["form"])
        if query.get("is_public") is not None:
            indicators = indicators.filter(is_public=query["is_public"])
        return indicators

    @extend_schema(parameters=[IndicatorQueryInputSerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


@method_decorator(never_cache, name="dispatch")
class FormViewSet(viewsets.ReadOnlyModelViewSet):
    """The daily forms: the list names them; one form comes with its indicators in
    sections and its validation rules, as the portal shows and checks them."""

    serializer_class = FormOutputSerializer
    lookup_field = "code"
    filterset_fields = ["is_active"]

    def get_queryset(self):
        # A GROUP BY query drops the model's ordering: the list is ordered here.
        return (
            _forms_for(self.request.user)
            .annotate(
                indicator_count=Count(
                    "items", filter=Q(items__indicator__is_active=True), distinct=True
                )
            )
            .order_by("name_ar", "code")
        )

    @extend_schema(responses=FormLayoutOutputSerializer)
    def retrieve(self, request, *args, **kwargs):
        layout = selectors.form_layout(self.get_object())
        return Response(FormLayoutOutputSerializer(layout).data)


@method_decorator(never_cache, name="dispatch")
@extend_schema_view(
    list=extend_schema(parameters=[ReportQueryInputSerializer]),
    retrieve=extend_schema(responses=ReportDetailOutputSerializer),
)
class ReportViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """An agency's figures for one daily form and one day."""

    serializer_class = ReportOutputSerializer
    permission_classes = [SubmitsFigures]
    filter_backends = []

    def get_queryset(self):
        reports = selectors.report_list(user=self.request.user)
        if self.action != "list":
            return reports
        query = _query(ReportQueryInputSerializer, self.request)
        if query.get("form"):
            reports = reports.filter(indicator_set__code=query["form"])
        if query.get("day"):
            reports = reports.filter(day=query["day"])
        if query.get("start"):
            reports = reports.filter(day__gte=query["start"])
        if query.get("end"):
            reports = reports.filter(day__lte=query["end"])
        if query.get("status"):
            reports = reports.filter(status=query["status"])
        if query.get("agency"):
            reports = reports.filter(agency_id__in=query["agency"])
        return reports

    def retrieve(self, request, *args, **kwargs):
        report = self.get_object()
        context = {"values": selectors.report_values(report)}
        return Response(ReportDetailOutputSerializer(report, context=context).data)

    @extend_schema(
        request=ReportInputSerializer,
        responses={
            200: ReportSavedOutputSerializer,
            201: ReportSavedOutputSerializer,
            400: OpenApiResponse(
                EntryRejectedOutputSerializer,
                description=gettext_lazy(
                    "Nothing was stored. Refused figures: errors and warnings by indicator, as "
                    "here. A malformed body: the usual messages by field (form, day, values)."
                ),
            ),
            409: OpenApiResponse(
                DetailOutputSerializer,
                description=gettext_lazy(
                    "The day is closed for entry (locked, approved or in the future)."
                ),
            ),
        },
    )
    def create(self, request, *args, **kwargs):
        """Save a day's figures for one of the agency's forms; `submit: false` keeps a draft.

        A figure left out keeps its stored value; a comment left out keeps its stored
        comment. Nothing is stored when one figure is refused.
        """
        user = request.user
        serializer = ReportInputSerializer(
            data=request.data, forms=selectors.sets_for_agency(user.agency_id)
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        existed = user.membership.agency.daily_reports.filter(
            indicator_set=data["form"], day=data["day"]
        ).exists()
        try:
            result = services.report_save(
                actor=user,
                agency=user.membership.agency,
                indicator_set=data["form"],
                day=data["day"],
                values={item["indicator"]: item["value"] for item in data["values"]},
                comments={
                    item["indicator"]: item["comment"]
                    for item in data["values"]
                    if "comment" in item
                },
                submit=data["submit"],
            )
        except services.EntryRejected as rejected:
            check = rejected.check
            body = {
                "detail": _("The figures were not saved."),
                "errors": check.errors,
                "warnings": check.warnings,
                "form_errors": check.form_errors,
            }
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        except services.EntryClosed as closed:
            return Response({"detail": closed.message}, status=status.HTTP_409_CONFLICT)
        report = selectors.report_list(user=user).get(pk=result.report.pk)
        context = {"values": selectors.report_values(report), "warnings": result.warnings}
        return Response(
            ReportSavedOutputSerializer(report, context=context).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )


MAX_INDICATORS_PER_AGENCY = 10


@method_decorator(never_cache, name="dispatch")
class AggregateViewSet(viewsets.ViewSet):
    """Submitted and approved figures added up as each indicator says: per indicator and
    day, or per indicator and agency, over a period (the active season by default).

    An agency user's figures are their own agency's only; committee people may choose
    agencies or see them all.
    """

    @extend_schema(parameters=[AggregateQueryInputSerializer], responses=AggregatesOutputSerializer)
    def list(self, request, *args, **kwargs):
        query = _query(AggregateQueryInputSerializer, request)
        user = request.user
        agency_ids = query.get("agency") or None
        if not user.is_committee:
            if user.agency_id is None or (agency_ids and set(agency_ids) != {user.agency_id}):
                raise Http404
            agency_ids = [user.agency_id]
        start, end = _period(query)
        indicators = _indicators_for(user).filter(is_active=True)
        if query.get("indicator"):
            indicators = indicators.filter(code__in=query["indicator"])
        if query.get("category"):
            indicators = indicators.filter(category__code=query["category"])
        indicators = list(indicators)
        if query["group_by"] == "agency" and len(indicators) > MAX_INDICATORS_PER_AGENCY:
            # Per agency reads every figure of the period: keep one answer to a bounded size.
            raise ValidationError(
                {
                    "indicator": _(
                        "Per agency, ask for at most %(count)s indicators at a time (by code)."
                    )
                    % {"count": MAX_INDICATORS_PER_AGENCY}
                }
            )
        group = aggregates.per_day if query["group_by"] == "day" else aggregates.per_agency
        body = {
            "group_by": query["group_by"],
            "from": start,
            "to": end,
            "agencies": agency_ids,
            "results": group(indicators, start, end, agency_ids),
        }
        return Response(AggregatesOutputSerializer(body).data)
