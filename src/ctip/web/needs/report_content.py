"""What the TNA report, its annex and the validation deck are built from, and how they word it.

One analysis of the chosen survey instrument (through :func:`ctip.web.needs.data.analysis_for`, the same
numbers as the dashboard and the API), with the learning profiles, the triangulation against the
qualitative themes, the sampling plan, the responses per organisation and sex, and the registry's earlier
trainings. :class:`Labels` turns the codes of the analysis (competencies, pillars, attribute values) into
words of the document's language, and the ``number``/``decimal``/``percent`` helpers write numbers the way
that language writes them. Call everything here inside ``translation.override(language)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db.models import Count, Max, Min
from django.utils import formats
from django.utils.translation import gettext as _

from ctip.core.errors import DomainError
from ctip.core.needs import ThemeEvidence, Triangulated, learning_profiles, triangulate
from ctip.core.needs.model import (
    ATTRIBUTE_AGE,
    ATTRIBUTE_LEVEL,
    ATTRIBUTE_LOCATION,
    ATTRIBUTE_ORGANISATION,
    ATTRIBUTE_ORGANISATION_TYPE,
    ATTRIBUTE_PRIOR_TRAINING,
    ATTRIBUTE_ROLE,
    ATTRIBUTE_SEX,
    ATTRIBUTE_YEARS,
    NOT_STATED,
    Disaggregation,
    GroupNeed,
    ItemNeed,
    LearningProfile,
    NeedsAnalysis,
    NeedsData,
    NeedsOptions,
    Quadrant,
)
from ctip.core.sampling import SamplingPlan
from ctip.core.stakeholders import LEVEL_LABELS, ORGANISATION_TYPE_LABELS, PILLAR_LABELS
from ctip.core.tna.model import Instrument, Question, Text
from ctip.formats.documents.model import Table
from ctip.formats.tabular import Sheet
from ctip.web.accounts.models import Workspace
from ctip.web.inception.selectors import inception_sampling_plan
from ctip.web.needs.charts import sex_label
from ctip.web.needs.data import analysis_for, organisation_short_names, theme_evidence
from ctip.web.qualitative.models import QualitativeRecord
from ctip.web.stakeholders.models import PriorTraining
from ctip.web.stakeholders.selectors import type_labels
from ctip.web.tna.models import SurveyInstrument, SurveySubmission
from ctip.web.tna.services import instrument_of

REPORT_BY: tuple[tuple[str, ...], ...] = (
    (ATTRIBUTE_SEX,),
    (ATTRIBUTE_ORGANISATION,),
    (ATTRIBUTE_ORGANISATION_TYPE,),
    (ATTRIBUTE_LEVEL,),
    (ATTRIBUTE_LOCATION,),
    (ATTRIBUTE_ROLE,),
    (ATTRIBUTE_YEARS,),
    (ATTRIBUTE_AGE,),
    (ATTRIBUTE_PRIOR_TRAINING,),
    (ATTRIBUTE_SEX, ATTRIBUTE_LOCATION),
)
"""Every disaggregation the report and its annex show (the annex has a sheet for each)."""
TOP_NEEDS = 5
"""How many needs the summary, the recommendations and the deck put first."""
PROFILE_TOP = 5
"""How many of each respondent's own largest gaps count as their personal top gaps."""
ABSENT = "—"

# The profile question that asked for each attribute (its choices give the words for the values).
_QUESTION_OF_ATTRIBUTE = {
    ATTRIBUTE_SEX: "sex",
    ATTRIBUTE_LOCATION: "location",
    ATTRIBUTE_AGE: "age_band",
    ATTRIBUTE_ROLE: "role_rank",
    ATTRIBUTE_PRIOR_TRAINING: "prior_training",
}


@dataclass(frozen=True)
class ResponseCount:
    """Submissions of one registry organisation (``key`` empty: not matched to the registry), by sex."""

    key: str
    label: str
    women: int = 0
    men: int = 0
    total: int = 0


@dataclass(frozen=True)
class NeedsReportData:
    workspace: Workspace
    instrument: SurveyInstrument
    built: Instrument
    language: str
    data: NeedsData
    analysis: NeedsAnalysis
    profiles: tuple[LearningProfile, ...]
    triangulation: tuple[Triangulated, ...]
    plan: SamplingPlan | None
    plan_problem: str
    """Why there is no sampling plan (already in the document's language), when there is none."""
    responses: tuple[ResponseCount, ...]
    first_answer: dt.datetime | None
    last_answer: dt.datetime | None
    interviews: int
    focus_groups: int
    prior_trainings: tuple[PriorTraining, ...]
    labels: Labels
    short_names: Mapping[str, str]
    """Organisation (as the analysis names it) → acronym, for tables and charts with little room."""

    @property
    def ranked(self) -> tuple[ItemNeed, ...]:
        """The items with a rank, in rank order (items nobody rated both ways are left out)."""
        return tuple(item for item in self.analysis.items if item.rank is not None)

    @property
    def top(self) -> tuple[ItemNeed, ...]:
        """The largest needs: the first :data:`TOP_NEEDS` items with a positive MWDS."""
        return tuple(item for item in self.ranked if (item.mwds or 0) > 0)[:TOP_NEEDS]

    def disaggregation(self, *by: str) -> Disaggregation | None:
        return next((d for d in self.analysis.disaggregations if d.by == tuple(by)), None)

    def triangulated(self, code: str) -> Triangulated | None:
        return next((t for t in self.triangulation if t.code == code), None)

    @property
    def min_cell(self) -> int:
        return self.analysis.options.min_cell


# --- Numbers ---------------------------------------------------------------------------------------------


def number(value: int) -> str:
    """A count, grouped as the language groups thousands ("1,250", "1 250")."""
    return str(formats.number_format(value, decimal_pos=0, force_grouping=True))


def decimal(value: float | None, places: int = 2) -> str:
    """A statistic with ``places`` decimals in the language's notation ("3.45", "3,45"); "—" for none."""
    if value is None:
        return ABSENT
    rounded = round(value, places)
    if rounded == 0:
        rounded = 0.0  # no "-0.00"
    return str(formats.number_format(rounded, decimal_pos=places, force_grouping=True))


def percent(share: float | None) -> str:
    """A share (0–1) as a whole percentage; French puts a narrow no-break space before the sign."""
    if share is None:
        return ABSENT
    text = number(round(share * 100))
    return f"{text}\u202f%" if formats.get_format("DECIMAL_SEPARATOR") == "," else f"{text}%"


def interval(bounds: tuple[float, float] | None, places: int = 2) -> str:
    if bounds is None:
        return ABSENT
    return f"{decimal(bounds[0], places)} – {decimal(bounds[1], places)}"


def p_value(value: float | None) -> str:
    if value is None:
        return ABSENT
    if value < 0.001:
        return "<" + decimal(0.001, 3)
    return decimal(value, 3)


# --- Table cells ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stat:
    """A statistic: written with ``places`` decimals in the report, as a number in the annex."""

    value: float | None
    places: int = 2
    p_value: bool = False
    """A p-value: "<0.001" below 0.001."""

    def text(self) -> str:
        if self.p_value:
            return p_value(self.value)
        return decimal(self.value, self.places)

    def raw(self) -> float | None:
        return None if self.value is None else round(self.value, 4)


@dataclass(frozen=True)
class Share:
    """A share (0–1): a percentage in the report, a number of per cent (one decimal) in the annex."""

    value: float | None

    def text(self) -> str:
        return percent(self.value)

    def raw(self) -> float | None:
        return None if self.value is None else round(self.value * 100, 1)


Cell = str | int | Stat | Share
"""A table cell: text as it is, a count (``int``), a statistic or a share."""


def cell_text(cell: Cell) -> str:
    if isinstance(cell, str):
        return cell
    if isinstance(cell, int):
        return number(cell)
    return cell.text()


def cell_raw(cell: Cell) -> object:
    if isinstance(cell, str | int):
        return cell
    return cell.raw()


_PLACEHOLDERS = frozenset({ABSENT, ""})


def _is_numeric(cell: Cell) -> bool:
    return not isinstance(cell, str)


@dataclass(frozen=True)
class ReportTable:
    """A table of the report, with its cells still as values, so that the Word report writes them for
    reading and the annex writes them as numbers."""

    sheet: str
    """The annex sheet's name (at most 31 characters)."""
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    column_widths_cm: tuple[float, ...] | None = None
    note: str = ""
    group_first_column: bool = False
    """The first column names groups of consecutive rows: the report writes each name once."""

    def align_right(self) -> tuple[bool, ...]:
        """Columns of numbers, where the other cells only say why a number is missing ("—", "n<5")."""
        result = []
        for index in range(len(self.header)):
            cells = [row[index] for row in self.rows]
            numbers = [cell for cell in cells if _is_numeric(cell)]
            others = [cell for cell in cells if isinstance(cell, str)]
            result.append(
                bool(numbers)
                and all(cell in _PLACEHOLDERS or cell.startswith("n<") or " " not in cell for cell in others)
                and len(numbers) >= len(others)
            )
        return tuple(result)

    def document(self) -> Table:
        rows = []
        previous: Cell | None = None
        for row in self.rows:
            cells = [cell_text(cell) for cell in row]
            if self.group_first_column and row and row[0] == previous:
                cells[0] = ""
            previous = row[0] if row else None
            rows.append(tuple(cells))
        return Table(
            caption=self.caption,
            header=self.header,
            rows=tuple(rows),
            column_widths_cm=self.column_widths_cm,
            note=self.note,
            align_right=self.align_right(),
        )

    def annex(self) -> Sheet:
        """One sheet: a column of shares gets "(%)" after its heading."""
        shares = [
            any(isinstance(row[index], Share) for row in self.rows) for index in range(len(self.header))
        ]
        return Sheet(
            name=self.sheet,
            header=tuple(
                f"{title} (%)" if share else title for title, share in zip(self.header, shares, strict=True)
            ),
            rows=[[cell_raw(cell) for cell in row] for row in self.rows],
            column_notes={self.header[0]: f"{self.caption}. {self.note}".strip()} if self.header else {},
        )


# --- Words -----------------------------------------------------------------------------------------------


class Labels:
    """Codes of the analysis → words in the document's language (build it inside the language override)."""

    def __init__(self, workspace: Workspace, built: Instrument, language: str, min_cell: int) -> None:
        self.language = language
        self.min_cell = min_cell
        self._competencies = {competency.code: competency for competency in built.competencies}
        self._questions: dict[str, Question] = {
            question.name: question for question in (*built.profile_questions, *built.institutional_questions)
        }
        self._types = {code.value: _(label) for code, label in ORGANISATION_TYPE_LABELS.items()}
        self._types.update(type_labels(workspace))
        self._levels = {code.value: _(label) for code, label in LEVEL_LABELS.items()}
        self._pillars = {code.value: _(label) for code, label in PILLAR_LABELS.items()}

    def text(self, value: Text) -> str:
        return (value.fr or value.en) if self.language == "fr" else value.en

    def title(self, item: ItemNeed | str, title: Text | None = None) -> str:
        """A competency's title in the document's language."""
        code = item if isinstance(item, str) else item.code
        competency = self._competencies.get(code)
        if competency is not None:
            return self.text(competency.title)
        if title is not None:
            return self.text(title)
        return code if isinstance(item, str) else self.text(item.title)

    def competency(self, item: ItemNeed | str) -> str:
        """Code and title, as in the tables ("ID01 Identify possible victims")."""
        code = item if isinstance(item, str) else item.code
        return f"{code} {self.title(item)}"

    def description(self, code: str) -> str:
        competency = self._competencies.get(code)
        return self.text(competency.description) if competency is not None else ""

    def level(self, code: str) -> str:
        return {"foundational": _("Foundational"), "specialised": _("Specialised")}.get(code, code or ABSENT)

    def pillar(self, code: str) -> str:
        return self._pillars.get(code, code) or _("Not specified")

    def organisation_type(self, code: str) -> str:
        return self._types.get(code, code) or _("Not specified")

    def quadrant(self, quadrant: Quadrant | None) -> str:
        if quadrant is None:
            return ABSENT
        return {
            Quadrant.HH: _("HH: first priority"),
            Quadrant.HL: _("HL: second priority"),
            Quadrant.LH: _("LH: second priority"),
            Quadrant.LL: _("LL: last"),
        }[quadrant]

    def attribute(self, name: str) -> str:
        """The name of an attribute used to break the results down ("Sex", "Location")."""
        return {
            ATTRIBUTE_SEX: _("Sex"),
            ATTRIBUTE_ORGANISATION: _("Organisation"),
            ATTRIBUTE_ORGANISATION_TYPE: _("Type of organisation"),
            ATTRIBUTE_LEVEL: _("Level of the organisation"),
            ATTRIBUTE_LOCATION: _("Location"),
            ATTRIBUTE_ROLE: _("Role or rank"),
            ATTRIBUTE_YEARS: _("Years of service"),
            ATTRIBUTE_AGE: _("Age"),
            ATTRIBUTE_PRIOR_TRAINING: _("Earlier training on trafficking"),
        }.get(name, name)

    def value(self, attribute: str, value: str) -> str:
        """One value of an attribute in words ("female" → "Female", "not_stated" → "Not stated")."""
        if value in ("", NOT_STATED):
            return _("Not stated")
        if attribute == ATTRIBUTE_SEX:
            return sex_label(value)
        if attribute == ATTRIBUTE_ORGANISATION_TYPE:
            return self.organisation_type(value)
        if attribute == ATTRIBUTE_LEVEL:
            return self._levels.get(value, value)
        question = self._questions.get(_QUESTION_OF_ATTRIBUTE.get(attribute, ""))
        if question is not None:
            for choice in question.choices:
                if choice.name == value:
                    return self.text(choice.label)
        return value

    def order(self, attribute: str, value: str) -> tuple[int, str]:
        """Where a value goes in a list of groups: the order of the question's choices (age bands), the
        first number for bands of years ("5–9" before "10–19"), otherwise none (0)."""
        question = self._questions.get(_QUESTION_OF_ATTRIBUTE.get(attribute, ""))
        if question is not None and question.choices and attribute != ATTRIBUTE_SEX:
            names = [choice.name for choice in question.choices]
            if value in names:
                return names.index(value), value
        if attribute == ATTRIBUTE_YEARS:
            digits = "".join(ch for ch in value.split("–")[0] if ch.isdigit())
            return (int(digits) if digits else 999), value
        return 0, ""

    def group(self, attributes: Sequence[str], values: Sequence[str]) -> str:
        return " · ".join(self.value(a, v) for a, v in zip(attributes, values, strict=True))

    def question(self, name: str) -> str:
        question = self._questions.get(name)
        return self.text(question.label) if question is not None else name

    def answer(self, question_name: str, value: str) -> str:
        question = self._questions.get(question_name)
        if not value:
            return _("No answer")
        if question is not None:
            for choice in question.choices:
                if choice.name == value:
                    return self.text(choice.label)
        return value

    def answers_of(self, question_name: str) -> tuple[str, ...]:
        question = self._questions.get(question_name)
        return tuple(choice.name for choice in question.choices) if question is not None else ()

    def suppressed(self, reason: str) -> str:
        """What a suppressed cell shows: "n<5" for a small group; "hidden" for one hidden so that a small
        group cannot be worked out from the others."""
        if reason == "small_cell":
            return f"n<{self.min_cell}"
        return _("hidden")

    def group_cell(self, need: GroupNeed | None) -> Cell:
        """The MWDS of one item in one group, or why it is not shown."""
        if need is None:
            return ABSENT
        if need.suppressed:
            return self.suppressed(need.suppressed)
        return Stat(need.mwds)


# --- Gathering -------------------------------------------------------------------------------------------


def _responses(instrument: SurveyInstrument) -> tuple[ResponseCount, ...]:
    rows = (
        SurveySubmission.objects.filter(instrument=instrument)
        .values(
            "organisation__key", "organisation__name", "organisation__acronym", "organisation_text", "sex"
        )
        .annotate(count=Count("id"))
    )
    found: dict[str, dict[str, object]] = {}
    for row in rows:
        key = row["organisation__key"] or ""
        if key:
            acronym = row["organisation__acronym"]
            label = f"{row['organisation__name']} ({acronym})" if acronym else str(row["organisation__name"])
        else:
            label = ""
        entry = found.setdefault(key, {"label": label, "women": 0, "men": 0, "total": 0})
        count = int(row["count"])
        entry["total"] = int(str(entry["total"])) + count
        if row["sex"] in ("female", "male"):
            name = "women" if row["sex"] == "female" else "men"
            entry[name] = int(str(entry[name])) + count
    return tuple(
        ResponseCount(
            key=key,
            label=str(entry["label"]),
            women=int(str(entry["women"])),
            men=int(str(entry["men"])),
            total=int(str(entry["total"])),
        )
        for key, entry in sorted(found.items())
    )


def needs_report_data(
    workspace: Workspace,
    instrument: SurveyInstrument,
    *,
    language: str,
    options: NeedsOptions | None = None,
) -> NeedsReportData:
    """Everything the report needs, analysed once; call it inside ``translation.override(language)``."""
    options = options or NeedsOptions()
    data, analysis = analysis_for(workspace, instrument, filters={}, by=REPORT_BY, options=options)
    evidence: Mapping[str, Sequence[ThemeEvidence]] = theme_evidence(workspace)
    try:
        plan: SamplingPlan | None = inception_sampling_plan(workspace)
        plan_problem = ""
    except DomainError as error:
        plan, plan_problem = None, error.render(_)
    dates = SurveySubmission.objects.filter(instrument=instrument).aggregate(
        first=Min("submitted_at"), last=Max("submitted_at")
    )
    records = QualitativeRecord.objects.filter(workspace=workspace)
    built = instrument_of(instrument)
    result = NeedsReportData(
        workspace=workspace,
        instrument=instrument,
        built=built,
        language=language,
        data=data,
        analysis=analysis,
        profiles=learning_profiles(data, top=PROFILE_TOP),
        triangulation=triangulate(analysis.items, evidence),
        plan=plan,
        plan_problem=plan_problem,
        responses=_responses(instrument),
        first_answer=dates["first"],
        last_answer=dates["last"],
        interviews=records.filter(kind="interview").count(),
        focus_groups=records.filter(kind="focus_group").count(),
        prior_trainings=tuple(
            PriorTraining.objects.filter(organisation__workspace=workspace)
            .select_related("organisation")
            .order_by("-year", "organisation__name", "topic")
        ),
        labels=Labels(workspace, built, language, options.min_cell),
        short_names=organisation_short_names(workspace),
    )
    return result
