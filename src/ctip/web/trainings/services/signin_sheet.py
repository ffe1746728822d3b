"""Reading and writing sign-in sheets: which column holds what (English or French headers; the attendance
columns headed by a training day's date or its number), the registry's organisations found by key, acronym or
name with close names suggested, attendance marks, and the empty sheet to print or fill in (see
:mod:`.signin_import` for the import itself)."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.training.model import AgeBand, Sex
from ctip.formats.tabular import Sheet, Table, write_xlsx
from ctip.web.accounts.models import Workspace
from ctip.web.stakeholders.models import Organisation
from ctip.web.trainings.models import TrainingEvent
from ctip.web.trainings.services.event_plan import event_days
from ctip.web.trainings.services.participants import plain_word


def header_key(text: str) -> str:
    """A header reduced to its letters and digits without accents: "Tranche d'âge" → ``tranchedage``."""
    folded = unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", folded)


COLUMN_ALIASES: Mapping[str, tuple[str, ...]] = {
    "code": (
        "code",
        "participantcode",
        "codeparticipant",
        "codeduparticipant",
    ),
    # Never "participant", "name" or "id": such a column may hold names or identity numbers, which are not
    # stored; an unknown column is left out of the import.
    "sex": ("sex", "sexe", "gender", "genre"),
    "age_band": ("ageband", "agegroup", "agerange", "tranchedage", "classedage", "groupedage"),
    "age": ("age", "ageyears", "ageans"),
    "organisation": (
        "organisation",
        "organization",
        "institution",
        "agency",
        "structure",
        "org",
        "organisme",
    ),
    "role": ("role", "function", "fonction", "position", "poste", "jobtitle", "designation", "grade"),
    "location": ("location", "lieu", "place", "dutystation", "localisation", "lieudaffectation", "district"),
}
NAME_COLUMNS = frozenset(
    ("name", "fullname", "nom", "prenom", "prenoms", "firstname", "lastname", "surname", "nomcomplet",
     "nometprenom", "nometprenoms", "signature", "emargement")
)  # fmt: skip
PRESENT_WORDS = frozenset(
    ("x", "1", "yes", "y", "oui", "o", "present", "presente", "p", "true", "vrai", "✓", "✔")
)
ABSENT_WORDS = frozenset(("0", "no", "n", "non", "absent", "absente", "a", "false", "faux"))
_DAY_NUMBER = re.compile(r"^(?:day|jour|d|j)\s*[_-]?\s*(\d{1,2})$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_ISO = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T]00:00(?::00)?)?$")
SUGGESTIONS = 3


# --- Columns --------------------------------------------------------------------------------------------


def cell_location(table: Table, row: int, column: str) -> str:
    return f"row {row}, column “{table.labels.get(column, column)}” ({table.letters.get(column, '?')})"


def _columncell_location(table: Table, column: str) -> str:
    return f"row 1, column “{table.labels.get(column, column)}” ({table.letters.get(column, '?')})"


def day_of_header(label: str, days: Sequence[dt.date]) -> tuple[bool, dt.date | None, str]:
    """(whether the header names a day, the training day, the date it names as text)."""
    text = re.sub(r"\s*\(.*\)\s*$", "", label.strip())
    iso = _ISO.match(text)
    named: dt.date | None = None
    if iso:
        try:
            named = dt.date.fromisoformat(iso.group(1))
        except ValueError:
            return True, None, text
    elif match := _DAY_FIRST.match(text):
        try:
            named = dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        except ValueError:
            return True, None, text
    elif match := _DAY_NUMBER.match(plain_word(text)):
        number = int(match.group(1))
        return True, (days[number - 1] if 1 <= number <= len(days) else None), text
    else:
        return False, None, text
    return True, (named if named in days else None), named.isoformat()


@dataclass(frozen=True)
class SheetColumns:
    fields: dict[str, str]
    days: dict[str, dt.date]
    ignored: tuple[str, ...]
    names: tuple[str, ...]
    name_columns: tuple[str, ...]


def sheet_columns(table: Table, days: Sequence[dt.date]) -> SheetColumns:
    chosen: dict[str, list[str]] = defaultdict(list)
    day_columns: dict[str, dt.date] = {}
    ignored: list[str] = []
    names: list[str] = []
    name_columns: list[str] = []
    problems: list[FieldProblem] = []
    by_day: dict[dt.date, str] = {}
    for column in table.columns:
        label = table.labels.get(column, column)
        key = header_key(label)
        wanted = next((name for name, aliases in COLUMN_ALIASES.items() if key in aliases), None)
        if wanted is not None:
            chosen[wanted].append(column)
            continue
        if key in NAME_COLUMNS:
            names.append(label)
            name_columns.append(column)
            continue
        is_day, day, text = day_of_header(label, days)
        if not is_day:
            ignored.append(label)
            continue
        if day is None:
            problems.append(
                FieldProblem(
                    _columncell_location(table, column),
                    _(
                        "“%(label)s” is not a day of this training, which runs on %(days)s. Head each "
                        "attendance column with one of these dates (2026-03-02 or 02/03/2026) or with Day 1, "
                        "Day 2…, or delete the column."
                    ),
                    {"label": text, "days": ", ".join(item.isoformat() for item in days)},
                )
            )
            continue
        if day in by_day:
            problems.append(
                FieldProblem(
                    _columncell_location(table, column),
                    _("The columns “%(first)s” and “%(second)s” are both for %(day)s; keep one of them."),
                    {
                        "first": table.labels.get(by_day[day], by_day[day]),
                        "second": label,
                        "day": day.isoformat(),
                    },
                )
            )
            continue
        by_day[day] = column
        day_columns[column] = day
    fields: dict[str, str] = {}
    for wanted, columns in chosen.items():
        if len(columns) > 1:
            problems.append(
                FieldProblem(
                    f"columns {', '.join(table.letters.get(c, '?') for c in columns)}",
                    _(
                        "The columns %(columns)s all hold the %(field)s; keep one of them and delete the others."
                    ),
                    {"columns": ", ".join(f"“{table.labels.get(c, c)}”" for c in columns), "field": wanted},
                )
            )
        else:
            fields[wanted] = columns[0]
    if "age" in fields and "age_band" in fields:
        problems.append(
            FieldProblem(
                "row 1",
                _("The sheet has both an age and an age band column; keep one of them."),
            )
        )
    if not fields and not day_columns and not names and not problems:
        problems.append(
            FieldProblem(
                "row 1",
                _("None of the columns is one this import reads. Found: %(columns)s."),
                {"columns": ", ".join(f"“{table.labels.get(c, c)}”" for c in table.columns)},
            )
        )
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "“%(file)s” is not a sign-in sheet this import can read. Put the column names (code, sex, "
                "age_band or age, organisation, role, location, then one column per training day) in the "
                "first row — or start from the sign-in sheet template — and upload it again."
            ),
            {"file": table.source},
            problems=problems,
        )
    return SheetColumns(fields, day_columns, tuple(ignored), tuple(names), tuple(name_columns))


# --- Registry -------------------------------------------------------------------------------------------


class Registry:
    """The workspace's organisations, found by key, acronym or name ignoring case; close names suggested."""

    def __init__(self, workspace: Workspace) -> None:
        self.by_key: dict[str, Organisation] = {}
        self.by_acronym: dict[str, list[Organisation]] = defaultdict(list)
        self.by_name: dict[str, list[Organisation]] = defaultdict(list)
        self.labels: dict[str, Organisation] = {}
        for organisation in Organisation.objects.filter(workspace=workspace).order_by("name"):
            self.by_key[organisation.key.casefold()] = organisation
            if organisation.acronym:
                self.by_acronym[organisation.acronym.casefold()].append(organisation)
                self.labels.setdefault(organisation.acronym.casefold(), organisation)
            folded = " ".join(organisation.name.split()).casefold()
            self.by_name[folded].append(organisation)
            self.labels.setdefault(folded, organisation)

    def find(self, text: str) -> tuple[Organisation | None, list[Organisation]]:
        folded = " ".join(text.split()).casefold()
        if folded in self.by_key:
            return self.by_key[folded], []
        for index in (self.by_acronym, self.by_name):
            candidates = index.get(folded, [])
            if len(candidates) == 1:
                return candidates[0], []
            if candidates:
                return None, candidates
        return None, []

    def suggest(self, text: str) -> tuple[str, ...]:
        folded = " ".join(text.split()).casefold()
        found: list[str] = []
        for close in difflib.get_close_matches(folded, list(self.labels), n=SUGGESTIONS * 2, cutoff=0.6):
            organisation = self.labels[close]
            label = (
                f"{organisation.name} ({organisation.acronym})" if organisation.acronym else organisation.name
            )
            if label not in found:
                found.append(label)
        return tuple(found[:SUGGESTIONS])


# --- Cells -------------------------------------------------------------------------------------------------


def attendance_mark(text: str) -> bool:
    word = plain_word(text)
    if word in PRESENT_WORDS or text.strip() in PRESENT_WORDS:
        return True
    if word in ABSENT_WORDS:
        return False
    raise ValueError(text)


# --- Template -------------------------------------------------------------------------------------------

HEADERS = {
    "en": ("code", "sex", "age_band", "organisation", "role", "location"),
    "fr": ("code", "sexe", "tranche_d_age", "organisation", "fonction", "lieu"),
}


def signin_template(event: TrainingEvent, language: str = "en") -> bytes:
    """An empty sign-in sheet for the event (call inside ``translation.override(language)``): the participant
    columns, then one attendance column per training day headed by its date, with notes and drop-down lists."""
    header = HEADERS["fr" if language == "fr" else "en"]
    code, sex, age_band, organisation, role, location = header
    days = event_days(event)
    organisations = Organisation.objects.filter(workspace=event.workspace).order_by("name")
    notes = {
        code: gettext(
            "The participant's code (e.g. P001). Leave it empty for a new participant: a code is made. Write the "
            "code of a registered participant to update them. Never write names: they are not stored."
        ),
        sex: gettext("female or male (also F/M, femme/homme); empty if not stated."),
        age_band: gettext("18-24, 25-34, 35-44, 45-54 or 55+ (or the age in years)."),
        organisation: gettext(
            "The organisation's acronym, key or name in the stakeholder registry; any other name is kept as written."
        ),
        role: gettext("Job title or function."),
        location: gettext("Where the participant works."),
    }
    for number, day in enumerate(days, start=1):
        notes[day.isoformat()] = gettext("Day %(number)s. Write x when present, 0 when absent.") % {
            "number": number
        }
    sheet = Sheet(
        name=gettext("Sign-in sheet"),
        header=(*header, *(day.isoformat() for day in days)),
        rows=[],
        column_notes=notes,
        choices={
            sex: (Sex.FEMALE.value, Sex.MALE.value),
            age_band: tuple(band.value for band in AgeBand if band.value),
            organisation: tuple(item.acronym or item.key for item in organisations),
            **{day.isoformat(): ("x", "0") for day in days},
        },
    )
    return write_xlsx([sheet])


__all__ = ["signin_template"]
