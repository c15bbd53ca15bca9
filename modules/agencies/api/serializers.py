from rest_framework import serializers

from ..models import Agency, Season, StaffMember


class SeasonOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Season
        fields = ["id", "hijri_year", "starts_on", "ends_on", "is_active"]


class AgencyOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "code", "name_ar", "name_en", "kind", "is_active"]


class StaffMemberOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = StaffMember
        fields = [
            "id",
            "agency",
            "season",
            "name_ar",
            "name_en",
            "national_id",
            "phone",
            "email",
            "job_title",
            "gender",
            "is_active",
        ]
