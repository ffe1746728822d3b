"""Production settings pass Django's deployment checklist with no warnings at all."""

import os
import secrets
import subprocess
import sys

import pytest


def run_check(**environment):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ctip.web.config.settings.production",
        "CTIP_ALLOWED_HOSTS": "ctip.example.org",
        "DATABASE_URL": "sqlite:////tmp/ctip-deploy-check.sqlite3",
        **environment,
    }
    # The browser tests set this in the test process; it must never reach production.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_prints_no_warnings():
    result = run_check(CTIP_SECRET_KEY=secrets.token_urlsafe(60))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr


@pytest.mark.parametrize("secret", ["", "short"])
def test_production_refuses_a_missing_or_weak_secret_key(secret):
    result = run_check(CTIP_SECRET_KEY=secret)
    assert result.returncode != 0
    assert "CTIP_SECRET_KEY must be set" in result.stderr
