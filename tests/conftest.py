import pytest
from django.core.cache.backends.db import DatabaseCache

from cms.base.cache import invalidate, page_cache

pytest_plugins = ["tests.support.fixtures", "tests.support.pages", "tests.support.servers"]


@pytest.fixture(autouse=True)
def _media_and_language(settings):
    settings.LANGUAGE_CODE = "ar"


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """Pages cached by an earlier test must not be served to this one. A database cache is
    rolled back with the test's transaction; Redis outlives it."""
    if not isinstance(page_cache(), DatabaseCache):
        invalidate()
