"""Training data for the results, reports, feeds and backup tests, built directly with the models (other
helpers write the services at the same time): events, frozen test forms, participants with attendance,
submitted attempts with their answers, and survey responses. Generated answers come from
``ctip.core.training.simulation`` with a fixed seed; small classes can also be given answer by answer.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from ctip.core.training.simulation import SimulatedItem, answers, item_difficulties, learners
from ctip.web.accounts.models import Workspace
from ctip.web.planning import services as planning_services
from ctip.web.planning.models import PlanScenario, PlanSession, TrainingModule
from ctip.web.stakeholders.models import Organisation
from ctip.web.trainings.models import (
    Answer,
    AssessmentForm,
    AssessmentItem,
    Attempt,
    Attendance,
    EventModule,
    Participant,
    SurveyResponse,
    TrainingEvent,
)

MONDAY = dt.date(2026, 3, 2)
_counter = itertools.count(1)


def catalogue(workspace: Workspace) -> dict[str, TrainingModule]:
    planning_services.catalogue_ensure(workspace=workspace, acting_user=None)
    return {module.code: module for module in TrainingModule.objects.filter(workspace=workspace)}


def organisation_make(workspace: Workspace, acronym: str, name: str = "") -> Organisation:
    return Organisation.objects.create(
        workspace=workspace,
        key=acronym,
        name=name or f"{acronym} organisation",
        acronym=acronym,
        type="government",
    )


def event_build(
    workspace: Workspace,
    *,
    code: str | None = None,
    modules: Sequence[str] = ("SCR",),
    status: str = "delivered",
    location: str = "Mauritius",
    start: dt.date = MONDAY,
    days: int = 2,
    pass_mark: int = 70,
    plan_session: PlanSession | None = None,
    **values: Any,
) -> TrainingEvent:
    found = catalogue(workspace)
    event = TrainingEvent.objects.create(
        workspace=workspace,
        code=code or f"TR-T{next(_counter):03d}",
        title=values.pop("title", f"{found[modules[0]].title_en} ({location})"),
        start_date=start,
        end_date=start + dt.timedelta(days=days - 1),
        venue=values.pop("venue", "Police Training School"),
        location=location,
        status=status,
        pass_mark=pass_mark,
        plan_session=plan_session,
        trainers=values.pop(
            "trainers", [{"name": "Asha Trainer", "origin": "national", "organisation": "Police Force"}]
        ),
        test_token=secrets.token_urlsafe(16),
        **values,
    )
    for position, module in enumerate(modules):
        EventModule.objects.create(event=event, module=found[module], position=position)
    return event


def item_dict(
    code: str, *, correct: str = "a", kind: str = "single", group: str = "", objective: str = "SCR-LO1"
) -> dict[str, Any]:
    """A frozen item as a test form stores it."""
    if kind == "true_false":
        options = [{"key": "true", "en": "True", "fr": "Vrai"}, {"key": "false", "en": "False", "fr": "Faux"}]
    else:
        options = [{"key": key, "en": f"Option {key}", "fr": f"Option {key} (fr)"} for key in "abcd"]
    item = {
        "code": code,
        "kind": kind,
        "stem_en": f"Question {code}: which answer is right?",
        "stem_fr": f"Question {code} : quelle réponse est juste ?",
        "options": options,
        "correct": [correct],
        "objective": objective,
        "competency": "FD01",
    }
    if group:
        item["parallel_group"] = group
    return item


def items_build(count: int, *, prefix: str = "Q", group_prefix: str = "") -> list[dict[str, Any]]:
    """``count`` single-choice items Q01…, correct option "a"; with ``group_prefix`` each item gets the
    parallel group ``<group_prefix>01`` …"""
    return [
        item_dict(f"{prefix}{n:02d}", group=f"{group_prefix}{n:02d}" if group_prefix else "")
        for n in range(1, count + 1)
    ]


def forms_build(
    event: TrainingEvent,
    pre_items: Sequence[Mapping[str, Any]] | None,
    post_items: Sequence[Mapping[str, Any]] | None,
) -> tuple[AssessmentForm | None, AssessmentForm | None]:
    made = []
    for phase, items in (("pre", pre_items), ("post", post_items)):
        made.append(
            AssessmentForm.objects.create(
                workspace=event.workspace, event=event, phase=phase, items=list(items)
            )
            if items is not None
            else None
        )
    return made[0], made[1]


def participants_build(
    event: TrainingEvent,
    count: int,
    *,
    sexes: Sequence[str] = ("female", "male"),
    organisations: Sequence[Organisation | str] = (),
    present_days: int | None = None,
    codes: Sequence[str] = (),
) -> list[Participant]:
    """``count`` participants P001… (or ``codes``), sexes and organisations taken in turn (a string is an
    organisation name as written), each present on the first ``present_days`` days (all days by default;
    0: no attendance row)."""
    days = [
        event.start_date + dt.timedelta(days=n) for n in range((event.end_date - event.start_date).days + 1)
    ]
    made = []
    for index in range(count):
        organisation = organisations[index % len(organisations)] if organisations else None
        participant = Participant.objects.create(
            workspace=event.workspace,
            event=event,
            code=codes[index] if codes else f"P{index + 1:03d}",
            sex=sexes[index % len(sexes)],
            organisation=organisation if isinstance(organisation, Organisation) else None,
            organisation_name=organisation if isinstance(organisation, str) else "",
            location=event.location,
        )
        present = len(days) if present_days is None else present_days
        Attendance.objects.bulk_create(
            Attendance(participant=participant, day=day, present=number < present)
            for number, day in enumerate(days)
            if present
        )
        made.append(participant)
    return made


def attempt_build(
    form: AssessmentForm,
    participant: Participant,
    responses: Mapping[str, Sequence[str]],
    *,
    channel: str = "online",
    submitted: bool = True,
) -> Attempt:
    attempt = Attempt.objects.create(
        workspace=form.workspace,
        form=form,
        participant=participant,
        channel=channel,
        submitted_at=timezone.now() if submitted else None,
    )
    Answer.objects.bulk_create(
        Answer(attempt=attempt, item_code=code, response=list(keys)) for code, keys in responses.items()
    )
    return attempt


def right_answers(form: AssessmentForm, count: int) -> dict[str, list[str]]:
    """Responses with the first ``count`` items right and the others wrong (option "d")."""
    return {
        item["code"]: list(item["correct"]) if index < count else ["d"]
        for index, item in enumerate(form.items)
    }


@dataclass
class SimulatedClass:
    event: TrainingEvent
    participants: list[Participant]
    pre: AssessmentForm
    post: AssessmentForm


def simulated_class(
    workspace: Workspace,
    *,
    seed: int,
    n: int = 20,
    items: int = 10,
    parallel: bool = False,
    organisations: Sequence[Organisation | str] = (),
    mean_gain: float = 1.2,
    **event_values: Any,
) -> SimulatedClass:
    """A delivered event whose ``n`` participants all took both tests (``items`` items each; parallel
    versions A/B when ``parallel``), answers drawn from the Rasch model of ``ctip.core.training.simulation``."""
    event = event_build(workspace, **event_values)
    pre_items = items_build(
        items, prefix=f"{event.code}-A", group_prefix=f"{event.code}-G" if parallel else ""
    )
    post_items = (
        items_build(items, prefix=f"{event.code}-B", group_prefix=f"{event.code}-G")
        if parallel
        else pre_items
    )
    pre, post = forms_build(event, pre_items, post_items)
    assert pre is not None and post is not None
    people = participants_build(event, n, organisations=organisations)
    cohort = learners([p.code for p in people], seed=seed, mean_gain=mean_gain)
    difficulties = item_difficulties([item["code"] for item in pre_items], seed=seed + 1)
    for form, phase_items, is_post in ((pre, pre_items, False), (post, post_items, True)):
        simulated = [
            SimulatedItem(
                code=item["code"],
                options=tuple(option["key"] for option in item["options"]),
                correct=tuple(item["correct"]),
                difficulty=list(difficulties.values())[index],
            )
            for index, item in enumerate(phase_items)
        ]
        drawn = answers(cohort, simulated, post=is_post, seed=seed + (3 if is_post else 2))
        for participant in people:
            attempt_build(form, participant, drawn[participant.code])
    return SimulatedClass(event, people, pre, post)


def surveys_build(
    event: TrainingEvent, participants: Sequence[Participant], *, seed: int, follow_up: bool = True
) -> None:
    """A reaction response from every participant and, with ``follow_up``, a follow-up from half of them."""
    generator = random.Random(seed)
    for participant in participants:
        SurveyResponse.objects.create(
            workspace=event.workspace,
            event=event,
            participant=participant,
            kind="reaction",
            answers={
                name: min(5, max(1, round(generator.gauss(4.1, 0.7))))
                for name in (
                    "satisfaction",
                    "relevance",
                    "trainers",
                    "materials",
                    "organisation",
                    "confidence",
                )
            }
            | {"most_useful": "The case studies", "improve": "More time for practice"},
            submitted_at=timezone.now(),
        )
    if follow_up:
        for index, participant in enumerate(participants[::2]):
            applied = ("yes", "partly", "no")[index % 3]
            SurveyResponse.objects.create(
                workspace=event.workspace,
                event=event,
                participant=participant,
                kind="follow_up",
                answers={
                    "screenings": 2 if applied != "no" else 0,
                    "referrals": 1 if applied == "yes" else 0,
                    "tools_used": ["screening_form"] if applied != "no" else ["none"],
                    "applied": applied,
                    "example": "I screened two workers at the port" if applied == "yes" else "",
                    "barriers": "No private room for interviews" if applied == "no" else "",
                },
                submitted_at=timezone.now(),
            )


def adopted_plan_build(
    workspace: Workspace, sessions: Sequence[tuple[str, str, int, int, int]]
) -> PlanScenario:
    """An adopted scenario with one session per (module, location, quarter, women, men)."""
    found = catalogue(workspace)
    scenario = PlanScenario.objects.create(
        workspace=workspace, name=f"Adopted {next(_counter)}", status="optimal", is_adopted=True
    )
    for module, location, quarter, women, men in sessions:
        PlanSession.objects.create(
            workspace=workspace,
            scenario=scenario,
            module=found[module],
            location=location,
            quarter=quarter,
            trainer="national",
            seats=[{"segment": "S01", "female": women, "male": men}],
        )
    return scenario


def bank_item_build(workspace: Workspace, code: str, *, group: str = "", version: str = "") -> AssessmentItem:
    module = catalogue(workspace)["SCR"]
    return AssessmentItem.objects.create(
        workspace=workspace,
        module=module,
        code=code,
        kind="single",
        stem_en=f"Bank question {code}",
        options=[{"key": "a", "en": "A", "fr": "A"}, {"key": "b", "en": "B", "fr": "B"}],
        correct=["a"],
        objective="SCR-LO1",
        parallel_group=group,
        form_version=version,
    )
