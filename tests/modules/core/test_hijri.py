import datetime

from django.template import Context, Template
from django.utils import translation

from modules.core.hijri import format_dual, format_hijri, hijri_year_bounds, to_hijri


def test_umm_al_qura_conversion_of_a_known_day():
    # 1 Muharram 1447 fell on 26 June 2025 in the Umm al-Qura calendar.
    hijri = to_hijri(datetime.date(2025, 6, 26))
    assert (hijri.year, hijri.month, hijri.day) == (1447, 1, 1)


def test_hijri_year_bounds():
    first, last = hijri_year_bounds(1447)
    assert first == datetime.date(2025, 6, 26)
    assert to_hijri(last).year == 1447
    assert to_hijri(last + datetime.timedelta(days=1)).year == 1448


def test_arabic_format_uses_the_arabic_month_name_and_era():
    with translation.override("ar"):
        text = format_hijri(datetime.date(2025, 6, 26))
    assert text == "1 محرم 1447 هـ"


def test_english_format_and_dual():
    with translation.override("en"):
        assert format_hijri(datetime.date(2025, 6, 26)) == "1 Muharram 1447"
        dual = format_dual(datetime.date(2025, 6, 26))
    assert dual.startswith("1 Muharram 1447")
    assert "2025" in dual


def test_template_filters_are_builtin():
    rendered = Template("{{ day|hijri }}|{{ none|hijri_dual }}").render(
        Context({"day": datetime.date(2025, 6, 26), "none": None})
    )
    assert "1447" in rendered
    assert rendered.endswith("|")
