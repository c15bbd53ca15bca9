"""The agency portal's daily statistics, under /<lang>/portal/statistics/."""

import datetime

from django.urls import path, register_converter

from . import views


class IsoDayConverter:
    """A day written 2026-05-14; an impossible date (2026-02-30) does not match: 404."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> datetime.date:
        return datetime.date.fromisoformat(value)

    def to_url(self, value: datetime.date | str) -> str:
        """A date, or text already written as one; anything else raises ValueError, which
        reverse() reports as no match."""
        if isinstance(value, datetime.date):
            return value.isoformat()
        return datetime.date.fromisoformat(str(value)).isoformat()


register_converter(IsoDayConverter, "isoday")

app_name = "statistics"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:set_pk>/<isoday:day>/", views.entry, name="entry"),
    path("<int:set_pk>/<isoday:day>/upload/", views.upload, name="upload"),
    path("<int:set_pk>/template.<str:format>", views.upload_template, name="template"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
]
