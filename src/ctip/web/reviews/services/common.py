"""What every review service shares: the audit row, the version lock and the final-version guard."""

from __future__ import annotations

from typing import Any

from django.db import models

from ctip.core.errors import DomainError, ErrorCode, _
from ctip.core.review.workflow import STATUS_LABELS, VersionStatus
from ctip.web.accounts.audit import audit_record
from ctip.web.accounts.models import User
from ctip.web.accounts.records import record_values
from ctip.web.reviews.models import DeliverableVersion

__all__: list[str] = []


def audit(
    *,
    acting_user: User | None,
    instance: models.Model,
    action: str,
    before: dict[str, Any] | None = None,
    fields: list[str] | None = None,
) -> None:
    audit_record(
        acting_user=acting_user,
        workspace=instance.workspace,
        action=f"review.{action}",
        obj=instance,
        before=before,
        after=record_values(instance, fields) if fields else None,
    )


def refuse_if_final(version: DeliverableVersion, what: str) -> None:
    """Nothing about a final version changes: not its fields, not its rounds, comments or responses."""
    if version.status == VersionStatus.FINAL:
        raise DomainError(
            ErrorCode.CONFLICT,
            _(
                "Version %(number)s of %(title)s is final and frozen: %(what)s is no longer possible. Save a "
                "new version to go on: it starts as a draft."
            ),
            {"number": version.number, "title": version.title, "what": what},
        )


def refuse_if_round_settled(review_round: Any, what: str) -> None:
    """A round's comments and responses are the record a validation relied on: once its version, or a later
    version of the deliverable, is validated or final, they no longer change."""
    version = review_round.deliverable_version
    refuse_if_final(version, what)
    settled = (
        DeliverableVersion.objects.filter(
            workspace_id=version.workspace_id,
            deliverable=version.deliverable,
            subject=version.subject,
            number__gte=version.number,
            status__in=[VersionStatus.VALIDATED, VersionStatus.FINAL],
        )
        .order_by("number")
        .first()
    )
    if settled is not None:
        raise DomainError(
            ErrorCode.CONFLICT,
            _(
                "Version %(number)s of %(title)s is %(status)s and relied on this round: %(what)s is no "
                "longer possible. Save a new version and open a new round to review further changes."
            ),
            {
                "number": settled.number,
                "title": settled.title,
                "status": STATUS_LABELS[VersionStatus(settled.status)].lower(),
                "what": what,
            },
        )


def locked_version(version: DeliverableVersion) -> DeliverableVersion:
    """The stored row, locked until the end of the transaction."""
    return DeliverableVersion.objects.select_for_update().get(pk=version.pk)


def bump(instance: Any) -> None:
    from django.utils import timezone

    instance.version += 1
    instance.updated_at = timezone.now()


def actor_name(user: User | None) -> str:
    if user is None:
        return "command line"
    return user.get_full_name() or user.username
