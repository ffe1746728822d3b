"""Reads of the gap analysis: the survey answers of one instrument as the core's ``NeedsData``, the
qualitative evidence coded to each competency, and the analysis itself — the one path by which the
dashboard, the report, the API and the command line get their numbers.

Everything is read in bulk (a fixed number of queries whatever the number of submissions); the statistics
are computed by ``ctip.core.needs``.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence

from django.db.models import Count
from django.utils.translation import gettext

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.needs import (
    ThemeEvidence,
    Triangulated,
    analyse_needs,
    filter_respondents,
    learning_profiles,
    needs_data_from_submissions,
    triangulate,
)
from ctip.core.needs.model import (
    ATTRIBUTE_LEVEL,
    ATTRIBUTE_LOCATION,
    ATTRIBUTE_ORGANISATION,
    ATTRIBUTE_ORGANISATION_TYPE,
    LearningProfile,
    NeedsAnalysis,
    NeedsData,
    NeedsOptions,
)
from ctip.core.stakeholders import LEVEL_LABELS
from ctip.core.tna.model import Instrument, Rating, Sex, Submission, Text
from ctip.core.tna.themes import ExcerptFact, source_counts
from ctip.formats.tabular import Sheet, write_xlsx
from ctip.web.accounts.models import Workspace
from ctip.web.qualitative.models import CodedExcerpt, QualitativeRecord, Theme
from ctip.web.qualitative.selectors import type_labels
from ctip.web.stakeholders.models import Organisation
from ctip.web.tna.models import SurveyInstrument, SurveyRating, SurveySubmission
from ctip.web.tna.services import instrument_of

MAX_ATTRIBUTES_PER_TABLE = 2
DEFAULT_OPTIONS = NeedsOptions()
LOCATION_QUESTION = "location"


# --- Which instrument ------------------------------------------------------------------------------------


def instruments_by_use(workspace: Workspace) -> list[SurveyInstrument]:
    """The workspace's instruments, the one with the most submissions first (then the newest), each with
    ``submission_count``."""
    return list(
        SurveyInstrument.objects.filter(workspace=workspace)
        .annotate(submission_count=Count("submissions"))
        .order_by("-submission_count", "-created_at", "title")
    )


def default_instrument(workspace: Workspace) -> SurveyInstrument | None:
    """The instrument with the most submissions (the newest of those tied), or ``None`` when there is none."""
    found = instruments_by_use(workspace)
    return found[0] if found else None


def instrument_for(workspace: Workspace, instrument: str | uuid.UUID | None) -> SurveyInstrument | None:
    """The instrument of ``workspace`` with this UUID, or the default one when none is given. Raises
    ``not_found`` for a UUID that is not one of the workspace's instruments."""
    if instrument is None or str(instrument).strip() == "":
        return default_instrument(workspace)
    try:
        wanted = uuid.UUID(str(instrument).strip())
    except ValueError:
        wanted = None
    found = (
        SurveyInstrument.objects.filter(workspace=workspace, uuid=wanted).first()
        if wanted is not None
        else None
    )
    if found is None:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            _("There is no survey instrument “%(id)s” in this workspace; list them at …/instruments."),
            {"id": str(instrument)},
            problems=[FieldProblem("instrument", _("Give the id of one of the workspace's instruments."))],
        )
    return found


# --- The survey answers as NeedsData ---------------------------------------------------------------------


def _location_labels(built: Instrument) -> dict[str, str]:
    """Choice name → place name of the instrument's location question (``port_louis`` → "Port Louis")."""
    for question in built.profile_questions:
        if question.name == LOCATION_QUESTION:
            return {choice.name: choice.label.en or choice.name for choice in question.choices}
    return {}


def instrument_submissions(
    workspace: Workspace, instrument: SurveyInstrument
) -> list[tuple[Submission, int | None]]:
    """The instrument's submissions as core ``Submission`` records (by key), each with the id of the registry
    organisation it was matched to. Two queries: the submissions, then all their ratings."""
    rows = list(
        SurveySubmission.objects.filter(workspace=workspace, instrument=instrument)
        .order_by("key")
        .values(
            "id",
            "key",
            "source",
            "submitted_at",
            "sex",
            "organisation_id",
            "organisation_text",
            "profile",
            "institutional",
        )
    )
    ratings: dict[int, dict[str, Rating]] = {}
    for submission_id, code, importance, competence in SurveyRating.objects.filter(
        submission__workspace=workspace, submission__instrument=instrument
    ).values_list("submission_id", "code", "importance", "competence"):
        ratings.setdefault(submission_id, {})[code] = Rating(importance, competence)
    known_sexes = {sex.value for sex in Sex}
    return [
        (
            Submission(
                key=row["key"],
                source=row["source"],
                submitted_at=row["submitted_at"],
                sex=Sex(row["sex"]) if row["sex"] in known_sexes else Sex.NOT_STATED,
                organisation=row["organisation_text"],
                profile={str(k): str(v) for k, v in (row["profile"] or {}).items() if v is not None},
                ratings=ratings.get(row["id"], {}),
                institutional={
                    str(k): str(v) for k, v in (row["institutional"] or {}).items() if v is not None
                },
            ),
            row["organisation_id"],
        )
        for row in rows
    ]


def workspace_needs_data(workspace: Workspace, instrument: SurveyInstrument) -> NeedsData:
    """The instrument's answers, ready for ``ctip.core.needs``: items and scale from the instrument as it
    was built; respondents by submission key. The registry sets three attributes of each respondent whose
    organisation it knows: ``organisation`` (the organisation's name as the registry shows it; the text as
    given when it is not in the registry), ``organisation_type`` and ``level`` (their labels in the reader's
    language; empty when unknown). ``location`` is the place name, not the survey's choice name."""
    built = instrument_of(instrument)
    records = instrument_submissions(workspace, instrument)
    organisations = {
        organisation.pk: organisation
        for organisation in Organisation.objects.filter(
            workspace=workspace, pk__in={org_id for _submission, org_id in records if org_id is not None}
        )
    }
    levels_labels = {level.value: gettext(label) for level, label in LEVEL_LABELS.items()}
    types_labels = type_labels(workspace)
    places = _location_labels(built)
    names: dict[str, str] = {}
    types: dict[str, str] = {}
    levels: dict[str, str] = {}
    locations: dict[str, str] = {}
    for submission, organisation_id in records:
        organisation = organisations.get(organisation_id) if organisation_id is not None else None
        if organisation is not None:
            names[submission.key] = str(organisation)
            types[submission.key] = types_labels.get(organisation.type, organisation.type)
            levels[submission.key] = levels_labels.get(organisation.level, organisation.level)
        else:
            names[submission.key] = submission.organisation.strip()
            types[submission.key] = ""
            levels[submission.key] = ""
        place = submission.profile.get(LOCATION_QUESTION, "").strip()
        locations[submission.key] = places.get(place, place)
    return needs_data_from_submissions(
        built,
        [submission for submission, _organisation_id in records],
        attributes={
            ATTRIBUTE_ORGANISATION: names,
            ATTRIBUTE_ORGANISATION_TYPE: types,
            ATTRIBUTE_LEVEL: levels,
            ATTRIBUTE_LOCATION: locations,
        },
    )


def organisation_short_names(workspace: Workspace) -> dict[str, str]:
    """The registry's organisation names as ``workspace_needs_data`` gives them → their acronym (or name),
    for charts with little room."""
    return {
        str(organisation): organisation.acronym or organisation.name
        for organisation in Organisation.objects.filter(workspace=workspace)
    }


# --- Qualitative evidence --------------------------------------------------------------------------------


def theme_evidence(workspace: Workspace) -> dict[str, list[ThemeEvidence]]:
    """Competency code → the codebook themes linked to it, most sources first: the number of interviews and
    focus groups with an excerpt coded to the theme, the organisation types (labels) of the organisations
    that took part in them, and the theme's first anonymised quote from the quote bank ("" when none).
    Four queries, whatever the size of the codebook."""
    themes = [
        theme
        for theme in Theme.objects.filter(workspace=workspace).order_by("code")
        if theme.competency_codes
    ]
    if not themes:
        return {}
    record_types: dict[int, set[str]] = {}
    for record_id, type_code in QualitativeRecord.organisations.through.objects.filter(
        qualitativerecord__workspace=workspace
    ).values_list("qualitativerecord_id", "organisation__type"):
        record_types.setdefault(record_id, set()).add(type_code)
    facts = [
        ExcerptFact(str(theme_id), str(record_id), tuple(sorted(record_types.get(record_id, ()))))
        for theme_id, record_id in CodedExcerpt.objects.filter(theme__in=themes)
        .values_list("theme_id", "record_id")
        .distinct()
    ]
    counts = {count.theme: count for count in source_counts(facts)}
    quotes: dict[int, str] = {}
    for theme_id, text in (
        CodedExcerpt.objects.filter(theme__in=themes, is_quote=True, anonymised=True)
        .order_by("theme__code", "record__date", "created_at", "id")
        .values_list("theme_id", "text")
    ):
        quotes.setdefault(theme_id, " ".join(text.split()))
    labels = type_labels(workspace)
    evidence: dict[str, list[ThemeEvidence]] = {}
    for theme in themes:
        count = counts.get(str(theme.pk))
        found = ThemeEvidence(
            theme=theme.code,
            title=Text(theme.name),
            sources=count.sources if count is not None else 0,
            organisation_types=tuple(
                sorted(
                    (labels.get(code, code) for code in (count.by_organisation_type if count else {})),
                    key=str.casefold,
                )
            ),
            quote=quotes.get(theme.pk, ""),
        )
        for code in dict.fromkeys(str(code).strip().upper() for code in theme.competency_codes):
            if code:
                evidence.setdefault(code, []).append(found)
    for found_for_code in evidence.values():
        found_for_code.sort(key=lambda item: (-item.sources, item.theme))
    return evidence


def triangulation_for(workspace: Workspace, analysis: NeedsAnalysis) -> tuple[Triangulated, ...]:
    """The survey's priorities beside the interviews' themes, in the analysis's item order."""
    return triangulate(analysis.items, theme_evidence(workspace))


# --- The analysis ----------------------------------------------------------------------------------------


def parse_by(text: str) -> tuple[tuple[str, ...], ...]:
    """``"sex,organisation"`` → two one-way tables; ``"sex+location"`` → one two-way table. Attribute names
    are checked by the core."""
    tables: list[tuple[str, ...]] = []
    for part in text.split(","):
        attributes = tuple(name.strip() for name in part.split("+") if name.strip())
        if not attributes:
            continue
        if len(attributes) > MAX_ATTRIBUTES_PER_TABLE:
            raise DomainError(
                ErrorCode.INVALID_VALUE,
                _("A table can cross at most two attributes; “%(part)s” names %(count)s."),
                {"part": part.strip(), "count": len(attributes)},
                problems=[
                    FieldProblem(
                        "by",
                        _(
                            "Separate tables with “,” and cross two attributes with “+”, e.g. sex,sex+location."
                        ),
                    )
                ],
            )
        if attributes not in tables:
            tables.append(attributes)
    return tuple(tables)


def require_enough_respondents(data: NeedsData, *, min_cell: int, filtered: bool) -> None:
    """Refuse to show results for fewer than ``min_cell`` respondents: so few answers could point at the
    people who gave them (DOMAIN.md §4)."""
    count = len(data.respondents)
    if count >= min_cell:
        return
    if count == 0 and not filtered:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("No survey answers yet for this instrument; import them first."),
            problems=[FieldProblem("instrument", _("Import survey data or choose another instrument."))],
        )
    if filtered:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "Fewer than %(min)s respondents match these filters, so their results are not shown (so few "
                "answers could identify the people who gave them). Remove a filter or choose a larger group."
            ),
            {"min": min_cell},
            problems=[FieldProblem("filters", _("Choose a larger group."))],
        )
    raise DomainError(
        ErrorCode.INVALID_VALUE,
        _(
            "The survey has fewer than %(min)s respondents so far; results are shown from %(min)s respondents "
            "on, so that no answer can be traced to the person who gave it."
        ),
        {"min": min_cell},
        problems=[FieldProblem("instrument", _("Import more survey answers."))],
    )


def analyse(
    data: NeedsData,
    *,
    filters: Mapping[str, Collection[str]] | None = None,
    by: Sequence[Sequence[str]] = (),
    options: NeedsOptions = DEFAULT_OPTIONS,
) -> tuple[NeedsData, NeedsAnalysis]:
    """Keep the respondents the filters select, check there are enough of them, and analyse them."""
    wanted = {name: values for name, values in (filters or {}).items() if values}
    kept = filter_respondents(data, wanted) if wanted else data
    require_enough_respondents(kept, min_cell=options.min_cell, filtered=bool(wanted))
    return kept, analyse_needs(kept, by=by, options=options)


def analysis_for(
    workspace: Workspace,
    instrument: SurveyInstrument,
    *,
    filters: Mapping[str, Collection[str]] | None = None,
    by: Sequence[Sequence[str]] = (),
    options: NeedsOptions = DEFAULT_OPTIONS,
) -> tuple[NeedsData, NeedsAnalysis]:
    """The instrument's answers (only the respondents ``filters`` select: attribute → accepted values) and
    their analysis, disaggregated ``by`` the given attributes. Raises ``invalid_value`` when fewer than
    ``options.min_cell`` respondents are left, and for an unknown attribute."""
    return analyse(workspace_needs_data(workspace, instrument), filters=filters, by=by, options=options)


# --- Learning profiles -----------------------------------------------------------------------------------


def profiles_xlsx(data: NeedsData, profiles: Sequence[LearningProfile], *, language: str = "en") -> bytes:
    """Each respondent's largest own gaps, one row per gap (a respondent without a gap gets one row saying
    so), keyed by the pseudonymous submission key: for trainers planning who needs what, never published."""
    titles = {item.code: item.title.get(language) for item in data.items}
    organisations = dict(
        zip(
            data.respondents,
            data.attributes.get(ATTRIBUTE_ORGANISATION, ("",) * len(data.respondents)),
            strict=True,
        )
    )
    header = (
        gettext("respondent"),
        gettext("organisation"),
        gettext("order"),
        gettext("code"),
        gettext("competency"),
        gettext("importance"),
        gettext("competence"),
        gettext("gap"),
    )
    rows: list[list[object]] = []
    for profile in profiles:
        organisation = organisations.get(profile.respondent, "")
        if not profile.gaps:
            rows.append([profile.respondent, organisation, "", "", gettext("no gap"), "", "", ""])
        for order, gap in enumerate(profile.gaps, start=1):
            rows.append(
                [
                    profile.respondent,
                    organisation,
                    order,
                    gap.code,
                    titles.get(gap.code, gap.code),
                    gap.importance,
                    gap.competence,
                    gap.discrepancy,
                ]
            )
    notes = {
        header[0]: gettext("The submission key: a pseudonym, not a name. Keep this file confidential."),
        header[7]: gettext("Importance minus own competence (larger: more need)."),
    }
    return write_xlsx(
        [Sheet(name=gettext("learning profiles"), header=header, rows=rows, column_notes=notes)]
    )


def profiles_for(data: NeedsData, *, top: int = 5) -> tuple[LearningProfile, ...]:
    return learning_profiles(data, top=top)
