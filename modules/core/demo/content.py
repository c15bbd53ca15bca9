"""The public site's demo content: home, sections (the public indicators among them), a week
of daily messages, news, contacts.

Read from `fixtures/pages.json` and `fixtures/content/`, where each text stands in Arabic (the
original) beside its English translation. The Arabic tree is built first; the English one is
made from it with Wagtail's `copy_for_translation`, so every English page shares its Arabic
page's translation key and slug, and the language switcher and `hreflang` links find it.

Pages are content: once created they belong to the editors, so a later run does not overwrite
what was edited in the admin; it only recreates what is missing, matching pages by slug under
their parent in the parent's language. Pictures are drawn only for pages being created, and a
picture already stored under its title is reused rather than drawn again.
"""

import datetime
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.utils import timezone
from hijridate import Hijri
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, ReferenceIndex, Site
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.utils.file import hash_filelike

from cms.base.models import CommitteeSettings
from cms.daily_messages.models import DailyMessageIndexPage, DailyMessagePage
from cms.home.models import HomePage
from cms.news.models import NewsIndexPage, NewsPage
from cms.pages.models import IndicatorsPage, SearchPage, StandardPage
from modules.agencies.models import Season

from .images import scene_jpeg
from .records import Tally, read_json

SITE_NAME = "الرفادة"
SECTION_MODELS = {
    "daily_messages": DailyMessageIndexPage,
    "news": NewsIndexPage,
    "indicators": IndicatorsPage,
    "standard": StandardPage,
    "search": SearchPage,
}
# Before the season's end, its news is spread over this many days up to today at least, so a
# season that started yesterday still shows a plausible history.
SHORTEST_NEWS_SPAN = datetime.timedelta(days=60)


@dataclass(frozen=True)
class DemoCalendar:
    """The days the dated demo content falls on.

    The daily messages are the last week of the season — or of what has happened of it, when
    the season is still running (or not begun) on this machine's clock — so the home page's
    "today's message, or the latest" always has one. News dates come from the fixture's Hijri
    dates, squeezed into the part of the season that has happened, in the same order.
    """

    season_start: datetime.date
    season_end: datetime.date
    last_day: datetime.date

    @classmethod
    def for_season(cls, season: Season, *, today: datetime.date) -> "DemoCalendar":
        return cls(season.starts_on, season.ends_on, min(season.ends_on, today))

    def last_days(self, count: int) -> list[datetime.date]:
        """`count` consecutive days ending on the last day, oldest first."""
        return [self.last_day - datetime.timedelta(days=count - 1 - i) for i in range(count)]

    def place(self, day: datetime.date) -> datetime.date:
        """A day of the season, moved proportionally into the part that has happened."""
        start = min(self.season_start, self.last_day - SHORTEST_NEWS_SPAN)
        share = (day - self.season_start) / (self.season_end - self.season_start)
        return start + (self.last_day - start) * min(max(share, 0.0), 1.0)


class DemoImages:
    """The demo pictures by key (`fixtures/content/images.json`), drawn when first needed.

    An image is matched by its title, so a picture is drawn and stored once, and a page that
    is recreated later reuses the image its first version had.
    """

    def __init__(self, tally: Tally):
        self._specs = read_json("content/images.json")
        self._tally = tally
        titles = [spec["title"] for spec in self._specs.values()]
        self._stored = {
            image.title: image for image in get_image_model().objects.filter(title__in=titles)
        }
        tally.unchanged += len(self._stored)
        self.created = []

    def __getitem__(self, key: str):
        spec = self._specs[key]
        image = self._stored.get(spec["title"])
        if image is None:
            image = self._stored[spec["title"]] = self._create(key, spec)
        return image

    def _create(self, key: str, spec: dict):
        data = io.BytesIO(scene_jpeg(spec["scene"], seed=spec["seed"]))
        image = get_image_model()(
            title=spec["title"],
            description=spec["description"],
            file=ImageFile(data, name=f"demo-{key}.jpg"),
            file_size=len(data.getvalue()),
            file_hash=hash_filelike(data),
        )
        image.full_clean()
        image.save()
        self._tally.created += 1
        self.created.append(image)
        return image


def load_public_site(*, season: Season, tally: Callable[[str], Tally]) -> HomePage:
    """The Arabic site as the default site's root, its English translation, and the contacts."""
    locales = _ensure_locales(tally("locales"))
    arabic = locales.pop(settings.LANGUAGE_CODE)
    builder = _SiteBuilder(
        structure=read_json("pages.json"),
        messages=read_json("content/daily_messages.json"),
        news=read_json("content/news.json"),
        images=DemoImages(tally("images")),
        tally=tally("pages"),
    )
    site = Site.objects.filter(is_default_site=True).first()
    calendar = DemoCalendar.for_season(season, today=timezone.localdate())
    # Wagtail updates its reference index (where each image and page is used) after every
    # save, three or four times for each new page; once for each written object is enough.
    with disable_reference_index_auto_update():
        tree = builder.build_arabic(arabic, site=site, calendar=calendar)
        site = _point_site_at(tree.home, site)
        for locale in locales.values():
            builder.translate(tree, locale)
    for written in [*builder.images.created, *builder.written]:
        ReferenceIndex.create_or_update_for_object(written)
    _fill_committee_settings(site, tally("site settings"))
    return tree.home


def _ensure_locales(tally: Tally) -> dict[str, Locale]:
    locales = {}
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        locales[code], created = Locale.objects.get_or_create(language_code=code)
        if created:
            tally.created += 1
        else:
            tally.unchanged += 1
    return locales


@dataclass
class _Tree:
    """The pages of ours in one language, by slug."""

    home: HomePage
    sections: dict[str, Page]
    messages: dict[str, Page]
    news: dict[str, Page]


class _SiteBuilder:
    """Builds the page trees from the fixture files; `tally` counts the pages."""

    def __init__(
        self,
        *,
        structure: dict,
        messages: list[dict],
        news: list[dict],
        images: DemoImages,
        tally: Tally,
    ):
        self.home_spec = structure["home"]
        self.sections = structure["sections"]
        self.messages = messages
        self.news = news
        self.images = images
        self.tally = tally
        self.written: list[Page] = []

    # ------------------------------------------------------------------ Arabic ----

    def build_arabic(self, locale: Locale, *, site: Site | None, calendar: DemoCalendar) -> _Tree:
        code = locale.language_code
        home = HomePage.objects.filter(depth=2, locale=locale).first()
        home_is_new = home is None
        if home_is_new:
            _remove_wagtail_welcome_page(site, self.tally)
            home = HomePage(
                locale=locale,
                slug="home",
                title=self.home_spec["title"][code],
                intro=self.home_spec["intro"][code],
            )
            # Published once its sections exist, with the quick links to them: one revision.
            Page.get_first_root_node().add_child(instance=home)
            self.tally.created += 1
        else:
            self.tally.unchanged += 1

        sections = self._ensure_children(
            home, locale, self.sections, lambda item: self._section(item, code)
        )
        self._finish_home(home, sections, code=code, is_new=home_is_new)
        days = dict(
            zip(
                [item["slug"] for item in self.messages],
                calendar.last_days(len(self.messages)),
                strict=True,
            )
        )
        taken = _days_with_a_message(locale, days.values())
        messages = self._ensure_children(
            sections["daily-message"],
            locale,
            self.messages,
            lambda item: self._daily_message(item, code, day=days[item["slug"]]),
            can_create=lambda item: days[item["slug"]] not in taken,
        )
        news = self._ensure_children(
            sections["news"],
            locale,
            self.news,
            lambda item: self._news(item, code, day=calendar.place(_gregorian(item))),
            after_add=lambda page, item: page.tags.add(*item["tags"][code]),
        )
        return _Tree(home=home, sections=sections, messages=messages, news=news)

    def _ensure_children(
        self,
        parent: Page,
        locale: Locale,
        items: list[dict],
        build: Callable[[dict], Page],
        after_add: Callable[[Page, dict], None] | None = None,
        can_create: Callable[[dict], bool] = lambda item: True,
    ) -> dict[str, Page]:
        """The pages of `items` under `parent` by slug: the stored ones, and the missing made."""
        stored = {page.slug: page for page in parent.get_children()}
        pages = {}
        for item in items:
            page = stored.get(item["slug"])
            if page is None and not can_create(item):
                continue
            if page is None:
                page = build(item)
                page.slug, page.locale = item["slug"], locale
                parent.add_child(instance=page)
                if after_add is not None:
                    after_add(page, item)
                page.save_revision().publish()
                self.tally.created += 1
                self.written.append(page)
            else:
                self.tally.unchanged += 1
            pages[item["slug"]] = page
        return pages

    def _finish_home(self, home: HomePage, sections: dict[str, Page], *, code: str, is_new: bool):
        """Quick links need the sections' pages; a home page without any gets ours."""
        if not is_new and home.quick_links:
            return
        home.quick_links = self._quick_links(sections, code)
        # A translation's sections are added through another instance of it; publishing this
        # one with its stale child count would leave the sections unreachable.
        home.refresh_from_db(fields=["numchild"])
        home.save_revision().publish()
        self.written.append(home)
        if not is_new:
            self.tally.updated += 1

    # ---------------------------------------------------------------- pages ----

    def _section(self, item: dict, code: str) -> Page:
        return SECTION_MODELS[item["kind"]](
            show_in_menus=item["show_in_menus"], **self._section_fields(item, code)
        )

    def _section_fields(self, item: dict, code: str) -> dict:
        fields = {"title": item["title"][code]}
        for name in ("intro", "search_description"):
            if name in item:
                fields[name] = item[name][code]
        if "body" in item:
            fields["body"] = self._stream(item["body"], code)
        return fields

    def _daily_message(self, item: dict, code: str, *, day: datetime.date) -> DailyMessagePage:
        return DailyMessagePage(
            date=day,
            image=self.images[item["image"]] if item["image"] else None,
            notify_subscribers=False,
            **self._message_fields(item, code),
        )

    @staticmethod
    def _message_fields(item: dict, code: str) -> dict:
        return {name: item[name][code] for name in ("title", "summary", "body")}

    def _news(self, item: dict, code: str, *, day: datetime.date) -> NewsPage:
        return NewsPage(
            date=day, hero_image=self.images[item["image"]], **self._news_fields(item, code)
        )

    def _news_fields(self, item: dict, code: str) -> dict:
        return {
            "title": item["title"][code],
            "summary": item["summary"][code],
            "body": self._stream(item["body"], code),
        }

    def _stream(self, blocks: list[dict], code: str) -> list[dict]:
        """A body in the JSON form a StreamField stores, in one language."""
        stream = []
        for block in blocks:
            kind = block["type"]
            if kind == "paragraph":
                value = block[code]
            elif kind == "quote":
                value = {"text": block["text"][code], "attribution": block["attribution"][code]}
            elif kind == "image":
                value = {
                    "image": {
                        "image": self.images[block["image"]].pk,
                        "decorative": False,
                        "alt_text": block["alt"][code],
                    },
                    "caption": block["caption"][code],
                }
            else:
                raise ValueError(f"Unknown block type in the demo content: {kind}")
            stream.append({"type": kind, "value": value})
        return stream

    def _quick_links(self, sections: dict[str, Page], code: str) -> list[dict]:
        links = []
        for link in self.home_spec["quick_links"]:
            page = sections[link["page"]] if "page" in link else None
            links.append(
                {
                    "type": "link",
                    "value": {
                        "title": link["title"][code],
                        "page": page.pk if page else None,
                        "url": link.get("url", ""),
                        "icon": link["icon"],
                    },
                }
            )
        return links

    # ---------------------------------------------------------- translation ----

    def translate(self, source: _Tree, locale: Locale) -> None:
        """Our pages in `locale`, for those not translated yet, parents before children."""
        code = locale.language_code
        translated = {
            page.translation_key: page
            for page in Page.objects.filter(
                locale=locale,
                translation_key__in=source.home.get_descendants().values("translation_key"),
            )
        }
        home = source.home.get_translation_or_none(locale)
        home_is_new = home is None
        if home_is_new:
            # Published after its sections are translated, with the quick links to them.
            home = source.home.copy_for_translation(locale)
            home.title = self.home_spec["title"][code]
            home.intro = self.home_spec["intro"][code]
            self.tally.created += 1
        else:
            self.tally.unchanged += 1

        sections = {
            item["slug"]: self._translation(
                source.sections[item["slug"]], locale, translated, self._section_fields(item, code)
            )
            for item in self.sections
        }
        self._finish_home(home, sections, code=code, is_new=home_is_new)
        days = dict(
            DailyMessagePage.objects.filter(
                pk__in=[page.pk for page in source.messages.values()]
            ).values_list("translation_key", "date")
        )
        taken = _days_with_a_message(locale, days.values(), other_than=days.keys())
        for item in self.messages:
            message = source.messages.get(item["slug"])
            if message is not None and days[message.translation_key] not in taken:
                self._translation(message, locale, translated, self._message_fields(item, code))
        for item in self.news:
            self._translation(
                source.news[item["slug"]],
                locale,
                translated,
                self._news_fields(item, code),
                tags=item["tags"][code],
            )

    def _translation(
        self,
        source: Page,
        locale: Locale,
        translated: dict[str, Page],
        fields: dict,
        *,
        tags: list[str] | None = None,
    ) -> Page:
        page = translated.get(source.translation_key)
        if page is not None:
            self.tally.unchanged += 1
            return page
        page = source.copy_for_translation(locale)
        for name, value in fields.items():
            setattr(page, name, value)
        if tags is not None:
            page.tags.set(tags)
        page.save_revision().publish()
        self.tally.created += 1
        self.written.append(page)
        return page


def _days_with_a_message(
    locale: Locale, days: Iterable[datetime.date], *, other_than: Iterable[str] = ()
) -> set[datetime.date]:
    """Days that have a daily message in `locale`, apart from the translations `other_than`.

    There is one message a day in each language: a demo message is not made for a day an
    editor has already written one for.
    """
    return set(
        DailyMessagePage.objects.filter(locale=locale, date__in=list(days))
        .exclude(translation_key__in=list(other_than))
        .values_list("date", flat=True)
    )


def _gregorian(item: dict) -> datetime.date:
    return Hijri(*item["hijri_date"]).to_gregorian()


def _point_site_at(home: HomePage, site: Site | None) -> Site:
    """The default site, rooted at the Arabic home and answering at SITE_URL, so that the
    addresses pages give of themselves (share links, feeds, Open Graph) can be followed."""
    address = urlsplit(settings.SITE_URL)
    wanted = {
        "root_page_id": home.pk,
        "hostname": address.hostname or "localhost",
        "port": address.port or (443 if address.scheme == "https" else 80),
    }
    if site is None:
        return Site.objects.create(**wanted, is_default_site=True, site_name=SITE_NAME)
    changed = [name for name, value in wanted.items() if getattr(site, name) != value]
    if changed:
        for name in changed:
            setattr(site, name, wanted[name])
        site.save(update_fields=[name.removesuffix("_id") for name in changed])
    return site


def _remove_wagtail_welcome_page(site: Site | None, tally: Tally) -> None:
    """Wagtail's install creates a bare "Welcome" page as the site root; ours replaces it.

    Only a plain `Page` (never content of ours) directly under the root with no children is
    removed. The site is pointed at the tree root first: deleting its root page would
    delete the site.
    """
    placeholder = Page.objects.filter(
        depth=2, numchild=0, content_type=ContentType.objects.get_for_model(Page)
    ).first()
    if placeholder is None:
        return
    if site is not None and site.root_page_id == placeholder.pk:
        site.root_page = Page.get_first_root_node()
        site.save(update_fields=["root_page"])
    placeholder.delete()
    tally.removed += 1


def _fill_committee_settings(site: Site, tally: Tally) -> None:
    """Contact details and social accounts: empty fields are filled, filled ones are kept."""
    values = read_json("content/committee.json")
    record = CommitteeSettings.objects.filter(site=site).first()
    is_new = record is None
    if is_new:
        record = CommitteeSettings(site=site)
    missing = {name: value for name, value in values.items() if not getattr(record, name)}
    if not missing:
        tally.unchanged += 1
        return
    for name, value in missing.items():
        setattr(record, name, value)
    record.full_clean()
    record.save()
    if is_new:
        tally.created += 1
    else:
        tally.updated += 1
