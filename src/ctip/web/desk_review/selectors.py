"""Reads of the desk_review app: the library, key findings, instruments with their checklist, scores and
the gap list. Other apps (the inception report, the NAP, the training plan) read through these names:
``legal_review_summary``, ``legal_gaps``, ``library_entries`` and ``key_findings``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Length
from django.utils.translation import gettext

from ctip.core.legal import ChecklistSummary, StatusCounts
from ctip.web.accounts.models import Workspace
from ctip.web.desk_review import checklist
from ctip.web.desk_review.models import ChecklistAssessment, KeyFinding, LegalInstrument, Reference

# --- library --------------------------------------------------------------------------------------------


def library_entries(
    workspace: Workspace, kind: str | None = None, tag: str | None = None, search: str = ""
) -> QuerySet[Reference]:
    """The workspace's library entries, newest first, without the stored files' bytes. Each carries
    ``finding_count`` and ``file_size`` (bytes, or None). ``tag`` matches a whole tag, ignoring case;
    ``search`` looks in the title, authors and summary."""
    entries = (
        Reference.objects.filter(workspace=workspace)
        .defer("file_content")
        .annotate(finding_count=Count("findings", distinct=True), file_size=Length("file_content"))
    )
    if kind:
        entries = entries.filter(kind=kind)
    if search.strip():
        words = search.split()
        for word in words:
            entries = entries.filter(
                Q(title__icontains=word) | Q(authors__icontains=word) | Q(summary__icontains=word)
            )
    if tag:
        # Tags live in a JSON list; matching them in Python works the same on SQLite and PostgreSQL.
        wanted = tag.strip().casefold()
        ids = [
            pk
            for pk, tags in Reference.objects.filter(workspace=workspace).values_list("pk", "tags")
            if any(str(t).casefold() == wanted for t in tags or [])
        ]
        entries = entries.filter(pk__in=ids)
    return entries.order_by("-year", "title", "pk")


def library_tags(workspace: Workspace) -> list[str]:
    """Every tag used in the library, sorted, each once (ignoring case; the first spelling used wins)."""
    seen: dict[str, str] = {}
    for tags in Reference.objects.filter(workspace=workspace).order_by("pk").values_list("tags", flat=True):
        for tag in tags or []:
            seen.setdefault(str(tag).casefold(), str(tag))
    return sorted(seen.values(), key=str.casefold)


def library_documents(workspace: Workspace) -> QuerySet[Reference]:
    """Library entries for pick lists (no file bytes)."""
    return (
        Reference.objects.filter(workspace=workspace).defer("file_content", "summary").order_by("title", "pk")
    )


def key_findings(workspace: Workspace) -> QuerySet[KeyFinding]:
    """Every key finding of the workspace with its library entry, grouped by entry."""
    return (
        KeyFinding.objects.filter(reference__workspace=workspace)
        .select_related("reference")
        .defer("reference__file_content")
        .order_by("reference__title", "reference__pk", "pk")
    )


def findings_of(reference: Reference) -> QuerySet[KeyFinding]:
    return KeyFinding.objects.filter(reference=reference).order_by("pk")


# --- legal instruments ----------------------------------------------------------------------------------


def instruments_of(workspace: Workspace) -> QuerySet[LegalInstrument]:
    return (
        LegalInstrument.objects.filter(workspace=workspace)
        .select_related("reference")
        .defer("reference__file_content")
        .order_by("year", "title", "pk")
    )


def _instruments_with_assessments(workspace: Workspace) -> list[LegalInstrument]:
    return list(
        instruments_of(workspace).prefetch_related(
            Prefetch("assessments", queryset=ChecklistAssessment.objects.order_by("item_code"))
        )
    )


@dataclass(frozen=True)
class ItemRow:
    """One checklist item of one instrument, as the instrument page shows it."""

    item: checklist.ChecklistItem
    title: str
    requirement: str
    assessment: ChecklistAssessment | None


@dataclass(frozen=True)
class ChapterGroup:
    chapter: checklist.ChapterInfo
    rows: list[ItemRow]


def instrument_items(instrument: LegalInstrument, language: str | None) -> list[ChapterGroup]:
    """The checklist items grouped by chapter, in the reader's language, each with the instrument's
    assessment and its linked documents (two queries whatever the number of items)."""
    assessments = {
        row.item_code: row
        for row in instrument.assessments.prefetch_related(
            Prefetch(
                "references", queryset=Reference.objects.defer("file_content", "summary").order_by("title")
            )
        )
    }
    groups: dict[str, list[ItemRow]] = defaultdict(list)
    for item in checklist.checklist_items():
        groups[checklist.chapter_key(item)].append(
            ItemRow(
                item=item,
                title=checklist.localized(item.title, language),
                requirement=checklist.localized(item.requirement, language),
                assessment=assessments.get(item.code),
            )
        )
    return [
        ChapterGroup(chapter=checklist.chapter_info(key, language), rows=rows) for key, rows in groups.items()
    ]


# --- scores and gaps ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChapterScore:
    """Status counts and score of one chapter (or of the whole checklist), with its title."""

    key: str
    title: str
    counts: StatusCounts

    @property
    def met(self) -> int:
        return self.counts.met

    @property
    def partly_met(self) -> int:
        return self.counts.partly_met

    @property
    def not_met(self) -> int:
        return self.counts.not_met

    @property
    def not_assessed(self) -> int:
        return self.counts.not_assessed

    @property
    def assessed(self) -> int:
        return self.counts.assessed

    @property
    def total(self) -> int:
        return self.counts.total

    @property
    def score(self) -> float | None:
        """(met + 0.5 × partly met) / assessed; None when nothing is assessed."""
        return self.counts.score

    @property
    def percent(self) -> int | None:
        return None if self.counts.score is None else round(self.counts.score * 100)

    @property
    def level(self) -> str:
        """For the colour of the bar: high (≥ 75 %), medium (≥ 50 %) or low."""
        percent = self.percent or 0
        return "high" if percent >= 75 else "medium" if percent >= 50 else "low"


@dataclass(frozen=True)
class InstrumentSummary:
    """One instrument's scores: per chapter (in checklist order) and overall, as ``ctip.core.legal``
    computes them; ``summary`` is the core's own result."""

    instrument: LegalInstrument
    chapters: list[ChapterScore]
    overall: ChapterScore
    summary: ChecklistSummary

    @property
    def score(self) -> float | None:
        return self.overall.score

    @property
    def counts(self) -> dict[str, int]:
        """Items per status over the whole checklist."""
        overall = self.summary.overall
        return {
            "met": overall.met,
            "partly_met": overall.partly_met,
            "not_met": overall.not_met,
            "not_assessed": overall.not_assessed,
        }


def legal_review_summary(workspace: Workspace, language: str | None = None) -> list[InstrumentSummary]:
    """Per instrument of the workspace (oldest first): the score of each checklist chapter and overall,
    and the count of items per status. Two queries whatever the number of instruments."""
    titles = {chapter.key: chapter.title for chapter in checklist.chapters(language)}
    result: list[InstrumentSummary] = []
    for instrument in _instruments_with_assessments(workspace):
        summary = checklist.summary_of(instrument.assessments.all())
        result.append(
            InstrumentSummary(
                instrument=instrument,
                chapters=[
                    ChapterScore(
                        key=row.chapter, title=titles.get(row.chapter, row.chapter), counts=row.counts
                    )
                    for row in summary.chapters
                ],
                overall=ChapterScore(key="overall", title=gettext("Overall"), counts=summary.overall),
                summary=summary,
            )
        )
    return result


@dataclass(frozen=True)
class ConsideredInstrument:
    instrument: LegalInstrument
    assessment: ChecklistAssessment
    status: str


@dataclass(frozen=True)
class LegalGap:
    """A checklist item that no instrument of the workspace fully meets: its best status across the
    instruments is ``not_met`` or ``partly_met`` (an amendment can fill a gap left by the original act)."""

    item_code: str
    item: checklist.ChecklistItem
    title: str
    requirement: str
    chapter: checklist.ChapterInfo
    best_status: str
    best: ConsideredInstrument
    considered: list[ConsideredInstrument]
    gap: checklist.Gap  # the core's gap for the best assessment


def legal_gaps(workspace: Workspace, language: str | None = None) -> list[LegalGap]:
    """The gap list across all instruments, in checklist order. Items that no instrument has assessed yet
    are not gaps (they are work still to do)."""
    instruments = _instruments_with_assessments(workspace)
    by_code: dict[str, list[ConsideredInstrument]] = defaultdict(list)
    for instrument in instruments:
        for assessment in instrument.assessments.all():
            by_code[assessment.item_code].append(
                ConsideredInstrument(instrument=instrument, assessment=assessment, status=assessment.status)
            )
    best_rows: dict[str, ConsideredInstrument] = {}
    for code, considered in by_code.items():
        best_rows[code] = max(considered, key=lambda row: checklist.status_rank(row.status))
    core_gaps = checklist.gaps_for([row.assessment for row in best_rows.values()])
    result: list[LegalGap] = []
    for item in checklist.checklist_items():
        best = best_rows.get(item.code)
        if best is None or item.code not in core_gaps:
            continue
        result.append(
            LegalGap(
                item_code=item.code,
                item=item,
                title=checklist.localized(item.title, language),
                requirement=checklist.localized(item.requirement, language),
                chapter=checklist.chapter_info(checklist.chapter_key(item), language),
                best_status=best.status,
                best=best,
                considered=by_code[item.code],
                gap=core_gaps[item.code],
            )
        )
    return result
