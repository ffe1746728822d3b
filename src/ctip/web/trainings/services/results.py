"""The results of one training event: each participant's score on the pre-test and the post-test, the
pre/post evaluation (``ctip.core.evaluation``), the item analysis, the pass-mark share, the attendance and
the reaction and follow-up surveys — the one read that the results page, the training report, the API and
the programme figures share.

Only submitted attempts count (online or from a paper sheet). Each attempt is scored with
``ctip.core.training.scoring`` against the items frozen in its form when the form was built, so later edits
of the item bank never change a score. Scores are the number of items right; when the pre-test and the
post-test have different numbers of items they are compared in per cent of each form's items instead
(``percent_scale``). With parallel forms (version A before, version B after) each B item is compared with
its A partner (same parallel group) in the item analysis: the post-test item is analysed under its A
partner's code, so McNemar's test pairs the two versions of one question (``parallel_pairs``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from ctip.core.errors import DomainError
from ctip.core.training.model import EventStatus, Phase, SurveyKind
from ctip.core.training.scoring import SCORING_RULE, item_results, score
from ctip.core.training.surveys import summarise_follow_up, summarise_reactions
from ctip.web.trainings.models import (
    AssessmentForm,
    AssessmentItem,
    Attempt,
    Attendance,
    Participant,
    SurveyResponse,
    TrainingEvent,
)
from ctip.web.trainings.services.event_plan import event_days

__all__ = ["EventResults", "ParticipantResult", "event_results"]

HELD_STATUSES = (EventStatus.DELIVERED.value, EventStatus.REPORTED.value)
"""The events whose data count in the programme figures and the M&E actuals."""
NOT_STATED = "not_stated"
"""The group of participants whose sex (or organisation) was not recorded."""
GROUP_BY = ("sex", "organisation")
MIN_GROUP = 5
"""Groups smaller than this are shown as a count only (``ctip.core.evaluation``'s suppression)."""


@dataclass(frozen=True)
class PhaseScore:
    correct: int
    total: int
    answered: int
    channel: str

    @property
    def percent(self) -> float:
        return 100.0 * self.correct / self.total if self.total else 0.0


@dataclass(frozen=True)
class ParticipantResult:
    uuid: str
    code: str
    sex: str
    organisation: str
    """The registry organisation's acronym (or name), else the name as written; "" when none."""
    location: str
    days_present: int
    days_recorded: int
    pre: PhaseScore | None
    post: PhaseScore | None
    passed: bool | None
    """Whether the post-test score reached the event's pass mark; ``None`` without a post-test."""

    @property
    def attended(self) -> bool:
        return self.days_present > 0

    @property
    def change_percent(self) -> float | None:
        if self.pre is None or self.post is None:
            return None
        return self.post.percent - self.pre.percent


@dataclass(frozen=True)
class PassSummary:
    takers: int
    passed: int
    by_sex: Mapping[str, tuple[int, int]]
    """Sex (``female``, ``male``, ``not_stated``) → (post-test takers, passed)."""

    @property
    def share(self) -> float | None:
        return self.passed / self.takers if self.takers else None


@dataclass(frozen=True)
class DayAttendance:
    day: dt.date
    present: int
    recorded: int


@dataclass(frozen=True)
class AttendanceSummary:
    registered: Mapping[str, int]
    """Sex → participants registered (``total`` for everyone)."""
    attended: Mapping[str, int]
    """Sex → participants present at least one day."""
    all_days: Mapping[str, int]
    """Sex → participants present every day of the event."""
    days: tuple[DayAttendance, ...]

    @property
    def rate(self) -> float | None:
        """Present participant-days over registered participants × days."""
        possible = self.registered.get("total", 0) * len(self.days)
        return sum(day.present for day in self.days) / possible if possible else None


@dataclass(frozen=True)
class ItemLabel:
    code: str
    """The code the item analysis uses (the pre-test's code for a parallel pair)."""
    post_code: str
    """The post-test's code ("" when the item is only in the pre-test)."""
    stem: str
    objective: str


@dataclass(frozen=True)
class EventResults:
    event: TrainingEvent
    language: str
    participants: tuple[ParticipantResult, ...]
    pre_items: int
    post_items: int
    percent_scale: bool
    max_score: float
    prepost: Mapping[str, Any] | None
    """``PrePostReport.to_json()``; ``None`` when a phase has no submitted attempt (see ``prepost_missing``)."""
    prepost_missing: str
    items: Mapping[str, Any] | None
    """``ItemReport.to_json()`` (post-test; with the pre-test when there is one)."""
    items_missing: str
    item_labels: Mapping[str, ItemLabel]
    parallel_pairs: Mapping[str, str]
    """Post-test item code → the pre-test item it was compared with (parallel versions)."""
    passing: PassSummary
    attendance: AttendanceSummary
    reactions: Mapping[str, Any]
    follow_up: Mapping[str, Any]
    reaction_responses: tuple[Mapping[str, Any], ...] = field(default=(), repr=False)
    follow_up_responses: tuple[Mapping[str, Any], ...] = field(default=(), repr=False)

    @property
    def scoring_rule(self) -> str:
        return SCORING_RULE

    @property
    def pre_takers(self) -> int:
        return sum(1 for row in self.participants if row.pre is not None)

    @property
    def post_takers(self) -> int:
        return sum(1 for row in self.participants if row.post is not None)

    @property
    def paired(self) -> bool:
        return bool(self.prepost and self.prepost.get("paired"))

    def pairs_percent(self) -> dict[str, tuple[float, float]]:
        """Participant code → (pre %, post %) for those who took both tests."""
        return {
            row.code: (row.pre.percent, row.post.percent)
            for row in self.participants
            if row.pre is not None and row.post is not None
        }


# --- Reading ---------------------------------------------------------------------------------------------


def organisation_label(participant: Participant) -> str:
    if participant.organisation is not None:
        return participant.organisation.acronym or participant.organisation.name
    return participant.organisation_name.strip()


def form_key(form: AssessmentForm | None) -> dict[str, list[str]]:
    """Item code → correct option keys, as frozen in the form."""
    if form is None:
        return {}
    return {
        str(item["code"]): [str(key) for key in item.get("correct") or []]
        for item in form.items or []
        if isinstance(item, Mapping) and item.get("code")
    }


def _stem(item: Mapping[str, Any], language: str) -> str:
    if language.startswith("fr"):
        return str(item.get("stem_fr") or item.get("stem_en") or "")
    return str(item.get("stem_en") or "")


def _parallel_pairs(
    event: TrainingEvent, pre: AssessmentForm | None, post: AssessmentForm | None
) -> dict[str, str]:
    """Post-test item code → the pre-test item of the same parallel group, for post items that are not in
    the pre-test. The group is read from the frozen item, else from the workspace's item bank."""
    if pre is None or post is None:
        return {}
    pre_codes = list(form_key(pre))
    post_codes = [code for code in form_key(post) if code not in set(pre_codes)]
    if not post_codes:
        return {}
    groups: dict[str, str] = {}
    for item in [*(pre.items or []), *(post.items or [])]:
        if isinstance(item, Mapping) and item.get("parallel_group"):
            groups[str(item["code"])] = str(item["parallel_group"])
    missing = [code for code in [*pre_codes, *post_codes] if code not in groups]
    if missing:
        for code, group in AssessmentItem.objects.filter(
            workspace_id=event.workspace_id, code__in=missing
        ).values_list("code", "parallel_group"):
            if group:
                groups[code] = group
    pre_by_group = {groups[code]: code for code in pre_codes if code in groups}
    return {
        code: pre_by_group[groups[code]]
        for code in post_codes
        if code in groups and groups[code] in pre_by_group
    }


def _item_labels(
    pre: AssessmentForm | None, post: AssessmentForm | None, pairs: Mapping[str, str], language: str
) -> dict[str, ItemLabel]:
    """Analysed code → its label: the pre-test's items first, then the post-test's own items."""
    post_codes = set(form_key(post))
    partner = {pre_code: post_code for post_code, pre_code in pairs.items()}
    labels: dict[str, ItemLabel] = {}
    for item in pre.items if pre is not None else []:
        if isinstance(item, Mapping) and item.get("code"):
            code = str(item["code"])
            post_code = code if code in post_codes else partner.get(code, "")
            labels[code] = ItemLabel(code, post_code, _stem(item, language), str(item.get("objective", "")))
    for item in post.items if post is not None else []:
        if isinstance(item, Mapping) and item.get("code"):
            code = str(item["code"])
            analysed = pairs.get(code, code)
            if analysed not in labels:
                labels[analysed] = ItemLabel(
                    analysed, code, _stem(item, language), str(item.get("objective", ""))
                )
    return labels


def _scores(
    key: Mapping[str, Sequence[str]], attempts: Sequence[Attempt]
) -> tuple[dict[int, PhaseScore], dict[int, dict[str, bool]]]:
    """Participant id → score and → right/wrong per item, from submitted attempts."""
    scores: dict[int, PhaseScore] = {}
    rights: dict[int, dict[str, bool]] = {}
    for attempt in attempts:
        responses = {answer.item_code: list(answer.response or []) for answer in attempt.answers.all()}
        result = score(key, responses)
        scores[attempt.participant_id] = PhaseScore(
            result.correct, result.total, result.answered, attempt.channel
        )
        rights[attempt.participant_id] = item_results(key, responses)
    return scores, rights


def _attendance(
    event: TrainingEvent, participants: Sequence[Participant]
) -> tuple[AttendanceSummary, dict[int, tuple[int, int]]]:
    days = event_days(event)
    present: dict[int, int] = defaultdict(int)
    recorded: dict[int, int] = defaultdict(int)
    by_day_present: dict[dt.date, int] = defaultdict(int)
    by_day_recorded: dict[dt.date, int] = defaultdict(int)
    for participant_id, day, is_present in Attendance.objects.filter(participant__event=event).values_list(
        "participant_id", "day", "present"
    ):
        recorded[participant_id] += 1
        by_day_recorded[day] += 1
        if is_present:
            present[participant_id] += 1
            by_day_present[day] += 1
    registered: dict[str, int] = defaultdict(int)
    attended: dict[str, int] = defaultdict(int)
    all_days: dict[str, int] = defaultdict(int)
    for participant in participants:
        for key in ("total", participant.sex or NOT_STATED):
            registered[key] += 1
            if present[participant.pk]:
                attended[key] += 1
            if days and present[participant.pk] >= len(days):
                all_days[key] += 1
    summary = AttendanceSummary(
        registered=dict(registered),
        attended=dict(attended),
        all_days=dict(all_days),
        days=tuple(DayAttendance(day, by_day_present[day], by_day_recorded[day]) for day in days),
    )
    return summary, {p.pk: (present[p.pk], recorded[p.pk]) for p in participants}


def _survey_answers(event: TrainingEvent, kind: SurveyKind) -> tuple[Mapping[str, Any], ...]:
    return tuple(
        dict(answers or {})
        for answers in SurveyResponse.objects.filter(event=event, kind=kind.value)
        .order_by("id")
        .values_list("answers", flat=True)
    )


# --- Evaluation ------------------------------------------------------------------------------------------


def _evaluate(
    rows: Sequence[ParticipantResult], *, percent_scale: bool, max_score: float
) -> Mapping[str, Any]:
    from ctip.core.evaluation import evaluate_prepost

    def value(phase: PhaseScore) -> float:
        return phase.percent if percent_scale else float(phase.correct)

    pre = {row.code: value(row.pre) for row in rows if row.pre is not None}
    post = {row.code: value(row.post) for row in rows if row.post is not None}
    attributes = {
        row.code: {"sex": row.sex or NOT_STATED, "organisation": row.organisation or NOT_STATED}
        for row in rows
    }
    report = evaluate_prepost(
        pre, post, max_score=max_score, attributes=attributes, group_by=GROUP_BY, min_n=MIN_GROUP
    )
    return report.to_json()


def _analyse(
    pre_rights: Mapping[int, Mapping[str, bool]],
    post_rights: Mapping[int, Mapping[str, bool]],
    codes: Mapping[int, str],
    pairs: Mapping[str, str],
) -> Mapping[str, Any]:
    """The item analysis of the post-test, each post-test item under the code it is compared with. Only
    the items that are in both tests are compared before and after; an item in one test only gets the
    post-test figures alone (the evaluation would otherwise count it as wrong in the other test)."""
    from ctip.core.evaluation import analyse_items

    post = {
        codes[pid]: {pairs.get(code, code): right for code, right in rights.items()}
        for pid, rights in post_rights.items()
    }
    post_codes = {code for rights in post.values() for code in rights}
    pre_codes = {code for rights in pre_rights.values() for code in rights}
    common = post_codes & pre_codes
    pre = {
        codes[pid]: {code: right for code, right in rights.items() if code in common}
        for pid, rights in pre_rights.items()
    }
    if not common:
        return analyse_items(post).to_json()
    if common == post_codes:
        return analyse_items(post, pre).to_json()
    report: dict[str, Any] = analyse_items(post).to_json()
    compared: dict[str, Any] = analyse_items(
        {
            pid: {code: right for code, right in rights.items() if code in common}
            for pid, rights in post.items()
        },
        pre,
    ).to_json()
    before = {item["code"]: item for item in compared["items"]}
    for item in report["items"]:
        if item["code"] in before:
            for key in ("pre_difficulty", "mcnemar", "p_adjusted"):
                item[key] = before[item["code"]][key]
        else:
            item["p_adjusted"] = None
    report["reliability"]["pre"] = compared["reliability"]["pre"]
    report["n_pre"] = compared["n_pre"]
    return report


def event_results(event: TrainingEvent, *, language: str = "en") -> EventResults:
    """Everything the results page and the training report show for ``event`` (one read)."""
    participants = list(
        Participant.objects.filter(event=event).select_related("organisation").order_by("code")
    )
    forms = {form.phase: form for form in AssessmentForm.objects.filter(event=event)}
    pre_form, post_form = forms.get(Phase.PRE.value), forms.get(Phase.POST.value)
    pre_key, post_key = form_key(pre_form), form_key(post_form)
    submitted = list(
        Attempt.objects.filter(form__event=event, submitted_at__isnull=False)
        .select_related("form")
        .prefetch_related("answers")
        .order_by("id")
    )
    pre_scores, pre_rights = _scores(pre_key, [a for a in submitted if a.form.phase == Phase.PRE.value])
    post_scores, post_rights = _scores(post_key, [a for a in submitted if a.form.phase == Phase.POST.value])
    attendance, days = _attendance(event, participants)
    rows = tuple(
        ParticipantResult(
            uuid=str(participant.uuid),
            code=participant.code,
            sex=participant.sex,
            organisation=organisation_label(participant),
            location=participant.location,
            days_present=days[participant.pk][0],
            days_recorded=days[participant.pk][1],
            pre=pre_scores.get(participant.pk),
            post=post_scores.get(participant.pk),
            passed=post_scores[participant.pk].percent >= event.pass_mark
            if participant.pk in post_scores
            else None,
        )
        for participant in participants
    )
    percent_scale = bool(pre_key and post_key and len(pre_key) != len(post_key))
    max_score = 100.0 if percent_scale else float(len(post_key) or len(pre_key) or 1)
    pairs = _parallel_pairs(event, pre_form, post_form)
    codes = {participant.pk: participant.code for participant in participants}

    prepost: Mapping[str, Any] | None = None
    missing = ""
    if not pre_scores and not post_scores:
        missing = _("No test has been submitted yet.")
    elif not pre_scores:
        missing = _("No pre-test has been submitted: there is nothing to compare the post-test with.")
    elif not post_scores:
        missing = _("No post-test has been submitted yet.")
    else:
        try:
            prepost = _evaluate(rows, percent_scale=percent_scale, max_score=max_score)
        except DomainError as error:
            missing = error.render(_)
    items: Mapping[str, Any] | None = None
    items_missing = ""
    if post_rights:
        try:
            items = _analyse(pre_rights, post_rights, codes, pairs)
        except DomainError as error:
            items_missing = error.render(_)
    else:
        items_missing = _("The item analysis needs submitted post-tests.")

    by_sex: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        if row.passed is not None:
            by_sex[row.sex or NOT_STATED][0] += 1
            by_sex[row.sex or NOT_STATED][1] += int(row.passed)
    reactions = _survey_answers(event, SurveyKind.REACTION)
    follow_ups = _survey_answers(event, SurveyKind.FOLLOW_UP)
    return EventResults(
        event=event,
        language=language,
        participants=rows,
        pre_items=len(pre_key),
        post_items=len(post_key),
        percent_scale=percent_scale,
        max_score=max_score,
        prepost=prepost,
        prepost_missing=missing,
        items=items,
        items_missing=items_missing,
        item_labels=_item_labels(pre_form, post_form, pairs, language),
        parallel_pairs=pairs,
        passing=PassSummary(
            takers=sum(1 for row in rows if row.passed is not None),
            passed=sum(1 for row in rows if row.passed),
            by_sex={sex: (counts[0], counts[1]) for sex, counts in by_sex.items()},
        ),
        attendance=attendance,
        reactions=summarise_reactions(reactions),
        follow_up=summarise_follow_up(follow_ups),
        reaction_responses=reactions,
        follow_up_responses=follow_ups,
    )
