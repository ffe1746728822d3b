"""The demo's trainings: three delivered trainings drawn from the adopted capacity plan — two in Mauritius
taken on phones, one on Rodrigues taken on paper and imported from an answer sheet — with generated,
fictional participants (pseudonymous codes only), attendance, pre- and post-test answers (a Rasch model with
a fixed seed, :mod:`ctip.core.training.simulation`), reaction surveys, a follow-up survey for the first
training, and the indicators of the M&E framework that the training data feed. Everything goes through the
app's services, as a trainer's clicks would.

:func:`demo_training_documents` writes each training's delivery kit (concept note, agenda, manual, slides),
its training report, the capacity development report (Word and PowerPoint, English and French) and the two
survey forms as XLSForm.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ctip.core.training import simulation
from ctip.core.training.model import SurveyKind
from ctip.web.accounts.models import User, Workspace
from ctip.web.monitoring.models import Indicator
from ctip.web.planning.models import PlanSession, TrainingModule
from ctip.web.stakeholders.models import Organisation
from ctip.web.trainings.models import AssessmentForm, Participant, TrainingEvent
from ctip.web.trainings.services import event_plan, events, participants, taking, test_forms
from ctip.web.trainings.services.answers_import import answers_import_apply
from ctip.web.trainings.services.attendance import attendance_save
from ctip.web.trainings.services.feeds import feed_set
from ctip.web.trainings.services.item_bank import bank_ensure

SEED = 2026
FICTIONAL = "(fictional)"


@dataclass(frozen=True)
class DemoTraining:
    modules: tuple[str, ...]
    """Module codes in order of preference for the plan session the training delivers; when the adopted plan
    has no session of them at the location, the first module is delivered as an ad hoc training."""
    location: str
    start: dt.date
    venue: str
    trainers: tuple[tuple[str, str, str], ...]
    """(name, national/international, organisation), all fictional."""
    participants: int
    paper: bool
    follow_up: bool
    notes: str
    recommendations: str
    mean_gain: float


TRAININGS: tuple[DemoTraining, ...] = (
    DemoTraining(
        ("FND_PROT",),
        "Mauritius",
        dt.date(2026, 3, 10),
        "Training room, fictional venue, Port Louis",
        (
            ("A. Trainer (fictional)", "international", "IOM"),
            ("B. Formatrice (fictional)", "national", "Police Training School"),
        ),
        22,
        False,
        True,
        "Participants asked for more practice with the screening form; the role plays on the second day "
        "were the most valued part. Two participants joined late on the first day and missed the pre-test. "
        f"{FICTIONAL}",
        "Add a half-day of supervised screening practice; share the screening form in French and Creole "
        f"before the training. {FICTIONAL}",
        1.5,
    ),
    DemoTraining(
        ("FND_PROT", "FND_PART"),
        "Rodrigues",
        dt.date(2026, 5, 19),
        "Community hall, fictional venue, Port Mathurin",
        (("C. Formateur (fictional)", "national", "Ministry of Gender Equality"),),
        16,
        True,
        False,
        "The tests were taken on paper (weak mobile data at the venue) and typed in from the answer sheets. "
        f"Strong interest from the shelter and health staff. {FICTIONAL}",
        "Plan a follow-up session on Rodrigues with the NRM partners from Mauritius; keep the paper "
        f"option. {FICTIONAL}",
        1.3,
    ),
    DemoTraining(
        ("SCR",),
        "Mauritius",
        dt.date(2026, 9, 8),
        "Conference room, fictional venue, Ebène",
        (
            ("D. Trainer (fictional)", "international", "IOM"),
            ("E. Formatrice (fictional)", "national", "Ministry of Social Integration"),
        ),
        20,
        False,
        False,
        "The screening role plays took longer than planned; the practice with the referral form was cut short. "
        f"{FICTIONAL}",
        f"Give the referral exercise its own session; invite the hotline staff. {FICTIONAL}",
        1.0,
    ),
)

ROLES = (
    "Police officer",
    "Labour inspector",
    "Social worker",
    "Immigration officer",
    "Health worker",
    "Prosecutor",
)
AGE_WEIGHTS = {"18-24": 0.08, "25-34": 0.34, "35-44": 0.33, "45-54": 0.18, "55+": 0.07}


def _session_for(workspace: Workspace, training: DemoTraining, taken: set[int]) -> PlanSession | None:
    scenario = event_plan.adopted_scenario(workspace)
    if scenario is None:
        return None
    sessions = PlanSession.objects.filter(scenario=scenario, location=training.location).select_related(
        "module"
    )
    for code in training.modules:
        for session in sessions.order_by("quarter", "pk"):
            if session.module.code == code and session.pk not in taken:
                return session
    return None  # not in the plan here: an ad hoc training


def _weekdays_from(start: dt.date, count: int) -> dt.date:
    day, left = start, max(1, count) - 1
    while left:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


def _event(
    workspace: Workspace, training: DemoTraining, taken: set[int], admin: User | None
) -> TrainingEvent:
    session = _session_for(workspace, training, taken)
    if session is not None:
        taken.add(session.pk)
        module = session.module
    else:
        module = TrainingModule.objects.get(workspace=workspace, code=training.modules[0])
    days = event_plan.modules_days([module])
    values: dict[str, Any] = {
        "start_date": training.start,
        "end_date": _weekdays_from(training.start, days),
        "venue": training.venue,
        "location": training.location,
        "audience": "Frontline officers and case workers of the agencies of the national referral mechanism "
        f"{FICTIONAL}",
        "trainers": [
            {"name": name, "origin": origin, "organisation": organisation}
            for name, origin, organisation in training.trainers
        ],
        "target_female": (training.participants + 1) // 2,
        "target_male": training.participants // 2,
    }
    if session is not None:
        return events.event_create_from_session(session=session, acting_user=admin, changes=values)
    values |= {"code": "", "title": module.title_en, "language": "en", "pass_mark": 70}
    return events.event_create(workspace=workspace, values=values, modules=[module], acting_user=admin)


def _organisations(workspace: Workspace, location: str) -> list[Organisation]:
    everyone = list(Organisation.objects.filter(workspace=workspace).order_by("key"))
    local = [
        organisation for organisation in everyone if location.lower() in (organisation.location or "").lower()
    ]
    return local if len(local) >= 3 else everyone


def _register(
    event: TrainingEvent, training: DemoTraining, generator: random.Random, admin: User | None
) -> list[Participant]:
    organisations = _organisations(event.workspace, training.location)
    people = []
    for number in range(training.participants):
        organisation = generator.choice(organisations) if organisations else None
        people.append(
            participants.participant_create(
                event=event,
                values={
                    "code": "",
                    "sex": "female" if generator.random() < 0.52 else "male",
                    "age_band": simulation.pick(generator, AGE_WEIGHTS),
                    "organisation": organisation,
                    "organisation_name": "" if organisation else "Fictional agency",
                    "role": generator.choice(ROLES),
                    "location": training.location
                    if number % 5
                    else ("Port Louis" if training.location == "Mauritius" else training.location),
                },
                acting_user=admin,
            )
        )
    return people


def _attendance(
    event: TrainingEvent, people: Sequence[Participant], generator: random.Random, admin: User | None
) -> None:
    days = event_plan.event_days(event)
    attendance_save(
        event=event,
        present={
            person.uuid: [day for day in days if generator.random() < 0.93] or days[:1] for person in people
        },
        acting_user=admin,
    )


def _simulated_items(form: AssessmentForm, seed: int) -> list[simulation.SimulatedItem]:
    difficulties = simulation.item_difficulties([item["code"] for item in form.items], seed=seed, spread=0.8)
    return [
        simulation.SimulatedItem(
            item["code"],
            tuple(option["key"] for option in item["options"]),
            tuple(item["correct"]),
            difficulties[item["code"]],
        )
        for item in form.items
    ]


def _take_online(
    form: AssessmentForm, people: Sequence[Participant], answers: dict[str, dict[str, list[str]]]
) -> None:
    items = {item["code"]: item for item in form.items}
    for person in people:
        if person.code not in answers:
            continue
        attempt = taking.attempt_start(form, person)
        for code, keys in answers[person.code].items():
            taking.answer_save(attempt, items[code], keys)
        taking.attempt_submit(attempt)


def _take_on_paper(
    event: TrainingEvent, form: AssessmentForm, answers: dict[str, dict[str, list[str]]], admin: User | None
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    codes = [item["code"] for item in form.items]
    writer.writerow(["participant", *codes])
    for participant_code, responses in sorted(answers.items()):
        writer.writerow([participant_code, *(" ".join(responses.get(code, [])) for code in codes)])
    answers_import_apply(
        workspace=event.workspace,
        event=event,
        data=buffer.getvalue().encode("utf-8"),
        filename=f"{event.code}-{form.phase}-answer-sheets.csv",
        acting_user=admin,
        phase=form.phase,
    )


def _tests(
    event: TrainingEvent, training: DemoTraining, people: Sequence[Participant], seed: int, admin: User | None
) -> list[Participant]:
    """Pre- and post-test answers; two participants miss the pre-test (late) and one the post-test.
    Returns who took the post-test."""
    test_forms.forms_build(event=event, mode=test_forms.PARALLEL, acting_user=admin)
    forms = {form.phase: form for form in AssessmentForm.objects.filter(event=event)}
    learners = simulation.learners(
        [person.code for person in people], seed=seed, mean_ability=0.3, mean_gain=training.mean_gain
    )
    pre_takers = learners[2:]
    post_takers = learners[:-1]
    pre = simulation.answers(pre_takers, _simulated_items(forms["pre"], seed), post=False, seed=seed + 1)
    post = simulation.answers(post_takers, _simulated_items(forms["post"], seed), post=True, seed=seed + 2)
    for phase, answers in (("pre", pre), ("post", post)):
        form = forms[phase]
        test_forms.form_set_open(form=form, is_open=True, acting_user=admin)
        if training.paper:
            test_forms.form_set_open(form=form, is_open=False, acting_user=admin)
            _take_on_paper(event, form, answers, admin)
        else:
            _take_online(form, people, answers)
            test_forms.form_set_open(form=form, is_open=False, acting_user=admin)
    taken = {learner.code for learner in post_takers}
    return [person for person in people if person.code in taken]


def _surveys(
    event: TrainingEvent,
    training: DemoTraining,
    takers: Sequence[Participant],
    generator: random.Random,
    admin: User | None,
) -> None:
    for person in takers:
        if generator.random() < 0.1:
            continue  # left before the reaction survey
        taking.survey_save(
            participant=person,
            kind=SurveyKind.REACTION.value,
            raw={
                "satisfaction": str(simulation.likert(generator, 4.3)),
                "relevance": str(simulation.likert(generator, 4.4)),
                "trainers": str(simulation.likert(generator, 4.5)),
                "materials": str(simulation.likert(generator, 3.9)),
                "organisation": str(
                    simulation.likert(generator, 3.8 if training.location == "Rodrigues" else 4.1)
                ),
                "confidence": str(simulation.likert(generator, 4.0)),
                "most_useful": generator.choice(
                    [
                        "The screening role plays.",
                        "Working through the referral steps.",
                        "The case studies.",
                        "",
                    ]
                ),
                "improve": generator.choice(["More time for practice.", "Share the slides before.", ""]),
            },
        )
    if not training.follow_up:
        return
    test_forms.follow_up_set(event=event, is_open=True, acting_user=admin)
    for person in takers:
        if generator.random() < 0.3:
            continue  # did not answer the follow-up
        applied = simulation.pick(generator, {"yes": 0.55, "partly": 0.3, "no": 0.15})
        tools = (
            ["none"]
            if applied == "no"
            else sorted(
                set(generator.sample(["screening_form", "referral_form", "sops", "interview_guide"], k=2))
            )
        )
        taking.survey_save(
            participant=person,
            kind=SurveyKind.FOLLOW_UP.value,
            raw={
                "screenings": str(0 if applied == "no" else generator.randint(1, 9)),
                "referrals": str(0 if applied == "no" else generator.randint(0, 3)),
                "tools_used": tools,
                "applied": applied,
                "example": ""
                if applied == "no"
                else "Screened a domestic worker and referred her to the shelter (fictional).",
                "barriers": generator.choice(
                    ["No private room for interviews.", "Shifts leave no time.", ""]
                ),
            },
        )


def _feeds(workspace: Workspace, admin: User | None) -> None:
    for code, metric in (("OUT1.1a", "people_trained"), ("OUT1.1b", "pass_rate")):
        indicator = Indicator.objects.filter(workspace=workspace, code=code).first()
        if indicator is not None:
            feed_set(workspace=workspace, indicator=indicator, metric=metric, acting_user=admin)


def demo_trainings(*, workspace: Workspace, acting_user: User | None) -> list[TrainingEvent]:
    """Seed the demo trainings (idempotent: nothing happens when the workspace has training events)."""
    if TrainingEvent.objects.filter(workspace=workspace).exists():
        return list(TrainingEvent.objects.filter(workspace=workspace))
    bank_ensure(workspace, acting_user)
    generator = random.Random(SEED)
    taken: set[int] = set()
    created = []
    for number, training in enumerate(TRAININGS):
        event = _event(workspace, training, taken, acting_user)
        people = _register(event, training, generator, acting_user)
        _attendance(event, people, generator, acting_user)
        events.event_status_set(event=event, status="prepared", acting_user=acting_user)
        takers = _tests(event, training, people, SEED + 10 * number, acting_user)
        _surveys(event, training, takers, generator, acting_user)
        event.refresh_from_db()
        events.event_update(
            event=event,
            values={"trainers_notes": training.notes, "recommendations": training.recommendations},
            acting_user=acting_user,
        )
        event.refresh_from_db()
        events.event_status_set(event=event, status="delivered", acting_user=acting_user)
        event.refresh_from_db()
        events.event_status_set(event=event, status="reported", acting_user=acting_user)
        created.append(event)
    _feeds(workspace, acting_user)
    return created


def demo_training_documents(workspace: Workspace, out_dir: Path) -> list[dict[str, str]]:
    """Write the trainings' documents under ``out_dir/<workspace>/trainings/``; the manifest entries."""
    from ctip.formats.training_surveys_xlsform import build_survey_xlsform
    from ctip.web.trainings.kit_documents import agenda_docx, concept_note_docx, manual_docx, slides_pptx
    from ctip.web.trainings.report_event import event_report_docx
    from ctip.web.trainings.report_programme import programme_report_docx
    from ctip.web.trainings.report_programme_deck import programme_report_pptx

    folder = out_dir / workspace.slug / "trainings"
    folder.mkdir(parents=True, exist_ok=True)
    entries: list[dict[str, str]] = []

    def write(kind: str, name: str, content: bytes, title: str) -> None:
        path = folder / name
        path.write_bytes(content)
        entries.append(
            {
                "kind": kind,
                "path": path.relative_to(out_dir).as_posix(),
                "title": f"{workspace.name}: {title}",
            }
        )

    for event in TrainingEvent.objects.filter(workspace=workspace).order_by("start_date", "code"):
        stem = event.code.lower()
        label = f"{event.code} {event.title} ({event.location})"
        write(
            "training-concept-note",
            f"{stem}-concept-note.docx",
            concept_note_docx(event, "en"),
            f"concept note, {label}",
        )
        write("training-agenda", f"{stem}-agenda.docx", agenda_docx(event, "en"), f"agenda, {label}")
        write("training-manual", f"{stem}-manual.docx", manual_docx(event, "en"), f"training manual, {label}")
        write("training-slides", f"{stem}-slides.pptx", slides_pptx(event, "en"), f"slide deck, {label}")
        write(
            "training-report",
            f"{stem}-training-report.docx",
            event_report_docx(event, "en"),
            f"training report, {label}",
        )
        if event.location == "Rodrigues":
            write(
                "training-concept-note",
                f"{stem}-concept-note-fr.docx",
                concept_note_docx(event, "fr"),
                f"note conceptuelle, {label}",
            )
            write(
                "training-report",
                f"{stem}-training-report-fr.docx",
                event_report_docx(event, "fr"),
                f"rapport de formation, {label}",
            )
    for language in ("en", "fr"):
        suffix = "" if language == "en" else "-fr"
        write(
            "capacity-development-report",
            f"capacity-development-report{suffix}.docx",
            programme_report_docx(workspace, language),
            f"capacity development report ({language})",
        )
        write(
            "capacity-development-deck",
            f"capacity-development-deck{suffix}.pptx",
            programme_report_pptx(workspace, language),
            f"capacity development report, slides ({language})",
        )
    for kind, name in ((SurveyKind.REACTION, "reaction"), (SurveyKind.FOLLOW_UP, "follow-up")):
        write(
            "training-survey-xlsform",
            f"{name}-survey-xlsform.xlsx",
            build_survey_xlsform(kind),
            f"{name} survey of the trainings (XLSForm for KoboToolbox / ODK)",
        )
    return entries
