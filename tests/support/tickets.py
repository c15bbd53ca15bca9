"""Builders for operations-room tests: priorities, categories, policies, places and tickets.

A typical setup:

    room = make_room(agency=agency_a)          # priority, 24/7 default policy, category, rule
    ticket = make_ticket(room, now=...)        # routed to agency_a by the rule
    operator = make_operator()
"""

import datetime
import io
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from modules.accounts.roles import Role
from modules.tickets.models import (
    BusinessCalendar,
    Category,
    EscalationStep,
    Holiday,
    Landmark,
    Priority,
    Recipients,
    RoutingRule,
    SlaPolicy,
    SlaTarget,
    Source,
    Target,
    WorkingPeriod,
    Zone,
)
from modules.tickets.services import ticket_create
from tests.support.fixtures import make_user


def at(text: str) -> datetime.datetime:
    """An aware Asia/Riyadh moment from "2026-05-20 10:00"."""
    return timezone.make_aware(datetime.datetime.fromisoformat(text))


def make_priority(code="high", *, rank=1, name_ar="عالية", name_en="High", colour="#b42318"):
    priority, _created = Priority.objects.get_or_create(
        code=code,
        defaults={"rank": rank, "name_ar": name_ar, "name_en": name_en, "colour": colour},
    )
    return priority


def make_policy(
    *,
    priority,
    acknowledge_minutes=15,
    resolve_minutes=120,
    is_default=True,
    pause_statuses=("on_hold",),
    calendar=None,
    steps=(),
    name="سياسة الموسم",
):
    """A policy with one target; `steps` are (target, percent, minutes_after, recipients, extra)."""
    policy = SlaPolicy.objects.create(
        name_ar=name,
        name_en="Season policy",
        is_default=is_default,
        pause_statuses=list(pause_statuses),
        calendar=calendar,
    )
    SlaTarget.objects.create(
        policy=policy,
        priority=priority,
        acknowledge_minutes=acknowledge_minutes,
        resolve_minutes=resolve_minutes,
    )
    for order, step in enumerate(steps):
        target, percent, minutes_after, recipients, *extra = step
        EscalationStep.objects.create(
            policy=policy,
            sort_order=order,
            target=target,
            percent=percent,
            minutes_after=minutes_after,
            recipients=recipients,
            **(extra[0] if extra else {}),
        )
    return policy


def standard_ladder(person=None):
    """The issue's example: 75 % warns the team, the breach tells the manager, 30 minutes
    after it the duty supervisor (a named person) hears."""
    return [
        (Target.RESOLVE, 75, 0, Recipients.AGENCY_TEAM),
        (Target.RESOLVE, 100, 0, Recipients.AGENCY_MANAGERS, {"by_sms": True}),
        (Target.RESOLVE, 100, 30, Recipients.PERSON, {"person": person}),
    ]


def make_calendar(periods, holidays=(), name="دوام رسمي"):
    """`periods`: (weekday, "08:00", "16:00") tuples; `holidays`: dates."""
    calendar = BusinessCalendar.objects.create(name_ar=name, name_en="Office hours")
    for weekday, opens, closes in periods:
        WorkingPeriod.objects.create(
            calendar=calendar,
            weekday=weekday,
            opens=datetime.time.fromisoformat(opens),
            closes=datetime.time.fromisoformat(closes),
        )
    for day in holidays:
        Holiday.objects.create(calendar=calendar, day=day, name_ar="عطلة", name_en="Holiday")
    return calendar


def make_category(code="crowding", *, priority, policy=None, is_public=True, order=0):
    category, _created = Category.objects.get_or_create(
        code=code,
        defaults={
            "name_ar": f"فئة {code}",
            "name_en": f"Category {code}",
            "default_priority": priority,
            "sla_policy": policy,
            "is_public": is_public,
            "sort_order": order,
        },
    )
    return category


def make_zone(code="central", *, name_ar="المنطقة المركزية", name_en="Central area"):
    zone, _created = Zone.objects.get_or_create(
        code=code, defaults={"name_ar": name_ar, "name_en": name_en}
    )
    return zone


def make_landmark(name_en="Gate 21", *, zone, kind="gate", latitude=None, longitude=None):
    return Landmark.objects.create(
        name_ar=f"معلم {name_en}",
        name_en=name_en,
        kind=kind,
        zone=zone,
        latitude=latitude,
        longitude=longitude,
    )


def make_rule(category, agency, zone=None):
    return RoutingRule.objects.create(category=category, agency=agency, zone=zone)


@dataclass
class Room:
    priority: Priority
    policy: SlaPolicy
    category: Category
    zone: Zone
    landmark: Landmark


def make_room(*, agency=None, steps=(), acknowledge_minutes=15, resolve_minutes=120, **policy):
    """A priority, a default 24/7 policy, a public category routed to `agency`, a zone and
    a gate in it."""
    priority = make_priority()
    sla = make_policy(
        priority=priority,
        acknowledge_minutes=acknowledge_minutes,
        resolve_minutes=resolve_minutes,
        steps=steps,
        **policy,
    )
    category = make_category(priority=priority)
    zone = make_zone()
    landmark = make_landmark(zone=zone, latitude="24.467200", longitude="39.611100")
    if agency is not None:
        make_rule(category, agency)
    return Room(priority, sla, category, zone, landmark)


def make_operator(email="operator@example.org"):
    return make_user(email, Role.OPERATOR)


def make_ticket(room: Room, *, now=None, source=Source.PUBLIC, actor=None, **fields):
    """A public report at the room's gate (routed by the room's rule), made through the service."""
    values = {
        "category": room.category,
        "description": "ازدحام شديد عند البوابة",
        "landmark": room.landmark,
        **fields,
    }
    return ticket_create(source=source, actor=actor, now=now or timezone.now(), **values)


def photo(name="photo.jpg", *, size=(40, 30), image_format="JPEG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#1f7a5c").save(buffer, format=image_format)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png"}.get(image_format, "image/webp")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)
