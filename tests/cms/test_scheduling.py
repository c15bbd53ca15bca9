"""Scheduled publishing: the declared schedule's function publishes what is due, once."""

import datetime
import threading

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.utils import timezone
from django.utils.module_loading import import_string
from django_q.models import Schedule
from wagtail.models import PageLogEntry, Revision

from cms.news.models import NewsPage
from modules.core.schedules import SCHEDULES

SCHEDULE_NAME = "publish-scheduled-pages"


def scheduled_function():
    [declared] = [item for item in SCHEDULES if item.name == SCHEDULE_NAME]
    assert (declared.schedule_type, declared.minutes) == (Schedule.MINUTES, 1)
    return import_string(declared.func)


def schedule_news(index, title: str) -> NewsPage:
    """A news item an editor scheduled for a minute from now, then a minute passed."""
    page = NewsPage(
        title=title,
        summary=title,
        body=[("paragraph", f"<p>{title}</p>")],
        live=False,
        go_live_at=timezone.now() + datetime.timedelta(minutes=1),
    )
    index.add_child(instance=page)
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    assert not page.live
    assert Revision.objects.get(pk=revision.pk).approved_go_live_at is not None

    # The minute passes: the schedule, as stored on the page and in its revision, is now past.
    a_minute_ago = timezone.now() - datetime.timedelta(minutes=1)
    revision.content["go_live_at"] = DjangoJSONEncoder().default(a_minute_ago)
    revision.approved_go_live_at = a_minute_ago
    revision.save(update_fields=["content", "approved_go_live_at"])
    NewsPage.objects.filter(pk=page.pk).update(go_live_at=a_minute_ago)
    return page


def scheduled_publications(page) -> int:
    return PageLogEntry.objects.filter(page=page, action="wagtail.publish.scheduled").count()


def test_page_scheduled_in_the_past_is_live_after_the_schedule_runs(client, public_site):
    page = schedule_news(public_site.en.news, "Scheduled bulletin")
    index = public_site.en.news.url
    assert "Scheduled bulletin" not in client.get(index).text

    scheduled_function()()

    page.refresh_from_db()
    assert page.live
    response = client.get(page.url)
    assert response.status_code == 200
    assert "Scheduled bulletin" in response.text
    # The page cache was told: the index lists the new item at once.
    assert "Scheduled bulletin" in client.get(index).text


def test_expired_page_is_unpublished_by_the_schedule(client, public_site):
    from tests.support.pages import make_news

    page = make_news(public_site.en.news, title="Old notice")
    NewsPage.objects.filter(pk=page.pk).update(
        expire_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert client.get(page.url).status_code == 200

    scheduled_function()()

    page.refresh_from_db()
    assert not page.live
    assert page.expired
    assert client.get(page.url).status_code == 404


def test_running_twice_publishes_once(public_site):
    page = schedule_news(public_site.en.news, "Twice")
    run = scheduled_function()
    run()
    run()
    assert scheduled_publications(page) == 1

    later = schedule_news(public_site.en.news, "Due for the next run")
    run()
    assert NewsPage.objects.get(pk=later.pk).live
    assert scheduled_publications(later) == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_publish_once(public_site):
    page = schedule_news(public_site.en.news, "Concurrent")
    run = scheduled_function()
    workers = 4
    start = threading.Barrier(workers)
    errors = []

    def worker():
        try:
            start.wait()
            run()
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert NewsPage.objects.get(pk=page.pk).live
    assert scheduled_publications(page) == 1
