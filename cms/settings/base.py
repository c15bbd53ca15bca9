"""Settings shared by every environment; everything that varies comes from the environment."""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "cms"
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    "modules.core",
    "modules.accounts",
    "modules.agencies",
    "modules.notifications",
    "modules.audit",
    "modules.portal",
    "modules.statistics",
    "modules.tickets",
    "cms.base",
    "cms.home",
    "cms.daily_messages",
    "cms.news",
    "cms.pages",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "modules.accounts.apps.RifadaUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_q",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "allauth.headless",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions: a cached page is served without any session, user or site lookup.
    "cms.base.cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "modules.core.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "modules.accounts.middleware.AdminAccessMiddleware",
    "modules.audit.middleware.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"
ASGI_APPLICATION = "cms.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
            "builtins": ["modules.core.templatetags.rifada"],
        },
    },
]

# --- Data -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES["default"]["ENGINE"] = "cms.sqlite"
    # WAL lets the web server and the worker write the same file without "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            # Read-then-write transactions (update_or_create, the scheduler's
            # select_for_update) take the write lock at BEGIN, so they wait for another
            # writer instead of failing at once with "database is locked".
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
# Three caches, kept apart so one cannot evict another's entries: `default` (login rate
# limits, scheduler locks), `public_pages` (cms/base/cache.py) and `renditions` (Wagtail
# keeps every image rendition it hands out there; without an alias of that name it would
# write them to `default` on each render).
if REDIS_URL:
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
        for alias, prefix in (("default", ""), ("public_pages", "pages"), ("renditions", "rnd"))
    }
else:
    CACHES = {
        # A database table, not process memory: login rate limits must hold across every
        # process, and a page invalidated by one process must be gone for all of them.
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "rifada_cache",
        },
        "public_pages": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "rifada_page_cache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
        # Renditions never change once made, so a per-process memory cache is safe.
        "renditions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }

# --- Accounts ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["modules.accounts.backends.AuthenticationBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:home"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

ACCOUNT_ADAPTER = "modules.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {
    "login_failed": env("LOGIN_FAILED_RATE_LIMIT", default="10/m/ip,5/5m/key"),
    "login": "30/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", default="Rifada")
HEADLESS_CLIENTS = ("app",)
HEADLESS_ONLY = False
USERSESSIONS_TRACK_ACTIVITY = False
INVITATION_VALID_DAYS = 7
# Invitation links are allauth password-reset links, so they share this lifetime.
PASSWORD_RESET_TIMEOUT = INVITATION_VALID_DAYS * 24 * 60 * 60

# --- Wagtail ----------------------------------------------------------------------------
WAGTAIL_SITE_NAME = _("Rifada")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_I18N_ENABLED = True
# Deadlines, working hours and Hijri days are Riyadh time; no admin account may pick another.
WAGTAIL_USER_TIME_ZONES = ["Asia/Riyadh"]
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
# No avatars from gravatar.com: the platform runs on an intranet and calls no outside service.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_PERMITTED_LANGUAGES = [("ar", "العربية"), ("en", "English")]
# The pages API pages like /api/v1/ (DRF PAGE_SIZE).
WAGTAILAPI_LIMIT_MAX = 50
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail 8 queues its own background work (reference index, search index, image renditions)
# through django-tasks. We run it with the immediate backend on purpose: the work is small,
# it must be done before the editor sees the result, and a second queue beside django-q2
# would be one more process to deploy and watch for no gain.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- Language and time ------------------------------------------------------------------
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", "العربية"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Riyadh"
USE_I18N = True
USE_TZ = True
# Our Arabic number format (cms/formats/ar): Latin digits grouped by commas, a decimal point.
FORMAT_MODULE_PATH = ["cms.formats"]
LANGUAGE_COOKIE_NAME = "rifada_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and media -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
IMPORT_MAX_ROWS = 5000

# --- Public page cache ------------------------------------------------------------------
# How long an anonymous visitor's page may be served from the cache (cms/base/cache.py).
# Publishing invalidates at once; the timeout bounds what changes without a publish, such as
# "today's message" at midnight. 0 turns the cache off.
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=300)
# The CACHES alias the pages are kept in.
PUBLIC_PAGE_CACHE_ALIAS = "public_pages"

# --- APIs -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "allauth.headless.contrib.rest_framework.authentication.XSessionTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Rifada API",
    "DESCRIPTION": "Agency data for the committee's tablet and phone apps.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "PREPROCESSING_HOOKS": ["cms.api_router.only_api_v1"],
    # Swagger UI and ReDoc from the installed sidecar package, not a CDN: the site runs on an
    # intranet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Swagger UI otherwise sends the schema's address to validator.swagger.io for a badge.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    # Indicators aggregate over days and over agencies with the same choices: one enum.
    "ENUM_NAME_OVERRIDES": {
        "AggregationEnum": "modules.statistics.models.Aggregation",
        "KindEnum": "modules.agencies.models.AgencyKind",
        "StatusEnum": "modules.statistics.models.ReportStatus",
        "TicketStatusEnum": "modules.tickets.models.Status",
        "TicketEventKindEnum": "modules.tickets.models.EventKind",
        "LandmarkKindEnum": "modules.tickets.models.LandmarkKind",
    },
}

# --- Background jobs --------------------------------------------------------------------
Q_CLUSTER = {
    "name": "rifada",
    "orm": "default",
    "workers": env.int("Q_WORKERS", default=2),
    "timeout": 120,
    "retry": 180,
    "max_attempts": 5,
    "ack_failures": True,
    "save_limit": 1000,
    "catch_up": False,
    "poll": 1,
    "label": _("Background jobs"),
}
WORKER_HEARTBEAT_MAX_AGE = 120

# --- Notifications ----------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Rifada <no-reply@rifada.local>")
NOTIFICATIONS = {
    "SMS_BACKEND": env("SMS_BACKEND", default="modules.notifications.backends.ConsoleSmsBackend"),
    "SMS_GATEWAY_URL": env("SMS_GATEWAY_URL", default=""),
    "SMS_GATEWAY_AUTH_HEADER": env("SMS_GATEWAY_AUTH_HEADER", default=""),
    "SMS_SENDER_ID": env("SMS_SENDER_ID", default="Rifada"),
    "SMS_BODY_TEMPLATE": env(
        "SMS_BODY_TEMPLATE",
        default='{"from": "{sender}", "to": "{to}", "text": "{text}"}',
    ),
    "SMS_ID_FIELD": env("SMS_ID_FIELD", default="id"),
    "SMS_ERROR_FIELD": env("SMS_ERROR_FIELD", default="error"),
    "SMS_TIMEOUT": env.float("SMS_TIMEOUT", default=10),
    "SENDING_TIMEOUT_SECONDS": env.int("NOTIFICATION_SENDING_TIMEOUT", default=600),
    "REQUEUE_AFTER_SECONDS": env.int("NOTIFICATION_REQUEUE_AFTER", default=300),
    "MAX_ATTEMPTS": env.int("NOTIFICATION_MAX_ATTEMPTS", default=3),
    "RETRY_DELAY_SECONDS": env.int("NOTIFICATION_RETRY_DELAY", default=60),
}
# How long before a daily form's deadline agencies that have not submitted are reminded.
STATISTICS_REMINDER_HOURS = env.int("STATISTICS_REMINDER_HOURS", default=3)

# --- Operations room --------------------------------------------------------------------
# A tile server for the maps, e.g. "https://tiles.example.sa/{z}/{x}/{y}.png". Empty by
# default: the room may have no internet, and the pages then show lists with coordinates.
TICKETS_MAP_TILES = env("TICKETS_MAP_TILES", default="")
TICKETS_MAP_ATTRIBUTION = env("TICKETS_MAP_ATTRIBUTION", default="")
TICKETS_MAP_CENTER = (24.4672, 39.6111)  # Al-Masjid an-Nabawi, Madinah
# Public reports per address (django-ratelimit's "count/period"), on the site and the API.
TICKETS_PUBLIC_RATE = env("TICKETS_PUBLIC_RATE", default="5/h")
TICKETS_MAX_UPLOAD_BYTES = env.int("TICKETS_MAX_UPLOAD_BYTES", default=8 * 1024 * 1024)
# Behind a proxy, the header holding the client's address (e.g. "HTTP_X_FORWARDED_FOR").
RATELIMIT_IP_META_KEY = env("RATELIMIT_IP_META_KEY", default=None)

# --- Logging ----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
MFA_REQUIRED_FOR_COMMITTEE = env.bool("MFA_REQUIRED_FOR_COMMITTEE", default=True)
