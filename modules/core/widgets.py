"""Form widgets shared by the admin and the portal."""

import datetime
import json

from django import forms
from django.utils.dateparse import parse_date
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .hijri import HIJRI_MONTHS, format_hijri

# Recomputes the Hijri date as the person picks a Gregorian one, with the browser's own
# Umm al-Qura calendar; the month names come from `hijri.py`, so the text is the
# same the server renders. Without JavaScript the server's text for the last value stays.
_LIVE_UPDATE = mark_safe(  # noqa: S308 - a constant script, no user input
    """<script>(function () {
  if (window.rifadaDualDate) return;
  window.rifadaDualDate = true;
  var parts = new Intl.DateTimeFormat("en-u-ca-islamic-umalqura-nu-latn",
    {day: "numeric", month: "numeric", year: "numeric", timeZone: "UTC"});
  document.addEventListener("input", function (event) {
    var input = event.target;
    var box = input.closest && input.closest("[data-hijri-months]");
    if (!box || input.type !== "date") return;
    var output = box.querySelector("output");
    if (!input.value) { output.textContent = ""; return; }
    var found = {};
    parts.formatToParts(new Date(input.value + "T00:00:00Z")).forEach(function (part) {
      found[part.type] = part.value;
    });
    var months = JSON.parse(box.dataset.hijriMonths);
    var text = parseInt(found.day, 10) + " " + months[parseInt(found.month, 10) - 1] + " "
      + parseInt(found.year, 10);
    if (box.dataset.hijriArabic === "1") {
      text += " هـ";
    }
    output.textContent = text;
  });
})();</script>"""
)


class HijriDateInput(forms.DateInput):
    """A Gregorian date input with the Umm al-Qura Hijri date shown beside it."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")

    @staticmethod
    def _as_date(value) -> datetime.date | None:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            try:
                return parse_date(value.strip())
            except ValueError:
                return None
        return None

    def render(self, name, value, attrs=None, renderer=None):
        date_input = super().render(name, value, attrs, renderer)
        months = json.dumps([str(month) for month in HIJRI_MONTHS], ensure_ascii=False)
        arabic = "1" if (get_language() or "ar").startswith("ar") else "0"
        return format_html(
            '<span class="rifada-dual-date" data-hijri-months="{}" data-hijri-arabic="{}">'
            "{}"
            ' <output class="rifada-dual-date__hijri" aria-live="polite">{}</output>'
            "{}"
            "</span>",
            months,
            arabic,
            date_input,
            format_hijri(self._as_date(value)),
            _LIVE_UPDATE,
        )
