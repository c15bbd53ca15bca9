"""The operations room's e-mails and SMS: what they say, in whose language, and that Arabic
reads right to left with its numbers and links intact."""

import datetime
import re

import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext

from modules.accounts.roles import Role
from modules.accounts.services import user_update_profile
from modules.core.hijri import format_dual
from modules.notifications.models import Channel, Message, MessageStatus
from modules.notifications.services import notify
from modules.tickets import services, tasks
from modules.tickets.models import Recipients, Target
from tests.support.fixtures import make_user
from tests.support.tickets import at, make_operator, make_room, make_ticket

pytestmark = pytest.mark.django_db

T0 = at("2026-05-20 10:00")  # 3 Dhu al-Hijjah 1447


def with_profile(user, *, phone="", language="ar"):
    return user_update_profile(
        user=user,
        first_name=user.first_name,
        last_name=user.last_name,
        phone=phone,
        preferred_language=language,
    )


def ar(msgid: str, **values) -> str:
    """The Arabic of a template's message (the English text until the catalogue has it)."""
    with translation.override("ar"):
        return gettext(msgid) % values if values else gettext(msgid)


def ar_plural(singular: str, plural: str, count: int, **values) -> str:
    with translation.override("ar"):
        return ngettext(singular, plural, count) % {"counter": count, **values}


def messages(template: str, **filters) -> list[Message]:
    return list(Message.objects.filter(template=template, **filters).order_by("pk"))


@pytest.fixture
def room(agency_a):
    return make_room(agency=agency_a)


@pytest.fixture
def hala(agency_a):
    """An Arabic-speaking manager of agency A with a mobile phone."""
    user = make_user("hala@example.org", Role.AGENCY_MANAGER, agency_a)
    return with_profile(user, phone="0501234567")


@pytest.fixture
def john(agency_a):
    """An English-speaking member of agency A with a mobile phone."""
    user = make_user("john@example.org", Role.AGENCY_STAFF, agency_a)
    return with_profile(user, phone="0559876543", language="en")


def reported(room, **fields):
    values = {
        "description": "ازدحام > 500 حاج عند البوابة & طوابير طويلة",
        "latitude": "24.467200",
        "longitude": "39.611100",
        "location_note": "قرب دورات المياه رقم 7",
        **fields,
    }
    return make_ticket(room, now=T0, **values)


# --- the assignment ------------------------------------------------------------------------


def test_the_assignment_email_in_arabic_reads_right_to_left(room, hala):
    ticket = reported(room)

    [mail] = messages("tickets/assigned", user=hala, channel=Channel.EMAIL)
    assert mail.language == "ar"
    html = mail.body_html
    assert '<html lang="ar" dir="rtl">' in html
    assert '<body dir="rtl"' in html
    assert "text-align:left" not in html
    # Numbers and Latin values are isolated so the bidi algorithm keeps them in order.
    assert f'<bdi dir="ltr" style="font-weight:bold;">{ticket.reference}</bdi>' in html
    assert '<span dir="ltr">24.467200, 39.611100</span>' in html
    assert '<bdi dir="auto">قرب دورات المياه رقم 7</bdi>' in html
    assert '<div dir="auto"' in html
    # What was reported, escaped, and where.
    assert "ازدحام &gt; 500 حاج عند البوابة &amp; طوابير طويلة" in html
    for name in (room.category.name_ar, room.priority.name_ar, room.zone.name_ar):
        assert name in html
    assert room.landmark.name_ar in html
    # The deadlines in Hijri and Gregorian with the time.
    with translation.override("ar"):
        day = format_dual(T0.date())
    assert ar("%(day)s at %(time)s", day=day, time="10:15") in html  # acknowledge
    assert ar("%(day)s at %(time)s", day=day, time="12:00") in html  # resolve
    assert "3 ذو الحجة 1447 هـ" in day
    assert ar("Acknowledge by") in html and ar("Resolve by") in html
    assert f'href="http://localhost:8000/ar/portal/incidents/{ticket.pk}/"' in html
    assert ticket.reference in mail.subject and room.category.name_ar in mail.subject
    assert (
        ar(
            "Incident report %(reference)s for your agency: %(category)s (%(priority)s)",
            reference=ticket.reference,
            category=room.category.name_ar,
            priority=room.priority.name_ar,
        )
        == mail.subject
    )


def test_the_assignment_email_in_english_reads_left_to_right(room, john):
    ticket = reported(room)

    [mail] = messages("tickets/assigned", user=john, channel=Channel.EMAIL)
    assert mail.language == "en"
    assert '<html lang="en" dir="ltr">' in mail.body_html
    assert "text-align:right" not in mail.body_html
    assert mail.subject == (
        f"Incident report {ticket.reference} for your agency: Category crowding (High)"
    )
    text = mail.body_text
    assert "Hello john," in text
    assert f"Reference: {ticket.reference}" in text
    assert "Zone: Central area" in text
    assert "Gate: Gate 21" in text
    assert "Coordinates: latitude 24.467200, longitude 39.611100" in text
    assert "Acknowledge by: 3 Dhu al-Hijjah 1447 — May 20, 2026 at 10:15" in text
    assert "Resolve by: 3 Dhu al-Hijjah 1447 — May 20, 2026 at 12:00" in text
    assert f"\nhttp://localhost:8000/en/portal/incidents/{ticket.pk}/\n" in text
    assert "Open the report" in mail.body_html


def test_the_assignment_sms_is_in_each_persons_language(room, hala, john):
    ticket = reported(room)

    [arabic] = messages("tickets/assigned", user=hala, channel=Channel.SMS)
    assert arabic.recipient == "+966501234567"
    assert arabic.body_text == ar(
        "Rifada: incident report %(reference)s for your agency: %(category)s (%(priority)s) "
        "at %(place)s.",
        reference=ticket.reference,
        category=room.category.name_ar,
        priority=room.priority.name_ar,
        place=room.landmark.name_ar,
    ) + " " + ar("Acknowledge it in the portal by %(time)s.", time="10:15")
    [english] = messages("tickets/assigned", user=john, channel=Channel.SMS)
    assert english.body_text == (
        f"Rifada: incident report {ticket.reference} for your agency: Category crowding (High) "
        "at Gate 21. Acknowledge it in the portal by 10:15."
    )


def test_a_reassignment_tells_the_new_agency(room, agency_b):
    ticket = reported(room)
    manager_b = with_profile(
        make_user("manager-b@example.org", Role.AGENCY_MANAGER, agency_b), language="en"
    )

    services.ticket_assign(
        ticket=ticket, agency=agency_b, actor=make_operator(), reason="Wrong zone", now=T0
    )

    [mail] = messages("tickets/assigned", user=manager_b, channel=Channel.EMAIL)
    assert f"/en/portal/incidents/{ticket.pk}/" in mail.body_text


# --- the reporter --------------------------------------------------------------------------


def test_the_reporter_gets_the_private_status_link_when_the_report_arrives_and_is_resolved(
    room, staff_a
):
    ticket = reported(room, reporter_phone="0512345678")
    status_url = (
        f"http://localhost:8000/ar/incidents/status/{ticket.reference}/{ticket.status_token}/"
    )

    [received] = messages("tickets/received")
    assert received.recipient == "+966512345678"
    assert received.language == "ar"
    first_line, link = received.body_text.split("\n")
    assert first_line == ar(
        "Rifada: we received your report %(reference)s. Follow it here:",
        reference=ticket.reference,
    )
    # The link is a line of its own, so an Arabic line cannot reorder it.
    assert link == status_url

    services.ticket_resolve(ticket=ticket, actor=staff_a, note="تم تنظيم الدخول", now=T0)

    [resolved] = messages("tickets/resolved")
    assert resolved.recipient == "+966512345678"
    first_line, link = resolved.body_text.split("\n")
    assert ticket.reference in first_line
    assert first_line == ar(
        "Rifada: your report %(reference)s has been resolved. Thank you for telling us. Details:",
        reference=ticket.reference,
    )
    assert link == status_url


def test_an_english_reporter_message_reads_in_english(room):
    ticket = reported(room)

    message = notify(
        channel=Channel.SMS,
        template="tickets/received",
        to="+966512345678",
        language="en",
        context={"ticket": ticket},
    )

    assert message.body_text == (
        f"Rifada: we received your report {ticket.reference}. Follow it here:\n"
        f"http://localhost:8000/en/incidents/status/{ticket.reference}/{ticket.status_token}/"
    )


# --- the escalation digest -----------------------------------------------------------------


def ladder(supervisor=None):
    """A warning to the team at 75 %, the breach to the managers by e-mail and SMS, and the
    acknowledge breach to the duty supervisor."""
    return [
        (Target.RESOLVE, 75, 0, Recipients.AGENCY_TEAM),
        (Target.RESOLVE, 100, 0, Recipients.AGENCY_MANAGERS, {"by_sms": True}),
        (Target.ACKNOWLEDGE, 100, 0, Recipients.PERSON, {"person": supervisor}),
    ]


@pytest.fixture
def supervisor(db):
    user = make_user("supervisor@example.org", Role.OPERATOR)
    return with_profile(user, phone="0533333333")


@pytest.fixture
def laddered_room(agency_a, supervisor):
    return make_room(agency=agency_a, steps=ladder(supervisor))


def test_the_digest_lists_overdue_reports_first_in_a_right_to_left_table(laddered_room, hala):
    late = make_ticket(laddered_room, now=T0)  # warns at 11:30, breaches at 12:00
    soon = make_ticket(laddered_room, now=at("2026-05-20 10:40"))  # warns at 12:10

    # late: 75 %, 100 %, acknowledge; soon: 75 %, acknowledge.
    assert tasks.escalate(now=at("2026-05-20 12:15")) == 5

    [mail] = messages("tickets/escalation", user=hala, channel=Channel.EMAIL)
    html = mail.body_html
    assert '<html lang="ar" dir="rtl">' in html
    # The breach (to the managers) and both warnings (to the team) for Hala: one e-mail, in
    # which the late ticket appears once, at its breach.
    assert (
        ar_plural(
            "%(counter)s incident report needs attention, %(breached)s of them past the deadline.",
            "%(counter)s incident reports need attention, %(breached)s of them past the deadline.",
            2,
            breached=1,
        )
        in html
    )
    overdue, due_soon = ar("Overdue"), ar("Due soon")
    assert html.index(overdue) < html.index(due_soon)
    rows = re.findall(r'<bdi dir="ltr">(\d{4}-\d{6})</bdi>', html)
    assert rows == [late.reference, soon.reference]
    assert f'href="http://localhost:8000/ar/portal/incidents/{late.pk}/"' in html
    assert 'href="http://localhost:8000/ar/portal/incidents/"' in html  # the queue
    assert ">12:00</span>" in html and ">12:40</span>" in html

    [sms] = messages("tickets/escalation", user=hala, channel=Channel.SMS)
    assert sms.body_text.startswith(
        ar_plural(
            "Rifada: %(counter)s incident report needs attention, %(breached)s past the deadline.",
            "Rifada: %(counter)s incident reports need attention, %(breached)s past the deadline.",
            1,
            breached=1,
        )
    )
    assert late.reference in sms.body_text
    assert len(sms.body_text) <= 134  # two SMS parts in Arabic (UCS-2)


def test_the_digest_in_english_and_its_count_of_the_rest(laddered_room, john, monkeypatch):
    monkeypatch.setattr(tasks, "DIGEST_LIMIT", 2)
    tickets = [make_ticket(laddered_room, now=T0 + datetime.timedelta(seconds=n)) for n in range(3)]

    tasks.escalate(now=at("2026-05-20 11:35"))  # each ticket's 75 % warning only

    [mail] = messages("tickets/escalation", user=john, channel=Channel.EMAIL)
    assert mail.subject == "Incident reports: 3 close to the deadline"
    assert '<html lang="en" dir="ltr">' in mail.body_html
    text = mail.body_text
    assert "3 incident reports are close to their deadline." in text
    assert "\nDue soon:\n" in text
    assert f"- {tickets[0].reference} · Category crowding · Central area — Resolve: 12:00" in text
    assert tickets[2].reference not in text
    assert "…and 1 more report, not listed here." in text
    assert "Open your agency's queue:\nhttp://localhost:8000/en/portal/incidents/\n" in text
    # Staff members have no SMS step in this ladder.
    assert not messages("tickets/escalation", user=john, channel=Channel.SMS)


def test_a_committee_recipient_is_sent_to_the_operations_board(laddered_room, supervisor):
    ticket = make_ticket(laddered_room, now=T0)

    tasks.escalate(now=at("2026-05-20 10:20"))  # the acknowledge breach, to the supervisor

    [mail] = messages("tickets/escalation", user=supervisor, channel=Channel.EMAIL)
    assert 'href="http://localhost:8000/ar/operations/"' in mail.body_html
    assert f"/ar/operations/tickets/{ticket.reference}/" in mail.body_html
    assert "/portal/" not in mail.body_html


def test_the_digest_template_links_by_audience():
    """The template alone: committee people get the board, agency people their queue."""
    for is_committee, path in ((True, "/en/operations/"), (False, "/en/portal/incidents/")):
        message = notify(
            channel=Channel.EMAIL,
            template="tickets/escalation",
            to="someone@example.org",
            language="en",
            context={
                "user_name": "Someone",
                "items": [],
                "count": 1,
                "breached_count": 1,
                "more": 0,
                "is_committee": is_committee,
            },
        )
        assert f"http://localhost:8000{path}\n" in message.body_text


# --- through the real SMTP server and SMS gateway --------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_messages_reach_the_smtp_server_and_the_gateway(
    smtp_server, sms_gateway, agency_a, supervisor
):
    room = make_room(agency=agency_a, steps=ladder(supervisor))
    hala = with_profile(
        make_user("hala@example.org", Role.AGENCY_MANAGER, agency_a), phone="0501234567"
    )
    ticket = make_ticket(room, now=T0, reporter_phone="0512345678")

    tasks.escalate(now=at("2026-05-20 12:30"))

    mails = [(mail["To"], mail) for mail in smtp_server.messages]
    assert sorted(to for to, _mail in mails) == [
        "hala@example.org",  # assigned
        "hala@example.org",  # digest
        "supervisor@example.org",  # digest
    ]
    [html] = [
        html
        for to, mail in mails
        if to == "hala@example.org"
        and '<th scope="col"' in (html := mail.get_body(("html",)).get_content())
    ]
    assert '<html lang="ar" dir="rtl">' in html
    assert f'<bdi dir="ltr">{ticket.reference}</bdi>' in html
    assert {mail["Content-Language"] for _to, mail in mails} == {"ar"}

    texts = {request.json["to"]: request.json["text"] for request in sms_gateway.requests}
    assert set(texts) == {"+966501234567", "+966512345678"}  # Hala twice, the reporter once
    assert len(sms_gateway.requests) == 3
    assert texts["+966512345678"].endswith(
        f"/ar/incidents/status/{ticket.reference}/{ticket.status_token}/"
    )
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.SENT}
    assert hala.pk
