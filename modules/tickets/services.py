"""Every change to a ticket: intake, routing, the lifecycle, comments and the clock.

Each service is atomic, checks who acts (`workflow.may`), writes a `TicketEvent`, and rewrites
the stored deadlines and pending escalation steps (`_reschedule`). Refusals are
`ValidationError` (code "transition" when the ticket's status does not allow the action) or
`PermissionDenied`.
"""

import datetime
import uuid
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from modules.agencies.models import Agency, Membership
from modules.agencies.validators import normalize_phone
from modules.core.hijri import to_hijri
from modules.core.sanitize import plain_text
from modules.core.text import normalize_digits
from modules.notifications.models import Channel
from modules.notifications.services import notify

from . import sla
from .models import (
    DEFAULT_PAUSE_STATUSES,
    DONE_STATUSES,
    Category,
    EscalationStep,
    EventKind,
    Landmark,
    Priority,
    SlaPolicy,
    Source,
    Status,
    Ticket,
    TicketAttachment,
    TicketEscalation,
    TicketEvent,
    Zone,
)
from .routing import route
from .uploads import check_upload
from .workflow import ACTIONS, CHANGE_PERMISSION, is_operator, may

MAX_TEXT = 4000
MAX_ATTACHMENTS = 5


# --- the clock ---------------------------------------------------------------------------


def policy_for(category: Category) -> SlaPolicy | None:
    """The category's own policy, else the default one (None: no deadlines at all)."""
    if category.sla_policy_id:
        return category.sla_policy
    return SlaPolicy.objects.filter(is_default=True).first()


def _loaded_policy(policy_id: int | None) -> SlaPolicy | None:
    if policy_id is None:
        return None
    return (
        SlaPolicy.objects.select_related("calendar")
        .prefetch_related(
            "targets",
            Prefetch("steps", queryset=EscalationStep.objects.order_by("sort_order", "pk")),
            "calendar__periods",
            "calendar__holidays",
        )
        .get(pk=policy_id)
    )


def _pause_statuses(policy: SlaPolicy | None) -> set[str]:
    return set(policy.pause_statuses if policy else DEFAULT_PAUSE_STATUSES)


def _reschedule(ticket: Ticket, *, now: datetime.datetime, policy: SlaPolicy | None = None):
    """Stop or restart the clock for the ticket's status, store its deadlines, and rewrite the
    escalation steps it has yet to reach. Fired steps are kept: a step never fires twice."""
    policy = policy if policy is not None else _loaded_policy(ticket.policy_id)
    hours = sla.BusinessHours.for_policy(policy)
    # Count the pause so far (on hold, or resolved before a reopen) before anything is
    # computed, then stop again from now if the new status stops the clock: a deadline frozen
    # by this very move (acknowledged or resolved now, maybe straight from a pause) then
    # leaves the paused time out.
    if ticket.paused_at is not None:
        ticket.paused_seconds += hours.between(ticket.paused_at, now)
        ticket.paused_at = None
    if ticket.status in DONE_STATUSES or ticket.status in _pause_statuses(policy):
        ticket.paused_at = now

    plan = sla.budget(list(policy.targets.all()), ticket.priority_id) if policy else None
    ticket.acknowledge_seconds = plan.acknowledge if plan else None
    ticket.resolve_seconds = plan.resolve if plan else None
    # A met target's deadline stays as it was when met (it is what the metrics compare with).
    if ticket.acknowledged_at is None or ticket.acknowledged_at == now:
        ticket.acknowledge_due_at = sla.due(hours, ticket, plan.acknowledge) if plan else None
    if ticket.resolved_at is None or ticket.resolved_at == now:
        ticket.resolve_due_at = sla.due(hours, ticket, plan.resolve) if plan else None
    ticket.save()

    TicketEscalation.objects.filter(ticket=ticket, fired_at__isnull=True).delete()
    if plan is None or ticket.paused_at is not None:
        return
    fired = set(TicketEscalation.objects.filter(ticket=ticket).values_list("step_id", flat=True))
    pending = []
    for step in policy.steps.all():
        if step.pk in fired or sla.target_met(ticket, step.target):
            continue
        due_at = sla.step_due(hours, ticket, plan, step)
        if due_at is not None:
            pending.append(TicketEscalation(ticket=ticket, step=step, due_at=due_at))
    TicketEscalation.objects.bulk_create(pending)


def tickets_reschedule_for_policy(*, policy_id: int, now: datetime.datetime | None = None) -> int:
    """After the committee edits a policy (or its calendar): open tickets under it get their
    deadlines and pending steps recomputed from the new settings. Returns how many."""
    now = now or timezone.now()
    policy = _loaded_policy(policy_id)
    count = 0
    open_ids = list(
        Ticket.objects.filter(policy_id=policy_id)
        .exclude(status__in=DONE_STATUSES)
        .values_list("pk", flat=True)
    )
    for ticket_id in open_ids:
        with transaction.atomic():
            ticket = Ticket.objects.select_for_update().get(pk=ticket_id)
            _reschedule(ticket, now=now, policy=policy)
            count += 1
    return count


# --- intake ------------------------------------------------------------------------------


def _coordinate(value, *, field: str, limit: int) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(normalize_digits(str(value)).strip().replace("٫", "."))
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite() or not -limit <= number <= limit:
        raise ValidationError(
            {field: _("Enter a number between -%(limit)s and %(limit)s.") % {"limit": limit}},
            code="coordinate",
        )
    return number.quantize(Decimal("0.000001"))


def _text(value: str, *, field: str, required: bool, limit: int = MAX_TEXT) -> str:
    text = plain_text(value)
    if required and not text:
        raise ValidationError({field: _("This field is required.")}, code="required")
    if len(text) > limit:
        raise ValidationError(
            {
                field: _("Write at most %(limit)s characters (this text has %(count)s).")
                % {"limit": limit, "count": len(text)}
            },
            code="max_length",
        )
    return text


def _check_attachments(files: Sequence, *, images_only: bool, field: str) -> list:
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError(
            {field: _("Attach at most %(count)s files.") % {"count": MAX_ATTACHMENTS}},
            code="too_many_files",
        )
    checked = []
    for upload in files:
        try:
            checked.append(check_upload(upload, images_only=images_only))
        except ValidationError as error:
            raise ValidationError({field: error.messages}, code=error.code) from error
    return checked


def _store_attachments(ticket, event, checked, actor) -> None:
    """Write the (already checked) files; if one fails, the ones written go too."""
    stored = []
    try:
        for upload in checked:
            attachment = TicketAttachment(
                ticket=ticket,
                event=event,
                original_name=upload.name,
                content_type=upload.content_type,
                size=upload.size,
                uploaded_by=actor,
            )
            attachment.file.save(upload.name, upload.file, save=False)
            stored.append(attachment.file)
            attachment.save()
    except Exception:
        for field_file in stored:
            field_file.storage.delete(field_file.name)
        raise


def _reference(ticket: Ticket, now: datetime.datetime) -> str:
    year = to_hijri(timezone.localdate(now, timezone.get_default_timezone())).year
    return f"{year}-{ticket.pk:06d}"


@transaction.atomic
def ticket_create(
    *,
    source: str,
    category: Category,
    description: str,
    actor=None,
    priority: Priority | None = None,
    zone: Zone | None = None,
    landmark: Landmark | None = None,
    latitude=None,
    longitude=None,
    location_note: str = "",
    reporter_name: str = "",
    reporter_phone: str = "",
    agency: Agency | None = None,
    attachments: Sequence = (),
    now: datetime.datetime | None = None,
) -> Ticket:
    """Record a report, route it, start its clock and tell the agency."""
    now = now or timezone.now()
    source = Source(source)
    if source == Source.OPERATOR and not is_operator(actor):
        raise PermissionDenied
    if source == Source.AGENCY and getattr(actor, "agency_id", None) is None:
        raise PermissionDenied
    if not is_operator(actor):
        # Only the room chooses the agency and the priority; everyone else gets the rules'.
        agency = priority = None
    if not category.is_active or (source in (Source.PUBLIC, Source.API) and not category.is_public):
        raise ValidationError({"category": _("Choose one of the listed categories.")})
    errors = {}
    fields = {}
    for name, check in (
        ("description", lambda: _text(description, field="description", required=True)),
        (
            "location_note",
            lambda: _text(location_note, field="location_note", required=False, limit=300),
        ),
        (
            "reporter_name",
            lambda: _text(reporter_name, field="reporter_name", required=False, limit=120),
        ),
        ("latitude", lambda: _coordinate(latitude, field="latitude", limit=90)),
        ("longitude", lambda: _coordinate(longitude, field="longitude", limit=180)),
    ):
        try:
            fields[name] = check()
        except ValidationError as error:
            errors.update(error.message_dict)
    if (fields.get("latitude") is None) != (fields.get("longitude") is None) and not errors:
        errors["longitude"] = [_("Give both the latitude and the longitude, or neither.")]
    phone = ""
    if reporter_phone and str(reporter_phone).strip():
        try:
            phone = normalize_phone(reporter_phone)
        except ValidationError as error:
            errors["reporter_phone"] = error.messages
    if landmark is not None:
        if not landmark.is_active:
            errors["landmark"] = [_("Choose one of the listed places.")]
        # The place decides the zone (and so the routing), whatever zone came with it.
        zone = landmark.zone
    located = landmark is not None or fields.get("latitude") is not None
    if source in (Source.PUBLIC, Source.API) and not located:
        errors.setdefault(
            "location", [_("Mark the place on the map, or choose a landmark, gate or area.")]
        )
    try:
        checked = _check_attachments(
            list(attachments), images_only=source in (Source.PUBLIC, Source.API), field="photo"
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    if agency is not None and not agency.is_active:
        errors["agency"] = [_("This agency is not active.")]
    if errors:
        raise ValidationError(errors)

    policy = policy_for(category)
    target_agency = agency if agency is not None else route(category, zone)
    ticket = Ticket(
        reference=f"new-{uuid.uuid4().hex[:16]}",
        source=source,
        category=category,
        priority=priority or category.default_priority,
        agency=target_agency,
        status=Status.ASSIGNED if target_agency else Status.NEW,
        description=fields["description"],
        zone=zone,
        landmark=landmark,
        latitude=fields["latitude"],
        longitude=fields["longitude"],
        location_note=fields["location_note"],
        reporter_name=fields["reporter_name"],
        reporter_phone=phone,
        # Texts to the reporter go in the language the report was written in.
        reporter_language=(get_language() or settings.LANGUAGE_CODE)[:2],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        reporting_agency_id=getattr(actor, "agency_id", None) if source == Source.AGENCY else None,
        policy=policy,
        clock_started_at=now,
        assigned_at=now if target_agency else None,
    )
    ticket.save()
    ticket.reference = _reference(ticket, now)
    actor_or_none = ticket.created_by
    created = _event(
        ticket, EventKind.CREATED, actor_or_none, now, to_status=Status.NEW, public=True
    )
    if target_agency:
        _event(
            ticket,
            EventKind.ASSIGNED,
            actor_or_none,
            now,
            from_status=Status.NEW,
            to_status=Status.ASSIGNED,
            to_agency=target_agency,
            public=True,
        )
    _reschedule(ticket, now=now, policy=_loaded_policy(policy.pk) if policy else None)
    if target_agency:
        _notify_agency(ticket, "tickets/assigned", key=f"assigned:{ticket.pk}:{target_agency.pk}")
    if phone:
        notify(
            channel=Channel.SMS,
            template="tickets/received",
            to=phone,
            language=ticket.reporter_language,
            context={"ticket": ticket},
            dedupe_key=f"ticket-received:{ticket.pk}",
        )
    _store_attachments(ticket, created, checked, actor_or_none)
    return ticket


# --- the lifecycle -----------------------------------------------------------------------


def _event(
    ticket,
    kind,
    actor,
    now,
    *,
    from_status="",
    to_status="",
    from_agency=None,
    to_agency=None,
    comment="",
    public=False,
) -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=ticket,
        kind=kind,
        at=now,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        from_status=from_status,
        to_status=to_status,
        from_agency=from_agency,
        to_agency=to_agency,
        comment=comment,
        is_public=public,
    )


def _locked(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update().get(pk=ticket.pk)


def _require(actor, action: str, ticket: Ticket) -> None:
    """Refuse with "transition" only someone who could take the action in another status."""
    if may(actor, action, ticket):
        return
    rule = ACTIONS[action]
    agency_id = getattr(actor, "agency_id", None)
    entitled = is_operator(actor) or (
        not rule.operator_only
        and agency_id is not None
        and agency_id == ticket.agency_id
        and actor.has_perm(CHANGE_PERMISSION)
    )
    if entitled and ticket.status not in rule.from_statuses:
        raise ValidationError(
            _("This cannot be done while the report is “%(status)s”.")
            % {"status": Status(ticket.status).label},
            code="transition",
        )
    raise PermissionDenied


def _move(
    ticket: Ticket,
    *,
    actor,
    action: str,
    kind: str,
    to_status: str,
    now: datetime.datetime | None,
    comment: str = "",
    public: bool = True,
    **changes,
) -> Ticket:
    """Check, change status and fields, record the event, reschedule the clock. The caller
    has locked the ticket (`_locked`), once."""
    now = now or timezone.now()
    _require(actor, action, ticket)
    from_status = ticket.status
    ticket.status = to_status
    for name, value in changes.items():
        setattr(ticket, name, value)
    _event(
        ticket,
        kind,
        actor,
        now,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        public=public,
    )
    _reschedule(ticket, now=now)
    return ticket


def _required_reason(reason: str, field: str = "reason") -> str:
    return _text(reason, field=field, required=True)


@transaction.atomic
def ticket_acknowledge(*, ticket: Ticket, actor, now=None) -> Ticket:
    """After a reopen the first acknowledgement stands (metrics measure it)."""
    now = now or timezone.now()
    locked = _locked(ticket)
    return _move(
        locked,
        actor=actor,
        action="acknowledge",
        kind=EventKind.ACKNOWLEDGED,
        to_status=Status.ACKNOWLEDGED,
        now=now,
        acknowledged_at=locked.acknowledged_at or now,
    )


@transaction.atomic
def ticket_start(*, ticket: Ticket, actor, now=None) -> Ticket:
    now = now or timezone.now()
    locked = _locked(ticket)
    changes = {} if locked.acknowledged_at else {"acknowledged_at": now}
    return _move(
        locked,
        actor=actor,
        action="start",
        kind=EventKind.STARTED,
        to_status=Status.IN_PROGRESS,
        now=now,
        **changes,
    )


@transaction.atomic
def ticket_resolve(*, ticket: Ticket, actor, note: str, now=None) -> Ticket:
    now = now or timezone.now()
    note = _required_reason(note, field="note")
    locked = _locked(ticket)
    changes = {"resolved_at": now, "resolution": note, "reassign_requested": False}
    if locked.acknowledged_at is None:
        changes["acknowledged_at"] = now
    ticket = _move(
        locked,
        actor=actor,
        action="resolve",
        kind=EventKind.RESOLVED,
        to_status=Status.RESOLVED,
        now=now,
        comment=note,
        **changes,
    )
    if ticket.reporter_phone:
        notify(
            channel=Channel.SMS,
            template="tickets/resolved",
            to=ticket.reporter_phone,
            language=ticket.reporter_language,
            context={"ticket": ticket},
            dedupe_key=f"ticket-resolved:{ticket.pk}:{now.timestamp()}",
        )
    return ticket


@transaction.atomic
def ticket_close(*, ticket: Ticket, actor, now=None) -> Ticket:
    now = now or timezone.now()
    return _move(
        _locked(ticket),
        actor=actor,
        action="close",
        kind=EventKind.CLOSED,
        to_status=Status.CLOSED,
        now=now,
        closed_at=now,
    )


@transaction.atomic
def ticket_reopen(*, ticket: Ticket, actor, reason: str, now=None) -> Ticket:
    """Back to the agency (or to the room if it has none); the resolve clock runs on from
    where it stopped: the time spent resolved does not count."""
    now = now or timezone.now()
    reason = _required_reason(reason)
    locked = _locked(ticket)
    return _move(
        locked,
        actor=actor,
        action="reopen",
        kind=EventKind.REOPENED,
        to_status=Status.ASSIGNED if locked.agency_id else Status.NEW,
        now=now,
        comment=reason,
        resolved_at=None,
        closed_at=None,
        resolution="",
    )


@transaction.atomic
def ticket_pause(*, ticket: Ticket, actor, reason: str, now=None) -> Ticket:
    reason = _required_reason(reason)
    locked = _locked(ticket)
    return _move(
        locked,
        actor=actor,
        action="pause",
        kind=EventKind.PAUSED,
        to_status=Status.ON_HOLD,
        now=now,
        comment=reason,
        public=False,
        status_before_pause=locked.status,
    )


@transaction.atomic
def ticket_resume(*, ticket: Ticket, actor, now=None) -> Ticket:
    locked = _locked(ticket)
    back_to = locked.status_before_pause or (Status.ASSIGNED if locked.agency_id else Status.NEW)
    return _move(
        locked,
        actor=actor,
        action="resume",
        kind=EventKind.RESUMED,
        to_status=back_to,
        now=now,
        public=False,
        status_before_pause="",
    )


@transaction.atomic
def ticket_assign(*, ticket: Ticket, agency: Agency, actor, reason: str = "", now=None) -> Ticket:
    """Route (first assignment) or reassign to another agency, which must acknowledge anew."""
    now = now or timezone.now()
    ticket = _locked(ticket)
    _require(actor, "assign", ticket)
    if not agency.is_active:
        raise ValidationError({"agency": _("This agency is not active.")})
    if agency.pk == ticket.agency_id:
        raise ValidationError({"agency": _("The report is already with this agency.")})
    reassigning = ticket.agency_id is not None
    reason = _required_reason(reason) if reassigning else plain_text(reason)
    from_agency, from_status = ticket.agency, ticket.status
    ticket.agency = agency
    if ticket.status != Status.ON_HOLD:
        ticket.status = Status.ASSIGNED
    else:
        ticket.status_before_pause = Status.ASSIGNED
    ticket.assigned_at = now
    ticket.acknowledged_at = None
    ticket.reassign_requested = False
    _event(
        ticket,
        EventKind.REASSIGNED if reassigning else EventKind.ASSIGNED,
        actor,
        now,
        from_status=from_status,
        to_status=ticket.status,
        from_agency=from_agency,
        to_agency=agency,
        comment=reason,
        public=not reassigning,
    )
    _reschedule(ticket, now=now)
    _notify_agency(
        ticket, "tickets/assigned", key=f"assigned:{ticket.pk}:{agency.pk}:{now.timestamp()}"
    )
    return ticket


@transaction.atomic
def ticket_change_priority(
    *, ticket: Ticket, actor, priority: Priority, reason: str = "", now=None
) -> Ticket:
    """A new priority means new targets; the deadlines are recomputed from the report time."""
    now = now or timezone.now()
    ticket = _locked(ticket)
    _require(actor, "priority", ticket)
    if priority.pk == ticket.priority_id:
        raise ValidationError({"priority": _("The report already has this priority.")})
    previous = ticket.priority
    ticket.priority = priority
    _event(
        ticket,
        EventKind.PRIORITY_CHANGED,
        actor,
        now,
        comment=plain_text(reason) or f"{previous} → {priority}",
    )
    _reschedule(ticket, now=now)
    return ticket


@transaction.atomic
def ticket_request_reassign(*, ticket: Ticket, actor, reason: str, now=None) -> Ticket:
    now = now or timezone.now()
    reason = _required_reason(reason)
    ticket = _locked(ticket)
    _require(actor, "request_reassign", ticket)
    ticket.reassign_requested = True
    ticket.save(update_fields=["reassign_requested", "updated_at"])
    _event(ticket, EventKind.REASSIGN_REQUESTED, actor, now, comment=reason)
    return ticket


@transaction.atomic
def ticket_comment(
    *,
    ticket: Ticket,
    actor,
    text: str,
    attachments: Sequence = (),
    is_public: bool = False,
    now=None,
) -> TicketEvent:
    now = now or timezone.now()
    ticket = _locked(ticket)
    _require(actor, "comment", ticket)
    files = list(attachments)
    errors = {}
    try:
        text = _text(text, field="text", required=not files)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        checked = _check_attachments(files, images_only=False, field="attachments")
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    event = _event(
        ticket,
        EventKind.COMMENTED,
        actor,
        now,
        comment=text,
        public=bool(is_public and is_operator(actor)),
    )
    _store_attachments(ticket, event, checked, actor)
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=now)
    return event


# --- notifications -----------------------------------------------------------------------


def agency_people(agency_ids: Iterable[int], *, managers_only: bool = False) -> dict[int, list]:
    """Active members of each agency, by agency id (one query)."""
    memberships = Membership.objects.filter(agency_id__in=set(agency_ids), user__is_active=True)
    if managers_only:
        memberships = memberships.filter(role="agency_manager")
    people: dict[int, list] = {}
    for membership in memberships.select_related("user").order_by("user_id"):
        people.setdefault(membership.agency_id, []).append(membership.user)
    return people


def channels_for(user) -> list[Channel]:
    return [Channel.EMAIL, Channel.SMS] if user.phone else [Channel.EMAIL]


def _notify_agency(ticket: Ticket, template: str, *, key: str) -> None:
    for user in agency_people([ticket.agency_id]).get(ticket.agency_id, []):
        for channel in channels_for(user):
            notify(
                channel=channel,
                template=template,
                user=user,
                context={"ticket": ticket, "user_name": str(user)},
                dedupe_key=f"ticket-{key}:{user.pk}:{channel}",
            )
