"""Demo data for trying Rifada, read from `fixtures/` and loaded by `manage.py load_demo`.

Loading is idempotent: records are matched by natural key (season year, agency code, national
ID, e-mail, locale, page tree position) and written only where they differ from the files.
"""

from .loader import DEMO_PASSWORD, DemoLogin, DemoResult, load_demo_data
from .mfa import DEMO_TOTP_SECRET, current_totp_code

__all__ = [
    "DEMO_PASSWORD",
    "DEMO_TOTP_SECRET",
    "DemoLogin",
    "DemoResult",
    "current_totp_code",
    "load_demo_data",
]
