"""Legal gap analysis: national law scored against the Palermo Protocol checklist (DOMAIN.md §3).

The default template (``palermo_checklist.json``, package data) lists 20 items in four chapters, in
English and French. Each item gets an :class:`ItemAssessment` (a :class:`Status`, the national provision
that meets it, evidence and a note). :func:`summarise` counts statuses and scores each chapter;
:func:`gaps` lists what is not met or only partly met, for the action plan and the training plan.

Score = (met + ½ × partly met) / assessed items, where “assessed” leaves out ``not_assessed``; it is
``None`` when nothing has been assessed, so that “not looked at yet” never reads as 0%.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _

TEMPLATE_FILE = "palermo_checklist.json"
DEFAULT_ITEM_COUNT = 20
LANGUAGES = ("en", "fr")


class Status(StrEnum):
    MET = "met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"
    NOT_ASSESSED = "not_assessed"


@dataclass(frozen=True)
class LocalizedText:
    """The same text in English and French."""

    en: str
    fr: str

    def get(self, language: str) -> str:
        """The text in ``language`` (``"fr"``, ``"fr-MU"`` …), English otherwise."""
        return self.fr if language.lower().startswith("fr") else self.en


@dataclass(frozen=True)
class Chapter:
    key: str
    title: LocalizedText


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    chapter: str
    title: LocalizedText
    requirement: LocalizedText
    references: tuple[str, ...]
    guidance: LocalizedText


@dataclass(frozen=True)
class ItemAssessment:
    code: str
    status: Status
    provision: str = ""
    evidence: str = ""
    note: str = ""


@dataclass(frozen=True)
class StatusCounts:
    met: int
    partly_met: int
    not_met: int
    not_assessed: int
    assessed: int
    """Items with a status other than ``not_assessed``."""
    total: int
    score: float | None
    """(met + 0.5 × partly_met) / assessed, or ``None`` when ``assessed`` is 0."""


@dataclass(frozen=True)
class ChapterSummary:
    chapter: str
    counts: StatusCounts


@dataclass(frozen=True)
class ChecklistSummary:
    chapters: tuple[ChapterSummary, ...]
    """In the order the chapters first appear among the items."""
    overall: StatusCounts


@dataclass(frozen=True)
class Gap:
    code: str
    chapter: str
    title: LocalizedText
    status: Status
    provision: str
    evidence: str
    note: str


# ---------------------------------------------------------------------------------------------------
# Reading a template


def _text(value: object, location: str, problems: list[FieldProblem]) -> LocalizedText:
    texts: dict[str, str] = {}
    for language in LANGUAGES:
        text = value.get(language) if isinstance(value, Mapping) else None
        if isinstance(text, str) and text.strip():
            texts[language] = text.strip()
        else:
            problems.append(
                FieldProblem(
                    f"{location}.{language}",
                    _("The text in “%(language)s” is missing or empty: write it in that language."),
                    {"language": language},
                )
            )
            texts[language] = ""
    return LocalizedText(en=texts["en"], fr=texts["fr"])


def _key(value: object, location: str, template: str, problems: list[FieldProblem]) -> str:
    if isinstance(value, str) and value.strip():
        return value.strip()
    problems.append(FieldProblem(location, template, {"value": value}))
    return ""


def parse_checklist(data: object) -> tuple[list[Chapter], list[ChecklistItem]]:
    """Read a checklist template (the shape of ``palermo_checklist.json``) and check it: every chapter
    and item has a key, every text exists in English and French, codes are unique, every item names a
    declared chapter and cites at least one reference. All problems are reported at once."""
    problems: list[FieldProblem] = []
    raw_chapters = data.get("chapters") if isinstance(data, Mapping) else None
    raw_items = data.get("items") if isinstance(data, Mapping) else None
    if not isinstance(raw_chapters, list) or not raw_chapters:
        problems.append(FieldProblem("chapters", _("The template lists no chapters: add at least one.")))
        raw_chapters = []
    if not isinstance(raw_items, list) or not raw_items:
        problems.append(FieldProblem("items", _("The template lists no items: add at least one.")))
        raw_items = []

    chapters: list[Chapter] = []
    for index, raw in enumerate(raw_chapters):
        where = f"chapters[{index}]"
        fields = raw if isinstance(raw, Mapping) else {}
        key = _key(
            fields.get("key"),
            f"{where}.key",
            _("The chapter key is missing (found %(value)s): give a key such as “protection_of_victims”."),
            problems,
        )
        if key and key in {chapter.key for chapter in chapters}:
            problems.append(
                FieldProblem(
                    f"{where}.key",
                    _("The chapter “%(key)s” is listed twice: keep one."),
                    {"key": key},
                )
            )
        chapters.append(Chapter(key=key, title=_text(fields.get("title"), f"{where}.title", problems)))
    chapter_keys = {chapter.key for chapter in chapters}

    items: list[ChecklistItem] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_items):
        where = f"items[{index}]"
        fields = raw if isinstance(raw, Mapping) else {}
        code = _key(
            fields.get("code"),
            f"{where}.code",
            _("The item code is missing (found %(value)s): give a code such as “P01”."),
            problems,
        )
        if code in seen:
            problems.append(
                FieldProblem(
                    f"{where}.code",
                    _("The item code “%(code)s” is used twice: each item needs its own code."),
                    {"code": code},
                )
            )
        seen.add(code)
        chapter = fields.get("chapter")
        if not isinstance(chapter, str) or chapter not in chapter_keys:
            problems.append(
                FieldProblem(
                    f"{where}.chapter",
                    _(
                        "Item %(code)s is in the chapter “%(chapter)s”, which is not declared; use one of: %(known)s."
                    ),
                    {"code": code, "chapter": chapter, "known": ", ".join(sorted(chapter_keys))},
                )
            )
            chapter = ""
        raw_references = fields.get("references")
        listed = raw_references if isinstance(raw_references, list) else []
        references = tuple(ref.strip() for ref in listed if isinstance(ref, str) and ref.strip())
        if not references or len(references) != len(listed):
            problems.append(
                FieldProblem(
                    f"{where}.references",
                    _(
                        "Item %(code)s needs a list of references as non-empty texts, e.g. "
                        "“Trafficking in Persons Protocol art. 3(a)”."
                    ),
                    {"code": code},
                )
            )
        items.append(
            ChecklistItem(
                code=code,
                chapter=chapter,
                title=_text(fields.get("title"), f"{where}.title", problems),
                requirement=_text(fields.get("requirement"), f"{where}.requirement", problems),
                references=references,
                guidance=_text(fields.get("guidance"), f"{where}.guidance", problems),
            )
        )
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The checklist template is not valid: %(count)s problem(s) to correct."),
            {"count": len(problems)},
            problems=problems,
        )
    return chapters, items


@cache
def _default() -> tuple[tuple[Chapter, ...], tuple[ChecklistItem, ...]]:
    text = resources.files("ctip.core.legal").joinpath(TEMPLATE_FILE).read_text("utf-8")
    chapters, items = parse_checklist(json.loads(text))
    expected = [f"P{number:02d}" for number in range(1, DEFAULT_ITEM_COUNT + 1)]
    if [item.code for item in items] != expected:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "The default checklist must list items %(first)s to %(last)s in order; the package data is damaged."
            ),
            {"first": expected[0], "last": expected[-1]},
        )
    return tuple(chapters), tuple(items)


def default_chapters() -> list[Chapter]:
    """The four chapters of the default template, in order."""
    return list(_default()[0])


def default_checklist() -> list[ChecklistItem]:
    """The 20 items of the default template (P01–P20), read once from the package data."""
    return list(_default()[1])


# ---------------------------------------------------------------------------------------------------
# Scoring


def _assessments_by_code(
    items: Sequence[ChecklistItem], assessments: Iterable[ItemAssessment]
) -> dict[str, ItemAssessment]:
    known = {item.code for item in items}
    found: dict[str, ItemAssessment] = {}
    problems: list[FieldProblem] = []
    unknown: list[str] = []
    for index, assessment in enumerate(assessments):
        where = f"assessments[{index}]"
        if assessment.code not in known:
            unknown.append(str(assessment.code))
            problems.append(
                FieldProblem(
                    f"{where}.code",
                    _(
                        "There is no checklist item “%(code)s”: use one of the item codes, %(first)s to %(last)s."
                    ),
                    {
                        "code": assessment.code,
                        "first": min(known, default=""),
                        "last": max(known, default=""),
                    },
                )
            )
            continue
        if assessment.code in found:
            problems.append(
                FieldProblem(
                    f"{where}.code",
                    _("Item “%(code)s” is assessed more than once: keep one assessment per item."),
                    {"code": assessment.code},
                )
            )
            continue
        try:
            status = Status(assessment.status)
        except ValueError:
            problems.append(
                FieldProblem(
                    f"{where}.status",
                    _("“%(status)s” is not a status for item %(code)s: use one of %(known)s."),
                    {
                        "status": assessment.status,
                        "code": assessment.code,
                        "known": ", ".join(status.value for status in Status),
                    },
                )
            )
            continue
        found[assessment.code] = ItemAssessment(
            code=assessment.code,
            status=status,
            provision=assessment.provision,
            evidence=assessment.evidence,
            note=assessment.note,
        )
    if unknown:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "Some assessments refer to items that are not in the checklist: %(codes)s. Check the codes "
                "against the checklist (%(first)s to %(last)s)."
            ),
            {"codes": ", ".join(unknown), "first": min(known, default=""), "last": max(known, default="")},
            problems=problems,
        )
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The assessments cannot be scored: %(count)s problem(s) to correct."),
            {"count": len(problems)},
            problems=problems,
        )
    return found


def _counts(statuses: Sequence[Status]) -> StatusCounts:
    met = statuses.count(Status.MET)
    partly = statuses.count(Status.PARTLY_MET)
    not_met = statuses.count(Status.NOT_MET)
    assessed = met + partly + not_met
    return StatusCounts(
        met=met,
        partly_met=partly,
        not_met=not_met,
        not_assessed=len(statuses) - assessed,
        assessed=assessed,
        total=len(statuses),
        score=(met + 0.5 * partly) / assessed if assessed else None,
    )


def _status_of(item: ChecklistItem, found: Mapping[str, ItemAssessment]) -> Status:
    assessment = found.get(item.code)
    return assessment.status if assessment is not None else Status.NOT_ASSESSED


def summarise(items: Sequence[ChecklistItem], assessments: Iterable[ItemAssessment]) -> ChecklistSummary:
    """Status counts and score per chapter and overall. Items without an assessment count as
    ``not_assessed``; an assessment for a code that is not in ``items`` is an error."""
    found = _assessments_by_code(items, assessments)
    by_chapter: dict[str, list[Status]] = {}
    for item in items:
        by_chapter.setdefault(item.chapter, []).append(_status_of(item, found))
    return ChecklistSummary(
        chapters=tuple(
            ChapterSummary(chapter=chapter, counts=_counts(statuses))
            for chapter, statuses in by_chapter.items()
        ),
        overall=_counts([_status_of(item, found) for item in items]),
    )


_GAP_ORDER = {Status.NOT_MET: 0, Status.PARTLY_MET: 1}


def gaps(items: Sequence[ChecklistItem], assessments: Iterable[ItemAssessment]) -> list[Gap]:
    """Items assessed as not met or partly met: not met first, then by code."""
    found = _assessments_by_code(items, assessments)
    result = [
        Gap(
            code=item.code,
            chapter=item.chapter,
            title=item.title,
            status=assessment.status,
            provision=assessment.provision,
            evidence=assessment.evidence,
            note=assessment.note,
        )
        for item in items
        if (assessment := found.get(item.code)) is not None and assessment.status in _GAP_ORDER
    ]
    return sorted(result, key=lambda gap: (_GAP_ORDER[gap.status], gap.code))
