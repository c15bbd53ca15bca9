import pytest

pytest_plugins = ["tests.support.fixtures", "tests.support.pages", "tests.support.servers"]


@pytest.fixture(autouse=True)
def _media_and_language(settings):
    settings.LANGUAGE_CODE = "ar"
