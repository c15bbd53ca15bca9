"""notify(): rendered in the person's language, recorded once, sent only after commit."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from modules.accounts.models import User
from modules.notifications.models import Channel, Message, MessageStatus
from modules.notifications.services import message_resend, notify

from .factories import MessageFactory

pytestmark = pytest.mark.django_db

INVITATION = {"invitation_url": "https://rifada.example/set?uid=4&key=a-b", "user_name": "Hala"}


def _person(email: str, language: str, phone: str = "") -> User:
    return User.objects.create_user(email=email, phone=phone, preferred_language=language)


def _subject(language: str) -> str:
    with translation.override(language):
        return gettext("Your invitation to Rifada")


def test_arabic_email_renders_right_to_left_in_arabic():
    person = _person("hala@example.org", "ar")

    message = notify(
        channel=Channel.EMAIL, template="accounts/invitation", user=person, context=INVITATION
    )

    assert message.recipient == "hala@example.org"
    assert message.language == "ar"
    assert message.subject == _subject("ar")
    assert '<html lang="ar" dir="rtl">' in message.body_html
    assert "text-align:right" in message.body_html
    assert message.status == MessageStatus.QUEUED


def test_english_email_renders_left_to_right_in_english():
    person = _person("john@example.org", "en")

    message = notify(
        channel=Channel.EMAIL, template="accounts/invitation", user=person, context=INVITATION
    )

    assert message.subject == "Your invitation to Rifada"
    assert '<html lang="en" dir="ltr">' in message.body_html
    assert "text-align:left" in message.body_html
    assert "Hello Hala," in message.body_text


def test_the_link_reaches_the_text_part_unescaped_and_the_html_part_escaped():
    message = notify(
        channel=Channel.EMAIL,
        template="accounts/invitation",
        to="x@example.org",
        language="en",
        context=INVITATION,
    )

    assert "https://rifada.example/set?uid=4&key=a-b" in message.body_text
    assert 'href="https://rifada.example/set?uid=4&amp;key=a-b"' in message.body_html


def test_names_are_escaped_in_html_but_not_in_text():
    message = notify(
        channel=Channel.EMAIL,
        template="accounts/invitation",
        to="x@example.org",
        language="en",
        context={**INVITATION, "user_name": "<b>O'Hara</b>"},
    )

    assert "Hello <b>O'Hara</b>," in message.body_text
    assert "&lt;b&gt;O&#x27;Hara&lt;/b&gt;" in message.body_html


def test_sms_goes_to_the_persons_phone_with_the_sms_template():
    person = _person("sms@example.org", "en", phone="+966500000010")

    message = notify(
        channel=Channel.SMS, template="accounts/invitation", user=person, context=INVITATION
    )

    assert message.recipient == "+966500000010"
    assert message.body_html == ""
    assert message.body_text.startswith("Rifada: your account is ready.")
    assert message.body_text.endswith("https://rifada.example/set?uid=4&key=a-b")


def test_a_person_without_the_address_is_refused():
    person = _person("nophone@example.org", "ar")

    with pytest.raises(ValueError, match="no recipient"):
        notify(channel=Channel.SMS, template="accounts/invitation", user=person, context=INVITATION)


def test_the_send_is_queued_only_when_the_transaction_commits(
    django_capture_on_commit_callbacks, smtp_server
):
    with django_capture_on_commit_callbacks() as callbacks:
        message = notify(
            channel=Channel.EMAIL,
            template="accounts/invitation",
            to="late@example.org",
            context=INVITATION,
        )
        assert smtp_server.messages == []

    assert len(callbacks) == 1
    callbacks[0]()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert [mail["To"] for mail in smtp_server.messages] == ["late@example.org"]


def test_the_same_dedupe_key_gives_one_message_and_one_send(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        first = notify(
            channel=Channel.EMAIL,
            template="accounts/invitation",
            to="once@example.org",
            context=INVITATION,
            dedupe_key="invitation:42",
        )
        second = notify(
            channel=Channel.EMAIL,
            template="accounts/invitation",
            to="once@example.org",
            context=INVITATION,
            dedupe_key="invitation:42",
        )

    assert second.pk == first.pk
    assert Message.objects.filter(dedupe_key="invitation:42").count() == 1
    assert len(callbacks) == 1


def test_a_failed_message_can_be_resent_once(django_capture_on_commit_callbacks, smtp_server):
    message = MessageFactory(status=MessageStatus.FAILED, attempts=3, error="451 try later")

    with django_capture_on_commit_callbacks(execute=True):
        assert message_resend(message=message) is True
        assert message_resend(message=message) is False

    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.attempts == 1
    assert len(smtp_server.messages) == 1


@pytest.mark.parametrize(
    "status", [MessageStatus.QUEUED, MessageStatus.SENDING, MessageStatus.SENT]
)
def test_only_a_failed_message_can_be_resent(status, django_capture_on_commit_callbacks):
    message = MessageFactory(status=status)

    with django_capture_on_commit_callbacks() as callbacks:
        assert message_resend(message=message) is False

    assert callbacks == []
    message.refresh_from_db()
    assert message.status == status


@pytest.mark.parametrize(
    ("valid_days", "sentence"),
    [
        (1, "The link works once and expires in 1 day."),
        (7, "The link works once and expires in 7 days."),
        (None, "The link works once and for a limited time."),
    ],
)
def test_the_invitation_says_how_long_the_link_works(valid_days, sentence):
    message = notify(
        channel=Channel.EMAIL,
        template="accounts/invitation",
        to="x@example.org",
        language="en",
        context={**INVITATION, "valid_days": valid_days},
    )

    assert sentence in message.body_text
    assert sentence in message.body_html
