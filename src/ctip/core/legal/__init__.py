"""Legal desk review: national counter-trafficking law checked against international standards."""

from ctip.core.legal.checklist import (
    Chapter,
    ChapterSummary,
    ChecklistItem,
    ChecklistSummary,
    Gap,
    ItemAssessment,
    LocalizedText,
    Status,
    StatusCounts,
    default_chapters,
    default_checklist,
    gaps,
    parse_checklist,
    summarise,
)

__all__ = [
    "Chapter",
    "ChapterSummary",
    "ChecklistItem",
    "ChecklistSummary",
    "Gap",
    "ItemAssessment",
    "LocalizedText",
    "Status",
    "StatusCounts",
    "default_chapters",
    "default_checklist",
    "gaps",
    "parse_checklist",
    "summarise",
]
