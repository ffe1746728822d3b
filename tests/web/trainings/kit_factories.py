"""Training events and module content for the delivery kit's tests, made with the models directly."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence

from ctip.core.training.content import Localised, LocalisedList, ModuleContent, Objective, SessionPlan
from ctip.web.planning import services as planning_services
from ctip.web.planning.models import TrainingModule
from ctip.web.tna import services as tna_services
from ctip.web.trainings.models import EventModule, Participant, TrainingEvent
from tests.web.needs.test_data import registry_of_four, survey_rows
from tests.web.tna.factories import instrument_make, kobo_csv

MONDAY = dt.date(2026, 3, 2)


def scr_content() -> ModuleContent:
    """A small, fixed session plan for module SCR (two days: 660 minutes), in English and French."""

    def session(number: int, minutes: int, objective: str, en: str, fr: str) -> SessionPlan:
        return SessionPlan(
            code=f"SCR-S{number}",
            minutes=minutes,
            objectives=(objective,),
            title=Localised(en, fr),
            key_points=LocalisedList(
                (f"{en}: first point", f"{en}: second point", f"{en}: third point"),
                (f"{fr} : premier point", f"{fr} : deuxième point", f"{fr} : troisième point"),
            ),
            exercise=Localised(f"Role play on {en.lower()}.", f"Jeu de rôle : {fr.lower()}."),
            handout=Localised(f"Handout on {en.lower()}.", f"Fiche sur {fr.lower()}."),
        )

    return ModuleContent(
        module="SCR",
        objectives=(
            Objective(
                "SCR-LO1",
                "ID01",
                Localised(
                    "Apply the screening form to decide whether to refer.",
                    "Appliquer le formulaire de détection pour décider d'orienter.",
                ),
            ),
            Objective(
                "SCR-LO2",
                "ID03",
                Localised(
                    "Recognise the indicators of trafficking.", "Reconnaître les indicateurs de la traite."
                ),
            ),
        ),
        sessions=(
            session(1, 90, "SCR-LO2", "Indicators of trafficking", "Indicateurs de la traite"),
            session(2, 120, "SCR-LO1", "The screening form", "Le formulaire de détection"),
            session(3, 120, "SCR-LO1", "Screening interview practice", "Pratique de l'entretien de repérage"),
            session(4, 120, "SCR-LO1", "Recording and referring", "Consigner et orienter"),
            session(5, 90, "SCR-LO2", "Outreach planning", "Planifier la proximité"),
            session(6, 120, "SCR-LO2", "Outreach simulation", "Simulation de proximité"),
        ),
        practice_notes=LocalisedList(
            ("Speak to a child with a trusted adult present.", "Offer an interviewer of the same sex."),
            (
                "Parler à un enfant en présence d'un adulte de confiance.",
                "Proposer un intervieweur du même sexe.",
            ),
        ),
        items=(),
    )


def fixed_content(code: str) -> ModuleContent | None:
    """The tests' content library: SCR has the fixed plan above, every other module has none."""
    return scr_content() if code == "SCR" else None


def event_make(
    workspace,
    *,
    modules: Sequence[str] = ("SCR",),
    start: dt.date = MONDAY,
    end: dt.date | None = None,
    code: str = "TR-2026-01",
    language: str = "en",
    **values,
) -> TrainingEvent:
    """An event teaching ``modules`` of the workspace's catalogue (seeded), from ``start`` to ``end``
    (default: two days)."""
    planning_services.catalogue_ensure(workspace=workspace, acting_user=None)
    event = TrainingEvent.objects.create(
        workspace=workspace,
        code=code,
        title=values.pop("title", "Screening for frontline staff"),
        start_date=start,
        end_date=end or start + dt.timedelta(days=1),
        venue=values.pop("venue", "Police Training School"),
        location=values.pop("location", "Mauritius"),
        trainers=values.pop(
            "trainers", [{"name": "Aline Trainer", "origin": "national", "organisation": "Police"}]
        ),
        audience=values.pop("audience", "Police officers and labour inspectors"),
        target_female=values.pop("target_female", 12),
        target_male=values.pop("target_male", 13),
        language=language,
        test_token=secrets.token_urlsafe(16),
        **values,
    )
    for position, module_code in enumerate(modules):
        module = TrainingModule.objects.get(workspace=workspace, code=module_code)
        EventModule.objects.create(event=event, module=module, position=position)
    return event


def participants_make(event: TrainingEvent, sexes: Sequence[str], organisation: str = "Police") -> None:
    for number, sex in enumerate(sexes, start=1):
        Participant.objects.create(
            workspace=event.workspace,
            event=event,
            code=f"P{number:03d}",
            sex=sex,
            organisation_name=organisation,
        )


def tna_survey(workspace):
    """The needs tests' registry and instrument (competencies FD01–FD03) with 30 imported answers."""
    registry_of_four(workspace)
    instrument = instrument_make(workspace)
    tna_services.survey_import_apply(
        workspace=workspace,
        instrument=instrument,
        data=kobo_csv(survey_rows(30)),
        filename="survey.csv",
        acting_user=None,
    )
    return instrument
