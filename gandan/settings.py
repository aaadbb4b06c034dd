"""Gần Dân settings. Everything that differs between machines comes from the environment."""

import datetime
from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from gandan.core.env import env_bool, env_int, env_list, env_str

django_stubs_ext.monkeypatch()  # lets admin classes take type parameters at run time

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("GANDAN_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not env_bool("GANDAN_ALLOW_INSECURE_KEY", False):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it, or set DEBUG=1 (development) "
            "or GANDAN_ALLOW_INSECURE_KEY=1 (tests, demo)."
        )
    SECRET_KEY = "insecure-development-key-not-for-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "gandan.core.admin_apps.GandanAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "gandan.core",
    "gandan.geo",
    "gandan.accounts",
    "gandan.notify",
    "gandan.org",
    "gandan.indicators",
    "gandan.work",
    "gandan.cases",
    "gandan.analytics",
    "gandan.reports",
    "gandan.field",
    "gandan.api",
    "gandan.demo",
    "gandan.home",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "gandan.core.middleware.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gandan.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "gandan.accounts.middleware.SessionLimitsMiddleware",
    "gandan.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "gandan.core.middleware.NoStoreMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # django-axes: turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
    # last: it may run the view itself, on the replica (core/routing.py; a no-op without one)
    "gandan.core.routing.ReplicaReadsMiddleware",
]

ROOT_URLCONF = "gandan.urls"
WSGI_APPLICATION = "gandan.wsgi.application"
ASGI_APPLICATION = "gandan.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'gandan.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
# A national deployment reads analytics, exports and the API's GETs from a replica when its
# lag is within GANDAN_REPLICA_MAX_LAG seconds and it has this browser's own last write
# (issue 16, core/routing.py, docs/deploy.md). PgBouncer in transaction pooling wants no
# server-side cursors.
if replica_url := env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = dj_database_url.parse(replica_url, conn_max_age=0)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["gandan.core.routing.ReplicaRouter"]
if env_bool("DB_DISABLE_SERVER_SIDE_CURSORS", False):
    for database in DATABASES.values():
        database["DISABLE_SERVER_SIDE_CURSORS"] = True
GANDAN_REPLICA_MAX_LAG = float(env_str("GANDAN_REPLICA_MAX_LAG", "1"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out login before the password
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "gandan" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# Months after a case closes before its named contacts are erased (Luật 91/2025/QH15).
CASE_CONTACT_RETENTION_MONTHS = env_int("CASE_CONTACT_RETENTION_MONTHS", 12)

# The official code of the province whose administrators manage the indicator catalogue.
GANDAN_PROVINCE = env_str("GANDAN_PROVINCE", "66")

# Background tasks (ADR 0009): stored in the database, run by `gandan worker`. With
# GANDAN_TASKS_IMMEDIATE=1 (or the older GANDAN_IMPORT_SYNC=1) they run inside the request
# that enqueues them: no worker needed, but a large import holds the request.
GANDAN_TASKS_IMMEDIATE = env_bool("GANDAN_TASKS_IMMEDIATE", env_bool("GANDAN_IMPORT_SYNC", False))
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if GANDAN_TASKS_IMMEDIATE
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}
# Enqueued by the worker when due (`core.queue.periodic_enqueue`); `at` is local time.
GANDAN_PERIODIC_TASKS = [
    {
        "name": "cases.erase_contacts",
        "task": "gandan.cases.tasks.contacts_erase_task",
        "every": datetime.timedelta(days=1),
        "at": datetime.time(2, 30),
    },
    {
        "name": "work.prune_uploads",
        "task": "gandan.work.tasks.uploads_prune_task",
        "every": datetime.timedelta(days=1),
        "at": datetime.time(3, 0),
    },
    {
        "name": "home.reminders",
        "task": "gandan.home.tasks.reminders_task",
        "every": datetime.timedelta(days=1),
        "at": datetime.time(6, 30),
    },
    {
        "name": "analytics.facts_maintain",
        "task": "gandan.analytics.tasks.facts_maintain_task",
        "every": datetime.timedelta(minutes=1),
    },
]
# Email (notifications, `gandan.notify`): printed on the console unless EMAIL_HOST is set,
# then SMTP. Links in emails start with GANDAN_SITE_URL.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Gần Dân <khongtraloi@localhost>")
GANDAN_SITE_URL = env_str("GANDAN_SITE_URL", "http://127.0.0.1:8000")

# Days before rejected imports and orphaned upload files are deleted (`work.retention`).
GANDAN_UPLOAD_RETENTION_DAYS = env_int("GANDAN_UPLOAD_RETENTION_DAYS", 30)

# Import progress is shared through the cache: a file cache, so that every worker process
# of a deployment sees it (an in-memory cache is per process). No extra service needed.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
    }
}
if env_bool("GANDAN_MEMORY_CACHE", False):  # tests: nothing left behind between runs
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}

MEDIA_ROOT = Path(env_str("GANDAN_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"
# Request sizes (ADR 0010). The largest legitimate request is an activity workbook of up to
# 64 MB (`work.excel_sheet.MAX_BYTES`); the WSGI entry point refuses any request declaring a
# larger body (`GANDAN_MAX_REQUEST_MB`, default 70) before reading it (`core.serving`).
# Fields other than files: at most 12 MB in memory. Files over 2,5 MB go to a temporary file.
GANDAN_MAX_REQUEST_BYTES = env_int("GANDAN_MAX_REQUEST_MB", 70) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's default, stated

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# `collectstatic` writes gzip and Brotli copies; WhiteNoise serves them (`core.serving`).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
GANDAN_STATIC_MAX_AGE = env_int("GANDAN_STATIC_MAX_AGE", 3600)

# Accounts and login protection (ADR 0015, docs/security.md).
# django-axes: after GANDAN_LOGIN_FAILURES wrong passwords for one user name, or from one
# address, further attempts are refused for GANDAN_LOGIN_COOLOFF_MINUTES (or until an
# administrator unlocks the account on its page).
AXES_FAILURE_LIMIT = env_int("GANDAN_LOGIN_FAILURES", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("GANDAN_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "gandan.accounts.login_views.locked_out"
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False  # unlocking is on the account pages of the app
# Behind GANDAN_PROXY_COUNT reverse proxies the client's address is read from
# X-Forwarded-For (the entry the outermost proxy added); with 0, REMOTE_ADDR.
GANDAN_PROXY_COUNT = env_int("GANDAN_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "gandan.accounts.sessions.client_ip"
# Sessions: signed out after GANDAN_SESSION_IDLE_MINUTES without a request, and in any case
# GANDAN_SESSION_MAX_HOURS after signing in (gandan.accounts.middleware).
GANDAN_SESSION_IDLE_MINUTES = env_int("GANDAN_SESSION_IDLE_MINUTES", 30)
GANDAN_SESSION_MAX_HOURS = env_int("GANDAN_SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = GANDAN_SESSION_MAX_HOURS * 3600
# Two-factor (TOTP, recovery codes) for administrators and the superuser. On unless DEBUG;
# the test suite turns it off (conftest.py) except in the tests that prove it.
GANDAN_2FA_REQUIRED = env_bool("GANDAN_2FA_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = "Gần Dân"

# HTTPS: GANDAN_HTTPS=1 behind TLS turns on the secure cookies, the redirect and HSTS (each
# can still be set on its own). `gandan check --deploy` is clean with it (docs/security.md).
GANDAN_HTTPS = env_bool("GANDAN_HTTPS", False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", GANDAN_HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", GANDAN_HTTPS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if GANDAN_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", GANDAN_HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", GANDAN_HTTPS)
if env_bool("GANDAN_BEHIND_PROXY", False):  # a TLS-terminating proxy sets X-Forwarded-Proto
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
# Signed-in pages are sent with Cache-Control: no-store, except the offline entry page and
# its forms, which the field service worker must be able to keep (core.middleware).
GANDAN_NO_STORE_EXEMPT = ["/field/offline/"]

# Content Security Policy (django-csp): no inline script, no other origin. A page that needs
# an inline block (an import map) marks it with the request's nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        # Style attributes (a bar's width) cannot run script; style elements stay 'self'.
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
