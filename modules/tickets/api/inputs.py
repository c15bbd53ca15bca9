"""What the tickets API reads: request bodies and query parameters.

These serializers check the shape only (types, known codes and ids). What a report may say —
lengths after cleaning, coordinates in range, the phone, the photo's size and content, who may
choose the agency — is decided once, by the services, and their refusals come back as 400s
keyed by the same field names.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from modules.agencies.models import Agency

from ..models import Category, Landmark, LandmarkKind, Priority, Status, Zone


@extend_schema_field(
    {"oneOf": [{"type": "number"}, {"type": "string"}], "nullable": True, "example": 24.4672}
)
class CoordinateInputField(serializers.Field):
    """A latitude or longitude as a number or a string (Arabic-Indic digits allowed); passed
    on as sent, for `services.ticket_create` to read and range-check."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (int, float, str)):
            raise serializers.ValidationError(_("Enter a number."))
        return data


class TicketCreateInputSerializer(serializers.Serializer):
    """A new report. Give a landmark, or a point (latitude and longitude), or both."""

    category = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Category.objects.filter(is_active=True),
        error_messages={"does_not_exist": _("Choose one of the listed categories.")},
        help_text=_("A category's code, from /api/v1/tickets/categories/."),
    )
    description = serializers.CharField(
        help_text=_("What is happening; plain text, at most 4000 characters (markup is removed).")
    )
    landmark = serializers.PrimaryKeyRelatedField(
        queryset=Landmark.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text=_("A landmark, gate or area's id, from /api/v1/tickets/landmarks/."),
    )
    zone = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Zone.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("A zone's code; taken from the landmark when one is given."),
    )
    latitude = CoordinateInputField(required=False, allow_null=True)
    longitude = CoordinateInputField(required=False, allow_null=True)
    location_note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_("At most 300 characters.")
    )
    reporter_name = serializers.CharField(required=False, allow_blank=True, default="")
    reporter_phone = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("A mobile number for an SMS with the reference and, later, the outcome."),
    )
    photo = serializers.FileField(
        required=False,
        allow_null=True,
        help_text=_("A JPEG, PNG or WebP photo (multipart/form-data requests only)."),
    )
    priority = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Priority.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Operators only (ignored otherwise): the category's default priority else."),
    )
    agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text=_("Operators only (ignored otherwise): the routing rules choose else."),
    )


class TicketQueryInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=Status.choices, required=False, help_text=_("One status; overrides `open`.")
    )
    open = serializers.BooleanField(
        required=False,
        default=True,
        help_text=_("Open tickets only (the default); false lists done ones too."),
    )
    category = serializers.SlugField(
        required=False, max_length=40, help_text=_("A category's code.")
    )
    priority = serializers.SlugField(
        required=False, max_length=40, help_text=_("A priority's code.")
    )
    zone = serializers.SlugField(required=False, max_length=40, help_text=_("A zone's code."))
    agency = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_("The id of the agency the ticket is with."),
    )


class StatusQueryInputSerializer(serializers.Serializer):
    reference = serializers.CharField(
        max_length=20, help_text=_("The reference given when the report was made.")
    )
    token = serializers.CharField(
        max_length=64, help_text=_("The status token given with the reference.")
    )


class LandmarkQueryInputSerializer(serializers.Serializer):
    zone = serializers.SlugField(required=False, max_length=40, help_text=_("A zone's code."))
    kind = serializers.ChoiceField(choices=LandmarkKind.choices, required=False)


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text=_("Plain text, at most 4000 characters."))


class ResolveInputSerializer(serializers.Serializer):
    note = serializers.CharField(
        help_text=_("What was done: shown to the reporter. Plain text, at most 4000 characters.")
    )


class AssignInputSerializer(serializers.Serializer):
    agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(), help_text=_("The agency's id.")
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required when the ticket is already with an agency."),
    )


class PriorityInputSerializer(serializers.Serializer):
    priority = serializers.SlugRelatedField(
        slug_field="code", queryset=Priority.objects.all(), help_text=_("The priority's code.")
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CommentInputSerializer(serializers.Serializer):
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Plain text, at most 4000 characters; may be left out with an attachment."),
    )
    attachment = serializers.FileField(
        required=False,
        allow_null=True,
        help_text=_("A photo (JPEG, PNG, WebP) or a PDF (multipart/form-data requests only)."),
    )
    is_public = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Shown on the reporter's status page (the operations room only)."),
    )
