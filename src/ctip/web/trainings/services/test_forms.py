"""The pre-test and the post-test of a training event.

A form is built from the items in use of the event's modules, in the agenda's module order and then the
bank's order, and keeps a copy of them (later edits of the bank do not change a form already built). Two
designs:

* **same items** — the pre-test and the post-test ask the same questions: version A of each parallel pair
  and the common items;
* **parallel forms** — the pre-test asks version A and the post-test version B of each pair (same
  objective, same difficulty, other wording), both with the common items, so that participants do not
  simply remember the pre-test. A pair with a missing version falls back to the version in use, and the
  build says so.

A form that already has attempts cannot be rebuilt: the answers would no longer match its questions. A form
is open for answers or closed; opening one phase closes the other, so the participants' link always shows
one test. Closing the post-test recomputes the indicators fed by the trainings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Q

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.training.model import Phase, Sex, SurveyKind
from ctip.web.accounts.audit import audit_record
from ctip.web.accounts.models import User
from ctip.web.accounts.permissions import require_permission
from ctip.web.accounts.records import record_create, record_update
from ctip.web.trainings.models import (
    AssessmentForm,
    AssessmentItem,
    Attempt,
    Participant,
    SurveyResponse,
    TrainingEvent,
)
from ctip.web.trainings.services.item_bank import bank_ensure

__all__ = [
    "BuildResult",
    "answer_key",
    "event_items",
    "follow_up_is_open",
    "follow_up_set",
    "form_mode",
    "form_set_open",
    "forms_build",
    "plan_forms",
    "tests_progress",
]

FORM_FIELDS = ["event", "phase", "items", "is_open"]
SAME = "same"
PARALLEL = "parallel"
MODES = (SAME, PARALLEL)
SETTINGS_KEY = "_settings"
"""The key of :attr:`TrainingEvent.kit` that holds the event's switches (the kit's editor ignores it)."""
FOLLOW_UP_OPEN = "follow_up_open"
SEX_COLUMNS = (Sex.FEMALE.value, Sex.MALE.value, Sex.UNDISCLOSED.value)


@dataclass(frozen=True)
class BuildResult:
    forms: dict[str, AssessmentForm]
    notes: list[FieldProblem] = field(default_factory=list)
    """What the build had to decide (e.g. a pair without version B), to show to the trainer."""


# --- Choosing the items ---------------------------------------------------------------------------------


def event_items(event: TrainingEvent) -> list[AssessmentItem]:
    """The items in use of the event's modules: agenda order of the modules, then the bank's order."""
    order = {
        module_id: index
        for index, module_id in enumerate(
            event.event_modules.order_by("position", "id").values_list("module_id", flat=True)
        )
    }
    items = AssessmentItem.objects.filter(
        workspace_id=event.workspace_id, module_id__in=order, is_active=True
    ).select_related("module")
    return sorted(items, key=lambda item: (order[item.module_id], item.position, item.code))


def snapshot(item: AssessmentItem) -> dict[str, Any]:
    """The copy of an item that a form keeps."""
    return {
        "code": item.code,
        "kind": item.kind,
        "stem_en": item.stem_en,
        "stem_fr": item.stem_fr,
        "options": [
            {"key": str(o.get("key", "")), "en": str(o.get("en", "")), "fr": str(o.get("fr", ""))}
            for o in item.options
        ],
        "correct": [str(key) for key in item.correct],
        "objective": item.objective,
        "competency": item.competency,
        "module": item.module.code,
        "parallel_group": item.parallel_group,
    }


def plan_forms(
    items: Sequence[AssessmentItem], mode: str
) -> tuple[dict[str, list[AssessmentItem]], list[FieldProblem]]:
    """The items of the pre-test and of the post-test (``mode`` "same" or "parallel"), and notes on the
    pairs that miss a version. ``items`` come in the order the forms follow; a pair takes the place of its
    first item."""
    slots: dict[tuple[Any, ...], list[AssessmentItem]] = {}
    for item in items:
        key = (
            ("group", item.module_id, item.parallel_group.upper())
            if item.parallel_group
            else ("item", item.pk)
        )
        slots.setdefault(key, []).append(item)
    chosen: dict[str, list[AssessmentItem]] = {Phase.PRE.value: [], Phase.POST.value: []}
    notes: list[FieldProblem] = []
    for key, members in slots.items():
        if key[0] == "item":
            chosen[Phase.PRE.value].append(members[0])
            chosen[Phase.POST.value].append(members[0])
            continue
        a = next((item for item in members if item.form_version == "A"), None)
        b = next((item for item in members if item.form_version == "B"), None)
        pre = a or b or members[0]
        post = (b or a or members[0]) if mode == PARALLEL else pre
        chosen[Phase.PRE.value].append(pre)
        chosen[Phase.POST.value].append(post)
        group = members[0].parallel_group
        if mode == PARALLEL and (a is None or b is None):
            notes.append(
                FieldProblem(
                    group,
                    _(
                        "Parallel group %(group)s has no version %(missing)s in use: both tests ask item "
                        "%(item)s."
                    ),
                    {"group": group, "missing": "B" if b is None else "A", "item": pre.code},
                )
            )
        elif mode == SAME and a is None:
            notes.append(
                FieldProblem(
                    group,
                    _(
                        "Parallel group %(group)s has no version A in use: both tests ask item %(item)s (version B)."
                    ),
                    {"group": group, "item": pre.code},
                )
            )
    return chosen, notes


def form_mode(forms: Iterable[AssessmentForm]) -> str:
    """How built forms were designed: "parallel" when the post-test asks other items than the pre-test."""
    codes = {form.phase: [item.get("code") for item in form.items] for form in forms}
    pre, post = codes.get(Phase.PRE.value), codes.get(Phase.POST.value)
    if pre is not None and post is not None and pre != post:
        return PARALLEL
    return SAME


# --- Building, opening, closing -------------------------------------------------------------------------


def _phases(phases: Iterable[str]) -> list[str]:
    given = {str(phase) for phase in phases}
    wanted: list[str] = [phase for phase in (Phase.PRE.value, Phase.POST.value) if phase in given]
    unknown = sorted(given - {p.value for p in Phase})
    if unknown or not wanted:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("Choose the pre-test, the post-test or both (given: %(value)s)."),
            {"value": ", ".join(unknown) or "—"},
            problems=[FieldProblem("phase", _("Use “pre” or “post”."))],
        )
    return wanted


def forms_build(
    *,
    event: TrainingEvent,
    mode: str,
    acting_user: User | None,
    phases: Iterable[str] = (Phase.PRE.value, Phase.POST.value),
) -> BuildResult:
    """Build (or rebuild) the event's pre-test and/or post-test from the item bank. Nothing changes when a
    form asked for already has attempts or when there is no item to ask."""
    workspace = event.workspace
    require_permission(acting_user, workspace, Permission.RUN_TRAININGS)
    if mode not in MODES:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("Choose how the tests are built: the same items, or parallel forms."),
            problems=[FieldProblem("mode", _("Use “same” or “parallel”."))],
        )
    wanted = _phases(phases)
    bank_ensure(workspace, acting_user=None)
    items = event_items(event)
    if not items:
        if not event.event_modules.exists():
            message = _("This training has no module yet: add its modules first, then build the tests.")
        else:
            message = _(
                "The modules of this training have no item in use in the item bank: add items (or put "
                "withdrawn ones back in use), then build the tests."
            )
        raise DomainError(ErrorCode.INVALID_VALUE, message)
    chosen, notes = plan_forms(items, mode)
    built: dict[str, AssessmentForm] = {}
    with transaction.atomic():
        TrainingEvent.objects.select_for_update().filter(pk=event.pk).first()
        # Locked without an aggregate: PostgreSQL refuses FOR UPDATE with GROUP BY.
        existing = {
            form.phase: form
            for form in AssessmentForm.objects.select_for_update().filter(event=event, phase__in=wanted)
        }
        attempt_counts = dict(
            Attempt.objects.filter(form__in=existing.values())
            .values("form_id")
            .annotate(n=Count("id"))
            .values_list("form_id", "n")
        )
        taken = [form for form in existing.values() if attempt_counts.get(form.pk)]
        if taken:
            raise DomainError(
                ErrorCode.CONFLICT,
                _(
                    "The test cannot be rebuilt: participants have already answered it, and their answers "
                    "would no longer match its questions. Build only the other test, if it has no answer yet."
                ),
                problems=[
                    FieldProblem(
                        form.phase,
                        _("%(count)s participant(s) have answers in this test."),
                        {"count": attempt_counts[form.pk]},
                    )
                    for form in taken
                ],
            )
        for phase in wanted:
            values = [snapshot(item) for item in chosen[phase]]
            form = existing.get(phase)
            if form is None:
                built[phase] = record_create(
                    model=AssessmentForm,
                    workspace=workspace,
                    values={"workspace": workspace, "event": event, "phase": phase, "items": values},
                    acting_user=acting_user,
                    audited_fields=FORM_FIELDS,
                )
            else:
                built[phase] = record_update(
                    instance=form,
                    workspace=workspace,
                    changes={"items": values},
                    acting_user=acting_user,
                    audited_fields=FORM_FIELDS,
                )
    return BuildResult(forms=built, notes=notes)


def _recompute_feeds(event: TrainingEvent, acting_user: User | None) -> None:
    from ctip.web.trainings.services.feeds import feeds_recompute  # written apart; imported when needed

    feeds_recompute(event.workspace, acting_user=acting_user)


def form_set_open(*, form: AssessmentForm, is_open: bool, acting_user: User | None) -> list[AssessmentForm]:
    """Open a form for answers (closing the event's other form) or close it. Returns the forms closed by
    the way. Closing the post-test recomputes the indicators fed by the trainings."""
    workspace = form.workspace
    require_permission(acting_user, workspace, Permission.RUN_TRAININGS)
    if is_open and not form.items:
        raise DomainError(
            ErrorCode.INVALID_VALUE, _("This test has no question: build it before opening it.")
        )
    closed: list[AssessmentForm] = []
    with transaction.atomic():
        if is_open:
            others = AssessmentForm.objects.select_for_update().filter(event_id=form.event_id, is_open=True)
            for other in others.exclude(pk=form.pk):
                closed.append(
                    record_update(
                        instance=other,
                        workspace=workspace,
                        changes={"is_open": False},
                        acting_user=acting_user,
                        audited_fields=FORM_FIELDS,
                    )
                )
        updated = record_update(
            instance=form,
            workspace=workspace,
            changes={"is_open": is_open},
            acting_user=acting_user,
            audited_fields=FORM_FIELDS,
        )
    form.is_open, form.version = updated.is_open, updated.version
    if any(other.phase == Phase.POST.value for other in closed) or (
        not is_open and form.phase == Phase.POST.value
    ):
        _recompute_feeds(form.event, acting_user)
    return closed


# --- The follow-up survey switch ------------------------------------------------------------------------


def follow_up_is_open(event: TrainingEvent) -> bool:
    settings = (event.kit or {}).get(SETTINGS_KEY) or {}
    return bool(settings.get(FOLLOW_UP_OPEN)) if isinstance(settings, dict) else False


def follow_up_set(*, event: TrainingEvent, is_open: bool, acting_user: User | None) -> TrainingEvent:
    """Open (or close) the follow-up survey on the participants' link. Stored in the event's kit under
    ``_settings`` so that no other part of the kit changes."""
    workspace = event.workspace
    require_permission(acting_user, workspace, Permission.RUN_TRAININGS)
    with transaction.atomic():
        current = TrainingEvent.objects.select_for_update().get(pk=event.pk)
        before = follow_up_is_open(current)
        if before == is_open:
            return current
        kit = dict(current.kit or {})
        settings = dict(kit.get(SETTINGS_KEY) or {})
        settings[FOLLOW_UP_OPEN] = is_open
        kit[SETTINGS_KEY] = settings
        current.kit = kit
        current.version += 1
        current.save(update_fields=["kit", "version", "updated_at"])
        audit_record(
            acting_user=acting_user,
            workspace=workspace,
            action="trainingevent.follow_up",
            obj=current,
            before={FOLLOW_UP_OPEN: before},
            after={FOLLOW_UP_OPEN: is_open},
        )
    event.kit, event.version = current.kit, current.version
    return current


# --- What the trainer sees ------------------------------------------------------------------------------


def _by_sex(rows: Iterable[tuple[str, int]]) -> dict[str, int]:
    counts = dict.fromkeys(SEX_COLUMNS, 0)
    for sex, count in rows:
        counts[sex if sex in counts else Sex.UNDISCLOSED.value] += count
    counts["total"] = sum(counts[sex] for sex in SEX_COLUMNS)
    return counts


def tests_progress(event: TrainingEvent) -> dict[str, Any]:
    """Registered participants, and for each phase who started and who submitted, by sex (keys
    "female", "male", "" and "total"); survey responses received by kind."""
    registered = _by_sex(
        Participant.objects.filter(event=event).values("sex").annotate(n=Count("id")).values_list("sex", "n")
    )
    phases: dict[str, dict[str, dict[str, int]]] = {
        phase.value: {"started": _by_sex([]), "submitted": _by_sex([])} for phase in Phase
    }
    rows = (
        Attempt.objects.filter(form__event=event)
        .values("form__phase", "participant__sex")
        .annotate(started=Count("id"), submitted=Count("id", filter=Q(submitted_at__isnull=False)))
    )
    for row in rows:
        entry = phases[row["form__phase"]]
        for name in ("started", "submitted"):
            sex = row["participant__sex"] if row["participant__sex"] in SEX_COLUMNS else ""
            entry[name][sex] += row[name]
            entry[name]["total"] += row[name]
    surveys = dict.fromkeys((kind.value for kind in SurveyKind), 0)
    for kind, count in (
        SurveyResponse.objects.filter(event=event)
        .values("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    ):
        surveys[kind] = count
    return {"registered": registered, "phases": phases, "surveys": surveys}


def answer_key(form: AssessmentForm, language: str) -> list[dict[str, Any]]:
    """The scoring key of a form: each item's number, code, kind and correct options (keys and text)."""
    rows = []
    for number, item in enumerate(form.items, start=1):
        labels = {
            str(o.get("key")): (str(o.get("fr") or o.get("en")) if language == "fr" else str(o.get("en", "")))
            for o in item.get("options", [])
        }
        correct = [str(key) for key in item.get("correct", [])]
        rows.append(
            {
                "number": number,
                "code": item.get("code", ""),
                "kind": item.get("kind", ""),
                "module": item.get("module", ""),
                "objective": item.get("objective", ""),
                "stem": (item.get("stem_fr") or item.get("stem_en"))
                if language == "fr"
                else item.get("stem_en"),
                "options": [
                    {"key": key, "label": label, "correct": key in correct} for key, label in labels.items()
                ],
                "correct": correct,
                "correct_labels": [labels.get(key, key) for key in correct],
            }
        )
    return rows
