"""Development defaults that just work: SQLite under var/, a secret generated once, console email."""

from ctip.web.config.settings.base import *  # noqa: F403
from ctip.web.config.settings.base import development_secret_key, env

DEBUG = env.bool("CTIP_DEBUG", default=True)
SECRET_KEY = env.str("CTIP_SECRET_KEY", default="") or development_secret_key()
