"""The content API at /api/v2/ (cms/api.py) and the DRF schema's browsable UI."""

import datetime
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.news.models import NewsPage
from tests.support.pages import make_daily_message, make_image, make_news

PAGES = "/api/v2/pages/"
NEWS_LIST = f"{PAGES}?type=news.NewsPage&fields=date,summary,hero_image,hero_image_thumbnail"
MESSAGES_LIST = f"{PAGES}?type=daily_messages.DailyMessagePage&fields=date,summary,image"
# View restrictions, site, the site root's translations, locale, count, pages, renditions,
# tags, and the site root paths (a cache read: a query on the database cache).
LIST_QUERIES = 9


def small_image(title: str):
    return make_image(title, size=(320, 180))


def items(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["items"]


def test_pages_are_filtered_by_locale(client, public_site):
    make_news(public_site.ar.news, title="خبر عربي")
    make_news(public_site.en.news, title="English news")

    english = items(client.get(f"{NEWS_LIST}&locale=en"))
    assert [item["title"] for item in english] == ["English news"]
    assert english[0]["meta"]["locale"] == "en"
    arabic = items(client.get(f"{NEWS_LIST}&locale=ar"))
    assert [item["title"] for item in arabic] == ["خبر عربي"]

    assert client.get(f"{NEWS_LIST}&locale=fr").status_code == 404


def test_pages_are_filtered_by_type(client, public_site):
    make_news(public_site.en.news, title="A news item", tags=["mina", "camps"])
    make_daily_message(public_site.en.messages, date=datetime.date(2026, 5, 25), title="Message")

    news = items(client.get(f"{NEWS_LIST},tags&locale=en"))
    assert [(item["meta"]["type"], item["tags"]) for item in news] == [
        ("news.NewsPage", ["camps", "mina"])
    ]
    messages = items(client.get(f"{MESSAGES_LIST}&locale=en"))
    assert [(item["meta"]["type"], item["date"]) for item in messages] == [
        ("daily_messages.DailyMessagePage", "2026-05-25")
    ]
    everything = items(client.get(f"{PAGES}?locale=en&limit=20"))
    assert {"home.HomePage", "news.NewsIndexPage", "news.NewsPage"} <= {
        item["meta"]["type"] for item in everything
    }
    assert client.get(f"{PAGES}?type=news.Nothing").status_code == 400


def test_images_come_as_renditions(client, public_site):
    make_news(public_site.en.news, title="With a picture", image=make_image("Tents at Mina"))
    make_daily_message(
        public_site.en.messages,
        date=datetime.date(2026, 5, 26),
        title="Today",
        image=make_image("Arafat"),
    )

    [news] = items(client.get(f"{NEWS_LIST}&locale=en"))
    assert news["hero_image"]["width"] == 1200
    assert news["hero_image"]["url"].endswith(".webp")
    assert news["hero_image"]["full_url"].startswith("http")
    assert news["hero_image"]["alt"] == "Tents at Mina"
    assert (news["hero_image_thumbnail"]["width"], news["hero_image_thumbnail"]["height"]) == (
        640,
        360,
    )
    [message] = items(client.get(f"{MESSAGES_LIST},image_thumbnail&locale=en"))
    assert message["image"]["url"].endswith(".webp")
    assert message["image_thumbnail"]["width"] == 640

    # The rendition files exist where the URLs say.
    detail = client.get(f"{PAGES}{news['id']}/").json()
    assert detail["hero_image"]["url"] == news["hero_image"]["url"]


def test_body_image_blocks_come_as_renditions(client, public_site):
    image = make_image("Jamarat bridge")
    page = NewsPage(
        title="Body with an image",
        summary="Summary",
        body=[
            {"type": "paragraph", "value": "<p>Before the picture.</p>"},
            {
                "type": "image",
                "value": {
                    "image": {"image": image.pk, "alt_text": "The bridge", "decorative": False},
                    "caption": "Third day",
                },
            },
        ],
    )
    public_site.en.news.add_child(instance=page)
    page.save_revision().publish()

    body = client.get(f"{PAGES}{page.pk}/").json()["body"]
    assert [block["type"] for block in body] == ["paragraph", "image"]
    block = body[1]["value"]
    assert block["caption"] == "Third day"
    assert block["image"]["alt"] == "The bridge"
    assert block["image"]["large"]["url"].endswith(".webp")
    assert block["image"]["medium"]["width"] == 640


def test_anonymous_reads_carry_public_cache_headers(client, public_site):
    page = make_news(public_site.en.news, title="Cached")
    for url in (NEWS_LIST, f"{PAGES}{page.pk}/", "/api/v2/images/", "/api/v2/documents/"):
        response = client.get(url)
        assert response.status_code == 200, url
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"public", "max-age=60"} <= directives, url

    missing = client.get(f"{PAGES}999999/")
    assert missing.status_code == 404
    assert "public" not in missing.get("Cache-Control", "")


def test_signed_in_reads_are_not_public(client, public_site, staff_a):
    make_news(public_site.en.news, title="Signed in")
    client.force_login(staff_a)
    response = client.get(NEWS_LIST)
    assert response.status_code == 200
    assert "public" not in response.get("Cache-Control", "")


def _warm_list_queries(client, url: str) -> tuple[int, list[dict]]:
    client.get(url)  # the first read makes the renditions
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return len(captured.captured_queries), items(response)


@pytest.mark.parametrize(
    ("url", "add"),
    [
        (
            f"{NEWS_LIST},tags&locale=en",
            lambda site, n: make_news(
                site.en.news, title=f"News {n}", image=small_image(f"n{n}"), tags=["hajj"]
            ),
        ),
        (
            f"{MESSAGES_LIST},image_thumbnail&locale=en",
            lambda site, n: make_daily_message(
                site.en.messages,
                date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
                image=small_image(f"m{n}"),
            ),
        ),
    ],
    ids=["news", "daily-messages"],
)
def test_list_queries_do_not_grow_with_the_page_size(client, public_site, settings, url, add):
    settings.WAGTAILAPI_LIMIT_MAX = 50
    url = f"{url}&limit=50"
    for n in range(5):
        add(public_site, n)
    five, listed = _warm_list_queries(client, url)
    assert len(listed) == 5
    for n in range(5, 50):
        add(public_site, n)
    fifty, listed = _warm_list_queries(client, url)
    assert len(listed) == 50
    assert all(item.get("hero_image") or item.get("image") for item in listed)

    assert five == fifty <= LIST_QUERIES, (five, fifty)


def test_schema_ui_loads_only_local_assets(client):
    response = client.get("/api/v1/schema/ui/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(assets) >= 3  # the stylesheet, the two scripts (and the icon)
    for asset in assets:
        assert asset.startswith(settings.STATIC_URL), asset
        assert client.get(asset).status_code == 200, asset
    assert "://" not in re.sub(r"<script>.*?</script>", "", html, flags=re.S)
    # No validation badge from validator.swagger.io.
    assert '"validatorUrl": null' in html
