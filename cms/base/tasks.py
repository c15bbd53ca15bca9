"""Background jobs of the public site, run by django-q2 (see modules/core/schedules.py)."""

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command

PUBLISH_SCHEDULED_LOCK = "publish-scheduled-pages:running"


def publish_scheduled_pages() -> None:
    """Publish the pages whose go-live time has come and unpublish the expired ones.

    Wagtail's command acts only on revisions still waiting to go live and on live pages past
    their expiry, so a later run changes nothing more. Two runs at once (a slow run overlapping
    the next minute's, two workers) would both pick up the same revision and publish it twice,
    announcing it twice. So one run at a time: a run that finds another under way returns,
    and anything that fell due meanwhile goes live a minute later. The lock expires with
    django-q's task timeout, so a worker killed mid-run holds it no longer than its task
    could have run.
    """
    if not cache.add(PUBLISH_SCHEDULED_LOCK, "1", timeout=settings.Q_CLUSTER["timeout"]):
        return
    try:
        call_command("publish_scheduled")
    finally:
        cache.delete(PUBLISH_SCHEDULED_LOCK)
