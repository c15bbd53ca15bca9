"""The one place user-supplied HTML is cleaned. Every caller shares this allow-list."""

import html
import re

import nh3
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "*": {"dir", "lang"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Typed text needs one round, text pasted from a web page two; each nesting of "&amp;" takes
# one more, and the rounds are bounded so huge nested input cannot keep the server busy.
PLAIN_TEXT_ROUNDS = 10


def clean_html(value: str) -> str:
    """Keep only the allowed markup; links get rel="noopener noreferrer"."""
    return nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def strip_html(value: str) -> str:
    """Plain text: every tag removed, entities kept escaped."""
    return nh3.clean(value or "", tags=set())


def plain_text(value: str) -> str:
    """Text typed by the public, stored without any markup and without escaping: tags and the
    content of scripts and styles go; entities are decoded, and decoded text is cleaned again
    so "&lt;script&gt;" cannot turn into a tag."""
    text = value or ""
    for _round in range(PLAIN_TEXT_ROUNDS):
        cleaned = html.unescape(nh3.clean(text, tags=set()))
        if cleaned == text:
            return text.strip()
        text = cleaned
    # Still decoding into markup: an attempt to smuggle a tag through nested entities. Keep
    # the words, drop every character markup is made of.
    return re.sub(r"[<>&]", "", text).strip()


def validate_plain_text(value: str) -> None:
    """For names and other plain-text fields: markup is refused, not silently stored."""
    if value and nh3.is_html(value):
        raise ValidationError(
            _("Enter plain text: HTML tags such as <b> or <script> are not allowed."),
            code="markup",
        )
