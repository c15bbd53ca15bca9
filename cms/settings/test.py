"""Fast, deterministic settings for `make test`; the database is still a real one."""

from .base import *  # noqa: F403
from .base import DATABASES, NOTIFICATIONS, Q_CLUSTER, VAR_DIR, env

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Memory by default; a second process (the worker-restart test) is pointed at a real SMTP
# server through TEST_EMAIL_BACKEND, which a developer's .env does not set by accident.
EMAIL_BACKEND = env("TEST_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
Q_CLUSTER = {**Q_CLUSTER, "sync": env.bool("Q_SYNC", default=True)}
NOTIFICATIONS = {**NOTIFICATIONS, "RETRY_DELAY_SECONDS": 0}
ALLOWED_HOSTS = ["*"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if DATABASES["default"]["ENGINE"] == "cms.sqlite":
    # A file, not memory: tests that start a second process (rate limits, browser) share it.
    DATABASES["default"]["TEST"] = {
        "NAME": env("TEST_SQLITE_NAME", default=str(VAR_DIR / "test.sqlite3"))
    }
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
