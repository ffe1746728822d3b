"""Production: everything secure by default; passes ``manage.py check --deploy`` with no warnings.

Required: CTIP_SECRET_KEY (at least 50 characters), CTIP_ALLOWED_HOSTS, DATABASE_URL (PostgreSQL).
"""

from django.core.exceptions import ImproperlyConfigured

from ctip.web.config.settings.base import *  # noqa: F403
from ctip.web.config.settings.base import env

DEBUG = False
SECRET_KEY = env.str("CTIP_SECRET_KEY", default="")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "CTIP_SECRET_KEY must be set to a random string of at least 50 characters in production, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
ALLOWED_HOSTS = env.list("CTIP_ALLOWED_HOSTS")

SECURE_SSL_REDIRECT = env.bool("CTIP_SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("CTIP_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_AGE = env.int("CTIP_SESSION_SECONDS", default=8 * 3600)
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CTIP_DB_CONN_MAX_AGE", default=60)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
