"""Reads: interviews and focus groups, the codebook with its source counts, the quote bank, and the themes
that bear on a competency of the TNA framework."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext

from ctip.core.stakeholders import ORGANISATION_TYPE_LABELS
from ctip.core.tna.themes import ExcerptFact, source_counts
from ctip.web.accounts.models import Workspace
from ctip.web.qualitative.models import CodedExcerpt, QualitativeRecord, Theme
from ctip.web.stakeholders.models import Organisation
from ctip.web.stakeholders.selectors import type_labels as registry_type_labels


def records_of(workspace: Workspace, *, kind: str = "") -> QuerySet[QualitativeRecord]:
    """The workspace's interviews and focus groups, newest first, with their organisations and the number
    of excerpts and quotes coded from each."""
    records = QualitativeRecord.objects.filter(workspace=workspace)
    if kind:
        records = records.filter(kind=kind)
    return (
        records.annotate(
            excerpt_count=Count("excerpts", distinct=True),
            quote_count=Count("excerpts", filter=Q(excerpts__is_quote=True), distinct=True),
        )
        .prefetch_related(Prefetch("organisations", queryset=Organisation.objects.order_by("name")))
        .order_by("-date", "title")
    )


def record_with_excerpts(workspace: Workspace, record_uuid: object) -> QualitativeRecord | None:
    """One record of the workspace with its organisations and excerpts (and their themes), or ``None``."""
    return (
        QualitativeRecord.objects.filter(workspace=workspace, uuid=record_uuid)
        .prefetch_related(
            Prefetch("organisations", queryset=Organisation.objects.order_by("name")),
            Prefetch(
                "excerpts", queryset=CodedExcerpt.objects.select_related("theme").order_by("created_at", "id")
            ),
        )
        .first()
    )


def registry_organisations(workspace: Workspace) -> QuerySet[Organisation]:
    """Organisations a record can be linked to."""
    return Organisation.objects.filter(workspace=workspace).order_by("name")


def themes_of(workspace: Workspace) -> QuerySet[Theme]:
    return Theme.objects.filter(workspace=workspace).select_related("parent").order_by("code")


def codebook_order(themes: list[Theme]) -> list[Theme]:
    """Each theme followed by its sub-themes (by code at each level)."""
    children: dict[int | None, list[Theme]] = {}
    known = {theme.pk for theme in themes}
    for theme in sorted(themes, key=lambda t: t.code.casefold()):
        parent = theme.parent_id if theme.parent_id in known else None
        children.setdefault(parent, []).append(theme)
    ordered: list[Theme] = []

    def walk(parent: int | None, depth: int) -> None:
        for theme in children.get(parent, []):
            if theme in ordered:
                continue
            theme.depth = depth
            ordered.append(theme)
            walk(theme.pk, depth + 1)

    walk(None, 0)
    ordered.extend(theme for theme in themes if theme not in ordered)  # a cycle made outside the services
    return ordered


@dataclass(frozen=True)
class ThemeSourceCount:
    """A theme of the codebook with ``sources`` records coded to it, and that count per organisation
    type code of the records' organisations."""

    theme: Theme
    sources: int
    by_organisation_type: Mapping[str, int]


def _record_types(workspace: Workspace) -> dict[int, tuple[str, ...]]:
    links = QualitativeRecord.organisations.through.objects.filter(
        qualitativerecord__workspace=workspace
    ).values_list("qualitativerecord_id", "organisation__type")
    types: dict[int, set[str]] = {}
    for record_id, type_code in links:
        types.setdefault(record_id, set()).add(type_code)
    return {record_id: tuple(sorted(codes)) for record_id, codes in types.items()}


def _facts(workspace: Workspace, excerpts: QuerySet[CodedExcerpt] | None = None) -> list[ExcerptFact]:
    types = _record_types(workspace)
    rows = excerpts if excerpts is not None else CodedExcerpt.objects.filter(record__workspace=workspace)
    return [
        ExcerptFact(str(theme_id), str(record_id), types.get(record_id, ()))
        for theme_id, record_id in rows.values_list("theme_id", "record_id").distinct()
    ]


def theme_source_counts(workspace: Workspace) -> list[ThemeSourceCount]:
    """Every theme of the codebook (in codebook order, themes with no source included) with its counts of
    sources, computed by ``ctip.core.tna.themes.source_counts``."""
    counts = {count.theme: count for count in source_counts(_facts(workspace))}
    result: list[ThemeSourceCount] = []
    for theme in codebook_order(list(themes_of(workspace))):
        count = counts.get(str(theme.pk))
        result.append(
            ThemeSourceCount(
                theme=theme,
                sources=count.sources if count is not None else 0,
                by_organisation_type=count.by_organisation_type if count is not None else {},
            )
        )
    return result


def type_labels(workspace: Workspace) -> dict[str, str]:
    """Organisation type code → label in the reader's language: the workspace's own list, falling back to
    the built-in labels."""
    labels = {code.value: gettext(label) for code, label in ORGANISATION_TYPE_LABELS.items()}
    labels.update(registry_type_labels(workspace))
    return labels


def quote_bank(workspace: Workspace, theme: Theme | None = None) -> QuerySet[CodedExcerpt]:
    """The anonymised quotes of the workspace, by theme then date; only those of ``theme`` and its direct
    sub-themes when given."""
    quotes = CodedExcerpt.objects.filter(record__workspace=workspace, is_quote=True, anonymised=True)
    if theme is not None:
        quotes = quotes.filter(Q(theme=theme) | Q(theme__parent=theme))
    return (
        quotes.select_related("theme", "record")
        .prefetch_related(Prefetch("record__organisations", queryset=Organisation.objects.order_by("type")))
        .order_by("theme__code", "record__date", "created_at", "id")
    )


def quote_counts(workspace: Workspace) -> list[tuple[Theme, int]]:
    """(theme, number of quotes) for every theme with quotes: what members who may not read the notes see."""
    themes = (
        themes_of(workspace)
        .annotate(quotes=Count("excerpts", filter=Q(excerpts__is_quote=True, excerpts__anonymised=True)))
        .filter(quotes__gt=0)
    )
    return [(theme, theme.quotes) for theme in themes]


@dataclass(frozen=True)
class ThemeSummary:
    """A theme beside a competency: how many sources raised it, which organisations took part in those
    sources, and one illustrative quote (or ``None``)."""

    theme: Theme
    sources: int
    organisations: tuple[Organisation, ...]
    quote: CodedExcerpt | None


def themes_for_competency(workspace: Workspace, code: str) -> list[ThemeSummary]:
    """The themes linked to competency ``code`` (e.g. "ID01"), most sources first, for the TNA report."""
    wanted = code.strip().upper()
    themes = [theme for theme in themes_of(workspace) if wanted in (theme.competency_codes or [])]
    if not themes:
        return []
    excerpts = CodedExcerpt.objects.filter(theme__in=themes).select_related("record")
    counts = {count.theme: count.sources for count in source_counts(_facts(workspace, excerpts))}
    records: dict[int, set[int]] = {}
    for theme_id, record_id in excerpts.values_list("theme_id", "record_id"):
        records.setdefault(theme_id, set()).add(record_id)
    organisations: dict[int, list[Organisation]] = {}
    links = QualitativeRecord.organisations.through.objects.filter(
        qualitativerecord_id__in={r for ids in records.values() for r in ids}
    ).select_related("organisation")
    for link in links:
        organisations.setdefault(link.qualitativerecord_id, []).append(link.organisation)
    first_quotes: dict[int, CodedExcerpt] = {}
    for quote in quote_bank(workspace).filter(theme__in=themes):
        first_quotes.setdefault(quote.theme_id, quote)
    summaries = []
    for theme in themes:
        found = {o.pk: o for r in records.get(theme.pk, ()) for o in organisations.get(r, [])}
        summaries.append(
            ThemeSummary(
                theme=theme,
                sources=counts.get(str(theme.pk), 0),
                organisations=tuple(sorted(found.values(), key=lambda o: o.name.casefold())),
                quote=first_quotes.get(theme.pk),
            )
        )
    return sorted(summaries, key=lambda s: (-s.sources, s.theme.code))
