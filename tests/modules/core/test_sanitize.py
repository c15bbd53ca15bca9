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
