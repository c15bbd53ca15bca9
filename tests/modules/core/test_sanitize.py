from modules.core.sanitize import clean_html, strip_html


def test_script_and_event_handlers_are_removed():
    cleaned = clean_html('<p onclick="x()">مرحبا<script>alert(1)</script></p>')
    assert cleaned == "<p>مرحبا</p>"


def test_javascript_links_are_dropped_and_rel_added():
    cleaned = clean_html('<a href="javascript:alert(1)">x</a><a href="https://hcm.sa">y</a>')
    assert "javascript" not in cleaned
    assert 'rel="noopener noreferrer"' in cleaned


def test_direction_attributes_survive():
    assert clean_html('<p dir="rtl" lang="ar">نص</p>') == '<p dir="rtl" lang="ar">نص</p>'


def test_strip_html_leaves_text():
    assert strip_html("<b>bold</b> &amp; plain") == "bold &amp; plain"


def test_plain_text_fields_refuse_markup_but_not_ampersands_or_less_than():
    import pytest
    from django.core.exceptions import ValidationError

    from modules.core.sanitize import validate_plain_text

    for ok in ("محمد الحربي", "Tom & Jerry", "a < b", ""):
        validate_plain_text(ok)
    for bad in ("<script>alert(1)</script>", "<b>name</b>", "x<img src=x onerror=alert(1)>"):
        with pytest.raises(ValidationError):
            validate_plain_text(bad)
