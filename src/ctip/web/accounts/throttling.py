"""Login throttling: too many failed sign-ins for one username, or from one address, within a window
block further attempts until the window has passed. Stored in the database so that every worker process
sees the same count."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ctip.web.accounts.models import LoginFailure


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=settings.CTIP_LOGIN_WINDOW_MINUTES)


def login_blocked_minutes(*, username: str, address: str | None) -> int:
    """Minutes until another attempt is allowed, or 0 when attempts are allowed now."""
    limit = settings.CTIP_LOGIN_MAX_FAILURES
    recent = LoginFailure.objects.filter(at__gte=_window_start())
    for failures in (
        recent.filter(username__iexact=username.strip()),
        recent.filter(address=address) if address else LoginFailure.objects.none(),
    ):
        if failures.count() >= limit:
            oldest_counted = failures.order_by("-at")[limit - 1].at
            unblock = oldest_counted + dt.timedelta(minutes=settings.CTIP_LOGIN_WINDOW_MINUTES)
            return max(1, int((unblock - timezone.now()).total_seconds() // 60) + 1)
    return 0


def login_failure_record(*, username: str, address: str | None) -> None:
    LoginFailure.objects.create(username=username.strip()[:150], address=address)
    LoginFailure.objects.filter(at__lt=timezone.now() - dt.timedelta(days=1)).delete()


def login_failures_clear(*, username: str) -> None:
    LoginFailure.objects.filter(Q(username__iexact=username.strip())).delete()


def client_address(meta: dict[str, str]) -> str | None:
    return meta.get("REMOTE_ADDR") or None
