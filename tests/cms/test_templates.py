"""The public site's markup: language and direction, the language switcher, what social
networks and search engines read, the share links, the home page's daily message, and the
rules that let anonymous pages be cached (no CSRF token, no cookie)."""

import datetime
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from wagtail.models import Locale

from cms.base.models import CommitteeSettings
from cms.daily_messages.models import DailyMessagePage
from cms.home import indicators
from cms.home.indicators import PublicIndicator
from cms.news.models import NewsPage
from tests.support.pages import (
    add_standard_page,
    make_daily_message,
    make_image,
    make_news,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uncached(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0


def translate(page, language: str, **fields):
    translation = page.copy_for_translation(Locale.objects.get(language_code=language))
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    translation.refresh_from_db()
    return translation


def soup_of(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content.decode(), "html.parser")


def meta(soup: BeautifulSoup, name: str) -> str | None:
    tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
    return tag["content"] if tag else None


def switcher(soup: BeautifulSoup) -> dict[str, str]:
    return {link["hreflang"]: link["href"] for link in soup.select("a.lang-switch")}


@pytest.fixture
def news(public_site):
    image = make_image("Tents of Mina at dawn")
    page = make_news(
        public_site.ar.news,
        title="افتتاح مخيمات منى",
        summary="افتتحت اللجنة المخيمات.",
        image=image,
        tags=["mina"],
        slug="mina-camps",
    )
    return page


@pytest.fixture
def news_en(news):
    return translate(news, "en", title="Mina camps open", summary="The committee opened the camps.")


# --- language and direction ---------------------------------------------------------------


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("en", "ltr")])
def test_pages_carry_their_language_and_direction(
    client, public_site, news, news_en, language, direction
):
    message = make_daily_message(public_site.ar.messages, date=timezone.localdate())
    translate(message, "en", title="Today's message")
    for url in (
        f"/{language}/",
        getattr(public_site, language).news.url,
        (news if language == "ar" else news_en).url,
        f"/{language}/daily-message/{message.slug}/",
    ):
        html = client.get(url).content.decode()
        assert f'<html lang="{language}" dir="{direction}">' in html, url


# --- the language switcher ----------------------------------------------------------------


def test_the_switcher_leads_to_the_translation_of_a_news_item(client, news, news_en):
    assert switcher(soup_of(client, news.url)) == {"en": news_en.url}
    assert switcher(soup_of(client, news_en.url)) == {"ar": news.url}


def test_a_page_without_translation_switches_to_the_other_home(client, news):
    assert switcher(soup_of(client, news.url)) == {"en": "/en/"}


def test_an_unpublished_translation_is_not_offered(client, news, news_en):
    news_en.unpublish()
    assert switcher(soup_of(client, news.url)) == {"en": "/en/"}


def test_the_switcher_is_a_plain_link_named_in_its_language(client, public_site):
    link = soup_of(client, "/ar/").select_one("a.lang-switch")
    assert link["lang"] == "en" and link["hreflang"] == "en"
    assert link.get_text(strip=True) == "English"
    assert link.find_parent("form") is None


# --- what search engines and social networks read -----------------------------------------


def test_a_news_item_describes_itself_for_sharing(client, public_site, news, news_en):
    CommitteeSettings.objects.update_or_create(
        site=public_site.site, defaults={"x_handle": "hajjcommittee"}
    )
    soup = soup_of(client, news.url)

    assert meta(soup, "og:type") == "article"
    assert meta(soup, "og:title") == "افتتاح مخيمات منى"
    assert meta(soup, "og:description") == "افتتحت اللجنة المخيمات."
    assert meta(soup, "og:url") == "http://localhost/ar/news/mina-camps/"
    assert meta(soup, "og:locale") == "ar_SA"
    assert meta(soup, "og:locale:alternate") == "en_US"
    image_url = meta(soup, "og:image")
    assert image_url.startswith("http://localhost/media/")
    assert image_url.endswith(".jpg")
    assert "1200x630" in image_url
    assert (meta(soup, "og:image:width"), meta(soup, "og:image:height")) == ("1200", "630")
    assert meta(soup, "og:image:alt") == "Tents of Mina at dawn"
    assert meta(soup, "twitter:card") == "summary_large_image"
    assert meta(soup, "twitter:image") == image_url
    assert meta(soup, "twitter:site") == "@hajjcommittee"
    assert soup.find("link", rel="canonical")["href"] == "http://localhost/ar/news/mina-camps/"


def test_a_daily_message_describes_itself_for_sharing(client, public_site):
    message = make_daily_message(
        public_site.ar.messages,
        date=datetime.date(2026, 5, 25),
        title="رسالة يوم التروية",
        summary="الزموا مواعيد التفويج.",
        image=make_image("Pilgrims in Mina"),
    )
    soup = soup_of(client, message.url)

    assert meta(soup, "og:type") == "article"
    assert meta(soup, "og:description") == "الزموا مواعيد التفويج."
    assert meta(soup, "og:url") == message.get_full_url()
    assert meta(soup, "og:image").startswith("http://localhost/media/")
    assert meta(soup, "twitter:card") == "summary_large_image"
    assert meta(soup, "article:published_time") == "2026-05-25"


def test_a_page_without_image_asks_for_a_small_card(client, public_site):
    news = make_news(public_site.en.news, title="No picture", slug="no-picture")
    soup = soup_of(client, news.url)
    assert meta(soup, "og:image") is None
    assert meta(soup, "twitter:card") == "summary"
    assert meta(soup, "og:locale") == "en_US"


def test_hreflang_alternates_name_every_live_version_and_arabic_as_default(client, news, news_en):
    for url in (news.url, news_en.url):
        soup = soup_of(client, url)
        alternates = {
            link["hreflang"]: link["href"] for link in soup.find_all("link", hreflang=True)
        }
        assert alternates == {
            "ar": "http://localhost/ar/news/mina-camps/",
            "en": "http://localhost/en/news/mina-camps/",
            "x-default": "http://localhost/ar/news/mina-camps/",
        }


def test_a_page_in_one_language_has_no_alternates(client, news):
    assert soup_of(client, news.url).find_all("link", hreflang=True) == []


# --- sharing ------------------------------------------------------------------------------


def test_share_links_open_each_network_with_the_address_and_title(client, news_en):
    soup = soup_of(client, news_en.url)
    share = soup.select_one('section.share[aria-labelledby="share-title"]')
    assert share.select_one("h2#share-title").get_text(strip=True) == "Share"
    address = "http://localhost/en/news/mina-camps/"
    title = "Mina camps open"
    links = {link["data-share"]: link for link in share.select("a[data-share]")}

    assert set(links) == {"whatsapp", "x", "telegram", "email"}
    for link in links.values():
        assert link["target"] == "_blank"
        assert "noopener" in link["rel"]
        assert link["aria-label"].startswith("Share")
    assert links["whatsapp"]["href"] == "https://wa.me/?text=" + quote(
        f"{title}\n{address}", safe=""
    )
    x = urlsplit(links["x"]["href"])
    assert (x.scheme, x.netloc, x.path) == ("https", "x.com", "/intent/post")
    assert parse_qs(x.query) == {"url": [address], "text": [title]}
    telegram = urlsplit(links["telegram"]["href"])
    assert (telegram.netloc, telegram.path) == ("t.me", "/share/url")
    assert parse_qs(telegram.query) == {"url": [address], "text": [title]}
    mail = urlsplit(links["email"]["href"])
    assert mail.scheme == "mailto"
    assert parse_qs(mail.query) == {"subject": [title], "body": [f"{title}\n{address}"]}

    copy = share.select_one('button[data-share="copy"]')
    assert copy["type"] == "button" and copy["data-copied"] == "Address copied"
    field = share.select_one("input#share-url")
    assert field["value"] == address and field.has_attr("readonly")
    assert share.select_one('[aria-live="polite"]') is not None


def test_the_arabic_share_links_carry_the_encoded_arabic_title(client, news):
    link = soup_of(client, news.url).select_one('a[data-share="x"]')
    assert parse_qs(urlsplit(link["href"]).query)["text"] == ["افتتاح مخيمات منى"]


# --- home ---------------------------------------------------------------------------------


def test_home_shows_todays_message_first(client, public_site):
    today = timezone.localdate()
    make_daily_message(public_site.en.messages, date=today - datetime.timedelta(days=1))
    message = make_daily_message(
        public_site.en.messages, date=today, title="Drink water", summary="Stay in the shade."
    )
    soup = soup_of(client, "/en/")
    section = soup.select_one('section.daily-message[aria-labelledby="daily-message-title"]')

    assert "Today's message" in section.select_one("#daily-message-title").get_text()
    assert section.select_one(f'a[href="{message.url}"]').get_text(strip=True) == "Drink water"
    assert "Stay in the shade." in section.get_text()
    assert section.select_one("time")["datetime"] == today.isoformat()


def test_home_shows_the_latest_message_with_its_date_before_todays_is_out(client, public_site):
    day = timezone.localdate() - datetime.timedelta(days=2)
    make_daily_message(public_site.en.messages, date=day - datetime.timedelta(days=1))
    latest = make_daily_message(public_site.en.messages, date=day, title="Yesterday's news")
    make_daily_message(public_site.en.messages, date=day + datetime.timedelta(days=5))
    section = soup_of(client, "/en/").select_one("section.daily-message")

    assert "The latest message" in section.select_one("#daily-message-title").get_text()
    assert section.select_one(f'a[href="{latest.url}"]') is not None
    time = section.select_one("time")
    assert time["datetime"] == day.isoformat()
    assert day.strftime("%Y") in time.get_text() and "Of " in time.get_text()


def test_home_without_messages_leaves_the_area_out(client, public_site):
    assert soup_of(client, "/en/").select_one("section.daily-message") is None


def test_home_lists_the_latest_news_as_cards(client, public_site):
    image = make_image("Camp")
    for number in range(8):
        make_news(
            public_site.en.news,
            title=f"Item {number}",
            date=datetime.date(2026, 5, 1) + datetime.timedelta(days=number),
            image=image,
            slug=f"item-{number}",
        )
    cards = soup_of(client, "/en/").select("article.news-card")

    assert [card.select_one("h3 a").get_text(strip=True) for card in cards] == [
        f"Item {number}" for number in range(7, 1, -1)
    ]
    assert cards[0].select_one("h3 a")["href"] == "/en/news/item-7/"
    picture = cards[0].select_one("picture")
    assert [source["type"] for source in picture.select("source")] == ["image/webp"]
    img = picture.select_one("img")
    assert img["alt"] == "" and img["loading"] == "lazy"
    assert img["width"] and img["height"]


def test_home_shows_public_indicators_as_tiles_only_when_there_are_some(
    client, public_site, monkeypatch
):
    assert soup_of(client, "/en/").select_one("section.indicators") is None

    monkeypatch.setattr(
        indicators,
        "_providers",
        [lambda request: [PublicIndicator(label="Pilgrims served", value="1,204,000", unit="")]],
    )
    tiles = soup_of(client, "/en/").select("section.indicators .indicator")
    assert len(tiles) == 1
    assert tiles[0].select_one("dt").get_text(strip=True) == "Pilgrims served"
    assert tiles[0].select_one(".indicator__value").get_text(strip=True) == "1,204,000"


def test_home_quick_links_lead_to_pages_and_addresses(client, public_site):
    home = public_site.en.home
    home.quick_links = [
        ("link", {"title": "All news", "page": public_site.en.news, "url": "", "icon": "news"}),
        (
            "link",
            {"title": "Report", "page": None, "url": "https://example.org/r", "icon": "report"},
        ),
    ]
    home.save_revision().publish()
    links = soup_of(client, "/en/").select("a.quick-link")
    assert [(link["href"], link.get("target")) for link in links] == [
        ("/en/news/", None),
        ("https://example.org/r", "_blank"),
    ]


def test_the_footer_gives_the_committee_contact_details(client, public_site):
    CommitteeSettings.objects.update_or_create(
        site=public_site.site,
        defaults={
            "phone": "+966 12 000 0000",
            "email": "info@example.org",
            "address_en": "Makkah",
            "x_url": "https://x.com/committee",
        },
    )
    footer = soup_of(client, "/en/").select_one("footer.site-footer")
    assert footer.select_one('a[href="tel:+966120000000"]') is not None
    assert footer.select_one('a[href="mailto:info@example.org"]') is not None
    assert "Makkah" in footer.get_text()
    assert footer.select_one('a[href="https://x.com/committee"] svg[aria-label]') is not None
    assert footer.select_one('a[href="/en/portal/"]').get_text(strip=True) == "Agency portal"


# --- navigation ---------------------------------------------------------------------------


def test_the_menu_lists_the_homes_sections_shown_in_menus(client, public_site):
    for page in (public_site.en.messages, public_site.en.news):
        page.show_in_menus = True
        page.save_revision().publish()
    about = add_standard_page(public_site.en.home, title="About", slug="about")
    about.show_in_menus = True
    about.save_revision().publish()
    news = make_news(public_site.en.news, title="Item", slug="item")

    nav = soup_of(client, news.url).select_one('nav[aria-label="Main"]')
    links = [(link["href"], link.get("aria-current")) for link in nav.select("a")]
    assert links == [
        ("/en/", None),
        ("/en/daily-message/", None),
        ("/en/news/", "true"),
        ("/en/about/", None),
    ]
    search = soup_of(client, news.url).select_one('form[role="search"]')
    assert search["action"] == "/en/search/" and search["method"] == "get"


def test_breadcrumbs_lead_home_and_to_the_section(client, public_site):
    news = make_news(public_site.en.news, title="Item", slug="item")
    crumbs = soup_of(client, news.url).select("nav.breadcrumbs li")
    assert [crumb.get_text(strip=True) for crumb in crumbs] == ["Home", "News", "Item"]
    assert crumbs[1].select_one("a")["href"] == "/en/news/"


# --- index pages, detail pages ------------------------------------------------------------


@pytest.mark.parametrize("index", ["messages", "news"])
def test_index_pages_announce_their_feed(client, public_site, index):
    page = getattr(public_site.en, index)
    soup = soup_of(client, page.url)
    feed = soup.find("link", type="application/rss+xml")
    assert feed["rel"] == ["alternate"] and feed["href"] == f"{page.url}feed/"
    assert soup.select_one(f'a[href="{page.url}feed/"]') is not None


def test_the_daily_message_index_lists_days_in_both_calendars_page_by_page(client, public_site):
    first = datetime.date(2026, 5, 1)
    for number in range(14):
        make_daily_message(public_site.en.messages, date=first + datetime.timedelta(days=number))
    soup = soup_of(client, public_site.en.messages.url)
    items = soup.select(".message-item")
    assert len(items) == 12
    assert items[0].select_one("time")["datetime"] == "2026-05-14"
    assert "1447" in items[0].select_one(".message-item__hijri").get_text()
    assert soup.select_one('nav.pagination a[rel="next"]')["href"] == "?page=2"
    assert (
        len(soup_of(client, f"{public_site.en.messages.url}?page=2").select(".message-item")) == 2
    )


def test_news_tags_lead_to_the_index_filtered_and_paging_keeps_the_tag(client, public_site):
    for number in range(14):
        make_news(public_site.en.news, title=f"Tagged {number}", tags=["mina"], slug=f"t{number}")
    make_news(public_site.en.news, title="Other", tags=["arafat"], slug="other")
    news = soup_of(client, "/en/news/t0/")
    assert news.select_one("a.tag")["href"] == "/en/news/?tag=mina"

    index = soup_of(client, "/en/news/?tag=mina")
    assert len(index.select("article.news-card")) == 12
    assert "Other" not in index.get_text()
    assert index.select_one('nav.pagination a[rel="next"]')["href"] == "?tag=mina&page=2"


def test_a_daily_message_page_prints_and_links_the_days_around_it(client, public_site):
    day = datetime.date(2026, 5, 25)
    before = make_daily_message(public_site.en.messages, date=day - datetime.timedelta(days=1))
    shown = make_daily_message(public_site.en.messages, date=day, title="Arafat day")
    after = make_daily_message(public_site.en.messages, date=day + datetime.timedelta(days=1))
    soup = soup_of(client, shown.url)

    assert soup.select_one("h1").get_text(strip=True) == "Arafat day"
    assert soup.select_one(".article__date time")["datetime"] == "2026-05-25"
    assert "1447" in soup.select_one(".article__date").get_text()
    button = soup.select_one("button[data-print]")
    assert button.has_attr("hidden")
    assert soup.select_one(".print-only").get_text().strip().endswith(shown.get_full_url())
    assert soup.select_one('a[rel="prev"]')["href"] == before.url
    assert soup.select_one('a[rel="next"]')["href"] == after.url


def test_every_public_page_links_the_print_stylesheet(client, public_site, news):
    soup = soup_of(client, news.url)
    assert soup.find("link", href="/static/css/print.css")["media"] == "print"


def test_the_news_hero_image_is_described_and_the_body_renders_its_blocks(client, public_site):
    news = make_news(public_site.en.news, title="Blocks", image=make_image("Hero"), slug="blocks")
    news.body = [
        ("paragraph", "<p>First paragraph.</p>"),
        ("quote", {"text": "Serving pilgrims is an honour.", "attribution": "The chair"}),
        ("image", {"image": make_image("Body picture"), "caption": "In the field"}),
    ]
    news.save_revision().publish()
    soup = soup_of(client, news.url)

    hero = soup.select_one(".article__media picture img")
    assert hero["alt"] == "Hero" and hero.has_attr("srcset")
    body = soup.select_one(".article__body")
    assert "First paragraph." in body.get_text()
    assert body.select_one("blockquote").get_text(strip=True) == "Serving pilgrims is an honour."
    figure = body.select_one("figure.block-image")
    assert figure.select_one("img")["alt"] == "Body picture"
    assert figure.select_one("figcaption").get_text(strip=True) == "In the field"


def test_the_contact_page_shows_the_committee_contact_details(client, public_site):
    CommitteeSettings.objects.update_or_create(
        site=public_site.site, defaults={"email": "info@example.org"}
    )
    contact = add_standard_page(public_site.en.home, title="Contact us", slug="contact")
    main = soup_of(client, contact.url).select_one("main")
    assert main.select_one('a[href="mailto:info@example.org"]') is not None


# --- cacheable: nothing personal, no cookie -----------------------------------------------


def test_anonymous_public_pages_carry_no_csrf_token_and_set_no_cookie(client, public_site, news):
    message = make_daily_message(public_site.ar.messages, date=timezone.localdate())
    about = add_standard_page(public_site.ar.home, title="عن اللجنة", slug="about")
    for url in (
        "/ar/",
        "/en/",
        public_site.ar.messages.url,
        message.url,
        public_site.ar.news.url,
        news.url,
        about.url,
        public_site.ar.search.url,
        f"{public_site.ar.search.url}?q=%D9%85%D9%86%D9%89",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"csrfmiddlewaretoken" not in response.content, url
        assert not response.cookies, url
        assert "Set-Cookie" not in response.headers, url


# --- previews -----------------------------------------------------------------------------


def draft_under(parent, page):
    """What Wagtail previews for a page not saved yet: placed under its parent, no id."""
    page.depth = parent.depth + 1
    page.path = parent._get_children_path_interval(parent.path)[1]
    page.locale = parent.locale
    page.set_url_path(parent)
    return page


def test_an_editor_previews_a_news_item_not_saved_yet(public_site):
    draft = draft_under(
        public_site.en.news,
        NewsPage(
            title="Draft item",
            summary="Draft.",
            hero_image=make_image("Draft picture"),
            body=[("image", {"image": make_image("Body picture"), "caption": ""})],
        ),
    )
    response = draft.make_preview_request()
    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    assert soup.select_one("h1").get_text(strip=True) == "Draft item"
    assert [img["alt"] for img in soup.select("main picture img")] == [
        "Draft picture",
        "Body picture",
    ]


def test_an_editor_previews_a_daily_message_not_saved_yet(public_site):
    make_daily_message(public_site.en.messages, date=datetime.date(2026, 5, 24))
    draft = draft_under(
        public_site.en.messages,
        DailyMessagePage(
            title="Draft message",
            date=datetime.date(2026, 5, 25),
            summary="Draft.",
            body="<p>Text</p>",
        ),
    )
    response = draft.make_preview_request()
    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    assert soup.select_one("h1").get_text(strip=True) == "Draft message"
    assert soup.select_one('a[rel="prev"]') is not None
