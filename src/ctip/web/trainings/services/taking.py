"""Taking a test on the participants' link, without an account: the link's token finds the event, the
participant's code finds the participant of that event (and no other), and each answer is saved the moment
it is given, so that a dropped connection loses nothing and the participant can go on from any device.

Built for a room of phones answering at once: an answer is one upsert on (attempt, item) — a concurrent
save of the same answer can only replace it, never fail or duplicate it — and the attempt is made once per
participant and form even when two requests race for it. A submitted attempt is final: one attempt per
participant and phase. The reaction survey follows the post-test; the follow-up survey is opened by the
trainer months later on the same link.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.training.model import Channel, EventStatus, ItemKind, Phase, SurveyKind
from ctip.core.training.surveys import clean_answers
from ctip.web.trainings.models import (
    Answer,
    AssessmentForm,
    Attempt,
    Participant,
    SurveyResponse,
    TrainingEvent,
)
from ctip.web.trainings.services.test_forms import follow_up_is_open

__all__ = [
    "answer_save",
    "attempt_start",
    "attempt_submit",
    "check_answer",
    "participant_find",
    "survey_save",
]

RETRIES = 3
CODE_MAX = 30


# --- Finding -------------------------------------------------------------------------------------------


def event_for_token(token: str) -> TrainingEvent | None:
    if not token or len(token) > 40:
        return None
    return TrainingEvent.objects.filter(test_token=token).first()


def normalised_code(code: str) -> str:
    """A participant code as typed on a phone: spaces dropped, case ignored later."""
    return "".join(code.split())[:CODE_MAX]


def participant_find(event: TrainingEvent, code: str) -> Participant | None:
    """The participant of ``event`` with this code (case does not matter), or ``None``. Only the event's
    own participants can be found through its link."""
    typed = normalised_code(code)
    if not typed:
        return None
    return Participant.objects.filter(event=event, code__iexact=typed).first()


def participant_of(token: str, participant: Any) -> Participant | None:
    """The participant by public id, only when they belong to the event of ``token`` (one query)."""
    try:
        return (
            Participant.objects.select_related("event")
            .filter(uuid=participant, event__test_token=token)
            .first()
        )
    except (ValueError, TypeError):
        return None


def forms_of(event: TrainingEvent) -> dict[str, AssessmentForm]:
    return {form.phase: form for form in AssessmentForm.objects.filter(event=event)}


def open_phase(forms: Mapping[str, AssessmentForm]) -> str:
    """The phase open for answers ("pre" first when both are), or ""."""
    for phase in (Phase.PRE.value, Phase.POST.value):
        form = forms.get(phase)
        if form is not None and form.is_open and form.items:
            return phase
    return ""


def attempt_of(token: str, participant: Any, phase: str) -> Attempt | None:
    """The participant's attempt at the event's ``phase`` form, with its form, participant and event (one
    query), or ``None`` when they have not started it."""
    try:
        return (
            Attempt.objects.select_related("form", "participant", "form__event")
            .filter(participant__uuid=participant, form__phase=phase, form__event__test_token=token)
            .first()
        )
    except (ValueError, TypeError):
        return None


def attempts_of(participant: Participant) -> dict[str, Attempt]:
    return {
        attempt.form.phase: attempt
        for attempt in Attempt.objects.filter(participant=participant).select_related("form")
    }


def attempt_start(form: AssessmentForm, participant: Participant) -> Attempt:
    """The participant's attempt at ``form``, made on first use. Two requests racing to make it both get
    the same one."""
    if participant.event_id != form.event_id:
        raise DomainError(ErrorCode.NOT_FOUND, _("This participant is not registered for this training."))
    for _try in range(RETRIES):
        try:
            with transaction.atomic():
                attempt, _created = Attempt.objects.get_or_create(
                    form=form,
                    participant=participant,
                    defaults={"workspace_id": form.workspace_id, "channel": Channel.ONLINE.value},
                )
        except IntegrityError:
            continue
        attempt.form, attempt.participant = form, participant
        return attempt
    return Attempt.objects.select_related("form", "participant").get(form=form, participant=participant)


# --- Answers -------------------------------------------------------------------------------------------


def answers_of(attempt: Attempt) -> dict[str, list[str]]:
    return {code: list(response) for code, response in attempt.answers.values_list("item_code", "response")}


def first_unanswered(items: Sequence[Mapping[str, Any]], answered: Mapping[str, Sequence[str]]) -> int | None:
    """The number (from 1) of the first item without an answer, or ``None`` when all are answered."""
    for number, item in enumerate(items, start=1):
        if not answered.get(str(item.get("code"))):
            return number
    return None


def check_answer(item: Mapping[str, Any], keys: Sequence[str]) -> list[str]:
    """The option keys chosen, in the item's order, or :class:`DomainError` (field "answer") when none is
    chosen, a key is not an option, or several are chosen where one is asked."""
    options = [str(option.get("key")) for option in item.get("options", [])]
    chosen = list(dict.fromkeys(str(key).strip() for key in keys if str(key).strip()))
    if not chosen:
        raise DomainError(
            ErrorCode.REQUIRED,
            _("Choose an answer, or press “Skip” to come back to this question later."),
            problems=[FieldProblem("answer", _("No answer was chosen."))],
        )
    unknown = [key for key in chosen if key not in options]
    if unknown:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "Your answer was not saved: “%(keys)s” is not an option of this question. Choose among the options shown."
            ),
            {"keys": ", ".join(key[:20] for key in unknown[:3])},
            problems=[
                FieldProblem(
                    "answer", _("Options of this question: %(options)s."), {"options": ", ".join(options)}
                )
            ],
        )
    if item.get("kind") != ItemKind.MULTIPLE.value and len(chosen) > 1:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("Your answer was not saved: choose only one option for this question."),
            problems=[FieldProblem("answer", _("%(count)s options were chosen."), {"count": len(chosen)})],
        )
    return [key for key in options if key in chosen]


def answer_save(attempt: Attempt, item: Mapping[str, Any], keys: Sequence[str]) -> list[str]:
    """Save (or replace) the answer to ``item`` at once; returns the keys saved. Refused when the form is
    closed or the attempt submitted. One upsert: answers from many phones at once never overwrite each
    other, and the same answer sent twice is stored once."""
    chosen = check_answer(item, keys)
    _refuse_if_final(attempt)
    row = Answer(attempt=attempt, item_code=str(item["code"]), response=chosen, answered_at=timezone.now())
    for attempt_number in range(RETRIES):
        try:
            with transaction.atomic():
                Answer.objects.bulk_create(
                    [row],
                    update_conflicts=True,
                    unique_fields=["attempt", "item_code"],
                    update_fields=["response", "answered_at"],
                )
            return chosen
        except IntegrityError:
            if attempt_number == RETRIES - 1:
                raise
            row.pk = None
    return chosen


def _refuse_if_final(attempt: Attempt) -> None:
    if attempt.submitted_at is not None:
        raise DomainError(
            ErrorCode.CONFLICT,
            _("Your answers to this test were already submitted; each test is taken once."),
        )
    if not attempt.form.is_open:
        raise DomainError(ErrorCode.CONFLICT, _("This test is closed: answers are no longer accepted."))


def attempt_submit(attempt: Attempt) -> bool:
    """Close the attempt for good. ``False`` when it was already submitted (by another device)."""
    _refuse_if_final(attempt)
    now = timezone.now()
    done = Attempt.objects.filter(pk=attempt.pk, submitted_at__isnull=True).update(submitted_at=now)
    if done:
        attempt.submitted_at = now
        _refresh_if_counted(attempt.form.event)
    return bool(done)


def _refresh_if_counted(event: TrainingEvent) -> None:
    """Recompute the indicators the training data feed when this event already counts in them (delivered or
    reported): a late post-test or a follow-up answer changes the rates. While a training runs (the usual
    case for a room of phones) it does not count yet, and nothing is recomputed."""
    if event.status in (EventStatus.DELIVERED.value, EventStatus.REPORTED.value):
        from ctip.web.trainings.services.feeds import feeds_recompute

        feeds_recompute(event.workspace)


# --- Surveys -------------------------------------------------------------------------------------------


def survey_is_open(event: TrainingEvent, kind: str, attempts: Mapping[str, Attempt]) -> bool:
    """The reaction survey opens to a participant once they have submitted the post-test (until the
    follow-up survey opens); the follow-up survey when the trainer opens it."""
    if kind == SurveyKind.FOLLOW_UP.value:
        return follow_up_is_open(event)
    if kind == SurveyKind.REACTION.value:
        post = attempts.get(Phase.POST.value)
        return post is not None and post.submitted_at is not None and not follow_up_is_open(event)
    return False


def survey_response_of(participant: Participant, kind: str) -> SurveyResponse | None:
    return SurveyResponse.objects.filter(
        event_id=participant.event_id, participant=participant, kind=kind
    ).first()


def survey_save(
    *, participant: Participant, kind: str, raw: Mapping[str, str | Sequence[str]]
) -> SurveyResponse:
    """Check and store a participant's survey answers (one response per survey kind). Nothing is stored
    when an answer is wrong: :class:`DomainError` with a problem per question."""
    answers = clean_answers(SurveyKind(kind), raw)
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                workspace_id=participant.workspace_id,
                event_id=participant.event_id,
                participant=participant,
                kind=kind,
                answers=answers,
                channel=Channel.ONLINE.value,
                submitted_at=timezone.now(),
            )
    except IntegrityError as error:
        raise DomainError(
            ErrorCode.ALREADY_EXISTS,
            _("Your answers to this survey were already received; thank you."),
        ) from error
    _refresh_if_counted(participant.event)
    return response
