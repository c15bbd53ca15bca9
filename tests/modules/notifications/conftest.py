import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _errors_in_english():
    """Sending records its own error texts in the active language (Arabic by default); the
    assertions here read the English originals, whatever the Arabic catalog holds."""
    with translation.override("en"):
        yield
