"""What the tickets API returns: tickets with their clocks and timeline, the reporter's public
status, and the reference lists (categories, landmarks, priorities).

Names come in both languages and in the request's (`name`); labels (`status_label`,
`kind_label`) are in the request's language. Times are ISO 8601 in Asia/Riyadh.
"""

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from modules.agencies.models import Agency

from ..models import (
    Category,
    Landmark,
    Priority,
    Status,
    Target,
    Ticket,
    TicketAttachment,
    TicketEvent,
    Zone,
)

# --- small pieces ----------------------------------------------------------------------


class TicketMessageOutputSerializer(serializers.Serializer):
    detail = serializers.CharField()


class NamedOutputSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text=_("In the request's language."))


class TicketAgencyOutputSerializer(NamedOutputSerializer):
    class Meta:
        model = Agency
        fields = ["id", "code", "name_ar", "name_en", "name"]


class TicketCategoryBriefOutputSerializer(NamedOutputSerializer):
    class Meta:
        model = Category
        fields = ["id", "code", "name_ar", "name_en", "name"]


class PriorityOutputSerializer(NamedOutputSerializer):
    class Meta:
        model = Priority
        fields = ["id", "code", "name_ar", "name_en", "name", "rank", "colour"]


class ZoneOutputSerializer(NamedOutputSerializer):
    class Meta:
        model = Zone
        fields = ["id", "code", "name_ar", "name_en", "name"]


class LandmarkBriefOutputSerializer(NamedOutputSerializer):
    class Meta:
        model = Landmark
        fields = ["id", "kind", "name_ar", "name_en", "name"]


# --- the clock -------------------------------------------------------------------------


class ClockOutputSerializer(serializers.Serializer):
    """The countdown to show: the clock that matters now (acknowledge until acknowledged,
    then resolve), computed at the time of the response."""

    target = serializers.ChoiceField(
        choices=Target.choices,
        allow_null=True,
        help_text=_("Which deadline counts now; null when the ticket has none."),
    )
    due_at = serializers.DateTimeField(allow_null=True)
    seconds_left = serializers.IntegerField(
        allow_null=True, help_text=_("Business seconds left; negative once breached.")
    )
    total_seconds = serializers.IntegerField(allow_null=True, help_text=_("The whole budget."))
    tone = serializers.ChoiceField(choices=["ok", "warning", "breached", "done"], allow_null=True)
    warning = serializers.FloatField(help_text=_("The share of the time at which it turns amber."))
    paused = serializers.BooleanField()
    met = serializers.BooleanField()
    running = serializers.BooleanField(
        help_text=_("Business time is passing now: a countdown on screen should tick.")
    )
    acknowledge_seconds_left = serializers.IntegerField(allow_null=True)
    resolve_seconds_left = serializers.IntegerField(allow_null=True)


def clock_fields(ticket: Ticket, clock) -> dict:
    """`selectors.Clock` as the API shows it."""
    current = clock.current
    target = None
    if current is not None:
        target = Target.ACKNOWLEDGE if current is clock.acknowledge else Target.RESOLVE
    acknowledging = target == Target.ACKNOWLEDGE
    return {
        "target": target,
        "due_at": clock.due_at,
        "seconds_left": current.seconds if current else None,
        "total_seconds": ticket.acknowledge_seconds if acknowledging else ticket.resolve_seconds,
        "tone": current.tone if current else None,
        "warning": clock.warning_fraction,
        "paused": bool(current and current.paused),
        "met": bool(current and current.met),
        "running": clock.running,
        "acknowledge_seconds_left": clock.acknowledge.seconds if clock.acknowledge else None,
        "resolve_seconds_left": clock.resolve.seconds if clock.resolve else None,
    }


# --- tickets ---------------------------------------------------------------------------


class TicketOutputSerializer(serializers.ModelSerializer):
    """A ticket in the queue. Needs `clocks` (from `selectors.clocks_for`) in the context."""

    status_label = serializers.CharField(source="get_status_display")
    source_label = serializers.CharField(source="get_source_display")
    category = TicketCategoryBriefOutputSerializer()
    priority = PriorityOutputSerializer()
    agency = TicketAgencyOutputSerializer(allow_null=True)
    zone = ZoneOutputSerializer(allow_null=True)
    landmark = LandmarkBriefOutputSerializer(allow_null=True)
    reporting_agency = serializers.IntegerField(
        source="reporting_agency_id",
        allow_null=True,
        help_text=_("The agency that reported it, when an agency did."),
    )
    clock = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        fields = [
            "id",
            "reference",
            "status",
            "status_label",
            "source",
            "source_label",
            "category",
            "priority",
            "agency",
            "reporting_agency",
            "zone",
            "landmark",
            "latitude",
            "longitude",
            "location_note",
            "description",
            "reassign_requested",
            "created_at",
            "updated_at",
            "assigned_at",
            "acknowledge_due_at",
            "acknowledged_at",
            "resolve_due_at",
            "resolved_at",
            "closed_at",
            "clock",
        ]

    @extend_schema_field(ClockOutputSerializer)
    def get_clock(self, ticket):
        return ClockOutputSerializer(clock_fields(ticket, self.context["clocks"][ticket.pk])).data


class AttachmentOutputSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name")
    event = serializers.IntegerField(source="event_id", allow_null=True)
    url = serializers.SerializerMethodField(help_text=_("Where the file is downloaded."))

    class Meta:
        model = TicketAttachment
        fields = ["id", "name", "content_type", "size", "uploaded_at", "event", "url"]

    def get_url(self, attachment) -> str:
        return reverse(
            "api:ticket-attachment",
            kwargs={"pk": attachment.ticket_id, "attachment_id": attachment.pk},
        )


def files_context(attachments) -> dict:
    """The context `EventOutputSerializer` needs: the files, by the event they came with."""
    by_event: dict[int, list] = {}
    for attachment in attachments:
        by_event.setdefault(attachment.event_id, []).append(attachment)
    return {"attachments_by_event": by_event}


class EventOutputSerializer(serializers.ModelSerializer):
    """A line of the timeline. Needs `attachments_by_event` (`files_context`) in the context."""

    kind_label = serializers.CharField(source="get_kind_display")
    actor = serializers.SerializerMethodField(help_text=_("Who did it; null for the system."))
    from_agency = TicketAgencyOutputSerializer(allow_null=True)
    to_agency = TicketAgencyOutputSerializer(allow_null=True)
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = TicketEvent
        fields = [
            "id",
            "kind",
            "kind_label",
            "at",
            "actor",
            "from_status",
            "to_status",
            "from_agency",
            "to_agency",
            "comment",
            "is_public",
            "attachments",
        ]

    def get_actor(self, event) -> str | None:
        return str(event.actor) if event.actor_id else None

    @extend_schema_field(AttachmentOutputSerializer(many=True))
    def get_attachments(self, event):
        files = self.context["attachments_by_event"].get(event.pk, [])
        return AttachmentOutputSerializer(files, many=True).data


class TicketDetailOutputSerializer(TicketOutputSerializer):
    """A ticket with its timeline, its files and what the requesting person may do with it.
    Needs `events`, `attachments` and `actions` in the context too."""

    timeline = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField(
        help_text=_(
            "What this person may do now: each transition by the name in its address (such as "
            "request-reassign), and comment."
        )
    )

    class Meta(TicketOutputSerializer.Meta):
        fields = [
            *TicketOutputSerializer.Meta.fields,
            "reporter_name",
            "reporter_phone",
            "resolution",
            "timeline",
            "attachments",
            "actions",
        ]

    @extend_schema_field(EventOutputSerializer(many=True))
    def get_timeline(self, ticket):
        context = files_context(self.context["attachments"])
        return EventOutputSerializer(self.context["events"], many=True, context=context).data

    @extend_schema_field(AttachmentOutputSerializer(many=True))
    def get_attachments(self, ticket):
        return AttachmentOutputSerializer(self.context["attachments"], many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, ticket):
        return sorted(action.replace("_", "-") for action in self.context["actions"])


class TicketCreatedOutputSerializer(serializers.Serializer):
    """The answer to a new report. `token` and the status links are given to a creator who
    is not signed in, in this answer only: keep them to follow the report."""

    id = serializers.IntegerField(
        allow_null=True, help_text=_("For signed-in creators: the ticket's id.")
    )
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField()
    created_at = serializers.DateTimeField()
    token = serializers.CharField(allow_null=True)
    status_url = serializers.URLField(
        allow_null=True, help_text=_("The reporter's status page on the site.")
    )
    status_api_url = serializers.URLField(
        allow_null=True, help_text=_("The same status from this API.")
    )


# --- the reporter's status --------------------------------------------------------------


class PublicEventOutputSerializer(serializers.Serializer):
    kind = serializers.CharField()
    at = serializers.DateTimeField()
    title = serializers.CharField(help_text=_("In the request's language."))
    text = serializers.CharField(help_text=_("The resolution note or a public update, or empty."))


class PublicStatusOutputSerializer(serializers.Serializer):
    """What the reporter may know: no internal comments, no names of people."""

    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField()
    summary = serializers.CharField(help_text=_("A sentence about the status."))
    category = serializers.CharField(help_text=_("The category's name in the request's language."))
    created_at = serializers.DateTimeField()
    resolved_at = serializers.DateTimeField(allow_null=True)
    resolution = serializers.CharField(help_text=_("What was done, once resolved; else empty."))
    timeline = PublicEventOutputSerializer(many=True)


# --- reference lists --------------------------------------------------------------------


class TicketCategoryOutputSerializer(NamedOutputSerializer):
    description = serializers.SerializerMethodField(help_text=_("In the request's language."))
    default_priority = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Category
        fields = [
            "id",
            "code",
            "name_ar",
            "name_en",
            "name",
            "description_ar",
            "description_en",
            "description",
            "default_priority",
            "is_public",
        ]

    def get_description(self, category) -> str:
        if (get_language() or "ar").startswith("en"):
            return category.description_en or category.description_ar
        return category.description_ar or category.description_en


class LandmarkOutputSerializer(NamedOutputSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    zone = ZoneOutputSerializer()

    class Meta:
        model = Landmark
        fields = [
            "id",
            "kind",
            "kind_label",
            "name_ar",
            "name_en",
            "name",
            "zone",
            "latitude",
            "longitude",
        ]
