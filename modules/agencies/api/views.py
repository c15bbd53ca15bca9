from rest_framework import viewsets

from .. import selectors
from .serializers import (
    AgencyOutputSerializer,
    SeasonOutputSerializer,
    StaffMemberOutputSerializer,
)


class SeasonViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SeasonOutputSerializer

    def get_queryset(self):
        return selectors.season_list()


class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AgencyOutputSerializer
    filterset_fields = ["kind", "is_active"]

    def get_queryset(self):
        return selectors.agency_list(user=self.request.user)


class StaffMemberViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = StaffMemberOutputSerializer
    filterset_fields = ["season", "is_active", "gender"]

    def get_queryset(self):
        return selectors.staff_list(user=self.request.user)
