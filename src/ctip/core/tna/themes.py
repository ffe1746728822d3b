"""Qualitative analysis of the TNA: counting sources per theme and checking quotes for identifying details.

Interviews and focus-group discussions are coded to the themes of a codebook. A *source* is one
interview or discussion: a theme mentioned five times in one interview has one source. Counts are also
given per organisation type of the organisations that took part, so the report can say which sectors
raised a theme.

A quote may only enter the quote bank once nothing in it points back at a person: no e-mail address, no
phone number, and none of the names the caller knows (focal points, the facilitator, the organisations
that took part).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from ctip.core.errors import FieldProblem, _

# --- Counting sources ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExcerptFact:
    """One coded excerpt, reduced to what the counts need: its theme, its source (the record) and the
    organisation types of the record's organisations."""

    theme: str
    record_id: str
    organisation_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class ThemeCount:
    """``sources`` distinct records coded to ``theme``; ``by_organisation_type`` the same count for each
    organisation type (a record with organisations of two types counts once for each type; a record with
    no organisation counts in ``sources`` only)."""

    theme: str
    sources: int
    by_organisation_type: Mapping[str, int]


def source_counts(excerpts: Sequence[ExcerptFact]) -> list[ThemeCount]:
    """Distinct sources per theme, most sources first (then by theme)."""
    records: dict[str, dict[str, set[str]]] = {}
    for excerpt in excerpts:
        types = records.setdefault(excerpt.theme, {}).setdefault(excerpt.record_id, set())
        types.update(code for code in excerpt.organisation_types if code)
    counts: list[ThemeCount] = []
    for theme, by_record in records.items():
        by_type: dict[str, int] = {}
        for types in by_record.values():
            for code in types:
                by_type[code] = by_type.get(code, 0) + 1
        counts.append(ThemeCount(theme, len(by_record), dict(sorted(by_type.items()))))
    return sorted(counts, key=lambda count: (-count.sources, count.theme))


# --- Competency codes ------------------------------------------------------------------------------------

_COMPETENCY_CODE = re.compile(r"[A-Z][A-Z0-9_]{0,39}")


def competency_codes_normalised(codes: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(codes in upper case, without blanks or repeats, in the order given; the codes that are not codes).

    A competency code is what the survey instrument uses in its field names (``imp_ID01``): a letter,
    then letters, digits or underscores."""
    valid: list[str] = []
    invalid: list[str] = []
    for raw in codes:
        code = raw.strip().upper()
        if not code:
            continue
        if not _COMPETENCY_CODE.fullmatch(code):
            invalid.append(raw.strip())
        elif code not in valid:
            valid.append(code)
    return tuple(valid), tuple(invalid)


def competency_code_problems(
    invalid: Iterable[str], location: str = "competency_codes"
) -> list[FieldProblem]:
    return [
        FieldProblem(
            location,
            _(
                "“%(code)s” is not a competency code; codes start with a letter followed by letters, digits "
                "or underscores, e.g. “ID01”."
            ),
            {"code": code},
        )
        for code in invalid
    ]


# --- Anonymisation ----------------------------------------------------------------------------------------


class FindingKind(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    NAME = "name"


@dataclass(frozen=True)
class AnonymisationFinding:
    """Something in a text that may identify a person: what kind, the text as written, where it starts."""

    kind: FindingKind
    found: str
    start: int


_EMAIL = re.compile(r"(?<![\w.+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")

# A run of digits where each digit may be preceded by one separator: a space, dot or hyphen, or a bracket
# (“(+230) 5 712 3456”, “+1 (555) 123-4567”). Each step consumes exactly one digit, so the pattern stays
# linear on long numbers. Runs glued to words, URLs or other numbers are not phone numbers.
_PHONE_RUN = re.compile(r"(?<![\w@./+-])(?:\(\s?)?\+?\d(?:(?:[ .\-]|\)\s?|\s?\()?\d)*(?![\w@])")

# Groupings of an 8-digit national number written by hand: 57123456, 5712 3456, 5 712 3456, 57 12 34 56.
_EIGHT_DIGIT_GROUPINGS = {(8,), (4, 4), (1, 3, 4), (2, 2, 2, 2), (3, 5)}
_MAURITIUS = "230"


def _looks_like_years(groups: Sequence[str]) -> bool:
    """“2022-2026” or “2019 2023”: a period, not a phone number."""
    return len(groups) == 2 and all(len(g) == 4 and 1900 <= int(g) <= 2100 for g in groups)


def _looks_like_compact_date(digits: str) -> bool:
    """“20250318”: a date written without separators."""
    year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:])
    return 1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31


def _is_phone_number(run: str) -> bool:
    groups = re.findall(r"\d+", run)
    digits = "".join(groups)
    international = run.lstrip("( ").startswith("+") or (digits.startswith("00") and len(groups[0]) <= 5)
    if international:
        return 8 <= len(digits) <= 15
    lengths = tuple(len(group) for group in groups)
    if groups[0] == _MAURITIUS and len(digits) in (10, 11):  # “230 5712 3456” without the plus
        return True
    if len(digits) == 8 and lengths in _EIGHT_DIGIT_GROUPINGS:
        if lengths == (8,):
            return not _looks_like_compact_date(digits)
        return not _looks_like_years(groups)
    # A Mauritian landline: “212 3456”.
    return lengths == (3, 4)


def _name_pattern(name: str) -> re.Pattern[str] | None:
    """Whole words, any spacing; ignoring case except for acronyms (“CAN”, “HOPE”), which would otherwise
    match everyday words."""
    words = name.split()
    if not words or len("".join(words)) < 2:
        return None
    flags = 0 if name.isupper() else re.IGNORECASE
    return re.compile(r"(?<!\w)" + r"\s+".join(re.escape(word) for word in words) + r"(?!\w)", flags)


def anonymisation_findings(text: str, *, names: Collection[str]) -> list[AnonymisationFinding]:
    """Every e-mail address, phone number (+230 and other international forms, 8-digit national numbers,
    7-digit landlines) and occurrence of one of ``names`` (whole words, compared ignoring spacing, and case except for
    names in capitals such as acronyms) in
    ``text``, in the order they appear; each distinct finding once."""
    findings: list[AnonymisationFinding] = []
    emails = list(_EMAIL.finditer(text))
    for match in emails:
        findings.append(AnonymisationFinding(FindingKind.EMAIL, match.group(), match.start()))
    for match in _PHONE_RUN.finditer(text):
        inside_email = any(email.start() <= match.start() < email.end() for email in emails)
        if not inside_email and _is_phone_number(match.group()):
            findings.append(AnonymisationFinding(FindingKind.PHONE, match.group().strip(), match.start()))
    seen_names: set[str] = set()
    for name in names:
        folded = " ".join(name.split()).casefold()
        if folded in seen_names:
            continue
        seen_names.add(folded)
        pattern = _name_pattern(name)
        found = pattern.search(text) if pattern is not None else None
        if found is not None:
            findings.append(AnonymisationFinding(FindingKind.NAME, found.group(), found.start()))
    unique: dict[tuple[FindingKind, str], AnonymisationFinding] = {}
    for finding in sorted(findings, key=lambda f: (f.start, f.kind.value)):
        unique.setdefault((finding.kind, " ".join(finding.found.split()).casefold()), finding)
    return list(unique.values())


_FINDING_TEMPLATES: dict[FindingKind, str] = {
    FindingKind.EMAIL: _(
        "It contains an e-mail address (“%(found)s”); remove it or write “[e-mail]” instead."
    ),
    FindingKind.PHONE: _("It contains a phone number (“%(found)s”); remove it or write “[phone]” instead."),
    FindingKind.NAME: _(
        "It names “%(found)s”; describe the person or organisation instead (for example “a police officer” "
        "or “a shelter”)."
    ),
}


def anonymisation_problem(finding: AnonymisationFinding, location: str = "text") -> FieldProblem:
    return FieldProblem(location, _FINDING_TEMPLATES[finding.kind], {"found": finding.found})


def anonymisation_problems(text: str, *, names: Collection[str]) -> list[str]:
    """What stops ``text`` from being an anonymous quote, one English sentence per finding (empty when
    the text passes). The web layer uses :func:`anonymisation_findings` and :func:`anonymisation_problem`
    to show the same sentences in the reader's language."""
    return [anonymisation_problem(finding).message for finding in anonymisation_findings(text, names=names)]
