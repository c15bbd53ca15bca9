"""What every public page shares: the committee's contact settings and share metadata."""

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page, PageViewRestriction

# Open Graph and X cards want a 1.91:1 image of at least 1200×630.
SHARE_IMAGE_SPEC = "fill-1200x630|format-jpeg|jpegquality-80"


@register_setting(icon="site")
class CommitteeSettings(BaseSiteSetting):
    """The committee's contact details and social accounts, shown in the public footer."""

    phone = models.CharField(_("phone"), max_length=32, blank=True)
    toll_free = models.CharField(_("toll-free number"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address_ar = models.TextField(_("address (Arabic)"), max_length=300, blank=True)
    address_en = models.TextField(_("address (English)"), max_length=300, blank=True)
    x_url = models.URLField(_("X (Twitter)"), blank=True)
    instagram_url = models.URLField(_("Instagram"), blank=True)
    youtube_url = models.URLField(_("YouTube"), blank=True)
    snapchat_url = models.URLField(_("Snapchat"), blank=True)
    whatsapp_url = models.URLField(_("WhatsApp channel"), blank=True)
    telegram_url = models.URLField(_("Telegram"), blank=True)
    x_handle = models.CharField(
        _("X account"),
        max_length=30,
        blank=True,
        help_text=_("Without the @; named in the card when a page is shared on X."),
    )

    panels = [
        MultiFieldPanel(
            ["phone", "toll_free", "email", "address_ar", "address_en"], heading=_("Contact")
        ),
        MultiFieldPanel(
            [
                "x_url",
                "x_handle",
                "instagram_url",
                "youtube_url",
                "snapchat_url",
                "whatsapp_url",
                "telegram_url",
            ],
            heading=_("Social media"),
        ),
    ]

    class Meta:
        verbose_name = _("committee contact details")

    @property
    def address(self) -> str:
        return self.address_en if get_language() == "en" and self.address_en else self.address_ar

    @property
    def social_links(self) -> list[tuple[str, str, str]]:
        """(icon, name, address) for every account that is filled in, in a fixed order."""
        accounts = [
            ("x", _("X (Twitter)"), self.x_url),
            ("instagram", _("Instagram"), self.instagram_url),
            ("youtube", _("YouTube"), self.youtube_url),
            ("snapchat", _("Snapchat"), self.snapchat_url),
            ("whatsapp", _("WhatsApp"), self.whatsapp_url),
            ("telegram", _("Telegram"), self.telegram_url),
        ]
        return [(icon, name, url) for icon, name, url in accounts if url]


class PublicPageMixin:
    """What every public page type shares.

    Share metadata: pages with an image or a summary override `share_image` and
    `share_description`; the base template reads them for Open Graph and X card tags.

    View restrictions in one query: Wagtail checks them on every page it serves, with one
    query for the ancestors and another for their restrictions.
    """

    @property
    def share_image(self):
        return None

    @property
    def share_description(self) -> str:
        return self.search_description or ""

    def get_view_restrictions(self):
        """The restrictions on this page and its ancestors, an alias's taken from its source
        page as Wagtail does (an alias always points at the original, never another alias)."""
        paths = [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]
        in_branch = Page.objects.filter(path__in=paths)
        return PageViewRestriction.objects.filter(
            Q(page__in=in_branch.filter(alias_of__isnull=True))
            | Q(page__in=in_branch.filter(alias_of__isnull=False).values("alias_of"))
        )
