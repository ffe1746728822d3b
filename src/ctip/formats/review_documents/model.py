"""What the review documents say, whatever the file: the dataclasses the web layer fills in, the fixed
words in English and French (as in :mod:`ctip.formats.tna_documents`), and the texts both the Word and
the Excel writers derive from them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from babel.dates import format_date

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.review.diff import Change, ChangeKind
from ctip.core.tna.model import Text

LANGUAGES = ("en", "fr")
EMPTY = "—"
"""What a person sees for a value that is not there."""


@dataclass(frozen=True)
class MatrixRow:
    number: int
    element: str
    """The element's label; empty for a comment on the document as a whole."""
    element_kind: str
    comment: str
    reviewer: str
    organisation: str
    date: dt.date
    response: str
    decision: str
    """The decision's label, translated by the caller; empty while no decision was taken."""
    reason: str
    change: str
    """The change that resolved the comment, in words."""
    change_link: str
    """A link to that change in the comparison page (an absolute URL, so that it works from the file)."""


@dataclass(frozen=True)
class CommentMatrix:
    title: str
    deliverable: str
    version_label: str
    round_title: str
    meeting: str
    generated: dt.date
    language: str
    rows: tuple[MatrixRow, ...]
    organisation: str = ""
    """The programme's organisation, for the Word template's title page and page header."""


@dataclass(frozen=True)
class DiffLine:
    change: Change
    element_kind_label: str
    field_label: str
    where: str
    """The labels of the element's parents, from the top."""
    before: str
    after: str


@dataclass(frozen=True)
class DiffDocument:
    title: str
    old_label: str
    new_label: str
    generated: dt.date
    language: str
    lines: tuple[DiffLine, ...]
    organisation: str = ""


WORDS: dict[str, Text] = {
    "number": Text("No.", "N°"),
    "element": Text("Element", "Élément"),
    "comment": Text("Comment", "Commentaire"),
    "reviewer": Text("Reviewer", "Relecteur"),
    "reviewer_organisation": Text("Reviewer (organisation)", "Relecteur (organisation)"),
    "organisation": Text("Organisation", "Organisation"),
    "date": Text("Date", "Date"),
    "response": Text("Response", "Réponse"),
    "decision": Text("Decision", "Décision"),
    "decision_reason": Text("Decision (with reason)", "Décision (et motif)"),
    "reason": Text("Reason", "Motif"),
    "change": Text("Change", "Modification"),
    "deliverable": Text("Deliverable", "Livrable"),
    "version": Text("Version", "Version"),
    "round": Text("Review round", "Cycle de revue"),
    "meeting": Text("Meeting", "Réunion"),
    "summary": Text("Summary", "Synthèse"),
    "comments": Text("Comments", "Commentaires"),
    "by_decision": Text("Comments by decision", "Commentaires par décision"),
    "by_organisation": Text("Comments by organisation", "Commentaires par organisation"),
    "accepted": Text("Accepted", "Accepté"),
    "partly_accepted": Text("Partly accepted", "Partiellement accepté"),
    "not_accepted": Text("Not accepted", "Non accepté"),
    "no_decision": Text("No decision yet", "Pas encore de décision"),
    "total": Text("Total", "Total"),
    "whole_document": Text("Whole document", "Document dans son ensemble"),
    "no_comments": Text(
        "There are no comments in this review round yet.", "Ce cycle de revue n’a encore aucun commentaire."
    ),
    "other_organisation": Text("Other or not given", "Autre ou non précisée"),
    "see_change": Text("See the change", "Voir la modification"),
    "matrix_sheet": Text("Comment matrix", "Matrice des commentaires"),
    "choose_decision": Text("Choose a decision from the list.", "Choisissez une décision dans la liste."),
    "what": Text("What", "Élément concerné"),
    "type": Text("Type", "Type"),
    "where": Text("Where", "Emplacement"),
    "detail": Text("Detail", "Détail"),
    "before": Text("Before", "Avant"),
    "after": Text("After", "Après"),
    "added": Text("Added", "Ajouté"),
    "removed": Text("Removed", "Supprimé"),
    "moved": Text("Moved", "Déplacé"),
    "changed": Text("Changed", "Modifié"),
    "moved_elsewhere": Text("Moved to another place", "Déplacé ailleurs"),
    "order_changed": Text("Order changed", "Ordre modifié"),
    "from": Text("From", "De"),
    "to": Text("To", "À"),
    "from_to": Text("From %(old)s to %(new)s", "De %(old)s à %(new)s"),
    "changes": Text("Changes", "Modifications"),
    "by_kind": Text("Changes by type of element", "Modifications par type d’élément"),
    "no_changes": Text(
        "There are no differences between these two versions.",
        "Il n’y a aucune différence entre ces deux versions.",
    ),
    "table": Text("Table", "Tableau"),
    "figure": Text("Figure", "Figure"),
    "page": Text("Page", "Page"),
    "of": Text("of", "sur"),
}
DECISION_KEYS = ("accepted", "partly_accepted", "not_accepted")
CHANGE_KEYS = {
    ChangeKind.ADDED: "added",
    ChangeKind.REMOVED: "removed",
    ChangeKind.MOVED: "moved",
    ChangeKind.CHANGED: "changed",
}
COLON = {"en": ":", "fr": " :"}
_LOCALES = {"en": "en_GB", "fr": "fr_FR"}


def wording(key: str, language: str) -> str:
    return WORDS[key].get(language)


def document_language(language: str) -> str:
    code = language.strip().lower()[:2]
    if code not in LANGUAGES:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The review documents are written in English or French, not “%(language)s”."),
            {"language": language},
            problems=[FieldProblem("language", _("Choose “en” or “fr”."))],
        )
    return code


def display_value(value: object, language: str = "en") -> str:
    """A snapshot's JSON value as a short text for a person: nothing → "—", yes/no (oui/non in French),
    lists joined with "; ", objects as "name: value; …", numbers as they are."""
    return _display(value, language, nested=False)


def _display(value: object, language: str, *, nested: bool) -> str:
    separator = ", " if nested else "; "
    if value is None:
        return EMPTY
    if isinstance(value, bool):
        if language.lower().startswith("fr"):
            return "oui" if value else "non"
        return "yes" if value else "no"
    if isinstance(value, str):
        if _LARGE_NUMBER.match(value):
            return _grouped(value, language)
        return value if value.strip() else EMPTY
    if isinstance(value, Mapping):
        parts = [f"{key}: {_display(item, language, nested=True)}" for key, item in value.items()]
        return separator.join(parts) if parts else EMPTY
    if isinstance(value, list | tuple):
        return separator.join(_display(item, language, nested=True) for item in value) if value else EMPTY
    return str(value)


_LARGE_NUMBER = re.compile(r"^-?\d{5,}(\.\d+)?$")


def _grouped(number: str, language: str) -> str:
    """An amount or count written in digits (``"19700000.00"``) with its thousands grouped, as people
    read money: "19,700,000.00" (French: "19 700 000,00", narrow no-break spaces)."""
    whole, _, fraction = number.partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    groups = f"{int(digits):,}"
    if language.lower().startswith("fr"):
        return sign + groups.replace(",", "\u202f") + ("," + fraction if fraction else "")
    return sign + groups + ("." + fraction if fraction else "")


def long_date(value: dt.date, language: str) -> str:
    return str(format_date(value, "long", locale=_LOCALES[language]))


def short_date(value: dt.date, language: str) -> str:
    return str(format_date(value, "medium", locale=_LOCALES[language]))


def decision_choices(matrix: CommentMatrix, language: str) -> list[str]:
    """The three decisions in the matrix's language, then any other label the caller used (so that a
    differently worded translation still counts and stays a valid choice in Excel)."""
    choices = [wording(key, language) for key in DECISION_KEYS]
    for row in matrix.rows:
        if row.decision.strip() and row.decision not in choices:
            choices.append(row.decision)
    return choices


def element_text(row: MatrixRow, language: str) -> str:
    return row.element or wording("whole_document", language)


def change_detail(line: DiffLine, language: str) -> str:
    """What changed, in words: a field's label, or the kind of move; empty when added or removed."""
    change = line.change
    if change.kind is ChangeKind.CHANGED:
        return line.field_label or change.field
    if change.kind is ChangeKind.MOVED:
        return wording("order_changed" if change.field == "position" else "moved_elsewhere", language)
    return ""


def kind_counts(lines: Sequence[DiffLine], language: str) -> list[tuple[str, list[int]]]:
    """For each element kind (in order of appearance), then in total: the number of additions, removals,
    moves and changed fields, and their sum."""
    order = list(CHANGE_KEYS)
    counts: dict[str, list[int]] = {}
    for line in lines:
        kind = line.element_kind_label or line.change.element_kind
        counts.setdefault(kind, [0] * len(order))[order.index(line.change.kind)] += 1
    totals = [sum(numbers[index] for numbers in counts.values()) for index in range(len(order))]
    rows = [*counts.items(), (wording("total", language), totals)]
    return [(kind, [*numbers, sum(numbers)]) for kind, numbers in rows]
