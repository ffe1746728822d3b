"""The built-in web form in the demo — FICTIONAL answers.

:func:`demo_web_form` makes links to the demo instrument's web form (one per organisation for three
organisations of the registry, and two single-respondent links) and answers through them as respondents
would, page by page through the same services as the form: some people submitted, some are half-way
through, one declined. Answers are drawn with ``random.Random(2027)``; running it again changes nothing.
"""

from __future__ import annotations

import random
import re

from ctip.core.tna.model import Question
from ctip.core.tna.web_form import check_page, is_relevant
from ctip.web.accounts.models import User, Workspace
from ctip.web.stakeholders.models import Organisation
from ctip.web.tna.models import LINK_ORGANISATION, LINK_RESPONDENT, FormResponse, SurveyInstrument
from ctip.web.tna.services import web_form

DEMO_SEED = 2027
DEMO_LINK_ORGANISATIONS = 3
DEMO_SUBMITTED = 6
"""Responses submitted through the web form in the demo (besides one half-way and one declined per
organisation link set)."""
_RANGE = re.compile(r"\.\s*>=\s*(-?\d+)\s+and\s+\.\s*<=\s*(-?\d+)")
_TEXTS = {
    "role_rank": ("clerk (fictional)", "officer (fictional)", "counsellor (fictional)"),
    "prior_training_topic": ("identification", "the referral mechanism"),
    "obstacle": ("We rarely hear what happened after a referral (fictional answer).",),
    "training_wanted": ("Role plays on first contact with a possible victim (fictional answer).",),
}


def _answer(question: Question, answers: dict[str, str], rng: random.Random) -> list[str]:
    if not is_relevant(question, answers):
        return []
    names = [choice.name for choice in question.choices if choice.name != "other"]
    if question.name.startswith("imp_"):
        return [str(rng.choice((3, 4, 4, 5, 5)))]
    if question.name.startswith("comp_"):
        return [str(rng.choice((1, 2, 2, 3, 3, 4)))]
    if question.name == "consent":
        return ["yes"]
    if question.name == "organisation" and answers.get("organisation"):
        return [answers["organisation"]]
    if question.kind == "select_one" and names:
        return [rng.choice(names)]
    if question.kind == "select_multiple" and names:
        return [rng.choice(names)]
    if question.kind == "integer":
        limits = _RANGE.fullmatch(question.constraint.strip())
        low, high = (int(limits.group(1)), int(limits.group(2))) if limits else (0, 30)
        if question.name == "prior_training_year":
            low = max(low, high - 6)
        return [str(rng.randint(low, min(high, low + 25)))]
    options = _TEXTS.get(question.name)
    return [rng.choice(options)] if options and rng.random() < 0.8 else []


def _fill(response: FormResponse, pages_done: int, rng: random.Random) -> None:
    _instrument, pages = web_form.link_pages(response.link)
    for index, page in enumerate(pages[:pages_done]):
        answers = dict(response.answers)
        posted: dict[str, list[str]] = {}
        for question in page.questions:
            posted[question.name] = _answer(question, answers, rng)
            answers[question.name] = " ".join(posted[question.name])
        checked = check_page(page, posted, response.answers)
        if checked.problems:
            raise RuntimeError(f"demo answers on page {page.key}: {checked.problems}")
        web_form.form_response_save(response, page=page, answers=checked.answers, reached=index + 1)


def demo_web_form(*, workspace: Workspace, instrument: SurveyInstrument, acting_user: User | None) -> None:
    """Links and fictional web-form answers for the demo instrument (nothing when it has links already)."""
    if instrument.form_links.exists():
        return
    rng = random.Random(DEMO_SEED)
    organisations = list(
        Organisation.objects.filter(workspace=workspace).order_by("-staff_total", "name")[
            :DEMO_LINK_ORGANISATIONS
        ]
    )
    by_organisation = web_form.form_links_create(
        workspace=workspace,
        instrument=instrument,
        kind=LINK_ORGANISATION,
        organisations=organisations,
        acting_user=acting_user,
    )
    web_form.form_links_create(
        workspace=workspace,
        instrument=instrument,
        kind=LINK_RESPONDENT,
        count=2,
        label_prefix="Rodrigues field officer (fictional)",
        language="fr",
        acting_user=acting_user,
    )
    if not by_organisation:
        return
    _instrument, pages = web_form.link_pages(by_organisation[0])
    for number in range(DEMO_SUBMITTED):
        link = by_organisation[number % len(by_organisation)]
        response = web_form.form_response_start(link, "en" if number % 3 else "fr")
        _fill(response, len(pages), rng)
        web_form.form_response_submit(response)
    halfway = web_form.form_response_start(by_organisation[0], "en")
    _fill(halfway, max(len(pages) // 2, 1), rng)
    declined = web_form.form_response_start(by_organisation[-1], "fr")
    web_form.form_response_save(declined, page=pages[0], answers={"consent": "no"}, reached=1)
