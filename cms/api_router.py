"""The DRF API at /api/v1/: every app registers its viewsets here."""

from rest_framework.routers import DefaultRouter

from modules.agencies.api.views import AgencyViewSet, SeasonViewSet, StaffMemberViewSet
from modules.statistics.api.views import (
    AggregateViewSet,
    FormViewSet,
    IndicatorViewSet,
    ReportViewSet,
)
from modules.tickets.api.views import (
    LandmarkViewSet,
    PriorityViewSet,
    TicketCategoryViewSet,
    TicketViewSet,
)

router = DefaultRouter()
router.register("seasons", SeasonViewSet, basename="season")
router.register("agencies", AgencyViewSet, basename="agency")
router.register("staff", StaffMemberViewSet, basename="staff")
router.register("statistics/indicators", IndicatorViewSet, basename="statistics-indicator")
router.register("statistics/forms", FormViewSet, basename="statistics-form")
router.register("statistics/reports", ReportViewSet, basename="statistics-report")
router.register("statistics/aggregates", AggregateViewSet, basename="statistics-aggregate")
router.register("tickets/categories", TicketCategoryViewSet, basename="tickets-category")
router.register("tickets/landmarks", LandmarkViewSet, basename="tickets-landmark")
router.register("tickets/priorities", PriorityViewSet, basename="tickets-priority")
router.register("tickets", TicketViewSet, basename="ticket")

app_name = "api"
urlpatterns = router.urls


def only_api_v1(endpoints, **kwargs):
    """drf-spectacular preprocessing hook: document /api/v1/ only, not Wagtail's API views."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
