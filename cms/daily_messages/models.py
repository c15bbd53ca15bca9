"""The committee's daily message (الرسالة اليومية): one per day and language."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Page
from wagtail.search import index

from cms.base.blocks import PARAGRAPH_FEATURES
from cms.base.listing import paginate
from cms.base.models import PublicPageMixin
from cms.base.pages import FeedIndexPage


def _today():
    return timezone.localdate()


class DailyMessageIndexPage(FeedIndexPage):
    """Lists the daily messages of its language, newest first, with an RSS feed at feed/."""

    subpage_types = ["daily_messages.DailyMessagePage"]
    template = "daily_messages/daily_message_index_page.html"

    class Meta:
        verbose_name = _("daily messages index")
        verbose_name_plural = _("daily messages indexes")

    def messages(self):
        """The live messages under this index, newest day first, with their images."""
        return (
            DailyMessagePage.objects.live()
            .child_of(self)
            .select_related("image")
            .prefetch_related("image__renditions")
            .order_by("-date", "-first_published_at")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["messages_page"] = paginate(request, self.messages(), per_page=12)
        return context

    def feed_items(self):
        return self.messages()


class DailyMessagePage(PublicPageMixin, Page):
    """The message of one day: what the committee tells pilgrims, agencies and the public."""

    date = models.DateField(_("date"), default=_today, db_index=True)
    summary = models.TextField(
        _("summary"),
        max_length=300,
        help_text=_("One or two sentences; shown in lists, feeds, SMS and when shared."),
    )
    body = RichTextField(_("message"), features=PARAGRAPH_FEATURES)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notify_subscribers = models.BooleanField(
        _("send to subscribers when published"),
        default=False,
        help_text=_("The dissemination service sends the summary by SMS and e-mail once."),
    )

    content_panels = [*Page.content_panels, "date", "summary", "body", "image"]
    settings_panels = [*Page.settings_panels, "notify_subscribers"]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    api_fields = [
        APIField("date"),
        APIField("summary"),
        APIField("body"),
        APIField("image", serializer=ImageRenditionField("width-1200|format-webp")),
        APIField(
            "image_thumbnail",
            serializer=ImageRenditionField("fill-640x360|format-webp", source="image"),
        ),
    ]
    parent_page_types = ["daily_messages.DailyMessageIndexPage"]
    subpage_types = []
    template = "daily_messages/daily_message_page.html"

    class Meta:
        verbose_name = _("daily message")
        verbose_name_plural = _("daily messages")
        ordering = ["-date"]

    def clean(self):
        super().clean()
        same_day = (
            DailyMessagePage.objects.filter(date=self.date, locale_id=self.locale_id)
            .exclude(pk=self.pk)
            .exclude(translation_key=self.translation_key)
        )
        if self.date and same_day.exists():
            raise ValidationError(
                {"date": _("There is already a daily message for this day in this language.")}
            )

    @property
    def share_image(self):
        return self.image

    @property
    def share_description(self) -> str:
        return self.search_description or self.summary
