"""The Palermo checklist of ``ctip.core.legal`` as the desk_review app uses it: item lookup, texts in the
reader's language, and the stored assessments turned into the core's ``ItemAssessment``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ctip.core.legal import (
    ChecklistItem,
    ChecklistSummary,
    Gap,
    ItemAssessment,
    LocalizedText,
    Status,
    default_chapters,
    default_checklist,
    gaps,
    summarise,
)
from ctip.web.desk_review.models import ChecklistAssessment

__all__ = ["ChapterInfo", "ChecklistItem", "Gap", "Status"]

# Best first: an item met by any instrument is met for the workspace.
_STATUS_RANK = {Status.MET: 3, Status.PARTLY_MET: 2, Status.NOT_MET: 1, Status.NOT_ASSESSED: 0}


@dataclass(frozen=True)
class ChapterInfo:
    key: str
    title: str


def checklist_items() -> list[ChecklistItem]:
    return default_checklist()


def checklist_codes() -> list[str]:
    return [item.code for item in default_checklist()]


def checklist_item(code: str) -> ChecklistItem | None:
    return next((item for item in default_checklist() if item.code == code), None)


def status_values() -> list[str]:
    return [status.value for status in Status]


def status_rank(status: str) -> int:
    try:
        return _STATUS_RANK[Status(status)]
    except ValueError:
        return -1


def localized(text: LocalizedText, language: str | None) -> str:
    return text.get(language or "en")


def chapter_key(item: ChecklistItem) -> str:
    return item.chapter


def chapters(language: str | None) -> list[ChapterInfo]:
    return [
        ChapterInfo(key=chapter.key, title=localized(chapter.title, language))
        for chapter in default_chapters()
    ]


def chapter_info(key: str, language: str | None) -> ChapterInfo:
    return next(
        (chapter for chapter in chapters(language) if chapter.key == key), ChapterInfo(key=key, title=key)
    )


def item_assessments(rows: Iterable[ChecklistAssessment]) -> list[ItemAssessment]:
    """The stored rows as core assessments (rows for items no longer in the checklist are left out)."""
    known = set(checklist_codes())
    return [
        ItemAssessment(
            code=row.item_code,
            status=Status(row.status),
            provision=row.provision,
            evidence=row.evidence,
            note=row.note,
        )
        for row in rows
        if row.item_code in known
    ]


def summary_of(rows: Iterable[ChecklistAssessment]) -> ChecklistSummary:
    return summarise(checklist_items(), item_assessments(rows))


def gaps_for(rows: Iterable[ChecklistAssessment]) -> dict[str, Gap]:
    """The core's gaps for these rows (one per item code at most), by item code."""
    return {gap.code: gap for gap in gaps(checklist_items(), item_assessments(rows))}
