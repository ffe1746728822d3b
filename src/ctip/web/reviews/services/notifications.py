"""Email to the people a review concerns: reviewers when a round opens (one message each), authors when
comments arrive and reviewers when their comments get a response — gathered into one digest per person
rather than one email per comment."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from ctip.web.accounts.models import User, Workspace
from ctip.web.reviews.models import PendingNotification

__all__ = ["notification_queue", "notifications_send_digest", "notify_now"]


def notification_queue(
    *,
    workspace: Workspace,
    recipient: User | None,
    kind: str,
    template: str,
    params: Mapping[str, object],
    url: str = "",
) -> PendingNotification | None:
    """Keep one line for the recipient's next digest, written in the recipient's language (``params`` may
    hold lazy translations); nothing for a user without an email address."""
    if recipient is None or not recipient.email or not recipient.is_active:
        return None
    with translation.override(_language(recipient, workspace)):
        line = gettext(template) % {name: str(value) for name, value in params.items()}
    return PendingNotification.objects.create(
        workspace=workspace, recipient=recipient, kind=kind, line=line, url=url
    )


def _language(user: User, workspace: Workspace) -> str:
    languages = [code for code, _name in settings.LANGUAGES]
    for candidate in (user.preferred_language, *(workspace.languages or [])):
        if candidate in languages:
            return candidate
    return settings.LANGUAGE_CODE


def notify_now(*, workspace: Workspace, recipient: User, subject: str, body: str) -> bool:
    """Send one message at once (a round opened: the reviewer needs it today), after the transaction."""
    if not recipient.email or not recipient.is_active:
        return False

    def send() -> None:
        send_mail(subject, body, None, [recipient.email], fail_silently=True)

    transaction.on_commit(send)
    return True


def notifications_send_digest(*, now: dt.datetime | None = None) -> int:
    """Send every waiting line, one email per person and workspace; returns the number of emails sent.

    Run it from a scheduler (``ctip reviews digest``, e.g. hourly); lines are marked sent only with their
    email, so a failure leaves them for the next run."""
    moment = now or timezone.now()
    waiting = (
        PendingNotification.objects.filter(sent_at__isnull=True, created_at__lte=moment)
        .select_related("recipient", "workspace")
        .order_by("created_at", "id")
    )
    groups: dict[tuple[int, int], list[PendingNotification]] = defaultdict(list)
    for item in waiting:
        groups[(item.recipient_id, item.workspace_id)].append(item)
    sent = 0
    for items in groups.values():
        recipient, workspace = items[0].recipient, items[0].workspace
        with translation.override(_language(recipient, workspace)):
            subject = ngettext(
                "%(workspace)s: %(count)s review update",
                "%(workspace)s: %(count)s review updates",
                len(items),
            ) % {"workspace": workspace.name, "count": len(items)}
            lines = [
                gettext("Hello %(name)s,") % {"name": recipient.get_full_name() or recipient.username},
                "",
            ]
            lines.append(gettext("Here is what happened in the review since the last message:"))
            lines.append("")
            for item in items:
                lines.append(f"- {item.line}")
                if item.url:
                    lines.append(f"  {item.url}")
            lines += ["", gettext("— C-TIP Planner")]
        delivered = send_mail(subject, "\n".join(lines), None, [recipient.email], fail_silently=True)
        if delivered:
            PendingNotification.objects.filter(pk__in=[item.pk for item in items]).update(
                sent_at=timezone.now()
            )
            sent += 1
    return sent
