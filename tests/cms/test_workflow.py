"""The editorial path in the Wagtail admin: editors submit, reviewers approve; revisions and
previews."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text
from wagtail.test.utils.form_data import streamfield as streamfield_data

from cms.base.cache import CACHE_STATUS_HEADER
from cms.news.models import NewsPage
from modules.accounts.roles import Role
from tests.support.fixtures import make_user
from tests.support.mfa import activate_totp
from tests.support.pages import make_news


def signed_in_to_the_admin(email: str, role: Role) -> tuple:
    """A committee member and their browser in the admin, second factor set up as it requires."""
    user = make_user(email, role)
    activate_totp(user)
    client = Client()
    client.force_login(user)
    return user, client


@pytest.fixture
def editor(db):
    return signed_in_to_the_admin("editor@example.org", Role.EDITOR)


@pytest.fixture
def reviewer(db):
    return signed_in_to_the_admin("reviewer@example.org", Role.REVIEWER)


@pytest.fixture
def news(public_site):
    return make_news(public_site.en.news, title="Water points", slug="water-points")


def edit_form(client, page, *, title: str, action: str) -> dict:
    """The edit form as the admin renders it, with a new title and body, and `action` pressed.

    The body is a StreamField the admin draws with JavaScript, so its fields are filled the
    way Wagtail's own tests fill them."""
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data["title"] = title
    data.update(
        nested_form_data(
            {"body": streamfield_data([("paragraph", rich_text(f"<p>{title} body</p>"))])}
        )
    )
    data[action] = "1"
    return data


def live_title(page) -> str:
    return Page.objects.get(pk=page.pk).title


def test_editor_cannot_publish(editor, news):
    user, client = editor
    assert not news.permissions_for_user(user).can_publish()

    response = client.get(reverse("wagtailadmin_pages:edit", args=[news.pk]))
    assert 'name="action-submit"' in response.text
    assert 'name="action-publish"' not in response.text

    # Pressing "publish" anyway only saves a draft.
    data = edit_form(client, news, title="Published by an editor", action="action-publish")
    response = client.post(reverse("wagtailadmin_pages:edit", args=[news.pk]), data)
    assert response.status_code == 302
    assert live_title(news) == "Water points"
    latest = NewsPage.objects.get(pk=news.pk).get_latest_revision_as_object()
    assert latest.title == "Published by an editor"


def test_editor_submits_and_reviewer_approves_in_the_admin(client, editor, reviewer, news):
    _editor, editor_client = editor
    _reviewer, reviewer_client = reviewer
    edit_url = reverse("wagtailadmin_pages:edit", args=[news.pk])
    assert "Water points" in client.get(news.url).text

    data = edit_form(editor_client, news, title="Water points moved", action="action-submit")
    response = editor_client.post(edit_url, data)
    assert response.status_code == 302, response.content

    page = NewsPage.objects.get(pk=news.pk)
    assert page.workflow_in_progress
    assert page.title == "Water points"
    assert "Water points moved" not in client.get(news.url).text

    task_state = page.current_workflow_task_state
    assert set(task_state.task.specific.groups.values_list("name", flat=True)) == {
        Role.REVIEWER.value,
        Role.COMMITTEE_ADMIN.value,
    }
    # An editor cannot approve their own submission.
    approve = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]
    )
    editor_client.post(approve, {"comment": ""})
    assert NewsPage.objects.get(pk=news.pk).title == "Water points"

    response = reviewer_client.post(approve, {"comment": "Checked with the operations room"})
    assert response.status_code == 302

    page = NewsPage.objects.get(pk=news.pk)
    assert page.title == "Water points moved"
    assert not page.workflow_in_progress
    shown = client.get(news.url)
    assert "Water points moved" in shown.text
    assert shown.headers.get(CACHE_STATUS_HEADER) == "miss"


def test_reviewer_can_request_changes(editor, reviewer, news):
    editor_user, _ = editor
    reviewer_user, _ = reviewer
    news.title = "Draft needing work"
    revision = news.save_revision(user=editor_user)
    workflow = news.get_workflow()
    workflow.start(news, editor_user)

    page = NewsPage.objects.get(pk=news.pk)
    task_state = page.current_workflow_task_state
    task_state.task.specific.on_action(task_state, reviewer_user, "reject")

    page = NewsPage.objects.get(pk=news.pk)
    assert page.title == "Water points"
    assert page.current_workflow_state.status == "needs_changes"
    assert page.get_latest_revision().pk == revision.pk


def test_revisions_are_kept_and_can_be_viewed(editor, reviewer, news):
    _user, client = reviewer
    first_revision = news.get_latest_revision()
    news.title = "Water points, second edition"
    news.save_revision().publish()

    assert news.revisions.count() == 2
    history = client.get(reverse("wagtailadmin_pages:history", args=[news.pk]))
    assert history.status_code == 200
    old = client.get(
        reverse("wagtailadmin_pages:revisions_view", args=[news.pk, first_revision.pk])
    )
    assert old.status_code == 200
    assert "Water points" in old.text
    assert "second edition" not in old.text


def test_admin_preview_shows_the_draft_and_is_never_cached(client, editor, news):
    _user, editor_client = editor
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[news.pk])
    data = edit_form(editor_client, news, title="Preview only title", action="action-preview")

    checked = editor_client.post(preview_url, data)
    assert checked.status_code == 200
    assert checked.json()["is_valid"]
    preview = editor_client.get(preview_url)
    assert preview.status_code == 200
    assert "Preview only title" in preview.text
    assert CACHE_STATUS_HEADER not in preview.headers
    assert "private" in preview["Cache-Control"]

    for _ in range(2):
        live = client.get(news.url)
        assert "Preview only title" not in live.text
