"""The operations room: incident reports (بلاغات), where they go, and the clocks that follow them.

Configuration, all edited in the Wagtail admin and read from the database on every use (so a
change takes effect without a restart):

- `Category` (with a default priority and SLA policy), `Priority`, `Zone` and `Landmark`
  (a landmark, gate or area, optionally with coordinates);
- `RoutingRule`: category (and optionally zone) → the responsible agency;
- `SlaPolicy`: per-priority `SlaTarget`s (minutes to acknowledge and to resolve), the statuses
  that pause the clock, an optional `BusinessCalendar`, and an `EscalationStep` ladder.

A `Ticket` stores its deadlines (`acknowledge_due_at`, `resolve_due_at`) whenever it is created
or changes state; remaining time is computed on read. Each escalation step the ticket will
reach is a `TicketEscalation` row with its own `due_at`; the one-minute pass fires the due rows
once each (see tasks.py). Every step of the ticket's life is a `TicketEvent`.
"""

import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from modules.agencies.models import Agency
from modules.core.models import BilingualNameMixin, TimeStampedModel
from modules.core.scoping import AgencyScopedManager, AgencyScopedQuerySet


class Status(models.TextChoices):
    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    ON_HOLD = "on_hold", _("On hold")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = frozenset(
    {Status.NEW, Status.ASSIGNED, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.ON_HOLD}
)
DONE_STATUSES = frozenset({Status.RESOLVED, Status.CLOSED})
DEFAULT_PAUSE_STATUSES = [Status.ON_HOLD.value]


def default_pause_statuses() -> list[str]:
    return list(DEFAULT_PAUSE_STATUSES)


class Source(models.TextChoices):
    PUBLIC = "public", _("Public report")
    OPERATOR = "operator", _("Operations room")
    AGENCY = "agency", _("Agency")
    API = "api", _("App")


class Target(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", _("Acknowledge")
    RESOLVE = "resolve", _("Resolve")


class LandmarkKind(models.TextChoices):
    LANDMARK = "landmark", _("Landmark")
    GATE = "gate", _("Gate")
    AREA = "area", _("Area")


class Priority(BilingualNameMixin, TimeStampedModel):
    """How urgent a ticket is; each SLA policy gives every priority its own times."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    rank = models.PositiveSmallIntegerField(
        _("rank"), default=0, help_text=_("Lower is more urgent; lists sort by it.")
    )
    colour = models.CharField(
        _("colour"),
        max_length=7,
        default="#b42318",
        help_text=_("A hex colour such as #b42318, for the board's badge."),
    )

    class Meta:
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")
        ordering = ["rank", "code"]


class BusinessCalendar(BilingualNameMixin, ClusterableModel):
    """Working hours and holidays for policies that do not run 24/7 (Asia/Riyadh time)."""

    class Meta:
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")
        ordering = ["name_ar"]


class Weekday(models.IntegerChoices):
    # Python's weekday() numbering; the week is listed from Saturday in the admin.
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class WorkingPeriod(Orderable):
    calendar = ParentalKey(BusinessCalendar, on_delete=models.CASCADE, related_name="periods")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta(Orderable.Meta):
        verbose_name = _("working period")
        verbose_name_plural = _("working periods")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")), name="working_period_closes_after_opens"
            )
        ]


class Holiday(Orderable):
    calendar = ParentalKey(BusinessCalendar, on_delete=models.CASCADE, related_name="holidays")
    day = models.DateField(_("date"))
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        constraints = [
            models.UniqueConstraint(fields=["calendar", "day"], name="holiday_once_per_calendar")
        ]


class SlaPolicy(BilingualNameMixin, ClusterableModel):
    """Times to acknowledge and resolve per priority, pausing statuses and the escalation ladder."""

    is_default = models.BooleanField(
        _("default policy"),
        default=False,
        help_text=_("Used for categories that name no policy. Only one policy is the default."),
    )
    pause_statuses = models.JSONField(
        _("statuses that pause the clock"), default=default_pause_statuses, blank=True
    )
    calendar = models.ForeignKey(
        BusinessCalendar,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="policies",
        verbose_name=_("business hours"),
        help_text=_("Leave empty to count every hour of every day (24/7), as in the season."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["-is_default", "name_ar"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_sla_policy"
            )
        ]


class SlaTarget(Orderable):
    policy = ParentalKey(SlaPolicy, on_delete=models.CASCADE, related_name="targets")
    priority = models.ForeignKey(
        Priority, on_delete=models.CASCADE, related_name="+", verbose_name=_("priority")
    )
    acknowledge_minutes = models.PositiveIntegerField(
        _("minutes to acknowledge"), validators=[MinValueValidator(1)]
    )
    resolve_minutes = models.PositiveIntegerField(
        _("minutes to resolve"), validators=[MinValueValidator(1)]
    )

    class Meta(Orderable.Meta):
        verbose_name = _("time target")
        verbose_name_plural = _("time targets")
        constraints = [
            models.UniqueConstraint(fields=["policy", "priority"], name="sla_target_per_priority")
        ]


class Recipients(models.TextChoices):
    AGENCY_TEAM = "agency_team", _("The agency's team")
    AGENCY_MANAGERS = "agency_managers", _("The agency's managers")
    OPERATORS = "operators", _("Operations-room operators")
    PERSON = "person", _("A named person (e.g. the duty supervisor)")


class EscalationStep(Orderable):
    """One rung of the ladder: at `percent` of a target's time plus `minutes_after`, tell someone.

    75 % + 0 is a warning; 100 % + 0 is the breach; 100 % + 30 is half an hour after it.
    """

    policy = ParentalKey(SlaPolicy, on_delete=models.CASCADE, related_name="steps")
    target = models.CharField(
        _("clock"), max_length=12, choices=Target.choices, default=Target.RESOLVE
    )
    percent = models.PositiveSmallIntegerField(
        # xgettext:no-python-format
        _("at % of the time"),
        default=100,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("100 is the deadline itself."),
    )
    minutes_after = models.PositiveIntegerField(
        _("plus minutes"), default=0, help_text=_("E.g. 30 for half an hour after the deadline.")
    )
    recipients = models.CharField(_("tell"), max_length=20, choices=Recipients.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    by_email = models.BooleanField(_("by e-mail"), default=True)
    by_sms = models.BooleanField(_("by SMS"), default=False)

    class Meta(Orderable.Meta):
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")

    @property
    def is_breach(self) -> bool:
        return self.percent >= 100


class Category(BilingualNameMixin, TimeStampedModel):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    description_ar = models.CharField(_("description (Arabic)"), max_length=300, blank=True)
    description_en = models.CharField(_("description (English)"), max_length=300, blank=True)
    default_priority = models.ForeignKey(
        Priority, on_delete=models.PROTECT, related_name="+", verbose_name=_("default priority")
    )
    sla_policy = models.ForeignKey(
        SlaPolicy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="categories",
        verbose_name=_("SLA policy"),
        help_text=_("Leave empty for the default policy."),
    )
    is_public = models.BooleanField(
        _("offered to the public"), default=True, help_text=_("Shown on the public report form.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("incident category")
        verbose_name_plural = _("incident categories")
        ordering = ["sort_order", "name_ar"]


class Zone(BilingualNameMixin, TimeStampedModel):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["sort_order", "name_ar"]


class Landmark(BilingualNameMixin, TimeStampedModel):
    """A place the public can pick instead of a map point: a landmark, a gate, an area."""

    kind = models.CharField(
        _("kind"), max_length=10, choices=LandmarkKind.choices, default=LandmarkKind.LANDMARK
    )
    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, related_name="landmarks", verbose_name=_("zone")
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("landmark")
        verbose_name_plural = _("landmarks")
        ordering = ["zone__sort_order", "kind", "name_ar"]


class RoutingRule(TimeStampedModel):
    """Category (and optionally zone) → the agency responsible.

    A rule for the ticket's zone beats the category's general rule (no zone)."""

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="routing_rules", verbose_name=_("category")
    )
    zone = models.ForeignKey(
        Zone,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="routing_rules",
        verbose_name=_("zone"),
        help_text=_("Leave empty for every zone without a rule of its own."),
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="routing_rules", verbose_name=_("agency")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["category__sort_order", "zone__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "zone"], name="routing_rule_per_category_zone"
            ),
            models.UniqueConstraint(
                fields=["category"],
                condition=Q(zone__isnull=True),
                name="routing_rule_per_category_any_zone",
            ),
        ]

    def __str__(self) -> str:
        where = self.zone.name if self.zone_id else _("any zone")
        return f"{self.category} / {where} → {self.agency}"


class TicketQuerySet(AgencyScopedQuerySet):
    def for_user(self, user):
        """Agency people see the tickets assigned to their agency, and (read-only) the ones
        their agency reported that went elsewhere."""
        if getattr(user, "is_authenticated", False) and user.is_active and not user.is_committee:
            if user.agency_id is None:
                return self.none()
            return self.filter(Q(agency_id=user.agency_id) | Q(reporting_agency_id=user.agency_id))
        return super().for_user(user)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


def new_status_token() -> str:
    return secrets.token_urlsafe(24)


class Ticket(TimeStampedModel):
    """One incident report, from intake to closure."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    status_token = models.CharField(max_length=40, default=new_status_token, editable=False)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW, db_index=True
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("category")
    )
    priority = models.ForeignKey(
        Priority, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("priority")
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("agency"),
    )
    description = models.TextField(_("description"), max_length=4000)
    zone = models.ForeignKey(
        Zone,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("zone"),
    )
    landmark = models.ForeignKey(
        Landmark,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("landmark, gate or area"),
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    location_note = models.CharField(_("location details"), max_length=300, blank=True)
    reporter_name = models.CharField(_("reporter's name"), max_length=120, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=20, blank=True)
    reporter_language = models.CharField(
        _("reporter's language"), max_length=8, choices=settings.LANGUAGES, default="ar"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    reporting_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_tickets",
        verbose_name=_("reported by agency"),
    )
    resolution = models.TextField(_("resolution note"), blank=True, max_length=4000)
    reassign_requested = models.BooleanField(_("reassignment asked for"), default=False)

    # The clock. Deadlines are rewritten whenever the ticket changes; see sla.py.
    policy = models.ForeignKey(
        SlaPolicy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("SLA policy"),
    )
    clock_started_at = models.DateTimeField(_("clock started"), null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(default=0)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    status_before_pause = models.CharField(max_length=12, choices=Status.choices, blank=True)
    acknowledge_seconds = models.PositiveIntegerField(null=True, blank=True)
    resolve_seconds = models.PositiveIntegerField(null=True, blank=True)
    acknowledge_due_at = models.DateTimeField(_("acknowledge by"), null=True, blank=True)
    resolve_due_at = models.DateTimeField(_("resolve by"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    agency_lookup = "agency"
    objects = models.Manager.from_queryset(TicketQuerySet)()

    class Meta:
        verbose_name = _("incident report")
        verbose_name_plural = _("incident reports")
        ordering = ["-created_at"]
        permissions = [
            ("operate_ticket", _("Can work the operations room (route, reassign, close)")),
        ]
        indexes = [
            models.Index(fields=["agency", "status", "resolve_due_at"]),
            models.Index(fields=["status", "resolve_due_at"]),
            models.Index(fields=["created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | (Q(latitude__gte=-90) & Q(latitude__lte=90)),
                name="ticket_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True)
                | (Q(longitude__gte=-180) & Q(longitude__lte=180)),
                name="ticket_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or _("New incident report")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None


class EventKind(models.TextChoices):
    CREATED = "created", _("Reported")
    ASSIGNED = "assigned", _("Assigned")
    REASSIGNED = "reassigned", _("Reassigned")
    REASSIGN_REQUESTED = "reassign_requested", _("Reassignment asked for")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    STARTED = "started", _("Work started")
    PAUSED = "paused", _("Paused")
    RESUMED = "resumed", _("Resumed")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")
    PRIORITY_CHANGED = "priority_changed", _("Priority changed")
    COMMENTED = "commented", _("Comment")
    ESCALATED = "escalated", _("Escalated")


class TicketEvent(models.Model):
    """One line of the ticket's timeline: who did what, when, and what they wrote."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what"), max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(_("when"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    from_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    from_agency = models.ForeignKey(
        Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    to_agency = models.ForeignKey(
        Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.TextField(_("comment"), blank=True, max_length=4000)
    is_public = models.BooleanField(
        _("shown to the reporter"),
        default=False,
        help_text=_("Shown on the reporter's status page."),
    )

    agency_lookup = "ticket__agency"
    audited = False  # the timeline is itself the record of who did what
    objects = AgencyScopedManager()

    class Meta:
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.get_kind_display()}"


def attachment_path(instance, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"tickets/{uuid.uuid4().hex}.{extension}"


class TicketAttachment(models.Model):
    """A photo or document on a ticket, served only through a scoped view."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(
        TicketEvent, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    agency_lookup = "ticket__agency"
    objects = AgencyScopedManager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class TicketEscalation(models.Model):
    """A step of the ladder this ticket will reach at `due_at`; `fired_at` once it is sent.

    Rows are written with the deadlines; unfired rows are rewritten when the clock changes
    (pause, resume, priority, reassignment), fired rows are kept, so each step fires once.
    """

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="escalations")
    step = models.ForeignKey(EscalationStep, on_delete=models.CASCADE, related_name="+")
    due_at = models.DateTimeField()
    fired_at = models.DateTimeField(null=True, blank=True)

    audited = False

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ticket", "step"], name="escalation_once_per_step")
        ]
        indexes = [
            models.Index(
                fields=["due_at"], condition=Q(fired_at__isnull=True), name="escalation_due_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} step {self.step_id} @ {self.due_at:%Y-%m-%d %H:%M}"
