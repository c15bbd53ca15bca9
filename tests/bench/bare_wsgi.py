"""The baseline for the public-site benchmark: one Django view, no middleware, no database.

QUALITY.md sets the cached public pages' target against "a bare Django view served the
same way in the same run"; this is that view, served by the same gunicorn settings.
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-only",  # noqa: S106
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
)


def hello(request):
    return HttpResponse("<!doctype html><title>ok</title><p>ok</p>")


urlpatterns = [path("", hello)]
application = get_wsgi_application()
