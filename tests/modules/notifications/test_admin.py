"""The committee's read-only message listing in the Wagtail admin, and the resend action."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from modules.accounts.roles import Role
from modules.notifications.models import Channel, Message, MessageStatus
from tests.support.fixtures import make_user

from .factories import MessageFactory

pytestmark = pytest.mark.django_db

INDEX = reverse("messages:index")


@pytest.fixture(autouse=True)
def _no_mfa_prompt(settings):
    settings.MFA_REQUIRED_FOR_COMMITTEE = False


@pytest.fixture
def admin_client(client, committee_admin):
    client.force_login(committee_admin)
    return client


def _listed(response) -> str:
    return response.content.decode()


def test_the_committee_sees_the_messages(admin_client):
    MessageFactory(recipient="hala@example.org", status=MessageStatus.SENT)
    MessageFactory(sms=True, recipient="+966500000030", status=MessageStatus.FAILED)

    response = admin_client.get(INDEX)

    assert response.status_code == 200
    assert "hala@example.org" in _listed(response)
    assert "+966500000030" in _listed(response)


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"status": MessageStatus.FAILED}, "failed@example.org", "sent@example.org"),
        ({"channel": Channel.SMS}, "+966500000031", "sent@example.org"),
        ({"q": "failed@"}, "failed@example.org", "sent@example.org"),
        ({"created_at_from": "2026-01-01"}, "sent@example.org", "old@example.org"),
    ],
)
def test_the_list_filters_by_channel_status_and_date_and_searches_recipients(
    admin_client, query, shown, hidden
):
    MessageFactory(recipient="sent@example.org", status=MessageStatus.SENT)
    MessageFactory(recipient="failed@example.org", status=MessageStatus.FAILED)
    MessageFactory(sms=True, recipient="+966500000031")
    old = MessageFactory(recipient="old@example.org")
    Message.objects.filter(pk=old.pk).update(
        created_at=timezone.make_aware(datetime.datetime(2025, 6, 1))
    )

    text = _listed(admin_client.get(INDEX, query))

    assert shown in text
    assert hidden not in text


def test_the_listing_runs_the_same_queries_for_5_or_50_messages(admin_client):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(INDEX).status_code == 200
        return len(queries)

    count_queries()  # the first request also records the browser session
    MessageFactory.create_batch(5)
    few = count_queries()
    MessageFactory.create_batch(45)

    assert count_queries() == few


def test_inspecting_shows_the_outcome_but_not_the_body(admin_client):
    message = MessageFactory(
        status=MessageStatus.FAILED,
        error="451 Try again later",
        body_text="https://rifada.example/password/reset/key/secret-token/",
    )

    response = admin_client.get(reverse("messages:inspect", args=[message.pk]))

    assert response.status_code == 200
    text = response.content.decode()
    assert "451 Try again later" in text
    assert "secret-token" not in text


def test_nothing_can_be_added_edited_copied_or_deleted():
    for view in ("add", "edit", "delete", "copy", "history", "usage"):
        with pytest.raises(NoReverseMatch):
            reverse(f"messages:{view}", args=[1] if view != "add" else [])


def _refused(response) -> bool:
    """Wagtail answers a permission refusal by sending the person back to the dashboard."""
    return response.status_code == 302 and response.headers["Location"] == reverse(
        "wagtailadmin_home"
    )


def test_people_without_the_view_permission_are_refused(client):
    MessageFactory(recipient="hidden@example.org")
    editor = make_user("editor@example.org", Role.EDITOR)
    client.force_login(editor)

    assert _refused(client.get(INDEX))
    assert b"/admin/messages/" not in client.get(reverse("wagtailadmin_home")).content


def test_resending_needs_the_change_permission(client):
    viewer = make_user("viewer@example.org", Role.OPERATOR)
    viewer.user_permissions.add(
        Permission.objects.get(content_type__app_label="notifications", codename="view_message")
    )
    client.force_login(viewer)
    message = MessageFactory(status=MessageStatus.FAILED)

    assert _refused(client.post(reverse("messages:resend", args=[message.pk])))
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED


def test_a_failed_message_is_resent_from_the_admin(
    admin_client, committee_admin, smtp_server, django_capture_on_commit_callbacks
):
    committee_admin.user_permissions.add(
        Permission.objects.get(content_type__app_label="notifications", codename="change_message")
    )
    message = MessageFactory(recipient="retry@example.org", status=MessageStatus.FAILED)
    inspect_url = reverse("messages:inspect", args=[message.pk])
    resend_url = reverse("messages:resend", args=[message.pk])

    assert resend_url in admin_client.get(INDEX).content.decode()
    assert resend_url in admin_client.get(inspect_url).content.decode()
    assert admin_client.get(resend_url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(resend_url)

    assert response.status_code == 302
    assert response.headers["Location"] == inspect_url
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert [mail["To"] for mail in smtp_server.messages] == ["retry@example.org"]
    assert resend_url not in admin_client.get(inspect_url).content.decode()
