"""Small text normalisations shared by every form and import."""

import unicodedata

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def normalize_digits(value: str) -> str:
    """Arabic-Indic and Persian digits become ASCII digits; other text is unchanged."""
    return value.translate(_DIGITS)


def clean_text(value: str) -> str:
    """NFC-normalised, digits left as typed, outer whitespace stripped."""
    return unicodedata.normalize("NFC", value).strip()
