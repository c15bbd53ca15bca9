"""Template tags for the site's shell: icons, the language switcher and portal navigation.

`{% load rifada_ui %}` in base.html, the portal shell, components and allauth overrides.
"""

import re

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.translation import get_language

register = template.Library()

# Icons that point along the line of text; they are drawn for left-to-right pages and
# mirrored by CSS in right-to-left ones.
DIRECTIONAL_ICONS = frozenset(
    {"arrow-end", "arrow-start", "chevron-end", "chevron-start", "external", "login", "logout"}
)


@register.simple_tag
def icon(name: str, label: str = "", css: str = ""):
    """{% icon "home" %} → an inline SVG from static/icons/sprite.svg.

    Without a label the icon is decoration and hidden from assistive technology; with one
    it is announced as an image with that name.
    """
    classes = " ".join(
        part for part in ("icon", "icon--flip" if name in DIRECTIONAL_ICONS else "", css) if part
    )
    href = f"{static('icons/sprite.svg')}#{name}"
    if label:
        return format_html(
            '<svg class="{}" role="img" aria-label="{}"><use href="{}"></use></svg>',
            classes,
            label,
            href,
        )
    return format_html(
        '<svg class="{}" aria-hidden="true" focusable="false"><use href="{}"></use></svg>',
        classes,
        href,
    )


_LANGUAGE_CODES = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
_LANGUAGE_PREFIX = re.compile(rf"^/(?:{_LANGUAGE_CODES})(?=/)")


@register.simple_tag(takes_context=True)
def translated_path(context, language: str) -> str:
    """The path of the page being shown, in `language`: /ar/portal/ → /en/portal/.

    Django's translate_url maps named routes; a path it cannot resolve (a 404, say) keeps
    its place and only changes the language prefix.
    """
    request = context.get("request")
    if request is None:
        return f"/{language}/"
    path = request.get_full_path()
    translated = translate_url(path, language)
    if translated == path and language != get_language():
        translated = _LANGUAGE_PREFIX.sub(f"/{language}", path, count=1)
    return translated


_SECTIONS = (
    ("account", ("portal:account",), ("account_", "mfa_", "usersessions_")),
    ("roster", (), ("roster:",)),
    ("statistics", (), ("statistics:",)),
    ("incidents", (), ("tickets_portal:",)),
    ("home", ("portal:home",), ()),
)


@register.simple_tag(takes_context=True)
def portal_section(context) -> str:
    """Which entry of the portal navigation the current page belongs to ('' for none)."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    for section, names, prefixes in _SECTIONS:
        if view_name in names or any(view_name.startswith(prefix) for prefix in prefixes):
            return section
    return ""
