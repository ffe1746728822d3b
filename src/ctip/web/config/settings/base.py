"""Settings shared by every environment. Values come from the environment (see docs/settings.md)."""

from __future__ import annotations

import secrets
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

WEB_DIR = Path(__file__).resolve().parents[2]

env = environ.Env()

VAR_DIR = Path(env.str("CTIP_VAR_DIR", default=str(Path.cwd() / "var"))).resolve()


def development_secret_key() -> str:
    """A secret generated once into var/secret_key, so development sessions survive restarts."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


DEBUG = False
ALLOWED_HOSTS = env.list("CTIP_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CTIP_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "ctip.web.accounts",
    "ctip.web.shell",
    "ctip.web.stakeholders",
    "ctip.web.desk_review",
    "ctip.web.meetings",
    "ctip.web.inception",
    "ctip.web.tna",
    "ctip.web.qualitative",
    "ctip.web.needs",
    "ctip.web.planning",
    "ctip.web.monitoring",
    "ctip.web.trainings",
    "ctip.web.nap",
    "ctip.web.reviews",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ctip.web.config.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ctip.web.accounts.middleware.WorkspaceGateMiddleware",
    "ctip.web.config.request_limits.RequestSizeLimitMiddleware",
    "ctip.web.api_errors.ApiJsonErrorsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "ctip.web.config.urls"
WSGI_APPLICATION = "ctip.web.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ctip.web.shell.context_processors.shell",
            ],
        },
    }
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'ctip.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CTIP_DB_CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded database serves many writers at once (a room of participants answering a test on their
    # phones): writers take the lock when their transaction begins and wait up to 20 s for it instead of
    # failing with "database is locked"; WAL lets readers go on while one writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [WEB_DIR / "locale"]
TIME_ZONE = env.str("CTIP_TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"

EMAIL_BACKEND = env.str("CTIP_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("CTIP_DEFAULT_FROM_EMAIL", default="C-TIP Planner <noreply@localhost>")
if env.str("CTIP_EMAIL_URL", default=""):
    globals().update(env.email_url("CTIP_EMAIL_URL"))  # EMAIL_HOST, EMAIL_PORT, EMAIL_USE_TLS, …
# The address people open the app at, for links in emails sent outside a request (review notifications).
CTIP_SITE_URL = env.str("CTIP_SITE_URL", default="http://localhost:8000").rstrip("/")

# Uploads are size-limited from the start; importers check CTIP_MAX_UPLOAD_MB with a clear message.
CTIP_MAX_UPLOAD_MB = env.int("CTIP_MAX_UPLOAD_MB", default=20)
DATA_UPLOAD_MAX_MEMORY_SIZE = CTIP_MAX_UPLOAD_MB * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Login throttling: after this many failures for one username or one address within the window, refuse.
CTIP_LOGIN_MAX_FAILURES = env.int("CTIP_LOGIN_MAX_FAILURES", default=5)
CTIP_LOGIN_WINDOW_MINUTES = env.int("CTIP_LOGIN_WINDOW_MINUTES", default=15)

CTIP_CONTENT_SECURITY_POLICY = env.str(
    "CTIP_CONTENT_SECURITY_POLICY",
    default=(
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; "
        "object-src 'none'"
    ),
)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("CTIP_LOG_LEVEL", default="WARNING")},
}
