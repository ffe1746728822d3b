"""Settings for the test suite: the database comes from DATABASE_URL (SQLite by default)."""

from ctip.web.config.settings.base import *  # noqa: F403
from ctip.web.config.settings.base import env

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-deployment-0123456789abcdefghijklmnopqrstuvwxyz"
DATABASES = {"default": env.db_url("DATABASE_URL", default="sqlite:///:memory:")}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = None  # type: ignore[assignment]  # WhiteNoise serves from the finders in tests
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
