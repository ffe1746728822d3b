"""The deliverables that go through review and validation, as a registry: each says how to list the ones a
workspace has and how to take the snapshot of one's structured content (a list of
:class:`ctip.core.review.diff.Element`). The built-ins (inception report, TNA report, capacity plan, NAP)
register in :meth:`ctip.web.reviews.apps.ReviewsConfig.ready` the same way an extension would."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.utils.functional import Promise

from ctip.core.errors import DomainError, ErrorCode, _
from ctip.core.review.diff import Element
from ctip.formats.charts import pictures_skipped
from ctip.web.accounts.models import Workspace


@dataclass(frozen=True)
class Deliverable:
    kind: str
    """One of ``ctip.web.reviews.models.DELIVERABLE_CHOICES`` (or an extension's own)."""
    label: Promise | str
    subjects: Callable[[Workspace], list[tuple[str, str]]]
    """``(subject, title)`` of each one the workspace has: ``[("", title)]`` for a deliverable a workspace
    has once (a report), a NAP's UUID for each plan; empty when there is nothing to review yet."""
    elements: Callable[[Workspace, str], list[Element]]
    """The snapshot of the live content of ``subject``: ids stable across edits, JSON values in fields."""
    edit_url_name: str
    """The workspace URL name of the page where the content is edited (``nap-home``, …)."""
    kind_labels: Mapping[str, Promise | str] = field(default_factory=dict)
    """Element kind → what people call it ("activity" → "Activity")."""
    field_labels: Mapping[str, Promise | str] = field(default_factory=dict)
    """Field name → what people call it ("unit_cost" → "Unit cost")."""


_REGISTRY: dict[str, Deliverable] = {}


def deliverable_register(deliverable: Deliverable) -> None:
    _REGISTRY[deliverable.kind] = deliverable


def deliverable_get(kind: str) -> Deliverable:
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            _("“%(kind)s” is not a deliverable that can be reviewed: use one of %(known)s."),
            {"kind": kind, "known": ", ".join(sorted(_REGISTRY))},
        ) from None


def deliverables() -> list[Deliverable]:
    return list(_REGISTRY.values())


def deliverable_snapshot(deliverable: Deliverable, workspace: Workspace, subject: str) -> list[Element]:
    """The live content's elements. A report's charts are not drawn: a snapshot keeps their captions only,
    and drawing them would cost seconds on every overview page."""
    with pictures_skipped():
        return deliverable.elements(workspace, subject)
