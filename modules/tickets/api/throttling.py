"""The public's reports through the API count against the same allowance per address as the
site's report form (one group), so an address cannot double it by using both."""

from django.conf import settings
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited
from rest_framework.exceptions import Throttled

from ..public.views import RATE_GROUP


def count_public_report(request) -> None:
    """Count one report from this address; Throttled (429) once the allowance is spent."""
    if is_ratelimited(
        request,
        group=RATE_GROUP,
        key="ip",
        rate=settings.TICKETS_PUBLIC_RATE,
        increment=True,
    ):
        raise Throttled(
            detail=_(
                "Too many reports have been sent from your connection in a short time, so this "
                "one was not sent. Please try again later, or call the operations room if it "
                "is urgent."
            )
        )
