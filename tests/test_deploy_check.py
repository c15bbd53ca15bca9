"""`manage.py check --deploy` with the production settings prints no warning."""

import os
import secrets
import subprocess
import sys
from urllib.parse import quote

from django.conf import settings
from django.db import connection

# Set by this test process (tests/e2e/conftest.py sets the async one); never in production.
TEST_ONLY_VARIABLES = {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def _test_database_url() -> str:
    """This run's test database: the API schema check builds querysets against it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{db['NAME']}"


def test_check_deploy_with_production_settings_prints_no_warning(db):
    env = {
        **{key: value for key, value in os.environ.items() if key not in TEST_ONLY_VARIABLES},
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "rifada.example.sa",
        "DATABASE_URL": _test_database_url(),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output, output
