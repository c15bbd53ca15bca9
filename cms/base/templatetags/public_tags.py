"""Template tags of the public site: its sections, its languages, images, sharing, addresses.

Public pages must render in a few queries whatever they list, so what base.html and the
page's own template both need is read once per request and kept on it: one query gives the
home page's sections (menu, search page, indexes) together with the shown page's live
translations, and one query gives the shown page's own images with their renditions.
"""

from dataclasses import dataclass, field
from urllib.parse import quote, urlencode, urljoin

from django import template
from django.conf import settings
from django.db.models import Q, Subquery, prefetch_related_objects
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model
from wagtail.models import Page

from cms.base.models import SHARE_IMAGE_SPEC
from cms.daily_messages.models import DailyMessageIndexPage
from cms.news.models import NewsIndexPage
from cms.pages.models import SearchPage
from modules.portal.templatetags.rifada_ui import translated_path

register = template.Library()

# Open Graph names a language with its territory.
OG_LOCALES = {"ar": "ar_SA", "en": "en_US"}


def _request_memo(context, key: str, compute):
    """compute() once per request: base.html and the page template share the answer."""
    request = context.get("request")
    if request is None:
        return compute()
    memo = request.__dict__.setdefault("_public_tags", {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def _shown_page(context) -> Page | None:
    page = context.get("page")
    return page if isinstance(page, Page) and page.pk else None


def home_url(language: str) -> str:
    """/ar/ or /en/: the root of a language's page tree, found without a query."""
    with translation.override(language):
        return reverse("wagtail_serve", args=("",))


# --- the page's place: sections and translations, in one query --------------------------


@dataclass
class Sections:
    """The live children of the shown page's home page, in tree order."""

    pages: list[Page] = field(default_factory=list)

    @property
    def menu(self) -> list[Page]:
        return [page for page in self.pages if page.show_in_menus]

    def first_of(self, model) -> Page | None:
        return next(
            (page for page in self.pages if issubclass(page.content_type.model_class(), model)),
            None,
        )

    @property
    def search(self) -> Page | None:
        return self.first_of(SearchPage)

    @property
    def news(self) -> Page | None:
        return self.first_of(NewsIndexPage)

    @property
    def messages(self) -> Page | None:
        return self.first_of(DailyMessageIndexPage)

    def containing(self, page: Page) -> Page | None:
        """The section a page is filed under (itself when it is a section)."""
        return next((section for section in self.pages if page.path.startswith(section.path)), None)


@dataclass(frozen=True)
class LanguageVersion:
    """The shown page, or the place a reader lands on, in one language."""

    code: str
    url: str
    full_url: str = ""
    page_id: int | None = None

    @property
    def name(self) -> str:
        return get_language_info(self.code)["name_local"]

    @property
    def og_locale(self) -> str:
        return OG_LOCALES.get(self.code, self.code)


@dataclass
class PagePlace:
    sections: Sections
    versions: dict[str, LanguageVersion]


def _place_of(page: Page, request) -> PagePlace:
    home_path = page.path[: Page.steplen * 2]
    rows = (
        Page.objects.live()
        .filter(Q(depth=3, path__startswith=home_path) | Q(translation_key=page.translation_key))
        .select_related("locale", "content_type")
        .order_by("path")
    )
    sections, versions = [], {}
    for row in rows:
        if row.depth == 3 and row.path.startswith(home_path):
            sections.append(row)
        if row.translation_key == page.translation_key:
            parts = row.get_url_parts(request)
            if parts and parts[2] is not None:
                _site_id, root_url, path = parts
                code = row.locale.language_code
                versions[code] = LanguageVersion(
                    code=code, url=path, full_url=root_url + path, page_id=row.pk
                )
    return PagePlace(Sections(sections), versions)


def _place(context) -> PagePlace:
    page = _shown_page(context)
    if page is None or page.depth < 2:
        return PagePlace(Sections(), {})
    return _request_memo(
        context, f"place:{page.pk}", lambda: _place_of(page, context.get("request"))
    )


@register.simple_tag(takes_context=True)
def site_sections(context) -> Sections:
    """{% site_sections as sections %}: the menu, the search page, the news and messages
    indexes of the shown page's language tree; empty outside the page tree (portal, errors)."""
    return _place(context).sections


@register.filter
def section_of(sections: Sections, page: Page) -> Page | None:
    """{{ sections|section_of:page }}: the home's child the page is filed under."""
    return sections.containing(page) if isinstance(page, Page) else None


@register.filter
def is_within(page: Page, section: Page) -> bool:
    """{{ page|is_within:section }}: the page is the section or one of its descendants."""
    return isinstance(page, Page) and page.path.startswith(section.path)


@register.simple_tag(takes_context=True)
def quick_links(context, page) -> list[dict]:
    """The home page's quick links as their block template reads them ({title, page, url,
    icon}), from the stored JSON: a link to one of the home's sections takes its page from
    the menu's lookup, so only links to other pages cost a query (one for all of them)."""
    raw = [block["value"] for block in page.quick_links.raw_data if block.get("type") == "link"]
    known = {section.pk: section for section in site_sections(context).pages}
    wanted = {value.get("page") for value in raw} - known.keys() - {None}
    if wanted:
        known.update(Page.objects.live().in_bulk(wanted))
    links = []
    for value in raw:
        linked = known.get(value.get("page"))
        if linked is None and not value.get("url"):
            continue
        links.append({**value, "page": linked})
    return links


# --- languages --------------------------------------------------------------------------


@register.simple_tag(takes_context=True)
def page_translations(context) -> dict[str, LanguageVersion]:
    """{% page_translations as versions %}: the shown page's live versions by language."""
    return _place(context).versions


@register.simple_tag(takes_context=True)
def page_language(context) -> str:
    """The language the shown page is written in. It differs from the interface's when a
    language has no home page yet and Wagtail serves the default language's tree."""
    page = _shown_page(context)
    for version in page_translations(context).values():
        if page is not None and version.page_id == page.pk:
            return version.code
    return translation.get_language()


@register.simple_tag(takes_context=True)
def language_links(context) -> list[LanguageVersion]:
    """Where the language switcher leads, one link per other language.

    On a page of the public tree: its translation when one is live, else that language's
    home page. Elsewhere (the portal, sign-in): the same address in the other language.
    """
    current = translation.get_language()
    others = [code for code, _name in settings.LANGUAGES if code != current]
    if _shown_page(context) is not None:
        versions = page_translations(context)
        return [
            versions.get(code) or LanguageVersion(code=code, url=home_url(code)) for code in others
        ]
    return [LanguageVersion(code=code, url=translated_path(context, code)) for code in others]


@register.simple_tag(takes_context=True)
def hreflang_links(context) -> list[LanguageVersion]:
    """<link rel="alternate" hreflang> targets: every live version, and the default
    language's version again as x-default. None when the page has a single version."""
    versions = page_translations(context)
    links = [versions[code] for code, _name in settings.LANGUAGES if code in versions]
    if len(links) < 2:
        return []
    if settings.LANGUAGE_CODE in versions:
        default = versions[settings.LANGUAGE_CODE]
        links.append(LanguageVersion(code="x-default", url=default.url, full_url=default.full_url))
    return links


@register.simple_tag
def og_locale(code: str) -> str:
    return OG_LOCALES.get(code, code)


# --- images -----------------------------------------------------------------------------


def _image_fields(page: Page) -> list[str]:
    image_model = get_image_model()
    return [
        field.name
        for field in page._meta.concrete_fields
        if field.is_relation and field.related_model is image_model
    ]


def _body_image_ids(page: Page) -> set[int]:
    """The images of the page's body image blocks (cms.base.blocks.CaptionedImageBlock),
    read from the stored JSON so that the stream fetches nothing yet."""
    ids = set()
    for block in getattr(getattr(page, "body", None), "raw_data", None) or ():
        if block.get("type") != "image":
            continue
        chosen = (block.get("value") or {}).get("image")
        image_id = chosen.get("image") if isinstance(chosen, dict) else chosen
        if isinstance(image_id, int):
            ids.add(image_id)
    return ids


@dataclass
class PageImages:
    """The renditions of every image the shown page shows, by image id."""

    renditions: dict[int, list] = field(default_factory=dict)


def _load_page_images(page: Page) -> PageImages:
    """One query, through the renditions, for the page's own images (its image fields, which
    it then holds with their renditions) and its body images' renditions.

    Without it each {% picture %} and the share image look renditions up in the cache one
    image at a time (a query each on the database cache, and Wagtail writes every hit
    back); prefetched renditions are used as they are.
    """
    names = _image_fields(page)
    field_ids = {getattr(page, f"{name}_id") for name in names} - {None}
    ids = field_ids | _body_image_ids(page)
    if not ids:
        return PageImages()
    rendition_model = get_image_model().get_rendition_model()
    renditions = {image_id: [] for image_id in ids}
    images = {}
    for rendition in rendition_model.objects.filter(image_id__in=ids).select_related("image"):
        rendition.image = images.setdefault(rendition.image_id, rendition.image)
        renditions[rendition.image_id].append(rendition)
    missing = field_ids - images.keys()
    if missing:
        images.update(get_image_model().objects.in_bulk(missing))
    for image in images.values():
        image.prefetched_renditions = renditions[image.pk]
    for name in names:
        image_id = getattr(page, f"{name}_id")
        if image_id in images:
            setattr(page, name, images[image_id])
    return PageImages(renditions)


def _page_images(context) -> PageImages:
    page = _shown_page(context)
    if page is None:
        return PageImages()
    return _request_memo(context, f"images:{page.pk}", lambda: _load_page_images(page))


@register.simple_tag(takes_context=True)
def prefetch_page_images(context) -> str:
    """{% prefetch_page_images %} before the shown page's images are used (base.html)."""
    _page_images(context)
    return ""


@register.simple_tag(takes_context=True)
def prefetch_stream_renditions(context, stream) -> str:
    """{% prefetch_stream_renditions page.body %} before the blocks render: each image block
    gets the renditions read with the page's images, or all of them in one query."""
    known = _page_images(context).renditions
    unknown = []
    for block in stream:
        image = block.value.get("image") if block.block_type == "image" else None
        if image is None:
            continue
        if image.pk in known:
            image.prefetched_renditions = known[image.pk]
        else:
            unknown.append(image)
    if unknown:
        prefetch_related_objects(unknown, "renditions")
    return ""


@register.simple_tag
def share_rendition(page: Page):
    """The page's image cut for link previews (1200×630 JPEG), or None without one."""
    image = getattr(page, "share_image", None)
    # get_renditions, unlike get_rendition, uses prefetched renditions without writing
    # each one back to the cache.
    return image.get_renditions(SHARE_IMAGE_SPEC)[SHARE_IMAGE_SPEC] if image else None


# --- addresses and sharing --------------------------------------------------------------


@register.simple_tag(takes_context=True)
def page_full_url(context, page: Page | None = None) -> str:
    """The absolute address of a page (the shown one by default), on its own site."""
    page = page or context.get("page")
    request = context.get("request")
    if isinstance(page, Page):
        return page.get_full_url(request) or ""
    return request.build_absolute_uri(request.path) if request else ""


@register.simple_tag(takes_context=True)
def absolute_url(context, url: str) -> str:
    """A media or page path made absolute against the shown page's own site."""
    if not url or "://" in url:
        return url or ""
    return urljoin(page_full_url(context), url)


@dataclass(frozen=True)
class ShareLink:
    key: str
    icon: str
    name: str
    label: str
    url: str


def _query(**params) -> str:
    return urlencode(params, quote_via=quote)


@register.simple_tag(takes_context=True)
def share_links(context, page: Page) -> list[ShareLink]:
    """Links that open each network's own share form: no script of theirs on our pages.

    `name` is what the link shows, `label` what it is called (it contains the name, so a
    reader who says what they see can follow it).
    """
    url = page_full_url(context, page)
    title = page.seo_title or page.title
    text = f"{title}\n{url}"
    return [
        ShareLink(
            "whatsapp",
            "whatsapp",
            _("WhatsApp"),
            _("Share on WhatsApp"),
            f"https://wa.me/?{_query(text=text)}",
        ),
        ShareLink(
            "x",
            "x",
            _("X"),
            _("Share on X"),
            f"https://x.com/intent/post?{_query(url=url, text=title)}",
        ),
        ShareLink(
            "telegram",
            "telegram",
            _("Telegram"),
            _("Share on Telegram"),
            f"https://t.me/share/url?{_query(url=url, text=title)}",
        ),
        ShareLink(
            "email",
            "mail",
            _("E-mail"),
            _("Share by e-mail"),
            f"mailto:?{_query(subject=title, body=text)}",
        ),
    ]


# --- listings ---------------------------------------------------------------------------


@register.simple_tag(takes_context=True)
def page_query(context, number: int) -> str:
    """?…&page=<number>, keeping the other parameters (the query, the tag) as they are."""
    request = context.get("request")
    params = request.GET.copy() if request else QueryDict(mutable=True)
    params["page"] = number
    return "?" + params.urlencode()


@register.simple_tag
def adjacent_messages(page) -> tuple:
    """(the message of the day before, of the day after) under the same index, in one query."""
    siblings = type(page).objects.live().sibling_of(page, inclusive=False)
    before = siblings.filter(date__lt=page.date).order_by("-date").values("date")[:1]
    after = siblings.filter(date__gt=page.date).order_by("date").values("date")[:1]
    neighbours = {
        message.date: message
        for message in siblings.filter(Q(date=Subquery(before)) | Q(date=Subquery(after)))
    }
    earlier = [message for day, message in neighbours.items() if day < page.date]
    later = [message for day, message in neighbours.items() if day > page.date]
    return (earlier[0] if earlier else None, later[0] if later else None)


@register.filter
def page_kind(page: Page) -> str:
    """{{ hit.page|page_kind }}: what a page is, in words ("news item", "daily message")."""
    model = page.specific_class or type(page)
    return capfirst(model._meta.verbose_name)
