import datetime
import html
import json
import re

from django import forms
from django.utils import translation

from modules.core.hijri import HIJRI_MONTHS, format_hijri
from modules.core.widgets import HijriDateInput

DAY = datetime.date(2026, 5, 27)


class DayForm(forms.Form):
    day = forms.DateField(widget=HijriDateInput())


def _hijri_text(rendered: str) -> str:
    return html.unescape(re.search(r"<output[^>]*>(.*?)</output>", rendered).group(1))


def test_shows_the_umm_al_qura_date_beside_the_gregorian_input():
    with translation.override("ar"):
        rendered = str(DayForm(initial={"day": DAY})["day"])
        expected = format_hijri(DAY)
    assert 'type="date"' in rendered
    assert 'value="2026-05-27"' in rendered
    assert _hijri_text(rendered) == expected
    assert expected.endswith("هـ") and "1447" in expected


def test_english_and_the_month_names_for_the_live_update():
    with translation.override("en"):
        rendered = str(DayForm(initial={"day": DAY})["day"])
        assert _hijri_text(rendered) == format_hijri(DAY)
        months = re.search(r'data-hijri-months="([^"]*)"', rendered).group(1)
        assert json.loads(html.unescape(months)) == [str(month) for month in HIJRI_MONTHS]
    assert 'data-hijri-arabic="0"' in rendered


def test_a_submitted_value_is_shown_again_with_its_hijri_date():
    with translation.override("en"):
        bound = DayForm(data={"day": "2026-05-27"})
        assert bound.is_valid()
        assert _hijri_text(str(bound["day"])) == format_hijri(DAY)


def test_empty_and_unreadable_values_show_no_hijri_date():
    assert _hijri_text(str(DayForm()["day"])) == ""
    bound = DayForm(data={"day": "27/13/2026"})
    assert not bound.is_valid()
    rendered = str(bound["day"])
    assert 'value="27/13/2026"' in rendered
    assert _hijri_text(rendered) == ""
