"""The built-in web form, as respondents see it: no account, no JavaScript, one section per page.

Everything hangs off the link's token (``/f/<token>/``). Each respondent gets a resume code, kept in a
cookie for the link and shown on every page, so that answers saved on one page are found again after a
dropped connection, later, or on another device. Pages are small and plain for phones on slow links.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ctip.core.errors import DomainError
from ctip.core.tna.model import Question, Text
from ctip.core.tna.web_form import (
    COMPETENCE_PROMPT,
    IMPORTANCE_PROMPT,
    FormPage,
    answered_count,
    check_page,
    condition_hint,
    consent_given,
    is_relevant,
    unanswered,
)
from ctip.web.tna.models import LINK_RESPONDENT, RESPONSE_DECLINED, RESPONSE_SUBMITTED, FormLink, FormResponse
from ctip.web.tna.services import web_form
from ctip.web.tna.snapshot import competency_from_json

COOKIE = "ctip_form"
COOKIE_DAYS = 120
LANGUAGES = ("en", "fr")


# --- What a page shows --------------------------------------------------------------------------------------


@dataclass
class ShownChoice:
    name: str
    label: str
    checked: bool


@dataclass
class ShownQuestion:
    name: str
    label: str
    hint: str
    kind: str
    required: bool
    value: str
    choices: list[ShownChoice]
    error: str = ""
    conditional: bool = False


@dataclass
class ShownBlock:
    """One question, or one competency with its two ratings."""

    title: str = ""
    description: str = ""
    questions: list[ShownQuestion] = field(default_factory=list)


def _shown_question(
    question: Question,
    language: str,
    value: str,
    error: str,
    label: Text | None = None,
    page: FormPage | None = None,
) -> ShownQuestion:
    selected = set(value.split()) if question.kind == "select_multiple" else {value}
    hint = question.hint if label is None else Text("")
    if page is not None and not hint.en:
        hint = condition_hint(question, page.questions)
    return ShownQuestion(
        name=question.name,
        label=(label or question.label).get(language),
        hint=hint.get(language),
        kind=question.kind,
        required=question.required,
        value=value,
        choices=[
            ShownChoice(choice.name, choice.label.get(language), choice.name in selected)
            for choice in question.choices
        ],
        error=error,
        conditional=bool(question.relevant),
    )


def _blocks(
    link: FormLink, page: FormPage, language: str, values: Mapping[str, str], errors: Mapping[str, str]
) -> list[ShownBlock]:
    if not page.competency_codes:
        return [
            ShownBlock(
                questions=[
                    _shown_question(q, language, values.get(q.name, ""), errors.get(q.name, ""), page=page)
                    for q in page.questions
                ]
            )
        ]
    competencies = {
        str(data["code"]): competency_from_json(data)
        for data in link.instrument.snapshot.get("competencies", [])
    }
    questions = {question.name: question for question in page.questions}
    blocks = []
    for code in page.competency_codes:
        competency = competencies[code]
        pair = [
            _shown_question(
                questions[name], language, values.get(name, ""), errors.get(name, ""), label=prompt
            )
            for name, prompt in ((f"imp_{code}", IMPORTANCE_PROMPT), (f"comp_{code}", COMPETENCE_PROMPT))
        ]
        blocks.append(
            ShownBlock(
                title=competency.title.get(language),
                description=competency.description.get(language),
                questions=pair,
            )
        )
    return blocks


# --- Finding the link and the response ---------------------------------------------------------------------


def _language(request: HttpRequest, fallback: str) -> str:
    asked = request.GET.get("lang", "")
    return asked if asked in LANGUAGES else fallback


def _render(
    request: HttpRequest, template: str, language: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    with translation.override(language):
        response = render(
            request,
            template,
            {"language": language, "other_language": "fr" if language == "en" else "en", **context},
            status=status,
        )
    response["Content-Language"] = language
    response["Referrer-Policy"] = "same-origin"  # "no-referrer" would send "Origin: null", failing CSRF
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _not_found(request: HttpRequest) -> HttpResponse:
    return _render(request, "tna/respond/missing.html", _language(request, "en"), {}, status=404)


def _closed(request: HttpRequest, link: FormLink, language: str) -> HttpResponse:
    return _render(request, "tna/respond/closed.html", language, {"link": link}, status=410)


def _remember(response: HttpResponse, link: FormLink, found: FormResponse) -> HttpResponse:
    response.set_cookie(
        COOKIE,
        found.code,
        max_age=COOKIE_DAYS * 24 * 3600,
        path=reverse("respond-start", kwargs={"token": link.token}),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _page_url(link: FormLink, found: FormResponse, index: int) -> str:
    return reverse("respond-page", kwargs={"token": link.token, "code": found.code, "page": index})


def _continue_url(link: FormLink, found: FormResponse) -> str:
    if found.status == RESPONSE_SUBMITTED or found.status == RESPONSE_DECLINED:
        return reverse("respond-done", kwargs={"token": link.token, "code": found.code})
    _instrument, pages = web_form.link_pages(link)
    if found.page >= len(pages):
        return reverse("respond-review", kwargs={"token": link.token, "code": found.code})
    return _page_url(link, found, found.page)


def _response_of(request: HttpRequest, token: str, code: str) -> tuple[FormLink | None, FormResponse | None]:
    link = web_form.form_link_for_token(token)
    if link is None:
        return None, None
    found = web_form.form_response_find(link, code)
    if found is not None:
        found.link = link
    return link, found


def _remembered(request: HttpRequest, link: FormLink) -> FormResponse | None:
    if link.kind == LINK_RESPONDENT:
        found = link.responses.first()
    else:
        found = web_form.form_response_find(link, request.COOKIES.get(COOKIE, ""))
    if found is not None:
        found.link = link
    return found


# --- Pages ----------------------------------------------------------------------------------------------


@never_cache
def respond_start(request: HttpRequest, token: str) -> HttpResponse:
    """The welcome page: start, continue where you stopped, or continue with a resume code."""
    link = web_form.form_link_for_token(token)
    if link is None:
        return _not_found(request)
    language = _language(request, request.POST.get("lang", link.language))
    if not link.is_open:
        return _closed(request, link, language)
    instrument, pages = web_form.link_pages(link)
    remembered = _remembered(request, link)
    code_error = ""
    if request.method == "POST":
        if request.POST.get("action") == "resume":
            found = web_form.form_response_find(link, request.POST.get("code", ""))
            if found is not None:
                found.link = link
                web_form.form_response_set_language(found, language)  # the language the page was read in
                return _remember(HttpResponseRedirect(_continue_url(link, found)), link, found)
            with translation.override(language):
                code_error = _(
                    "No answers were saved with this code for this survey. Check the code (8 letters and "
                    "digits, such as ABCD-2345), or start again."
                )
        else:
            if remembered is not None and link.kind == LINK_RESPONDENT:
                return _remember(HttpResponseRedirect(_continue_url(link, remembered)), link, remembered)
            started = web_form.form_response_start(link, language)
            return _remember(HttpResponseRedirect(_page_url(link, started, 0)), link, started)
    return _render(
        request,
        "tna/respond/start.html",
        language,
        {
            "link": link,
            "title": instrument.title.get(language),
            "page_count": len(pages),
            "remembered": remembered,
            "remembered_code": web_form.shown_code(remembered.code) if remembered else "",
            "continue_url": _continue_url(link, remembered) if remembered else "",
            "code_error": code_error,
        },
        status=400 if code_error else 200,
    )


@never_cache
def respond_page(request: HttpRequest, token: str, code: str, page: int) -> HttpResponse:
    """One page of questions. Every answer that is valid is saved, whichever button was pressed."""
    link, found = _response_of(request, token, code)
    if link is None or found is None:
        return _not_found(request)
    language = _language(request, found.language)
    web_form.form_response_set_language(found, language)
    if not link.is_open:
        return _closed(request, link, language)
    if found.status == RESPONSE_SUBMITTED:
        return redirect(_continue_url(link, found))
    instrument, pages = web_form.link_pages(link)
    if not 0 <= page < len(pages):
        return redirect(_continue_url(link, found))
    if page > 0 and consent_given(found.answers) is not True:
        return redirect(_page_url(link, found, 0))
    current = pages[page]
    values: dict[str, str] = dict(found.answers)
    errors: dict[str, str] = {}
    if request.method == "POST":
        action = request.POST.get("action", "next")
        posted = {question.name: request.POST.getlist(question.name) for question in current.questions}
        checked = check_page(current, posted, found.answers, require=action == "next")
        reached = page + 1 if action == "next" and not checked.problems else page
        try:
            web_form.form_response_save(
                found, page=current, answers=checked.answers, reached=reached, language=language
            )
        except DomainError:
            return _closed(request, link, language)
        if found.status == RESPONSE_DECLINED:
            return _remember(redirect(_continue_url(link, found)), link, found)
        if not checked.problems or action != "next":
            if action == "back":
                target = _page_url(link, found, max(page - 1, 0))
            elif action == "later":
                target = (
                    reverse("respond-saved", kwargs={"token": token, "code": found.code}) + f"?page={page}"
                )
            elif page + 1 < len(pages):
                target = _page_url(link, found, page + 1)
            else:
                target = reverse("respond-review", kwargs={"token": token, "code": found.code})
            return _remember(redirect(target), link, found)
        values = {**found.answers, **{name: " ".join(v) for name, v in posted.items() if v}}
        with translation.override(language):
            errors = {problem.location: problem.render(_) for problem in checked.problems}
    done, asked = answered_count(pages, found.answers)
    return _remember(
        _render(
            request,
            "tna/respond/page.html",
            language,
            {
                "link": link,
                "response": found,
                "title": instrument.title.get(language),
                "page": current,
                "page_title": current.title.get(language),
                "intro": current.intro.get(language),
                "index": page,
                "number": page + 1,
                "page_count": len(pages),
                "blocks": _blocks(link, current, language, values, errors),
                "errors": errors,
                "error_count": len(errors),
                "answered": done,
                "asked": asked,
                "scale_max": instrument.scale_max,
                "code": web_form.shown_code(found.code),
                "is_rating_page": bool(current.competency_codes),
                "is_consent": page == 0,
            },
            status=400 if errors else 200,
        ),
        link,
        found,
    )


@never_cache
def respond_saved(request: HttpRequest, token: str, code: str) -> HttpResponse:
    """“Saved — continue later”: the resume code and the link to come back to."""
    link, found = _response_of(request, token, code)
    if link is None or found is None:
        return _not_found(request)
    language = _language(request, found.language)
    page = request.GET.get("page", "")
    back = _page_url(link, found, int(page)) if page.isdigit() else _continue_url(link, found)
    return _render(
        request,
        "tna/respond/saved.html",
        language,
        {
            "link": link,
            "code": web_form.shown_code(found.code),
            "start_url": request.build_absolute_uri(reverse("respond-start", kwargs={"token": token})),
            "back_url": back,
        },
    )


@never_cache
def respond_review(request: HttpRequest, token: str, code: str) -> HttpResponse:
    """Before submitting: what is still unanswered, page by page; then submit."""
    link, found = _response_of(request, token, code)
    if link is None or found is None:
        return _not_found(request)
    language = _language(request, found.language)
    web_form.form_response_set_language(found, language)
    if not link.is_open:
        return _closed(request, link, language)
    if found.status in (RESPONSE_SUBMITTED, RESPONSE_DECLINED):
        return redirect(_continue_url(link, found))
    instrument, pages = web_form.link_pages(link)
    if consent_given(found.answers) is not True:
        return redirect(_page_url(link, found, 0))
    error = ""
    if request.method == "POST":
        try:
            web_form.form_response_submit(found)
        except DomainError as problem:
            with translation.override(language):
                error = problem.render(_)
        else:
            return redirect("respond-done", token=token, code=found.code)
    missing = unanswered(pages, found.answers)
    sections = []
    for index, page in enumerate(pages):
        asked = [q for q in page.questions if is_relevant(q, found.answers)]
        left = [question for page_index, question in missing if page_index == index]
        sections.append(
            {
                "title": page.title.get(language),
                "url": _page_url(link, found, index),
                "answered": sum(1 for q in asked if found.answers.get(q.name)),
                "asked": len(asked),
                "missing": len(left),
            }
        )
    done, asked_count = answered_count(pages, found.answers)
    return _render(
        request,
        "tna/respond/review.html",
        language,
        {
            "link": link,
            "response": found,
            "title": instrument.title.get(language),
            "sections": sections,
            "missing_count": len(missing),
            "answered": done,
            "asked": asked_count,
            "error": error,
            "code": web_form.shown_code(found.code),
        },
        status=400 if error else 200,
    )


@never_cache
def respond_done(request: HttpRequest, token: str, code: str) -> HttpResponse:
    """Thank you (answers received), or the end of the survey for someone who declined."""
    link, found = _response_of(request, token, code)
    if link is None or found is None:
        return _not_found(request)
    language = _language(request, found.language)
    if found.status not in (RESPONSE_SUBMITTED, RESPONSE_DECLINED):
        return redirect(_continue_url(link, found))
    instrument, _pages = web_form.link_pages(link)
    return _render(
        request,
        "tna/respond/done.html",
        language,
        {
            "link": link,
            "response": found,
            "title": instrument.title.get(language),
            "declined": found.status == RESPONSE_DECLINED,
            "consent_url": _page_url(link, found, 0),
            "may_start_again": link.kind != LINK_RESPONDENT and link.is_open,
        },
    )
