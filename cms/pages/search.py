"""Search over the public news and daily messages of one language.

On PostgreSQL the text of each page is matched with full-text search in its own language's
configuration: `arabic` for the Arabic tree, so that a word is also found in the forms the
Snowball Arabic stemmer gives the same stem (الحجاج, للحجاج, بالحجاج; المعتمرين, معتمرون),
and `english` for the English tree; the Arabic configuration also folds alef forms,
ى into ي, tashkeel and Arabic-Indic digits (not ة into ه). Results are ranked by relevance
(title, then summary, then body), then date. `ts_headline` marks the matched words in text
that was HTML-escaped first (rich text loses its tags), so `<mark>` is its only markup.
Four queries in all (per page type: its view restrictions, then the search), whatever the
number of results.

Why not Wagtail's own search backend: its PostgreSQL backend (modelsearch's
`backends/database/postgres/postgres.py`) keeps one index built with a single
`SEARCH_CONFIG` for every language, so Arabic and English cannot each get their own
stemming. The public content is two page types in two languages, so the vectors are
computed here, per query, over the live pages of the one locale searched (an expression
index is not possible: a page's text spans Wagtail's page table and its own).

SQLite (development, CI) has no text search: every query word must appear in the title,
summary or body, compared after folding case, digits and Arabic letter variants.
"""

import html
import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Exists, F, Func, OuterRef, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat, Length, Replace, Substr
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page, PageViewRestriction

from cms.daily_messages.models import DailyMessagePage
from cms.news.models import NewsPage
from modules.core.sanitize import strip_html
from modules.core.text import normalize_digits

MAX_RESULTS = 100
# Without a text index, SQLite reads the pages themselves: the newest of each type.
SQLITE_SCAN_LIMIT = 1000
TEXT_SEARCH_CONFIGS = {"ar": "arabic", "en": "english"}
EXCERPT_CHARS = 240


@dataclass(frozen=True)
class SearchHit:
    """One result: the specific page, and safe HTML excerpts with the query's words marked."""

    page: Page
    title_html: str
    excerpt_html: str


def search_public_pages(*, query: str, locale) -> list[SearchHit]:
    """The live, public news and daily messages of `locale` that match `query`, best first."""
    query = normalize_digits(query).strip()
    if not re.search(r"\w", query):
        return []
    if connection.vendor == "postgresql":
        return _search_postgres(query, locale)
    return _search_by_containment(query, locale)


def _public_pages(model, locale):
    """Live pages of `locale` outside any section with view restrictions.

    Wagtail's `.public()` reads every restriction in a query of its own per queryset; this
    checks for a restricted ancestor (or the page itself) inside the search's own query.
    """
    restricted_ancestor = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return model.objects.live().filter(locale=locale).exclude(Exists(restricted_ancestor))


# --- PostgreSQL ---------------------------------------------------------------------------


def _escaped(expression):
    """Plain text as HTML text, so that ts_headline's <mark> is the only markup."""
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        expression = Replace(expression, Value(char), Value(entity), output_field=TextField())
    return expression


def _rich_text_as_escaped_text(expression):
    """Rich text is stored as HTML: drop its tags and keep its (already escaped) text."""
    text = Func(
        expression,
        Value(r"<[^>]*>"),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )
    for char, entity in (("<", "&lt;"), (">", "&gt;")):
        text = Replace(text, Value(char), Value(entity), output_field=TextField())
    return text


def _news_body_html():
    """The paragraphs (HTML) and quotes (escaped) of a news body, joined."""
    # No user input reaches this SQL: the query is a parameter of the outer expressions.
    return RawSQL(  # noqa: S611
        """(SELECT string_agg(CASE block->>'type'
                    WHEN 'quote' THEN replace(replace(replace(
                        block->'value'->>'text', '&', '&amp;'), '<', '&lt;'), '>', '&gt;')
                    ELSE block->>'value' END, ' ')
            FROM jsonb_array_elements("news_newspage"."body") AS block
            WHERE block->>'type' IN ('paragraph', 'quote'))""",
        [],
        output_field=TextField(),
    )


def _search_postgres(query: str, locale) -> list[SearchHit]:
    config = TEXT_SEARCH_CONFIGS.get(locale.language_code, "simple")
    search_query = SearchQuery(query, search_type="websearch", config=config)
    bodies = {
        DailyMessagePage: _rich_text_as_escaped_text(F("body")),
        NewsPage: _rich_text_as_escaped_text(_news_body_html()),
    }
    hits = []
    for model, body in bodies.items():
        title, summary = _escaped(F("title")), _escaped(F("summary"))
        vector = (
            SearchVector(title, weight="A", config=config)
            + SearchVector(summary, weight="B", config=config)
            + SearchVector(body, weight="C", config=config)
        )
        pages = (
            _public_pages(model, locale)
            .defer("body")
            .annotate(search_vector=vector)
            .filter(search_vector=search_query)
            .annotate(
                rank=SearchRank(F("search_vector"), search_query),
                title_html=SearchHeadline(
                    title,
                    search_query,
                    config=config,
                    start_sel="<mark>",
                    stop_sel="</mark>",
                    highlight_all=True,
                ),
                # PostgreSQL postpones this costly column until after the LIMIT.
                excerpt_html=SearchHeadline(
                    Concat(summary, Value(" "), body, output_field=TextField()),
                    search_query,
                    config=config,
                    start_sel="<mark>",
                    stop_sel="</mark>",
                    max_words=30,
                    min_words=12,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
            .order_by("-rank", "-date")[:MAX_RESULTS]
        )
        hits.extend(
            (
                page.rank,
                page.date,
                # Escaped text from _escaped/_rich_text_as_escaped_text, marked by ts_headline.
                SearchHit(page, mark_safe(page.title_html), mark_safe(page.excerpt_html)),  # noqa: S308
            )
            for page in pages
        )
    hits.sort(key=lambda hit: hit[:2], reverse=True)
    return [hit for _rank, _date, hit in hits[:MAX_RESULTS]]


# --- SQLite -------------------------------------------------------------------------------

_LETTER_VARIANTS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
# Tashkeel (fathatan … sukun, and the marks after it), superscript alef, tatweel.
_IGNORED = re.compile("[\u064b-\u065f\u0670\u0640]")


def _fold(text: str) -> tuple[str, list[int]]:
    """The text as compared, and for each of its characters the index it came from."""
    folded, origins = [], []
    for index, char in enumerate(text):
        if _IGNORED.match(char):
            continue
        for folded_char in normalize_digits(char).translate(_LETTER_VARIANTS).casefold():
            folded.append(folded_char)
            origins.append(index)
    return "".join(folded), origins


def _plain_text(rich_text: str) -> str:
    # A space before every tag keeps the words of adjacent paragraphs apart.
    return " ".join(html.unescape(strip_html(rich_text.replace("<", " <"))).split())


def _news_body_text(page: NewsPage) -> str:
    # raw_data: the stored JSON, so image and document blocks cost no query.
    parts = []
    for block in page.body.raw_data:
        if block["type"] == "paragraph":
            parts.append(_plain_text(block["value"]))
        elif block["type"] == "quote":
            parts.append(block["value"].get("text", ""))
    return " ".join(parts)


class _MatchedText:
    """A text with the spans where the query's words occur."""

    def __init__(self, text: str, words: list[str]):
        self.text = text
        folded, origins = _fold(text)
        spans = []
        for word in words:
            start = folded.find(word)
            while start != -1:
                spans.append((origins[start], self._word_end(origins[start + len(word) - 1])))
                start = folded.find(word, start + len(word))
        self.spans = _merged(spans)
        self.words_found = {word for word in words if word in folded}

    def _word_end(self, last: int) -> int:
        """Past the last matched letter and the marks (tashkeel) written on it."""
        end = last + 1
        while end < len(self.text) and _IGNORED.match(self.text[end]):
            end += 1
        return end

    def marked(self, start: int = 0, end: int | None = None) -> SafeString:
        end = len(self.text) if end is None else end
        parts, position = [], start
        for span_start, span_end in self.spans:
            if span_end <= start or span_start >= end:
                continue
            span_start, span_end = max(span_start, start), min(span_end, end)
            parts.append(escape(self.text[position:span_start]))
            parts.append(f"<mark>{escape(self.text[span_start:span_end])}</mark>")
            position = span_end
        parts.append(escape(self.text[position:end]))
        return mark_safe("".join(parts))  # noqa: S308 (every piece is escaped)

    def excerpt(self) -> SafeString:
        """About EXCERPT_CHARS around the first match, cut at spaces."""
        if len(self.text) <= EXCERPT_CHARS:
            return self.marked()
        first, first_end = self.spans[0] if self.spans else (0, 0)
        start = max(0, first - EXCERPT_CHARS // 3)
        if start:
            start = self.text.find(" ", start, first) + 1 or start
        end = self.text.rfind(" ", start, start + EXCERPT_CHARS)
        end = end if end >= first_end else min(len(self.text), start + EXCERPT_CHARS)
        before = "… " if start else ""
        after = " …" if end < len(self.text) else ""
        return mark_safe(f"{before}{self.marked(start, end)}{after}")  # noqa: S308


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _search_by_containment(query: str, locale) -> list[SearchHit]:
    words = list(dict.fromkeys(re.findall(r"\w+", _fold(query)[0])))
    candidates = [
        (page, _plain_text(page.body))
        for page in _public_pages(DailyMessagePage, locale).order_by("-date")[:SQLITE_SCAN_LIMIT]
    ] + [
        (page, _news_body_text(page))
        for page in _public_pages(NewsPage, locale).order_by("-date")[:SQLITE_SCAN_LIMIT]
    ]
    hits = []
    for page, body in candidates:
        title = _MatchedText(page.title, words)
        text = _MatchedText(f"{page.summary} {body}".strip(), words)
        if title.words_found | text.words_found != set(words):
            continue
        score = 3 * len(title.spans) + len(text.spans)
        hits.append((score, page.date, SearchHit(page, title.marked(), text.excerpt())))
    hits.sort(key=lambda hit: hit[:2], reverse=True)
    return [hit for _score, _date, hit in hits[:MAX_RESULTS]]
