"""News (الأخبار): dated articles with a hero image, a block body and tags."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Page
from wagtail.search import index

from cms.base.blocks import BodyBlock
from cms.base.listing import paginate
from cms.base.models import PublicPageMixin
from cms.base.pages import FeedIndexPage


def _today():
    return timezone.localdate()


class NewsIndexPage(FeedIndexPage):
    """Lists the news of its language, newest first, filterable by tag; RSS at feed/."""

    subpage_types = ["news.NewsPage"]
    template = "news/news_index_page.html"

    class Meta:
        verbose_name = _("news index")
        verbose_name_plural = _("news indexes")

    def news(self, tag: str = ""):
        """The live news under this index, newest first, with hero images and tags."""
        items = (
            NewsPage.objects.live()
            .child_of(self)
            .select_related("hero_image")
            .prefetch_related("hero_image__renditions")
            .order_by("-date", "-first_published_at")
        )
        if tag:
            items = items.filter(tags__slug=tag)
        return items

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        tag = request.GET.get("tag", "")[:100]
        context["tag"] = tag
        context["news_page"] = paginate(request, self.news(tag), per_page=12)
        return context

    def feed_items(self):
        # The feed names each item's tags as its categories.
        return self.news().prefetch_related("tags")


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "news.NewsPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class NewsPage(PublicPageMixin, Page):
    """One news item."""

    date = models.DateField(_("date"), default=_today, db_index=True)
    summary = models.TextField(
        _("summary"), max_length=300, help_text=_("Shown in lists and feeds, and when shared.")
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("main image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), verbose_name=_("body"))
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True, verbose_name=_("tags"))

    content_panels = [*Page.content_panels, "date", "summary", "hero_image", "body", "tags"]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    api_fields = [
        APIField("date"),
        APIField("summary"),
        APIField("hero_image", serializer=ImageRenditionField("width-1200|format-webp")),
        APIField(
            "hero_image_thumbnail",
            serializer=ImageRenditionField("fill-640x360|format-webp", source="hero_image"),
        ),
        APIField("body"),
        APIField("tags"),
    ]
    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []
    template = "news/news_page.html"

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        ordering = ["-date"]

    @property
    def share_image(self):
        return self.hero_image

    @property
    def share_description(self) -> str:
        return self.search_description or self.summary
