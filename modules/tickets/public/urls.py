"""/<lang>/incidents/…: the pages a reporter reaches after sending a report.

The report form itself is a Wagtail page (`cms.pages.models.IncidentReportPage`). The
reference and the token are matched strictly here (the token in `secrets.token_urlsafe`'s
alphabet), so anything else is a plain 404 before any query.
"""

from django.urls import path, re_path

from . import views

# The reference, then the secret from the ticket's status_token.
REPORTER_LINK = r"(?P<reference>[0-9A-Za-z-]{1,20})/(?P<token>[0-9A-Za-z_-]{1,64})"

app_name = "tickets_public"
urlpatterns = [
    re_path(rf"^status/{REPORTER_LINK}/$", views.status, name="status"),
    re_path(rf"^thanks/{REPORTER_LINK}/$", views.thanks, name="thanks"),
    path("received/", views.received, name="received"),
]
