"""The participants' test pages (``/t/<token>/``): no account, no JavaScript, one question per screen.

The link's token finds the training; the participant types the code on their badge, which finds them among
that training's participants only. Each answer is saved when the participant moves on (POST, then a
redirect to the next screen), so a dropped connection loses at most the screen being answered; coming back
with the same code, from any device, continues at the first unanswered question. A cookie remembers the
code for the link. After the review, "Submit" closes the attempt for good (one attempt per test). After the
post-test, the reaction survey; months later, when the trainer opens it, the follow-up survey. Participants
see no score and no key: only that their answers are saved.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ctip.core.errors import DomainError, ErrorCode
from ctip.core.training.model import PHASE_LABELS, ItemKind, Phase, SurveyKind
from ctip.core.training.surveys import LIKERT_SCALE, SURVEY_TITLES, QuestionKind, SurveyQuestion, questions
from ctip.web.accounts.throttling import client_address
from ctip.web.trainings.models import Attempt, Participant, TrainingEvent
from ctip.web.trainings.services import taking

CODE_COOKIE = "ctip_take"
LANGUAGE_COOKIE = "ctip_take_lang"
COOKIE_DAYS = 240
LANGUAGES = ("en", "fr")
PHASES = (Phase.PRE.value, Phase.POST.value)
SURVEYS = (SurveyKind.REACTION.value, SurveyKind.FOLLOW_UP.value)
WRONG_CODES_PER_WINDOW = 40
WRONG_CODE_WINDOW_SECONDS = 600
"""Wrong codes accepted from one address on one link per window, then a pause: enough for a room of phones
behind one router to mistype, too few to try every code."""


# --- Language, pages, cookies --------------------------------------------------------------------------


def _language(request: HttpRequest, event: TrainingEvent | None) -> str:
    asked = request.GET.get("lang", "") or request.POST.get("lang", "")
    if asked in LANGUAGES:
        return asked
    remembered = request.COOKIES.get(LANGUAGE_COOKIE, "")
    if remembered in LANGUAGES:
        return remembered
    return event.language if event is not None and event.language in LANGUAGES else "en"


def _start_path(token: str) -> str:
    return reverse("take-start", kwargs={"token": token})


def _render(
    request: HttpRequest,
    template: str,
    language: str,
    context: dict[str, Any],
    status: int = 200,
    event: TrainingEvent | None = None,
) -> HttpResponse:
    shared = {"language": language, "other_language": "fr" if language == "en" else "en", "event": event}
    with translation.override(language):
        response = render(request, template, {**shared, **context}, status=status)
    response["Content-Language"] = language
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    if event is not None and request.GET.get("lang", "") in LANGUAGES:
        _cookie(response, event, LANGUAGE_COOKIE, language)
    return response


def _cookie(response: HttpResponse, event: TrainingEvent, name: str, value: str) -> HttpResponse:
    response.set_cookie(
        name,
        value,
        max_age=COOKIE_DAYS * 24 * 3600,
        path=_start_path(event.test_token),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _remember(response: HttpResponse, participant: Participant) -> HttpResponse:
    return _cookie(response, participant.event, CODE_COOKIE, participant.code)


def _not_found(request: HttpRequest) -> HttpResponse:
    return _render(request, "trainings/take/missing.html", _language(request, None), {}, status=404)


def _phase_label(phase: str, language: str) -> str:
    with translation.override(language):
        return _(PHASE_LABELS[Phase(phase)])


# --- Where a participant goes next ---------------------------------------------------------------------


def _item_url(token: str, participant: Participant, phase: str, number: int) -> str:
    return reverse(
        "take-item",
        kwargs={"token": token, "participant": participant.uuid, "phase": phase, "number": number},
    )


def _phase_url(name: str, token: str, participant: Participant, phase: str) -> str:
    return reverse(name, kwargs={"token": token, "participant": participant.uuid, "phase": phase})


def _survey_url(token: str, participant: Participant, kind: str) -> str:
    return reverse("take-survey", kwargs={"token": token, "participant": participant.uuid, "kind": kind})


def _home_url(token: str, participant: Participant) -> str:
    return reverse("take-home", kwargs={"token": token, "participant": participant.uuid})


def _resume_url(token: str, attempt: Attempt) -> str:
    """The first unanswered question of an attempt, or its review when all are answered."""
    number = taking.first_unanswered(attempt.form.items, taking.answers_of(attempt))
    if number is None:
        return _phase_url("take-review", token, attempt.participant, attempt.form.phase)
    return _item_url(token, attempt.participant, attempt.form.phase, number)


def _next_url(event: TrainingEvent, participant: Participant) -> str:
    """Where the participant's code leads: the open test (started on first visit), else a survey waiting
    for them, else their page (what is submitted, what is not open)."""
    token = event.test_token
    forms = taking.forms_of(event)
    phase = taking.open_phase(forms)
    if phase:
        attempt = taking.attempt_start(forms[phase], participant)
        if attempt.submitted_at is None:
            return _resume_url(token, attempt)
    attempts = taking.attempts_of(participant)
    for kind in SURVEYS:
        if (
            taking.survey_is_open(event, kind, attempts)
            and taking.survey_response_of(participant, kind) is None
        ):
            return _survey_url(token, participant, kind)
    return _home_url(token, participant)


def _wrong_code_key(request: HttpRequest, token: str) -> str:
    return f"ctip-take-wrong:{token}:{client_address(request.META) or '-'}"


# --- Pages ---------------------------------------------------------------------------------------------


@never_cache
def take_start(request: HttpRequest, token: str) -> HttpResponse:
    """The link's first page: the training, which test is open, and the participant code."""
    event = taking.event_for_token(token)
    if event is None:
        return _not_found(request)
    language = _language(request, event)
    forms = taking.forms_of(event)
    phase = taking.open_phase(forms)
    error, typed, status = "", "", 200
    if request.method == "POST":
        typed = taking.normalised_code(request.POST.get("code", ""))
        key = _wrong_code_key(request, token)
        if cache.get(key, 0) >= WRONG_CODES_PER_WINDOW:
            with translation.override(language):
                error = _(
                    "Too many codes were tried from this network. Wait ten minutes, or ask the trainer."
                )
            status = 429
        else:
            participant = taking.participant_find(event, typed)
            if participant is not None:
                participant.event = event
                response = HttpResponseRedirect(_next_url(event, participant))
                _cookie(response, event, LANGUAGE_COOKIE, language)
                return _remember(response, participant)
            cache.add(key, 0, WRONG_CODE_WINDOW_SECONDS)
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, WRONG_CODE_WINDOW_SECONDS)
            with translation.override(language):
                error = (
                    _("This code is not registered for this training; check your badge or ask the trainer.")
                    if typed
                    else _("Type the participant code written on your badge.")
                )
            status = 400
    remembered = taking.participant_find(event, request.COOKIES.get(CODE_COOKIE, ""))
    return _render(
        request,
        "trainings/take/start.html",
        language,
        {
            "token": token,
            "open_phase": phase,
            "open_label": _phase_label(phase, language) if phase else "",
            "question_count": len(forms[phase].items) if phase else 0,
            "follow_up_open": taking.follow_up_is_open(event),
            "remembered": remembered,
            "error": error,
            "typed": typed,
        },
        status=status,
        event=event,
    )


@never_cache
def take_continue(request: HttpRequest, token: str, participant: Any) -> HttpResponse:
    """Go on where the participant stopped (the link from their page and from the start page)."""
    found = taking.participant_of(token, participant)
    if found is None:
        return _not_found(request)
    return _remember(redirect(_next_url(found.event, found)), found)


@never_cache
def take_home(request: HttpRequest, token: str, participant: Any) -> HttpResponse:
    """The participant's page: each test (open, submitted, not open) and the surveys."""
    found = taking.participant_of(token, participant)
    if found is None:
        return _not_found(request)
    event = found.event
    language = _language(request, event)
    forms = taking.forms_of(event)
    attempts = taking.attempts_of(found)
    tests = []
    for phase in PHASES:
        form, attempt = forms.get(phase), attempts.get(phase)
        tests.append(
            {
                "phase": phase,
                "label": _phase_label(phase, language),
                "is_open": bool(form and form.is_open and form.items),
                "submitted_at": attempt.submitted_at if attempt else None,
                "started": attempt is not None,
            }
        )
    surveys = []
    for kind in SURVEYS:
        response = taking.survey_response_of(found, kind)
        surveys.append(
            {
                "kind": kind,
                "title": SURVEY_TITLES[SurveyKind(kind)].get(language),
                "is_open": taking.survey_is_open(event, kind, attempts),
                "answered": response is not None,
                "url": _survey_url(token, found, kind),
            }
        )
    return _remember(
        _render(
            request,
            "trainings/take/home.html",
            language,
            {
                "token": token,
                "participant": found,
                "tests": tests,
                "surveys": surveys,
                "continue_url": reverse("take-continue", kwargs={"token": token, "participant": found.uuid}),
                "any_open": any(test["is_open"] and not test["submitted_at"] for test in tests),
            },
            event=event,
        ),
        found,
    )


def _attempt(request: HttpRequest, token: str, participant: Any, phase: str) -> Attempt | HttpResponse:
    """The participant's attempt at ``phase`` (made when the test is open and they have none yet), or the
    page to show instead: not found, or closed."""
    if phase not in PHASES:
        return _not_found(request)
    attempt = taking.attempt_of(token, participant, phase)
    if attempt is not None:
        return attempt
    found = taking.participant_of(token, participant)
    if found is None:
        return _not_found(request)
    form = taking.forms_of(found.event).get(phase)
    if form is None or not form.is_open or not form.items:
        return _closed(request, found.event, found, phase)
    attempt = taking.attempt_start(form, found)
    attempt.form.event = found.event
    return attempt


def _closed(request: HttpRequest, event: TrainingEvent, participant: Participant, phase: str) -> HttpResponse:
    language = _language(request, event)
    return _render(
        request,
        "trainings/take/closed.html",
        language,
        {
            "phase_label": _phase_label(phase, language),
            "home_url": _home_url(event.test_token, participant),
            "participant": participant,
        },
        status=410,
        event=event,
    )


def _shown_item(item: Mapping[str, Any], language: str, chosen: list[str]) -> dict[str, Any]:
    def text(values: Mapping[str, Any], en: str, fr: str) -> str:
        return str(values.get(fr) or values.get(en) or "") if language == "fr" else str(values.get(en) or "")

    return {
        "code": item.get("code"),
        "stem": text(item, "stem_en", "stem_fr"),
        "multiple": item.get("kind") == ItemKind.MULTIPLE.value,
        "options": [
            {
                "key": str(option.get("key")),
                "label": text(option, "en", "fr"),
                "checked": str(option.get("key")) in chosen,
                "id": f"o{index}",
            }
            for index, option in enumerate(item.get("options", []), start=1)
        ],
    }


@never_cache
def take_item(request: HttpRequest, token: str, participant: Any, phase: str, number: int) -> HttpResponse:
    """One question. "Next" and "Previous" save the answer chosen; "Skip" moves on without saving."""
    found = _attempt(request, token, participant, phase)
    if isinstance(found, HttpResponse):
        return found
    attempt, form = found, found.form
    event, person = form.event, found.participant
    person.event = event
    language = _language(request, event)
    if attempt.submitted_at is not None:
        return redirect(_phase_url("take-done", token, person, phase))
    if not form.is_open:
        return _closed(request, event, person, phase)
    items = form.items
    if not 1 <= number <= len(items):
        return redirect(_resume_url(token, attempt))
    item = items[number - 1]
    error, status = "", 200
    posted: list[str] | None = None
    if request.method == "POST":
        action = request.POST.get("action", "next")
        posted = request.POST.getlist("answer")
        if action == "skip" or (action == "previous" and not posted):
            target = number + 1 if action == "skip" else number - 1
        else:
            try:
                taking.answer_save(attempt, item, posted)
            except DomainError as problem:
                with translation.override(language):
                    error = problem.render(_)
                status = 409 if attempt.submitted_at is not None or not form.is_open else 400
            else:
                target = number - 1 if action == "previous" else number + 1
        if not error:
            if target < 1:
                target = 1
            if target > len(items):
                return _remember(redirect(_phase_url("take-review", token, person, phase)), person)
            return _remember(redirect(_item_url(token, person, phase, target)), person)
    answered = taking.answers_of(attempt)
    chosen = posted if posted is not None else answered.get(str(item.get("code")), [])
    return _remember(
        _render(
            request,
            "trainings/take/item.html",
            language,
            {
                "participant": person,
                "phase_label": _phase_label(phase, language),
                "number": number,
                "count": len(items),
                "answered": sum(1 for it in items if answered.get(str(it.get("code")))),
                "item": _shown_item(item, language, [str(key) for key in chosen]),
                "error": error,
                "review_url": _phase_url("take-review", token, person, phase),
                "is_last": number == len(items),
            },
            status=status,
            event=event,
        ),
        person,
    )


@never_cache
def take_review(request: HttpRequest, token: str, participant: Any, phase: str) -> HttpResponse:
    """Which questions are answered, then submit (confirmed with a tick)."""
    found = _attempt(request, token, participant, phase)
    if isinstance(found, HttpResponse):
        return found
    attempt, form = found, found.form
    event, person = form.event, found.participant
    person.event = event
    language = _language(request, event)
    if attempt.submitted_at is not None:
        return redirect(_phase_url("take-done", token, person, phase))
    if not form.is_open:
        return _closed(request, event, person, phase)
    error, status = "", 200
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            with translation.override(language):
                error = _("Tick the box to confirm that you have finished, then press “Submit”.")
            status = 400
        else:
            with contextlib.suppress(DomainError):  # submitted meanwhile, or closed: the next page says
                taking.attempt_submit(attempt)
            return _remember(redirect(_phase_url("take-done", token, person, phase)), person)
    answered = taking.answers_of(attempt)
    rows = []
    for number, item in enumerate(form.items, start=1):
        stem = _shown_item(item, language, [])["stem"]
        rows.append(
            {
                "number": number,
                "stem": stem if len(stem) <= 90 else stem[:87].rstrip() + "…",
                "answered": bool(answered.get(str(item.get("code")))),
                "url": _item_url(token, person, phase, number),
            }
        )
    missing = sum(1 for row in rows if not row["answered"])
    return _remember(
        _render(
            request,
            "trainings/take/review.html",
            language,
            {
                "participant": person,
                "phase_label": _phase_label(phase, language),
                "rows": rows,
                "count": len(rows),
                "answered": len(rows) - missing,
                "missing": missing,
                "error": error,
            },
            status=status,
            event=event,
        ),
        person,
    )


@never_cache
def take_done(request: HttpRequest, token: str, participant: Any, phase: str) -> HttpResponse:
    """“Thank you, your answers are saved” (also what a participant sees coming back to a submitted test)."""
    if phase not in PHASES:
        return _not_found(request)
    attempt = taking.attempt_of(token, participant, phase)
    if attempt is None:
        found = taking.participant_of(token, participant)
        return _not_found(request) if found is None else redirect(_home_url(token, found))
    event, person = attempt.form.event, attempt.participant
    person.event = event
    if attempt.submitted_at is None:
        return redirect(_resume_url(token, attempt))
    language = _language(request, event)
    reaction_url = ""
    if phase == Phase.POST.value:
        attempts = {phase: attempt}
        if taking.survey_is_open(event, SurveyKind.REACTION.value, attempts) and (
            taking.survey_response_of(person, SurveyKind.REACTION.value) is None
        ):
            reaction_url = _survey_url(token, person, SurveyKind.REACTION.value)
    return _remember(
        _render(
            request,
            "trainings/take/done.html",
            language,
            {
                "participant": person,
                "phase": phase,
                "phase_label": _phase_label(phase, language),
                "submitted_at": attempt.submitted_at,
                "reaction_url": reaction_url,
                "home_url": _home_url(token, person),
            },
            event=event,
        ),
        person,
    )


def _shown_questions(
    survey: tuple[SurveyQuestion, ...],
    language: str,
    values: Mapping[str, Any],
    errors: Mapping[str, str],
) -> list[dict[str, Any]]:
    shown = []
    for question in survey:
        choices = LIKERT_SCALE if question.kind == QuestionKind.LIKERT else question.choices
        value = values.get(question.name, "")
        selected = {str(v) for v in value} if isinstance(value, list) else {str(value)}
        shown.append(
            {
                "name": question.name,
                "kind": question.kind,
                "label": question.label.get(language),
                "required": question.required,
                "value": "" if isinstance(value, list) else str(value),
                "error": errors.get(question.name, ""),
                "choices": [
                    {
                        "name": name,
                        "label": label.get(language),
                        "checked": name in selected,
                        "id": f"{question.name}-{index}",
                    }
                    for index, (name, label) in enumerate(choices, start=1)
                ],
            }
        )
    return shown


@never_cache
def take_survey(request: HttpRequest, token: str, participant: Any, kind: str) -> HttpResponse:
    """The reaction survey (after the post-test) or the follow-up survey (when the trainer opens it), on
    one page."""
    if kind not in SURVEYS:
        return _not_found(request)
    found = taking.participant_of(token, participant)
    if found is None:
        return _not_found(request)
    event = found.event
    language = _language(request, event)
    title = SURVEY_TITLES[SurveyKind(kind)].get(language)
    context: dict[str, Any] = {"participant": found, "title": title, "home_url": _home_url(token, found)}
    existing = taking.survey_response_of(found, kind)
    if existing is not None:
        return _remember(
            _render(request, "trainings/take/survey_done.html", language, context, event=event), found
        )
    if not taking.survey_is_open(event, kind, taking.attempts_of(found)):
        return _render(
            request, "trainings/take/survey_closed.html", language, context, status=410, event=event
        )
    survey = questions(SurveyKind(kind))
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        raw: dict[str, Any] = {}
        for question in survey:
            if question.kind == QuestionKind.SELECT_MULTIPLE:
                raw[question.name] = [value[:50] for value in request.POST.getlist(question.name)]
            else:
                raw[question.name] = request.POST.get(question.name, "")[:2000]
        try:
            taking.survey_save(participant=found, kind=kind, raw=raw)
        except DomainError as problem:
            if problem.code == ErrorCode.ALREADY_EXISTS:  # sent twice, or from two devices
                return _remember(redirect(_survey_url(token, found, kind)), found)
            with translation.override(language):
                errors = {p.location: p.render(_) for p in problem.problems} or {"": problem.render(_)}
            values = raw
            status = 400
        else:
            return _remember(redirect(_survey_url(token, found, kind)), found)
    return _remember(
        _render(
            request,
            "trainings/take/survey.html",
            language,
            {
                **context,
                "questions": _shown_questions(survey, language, values, errors),
                "error_count": len(errors),
            },
            status=status,
            event=event,
        ),
        found,
    )
