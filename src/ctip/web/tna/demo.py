"""The TNA demo for the Mauritius workspace — with FICTIONAL survey answers.

:func:`demo_tna` copies the default competency framework, builds one instrument for all staff (the eight
foundational competencies and four specialised ones, rated 1–5) and imports about 400 invented survey
submissions through the ordinary import service (a KoboToolbox-shaped CSV; the batch and submissions are
marked ``demo``). The answers are generated with ``random.Random(2026)``, so every run produces the same
file and importing it again changes nothing:

* respondents are spread over the registry's organisations by staff (the square root of the staff total,
  as a purposive TNA sample does, so that small specialised units are heard next to large ministries);
* sex follows each organisation's staff (women / men), with a few "prefer not to say" and missing answers;
* locations are the organisation's own, and some staff of national bodies work on Rodrigues;
* about 30% attended an earlier training on trafficking, and rate their competence higher;
* importance is mostly 4–5; competence is lower, especially for the specialised competencies.

No answer describes a real person or a real organisation's staff. Links to the built-in web form, with a
few fictional answers given through it, come from :mod:`ctip.web.tna.demo_web_form`. :func:`demo_tna_documents` returns the
instrument's XLSForm and its Word documents for ``ctip demo`` to write.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from ctip.core.tna.model import CompetencyLevel, Instrument, Question, competence_field, importance_field
from ctip.formats.tabular import csv_text
from ctip.formats.xlsform import INSTITUTIONAL_GROUP, OPEN_GROUP, PROFILE_GROUP, rating_group
from ctip.web.accounts.models import User, Workspace
from ctip.web.stakeholders.models import Organisation
from ctip.web.tna import documents, selectors, services
from ctip.web.tna.demo_web_form import demo_web_form
from ctip.web.tna.models import SurveyInstrument
from ctip.web.tna.services.instruments import organisation_choice_keys
from ctip.web.tna.services.survey_import import SOURCE_DEMO

DEMO_TITLE = "Training needs of staff in the national response (demo)"
DEMO_SPECIALISED = ("ID01", "RF01", "CP01", "DA01")
DEMO_RESPONDENTS = 400
DEMO_SEED = 2026
DEMO_FILE = "demo-kobo-export.csv"
FIRST_SUBMISSION = dt.datetime(2026, 3, 2, 5, 30, tzinfo=dt.UTC)
RODRIGUES = "Rodrigues"

_ROLES = (
    "officer (fictional)",
    "inspector (fictional)",
    "social worker (fictional)",
    "legal officer (fictional)",
    "nurse (fictional)",
    "programme officer (fictional)",
    "manager (fictional)",
)
_OBSTACLES = (
    "Not enough time to follow up cases.",
    "We do not know whom to call after office hours.",
    "Les procédures ne sont pas claires entre les services.",
    "No interpreter when the person does not speak Creole, French or English.",
    "Staff change often and new colleagues are not trained.",
    "Peu de retours sur les cas que nous signalons.",
)
_TRAININGS_WANTED = (
    "Practical exercises on identifying victims.",
    "How to use the referral mechanism step by step.",
    "Interviewing children.",
    "Formation sur la loi de 2009 et les procédures.",
    "Working with labour inspectors on forced labour cases.",
)
_PRIOR_TOPICS = (
    "identification",
    "referral",
    "victim assistance",
    "the anti-trafficking law",
    "investigation",
)


def _demo_instrument(workspace: Workspace, acting_user: User | None) -> SurveyInstrument:
    existing = SurveyInstrument.objects.filter(workspace=workspace, title=DEMO_TITLE).first()
    if existing is not None:
        return existing
    codes = [
        row.code
        for row in selectors.competencies(workspace)
        if row.level == CompetencyLevel.FOUNDATIONAL.value or row.code in DEMO_SPECIALISED
    ]
    return services.instrument_create(
        workspace=workspace,
        title=DEMO_TITLE,
        segment="",
        competency_codes=codes,
        scale_max=5,
        acting_user=acting_user,
    )


def _choices(question: Question) -> list[str]:
    return [choice.name for choice in question.choices]


def _question(instrument: Instrument, name: str) -> Question:
    for question in (
        *instrument.profile_questions,
        *instrument.institutional_questions,
        *instrument.open_questions,
    ):
        if question.name == name:
            return question
    raise KeyError(name)


def _header(instrument: Instrument) -> list[str]:
    header = ["start", "end", "consent"]
    header += [f"{PROFILE_GROUP}/{question.name}" for question in instrument.profile_questions]
    for competency in instrument.competencies:
        group = rating_group(competency.pillar)
        header += [
            f"{group}/{importance_field(competency.code)}",
            f"{group}/{competence_field(competency.code)}",
        ]
    header += [f"{INSTITUTIONAL_GROUP}/{question.name}" for question in instrument.institutional_questions]
    header += [f"{OPEN_GROUP}/{question.name}" for question in instrument.open_questions]
    return [
        *header,
        "_id",
        "_uuid",
        "_submission_time",
        "_validation_status",
        "_status",
        "__version__",
        "_index",
    ]


def _clamp(value: float, scale_max: int) -> int:
    return max(1, min(scale_max, round(value)))


def demo_survey_rows(workspace: Workspace, instrument: SurveyInstrument) -> tuple[list[str], list[list[str]]]:
    """The fictional export: a header in KoboToolbox's "XML values and headers" shape and one row per
    respondent (deterministic for a given registry and instrument)."""
    built = services.instrument_of(instrument)
    rng = random.Random(DEMO_SEED)
    organisations = {
        name: organisation
        for name, organisation in organisation_choice_keys(
            Organisation.objects.filter(workspace=workspace).order_by("name")
        )
    }
    offered = [name for name in _choices(_question(built, "organisation")) if name in organisations]
    weights = [math.sqrt(organisations[name].staff_total or 25) for name in offered]
    location_names = {
        choice.label.en.casefold(): choice.name for choice in _question(built, "location").choices
    }
    rodrigues = location_names.get(RODRIGUES.casefold())
    header = _header(built)
    rows: list[list[str]] = []
    for number in range(1, DEMO_RESPONDENTS + 1):
        choice_name = rng.choices(offered, weights=weights)[0]
        organisation = organisations[choice_name]
        women, men = organisation.staff_women or 0, organisation.staff_men or 0
        share_women = women / (women + men) if women + men else 0.5
        draw = rng.random()
        if draw < 0.02:
            sex = ""
        elif draw < 0.05:
            sex = "prefer_not_to_say"
        else:
            sex = "female" if rng.random() < share_women else "male"
        location = location_names.get((organisation.location or "").casefold(), "")
        if organisation.level == "national" and rodrigues and rng.random() < 0.06:
            location = rodrigues
        if not location:
            location = next(iter(location_names.values()), "")
        trained = rng.random() < 0.30
        years = max(0, min(40, int(rng.gauss(11, 7))))
        values: dict[str, str] = {
            "consent": "yes",
            f"{PROFILE_GROUP}/sex": sex,
            f"{PROFILE_GROUP}/age_band": rng.choices(
                ["18_24", "25_34", "35_44", "45_54", "55_plus"], weights=[6, 30, 32, 22, 10]
            )[0],
            f"{PROFILE_GROUP}/organisation": choice_name,
            f"{PROFILE_GROUP}/role_rank": rng.choice(_ROLES),
            f"{PROFILE_GROUP}/location": location,
            f"{PROFILE_GROUP}/years_of_service": str(years),
            f"{PROFILE_GROUP}/prior_training": "yes" if trained else "no",
        }
        if trained:
            values[f"{PROFILE_GROUP}/prior_training_year"] = str(rng.randint(2019, 2025))
            values[f"{PROFILE_GROUP}/prior_training_topic"] = rng.choice(_PRIOR_TOPICS)
        frontline = organisation.type in (
            "law_enforcement",
            "immigration_service",
            "labour_inspection",
            "social_child_protection",
            "ngo",
        )
        for competency in built.competencies:
            group = rating_group(competency.pillar)
            specialised = competency.level == CompetencyLevel.SPECIALISED
            importance = rng.choices(
                [2, 3, 4, 5], weights=[3, 12, 40, 45] if not specialised or frontline else [8, 25, 40, 27]
            )[0]
            base = (2.3 if specialised else 3.0) + (0.8 if trained else 0.0) + min(years, 20) * 0.02
            competence = _clamp(rng.gauss(base, 0.9), built.scale_max)
            values[f"{group}/{importance_field(competency.code)}"] = str(importance)
            values[f"{group}/{competence_field(competency.code)}"] = str(competence)
        for question in built.institutional_questions:
            options = _choices(question)
            values[f"{INSTITUTIONAL_GROUP}/{question.name}"] = rng.choice(options) if options else ""
        if rng.random() < 0.45:
            values[f"{OPEN_GROUP}/obstacle"] = rng.choice(_OBSTACLES)
        if rng.random() < 0.35:
            values[f"{OPEN_GROUP}/training_wanted"] = rng.choice(_TRAININGS_WANTED)
        moment = FIRST_SUBMISSION + dt.timedelta(minutes=37 * number + rng.randint(0, 30))
        values.update(
            {
                "start": (moment - dt.timedelta(minutes=25)).isoformat(),
                "end": (moment - dt.timedelta(minutes=1)).isoformat(),
                "_id": str(90000 + number),
                "_uuid": f"00000000-demo-4000-8000-{number:012d}",
                "_submission_time": moment.replace(tzinfo=None).isoformat(),
                "_status": "submitted_via_web",
                "__version__": "demo",
                "_index": str(number),
            }
        )
        rows.append([values.get(column, "") for column in header])
    return header, rows


def demo_tna(*, workspace: Workspace, acting_user: User | None) -> SurveyInstrument:
    """The framework, the all-staff instrument and its fictional answers (idempotent)."""
    services.framework_ensure(workspace=workspace, acting_user=acting_user)
    instrument = _demo_instrument(workspace, acting_user)
    header, rows = demo_survey_rows(workspace, instrument)
    data = csv_text(header, rows).encode("utf-8")
    services.survey_import_apply(
        workspace=workspace,
        instrument=instrument,
        data=data,
        filename=DEMO_FILE,
        acting_user=acting_user,
        source=SOURCE_DEMO,
    )
    demo_web_form(workspace=workspace, instrument=instrument, acting_user=acting_user)
    return instrument


def demo_tna_documents(workspace: Workspace) -> dict[str, bytes]:
    """The demo instrument's files (file name → content): the XLSForm and the questionnaire, interview guide
    and focus-group guide in English and French. Empty when the demo instrument does not exist."""
    instrument = (
        SurveyInstrument.objects.filter(workspace=workspace, title=DEMO_TITLE)
        .select_related("workspace")
        .first()
    )
    if instrument is None:
        return {}
    files: dict[str, bytes] = {"tna-survey-xlsform.xlsx": documents.instrument_xlsform(instrument)}
    for kind in documents.KINDS:
        for language in documents.LANGUAGES:
            files[f"tna-{kind}-{language}.docx"] = documents.instrument_document(
                instrument, kind=kind, language=language
            )
    return files
