"""The workspace's item bank: the test items of each module, in English and French.

:func:`bank_ensure` copies the items of the built-in module content (``ctip.core.training.content``) into
the workspace, once per item code: items the workspace already has — edited or withdrawn — are never
touched. Trainers then add items, edit them and withdraw them (an item is never deleted: test forms
already built keep their own copy of it, and the bank keeps its history). Every save checks the whole
item first and changes nothing when a field is wrong; each problem names the field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max, QuerySet

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.training.content import ModuleContent, module_content
from ctip.core.training.model import ItemKind
from ctip.web.accounts.audit import audit_record
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.accounts.records import record_create, record_update, record_values
from ctip.web.planning.models import TrainingModule
from ctip.web.trainings.models import AssessmentItem

__all__ = [
    "ItemDraft",
    "OptionDraft",
    "bank_counts",
    "bank_ensure",
    "bank_items",
    "check_item",
    "item_create",
    "item_set_active",
    "item_update",
    "objectives_of",
]

ITEM_FIELDS = [
    "module",
    "code",
    "kind",
    "stem_en",
    "stem_fr",
    "options",
    "correct",
    "objective",
    "competency",
    "parallel_group",
    "form_version",
    "is_active",
    "position",
]
CODE_MAX = 30
COMPETENCY_MAX = 20
OPTION_KEY_MAX = 20
TEXT_MAX = 2000
TRUE_FALSE_KEYS = ("true", "false")
FORM_VERSIONS = ("", "A", "B")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass
class OptionDraft:
    key: str
    en: str
    fr: str = ""


@dataclass
class ItemDraft:
    """What a trainer typed for an item (before checking). ``options`` keeps the rows as typed, blank rows
    included, so that a problem can name the row (``option_2_key``)."""

    kind: str
    stem_en: str
    objective: str
    options: list[OptionDraft] = field(default_factory=list)
    correct: list[str] = field(default_factory=list)
    stem_fr: str = ""
    competency: str = ""
    parallel_group: str = ""
    form_version: str = ""
    code: str = ""

    @classmethod
    def of(cls, item: AssessmentItem) -> ItemDraft:
        return cls(
            kind=item.kind,
            stem_en=item.stem_en,
            stem_fr=item.stem_fr,
            objective=item.objective,
            options=[
                OptionDraft(str(o.get("key", "")), str(o.get("en", "")), str(o.get("fr", "")))
                for o in item.options
            ],
            correct=[str(key) for key in item.correct],
            competency=item.competency,
            parallel_group=item.parallel_group,
            form_version=item.form_version,
            code=item.code,
        )


# --- Seeding from the module content ----------------------------------------------------------------------


def _seed_values(module: TrainingModule, content: ModuleContent, position: int) -> list[dict[str, Any]]:
    return [
        {
            "module": module,
            "code": spec.code,
            "kind": spec.kind.value,
            "stem_en": spec.stem.en,
            "stem_fr": spec.stem.fr,
            "options": [{"key": o.key, "en": o.label.en, "fr": o.label.fr} for o in spec.options],
            "correct": list(spec.correct),
            "objective": spec.objective,
            "competency": spec.competency,
            "parallel_group": spec.parallel_group,
            "form_version": spec.form_version,
            "position": position + index,
        }
        for index, spec in enumerate(content.items, start=1)
    ]


def bank_ensure(workspace: Workspace, acting_user: User | None = None) -> int:
    """Copy into the workspace's bank the built-in items of every workspace module that has content, for
    the item codes the bank does not have yet; returns how many were added. Idempotent, and items already
    in the workspace (edited or withdrawn) are left exactly as they are. Seeding is part of reading the
    bank, so it needs no permission; each item added is audited."""
    modules = list(TrainingModule.objects.filter(workspace=workspace).order_by("position", "code"))
    wanted = [(module, content) for module in modules if (content := module_content(module.code))]
    if not wanted:
        return 0
    codes = {spec.code for _module, content in wanted for spec in content.items}
    if AssessmentItem.objects.filter(workspace=workspace, code__in=codes).count() >= len(codes):
        return 0
    added = 0
    with transaction.atomic():
        Workspace.objects.select_for_update().filter(pk=workspace.pk).first()  # one seeder at a time
        existing = set(AssessmentItem.objects.filter(workspace=workspace).values_list("code", flat=True))
        for module, content in wanted:
            last = AssessmentItem.objects.filter(module=module).aggregate(last=Max("position"))["last"] or 0
            for values in _seed_values(module, content, last):
                if values["code"] in existing:
                    continue
                created = AssessmentItem.objects.create(workspace=workspace, **values)
                audit_record(
                    acting_user=acting_user,
                    workspace=workspace,
                    action="assessmentitem.create",
                    obj=created,
                    after=record_values(created, ITEM_FIELDS),
                )
                existing.add(created.code)
                added += 1
    return added


# --- Reading --------------------------------------------------------------------------------------------


def bank_items(
    workspace: Workspace,
    *,
    module: TrainingModule | None = None,
    kind: str = "",
    objective: str = "",
    include_withdrawn: bool = False,
) -> QuerySet[AssessmentItem]:
    """The bank's items, by module then position, filtered."""
    items = AssessmentItem.objects.filter(workspace=workspace).select_related("module")
    if module is not None:
        items = items.filter(module=module)
    if kind:
        items = items.filter(kind=kind)
    if objective:
        items = items.filter(objective__iexact=objective)
    if not include_withdrawn:
        items = items.filter(is_active=True)
    return items.order_by("module__position", "module__code", "position", "code")


def objectives_of(module: TrainingModule) -> list[tuple[str, str, str]]:
    """The module's learning objectives as (code, English, French), from its content (empty without)."""
    content = module_content(module.code)
    if content is None:
        return []
    return [(o.code, o.text.en, o.text.fr) for o in content.objectives]


# --- Checking -------------------------------------------------------------------------------------------


def _code_problems(workspace: Workspace, code: str, exclude: int | None) -> list[FieldProblem]:
    if not code:
        return [FieldProblem("code", _("Give the item a short code, e.g. “SCR-11”."))]
    if len(code) > CODE_MAX or not _CODE.match(code):
        return [
            FieldProblem(
                "code",
                _(
                    "“%(code)s” cannot be an item code: use at most %(limit)s letters, digits, “.”, “-” or "
                    "“_”, starting with a letter or a digit."
                ),
                {"code": code, "limit": CODE_MAX},
            )
        ]
    clash = AssessmentItem.objects.filter(workspace=workspace, code__iexact=code)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        return [
            FieldProblem(
                "code",
                _("The code “%(code)s” is already used by another item of the bank; choose another."),
                {"code": code},
            )
        ]
    return []


def _option_problems(draft: ItemDraft) -> tuple[list[dict[str, str]], list[FieldProblem]]:
    """The options kept (blank rows dropped) and the problems of each row, named by its row number."""
    problems: list[FieldProblem] = []
    options: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    for row, option in enumerate(draft.options, start=1):
        key, en, fr = option.key.strip(), option.en.strip(), option.fr.strip()
        if not (en or fr):
            continue  # a row without text is not an option (keys may be filled in ahead)
        if not key:
            problems.append(
                FieldProblem(f"option_{row}_key", _("Option %(row)s needs a key, e.g. “a”."), {"row": row})
            )
        elif len(key) > OPTION_KEY_MAX or not _KEY.match(key):
            problems.append(
                FieldProblem(
                    f"option_{row}_key",
                    _(
                        "“%(key)s” cannot be an option key: use at most %(limit)s letters, digits, “-” or “_” "
                        "(no spaces)."
                    ),
                    {"key": key, "limit": OPTION_KEY_MAX},
                )
            )
        elif key.lower() in seen:
            problems.append(
                FieldProblem(
                    f"option_{row}_key",
                    _(
                        "The key “%(key)s” is already used by option %(other)s; each option needs its own key."
                    ),
                    {"key": key, "other": seen[key.lower()]},
                )
            )
        else:
            seen[key.lower()] = row
        if not en:
            problems.append(
                FieldProblem(f"option_{row}_en", _("Option %(row)s needs its text in English."), {"row": row})
            )
        if len(en) > TEXT_MAX or len(fr) > TEXT_MAX:
            problems.append(
                FieldProblem(
                    f"option_{row}_en",
                    _("Option texts have at most %(limit)s characters."),
                    {"limit": TEXT_MAX},
                )
            )
        options.append({"key": key, "en": en, "fr": fr})
    return options, problems


def _answer_problems(
    kind: str, options: Sequence[Mapping[str, str]], correct: Sequence[str]
) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    keys = [option["key"] for option in options]
    if len(options) < 2:
        problems.append(
            FieldProblem("options", _("Give at least 2 options (%(count)s given)."), {"count": len(options)})
        )
    if kind == ItemKind.TRUE_FALSE.value and sorted(keys) != sorted(TRUE_FALSE_KEYS):
        problems.append(
            FieldProblem(
                "options",
                _(
                    "A true-or-false item has exactly two options, with the keys “true” and “false” (given: "
                    "%(keys)s)."
                ),
                {"keys": ", ".join(keys) or "—"},
            )
        )
    unknown = [key for key in correct if key not in keys]
    if unknown:
        problems.append(
            FieldProblem(
                "correct",
                _(
                    "“%(keys)s” is marked correct but is not an option of the item; the options are: %(options)s."
                ),
                {"keys": ", ".join(unknown), "options": ", ".join(keys) or "—"},
            )
        )
    elif kind in (ItemKind.SINGLE.value, ItemKind.TRUE_FALSE.value) and len(correct) != 1:
        problems.append(
            FieldProblem(
                "correct",
                _("Mark exactly one option as correct (%(count)s marked): this kind of item has one answer."),
                {"count": len(correct)},
            )
        )
    elif kind == ItemKind.MULTIPLE.value and not correct:
        problems.append(FieldProblem("correct", _("Mark at least one option as correct.")))
    return problems


def _objective_problems(module: TrainingModule, objective: str) -> list[FieldProblem]:
    if not objective:
        return [FieldProblem("objective", _("Give the learning objective the item tests, e.g. “SCR-LO1”."))]
    content = module_content(module.code)
    if content is not None:
        known = [o.code for o in content.objectives]
        if objective not in known:
            return [
                FieldProblem(
                    "objective",
                    _(
                        "“%(objective)s” is not a learning objective of module %(module)s; choose one of: %(known)s."
                    ),
                    {"objective": objective, "module": module.code, "known": ", ".join(known)},
                )
            ]
    elif len(objective) > CODE_MAX or not _CODE.match(objective):
        return [
            FieldProblem(
                "objective",
                _(
                    "“%(objective)s” cannot be an objective code: use at most %(limit)s letters, digits, “.”, “-” or “_”."
                ),
                {"objective": objective, "limit": CODE_MAX},
            )
        ]
    return []


def _parallel_problems(workspace: Workspace, draft: ItemDraft, exclude: int | None) -> list[FieldProblem]:
    group, version = draft.parallel_group.strip(), draft.form_version.strip().upper()
    if version not in FORM_VERSIONS:
        return [
            FieldProblem(
                "form_version",
                _("“%(value)s” is not a form version: leave it empty (both tests) or use A or B."),
                {"value": draft.form_version},
            )
        ]
    if group and (len(group) > CODE_MAX or not _CODE.match(group)):
        return [
            FieldProblem(
                "parallel_group",
                _(
                    "“%(group)s” cannot be a group code: use at most %(limit)s letters, digits, “.”, “-” or “_”."
                ),
                {"group": group, "limit": CODE_MAX},
            )
        ]
    if version and not group:
        return [
            FieldProblem(
                "parallel_group",
                _("A version %(version)s item belongs to a parallel group (e.g. “SCR-P1”): give the group."),
                {"version": version},
            )
        ]
    if group and not version:
        return [
            FieldProblem(
                "form_version",
                _("An item of parallel group %(group)s is version A or B; choose one."),
                {"group": group},
            )
        ]
    if group:
        twin = AssessmentItem.objects.filter(
            workspace=workspace, is_active=True, parallel_group__iexact=group, form_version=version
        )
        if exclude is not None:
            twin = twin.exclude(pk=exclude)
        other = twin.first()
        if other is not None:
            return [
                FieldProblem(
                    "form_version",
                    _(
                        "Item %(other)s is already version %(version)s of group %(group)s; use the other "
                        "version, another group, or withdraw %(other)s first."
                    ),
                    {"other": other.code, "version": version, "group": group},
                )
            ]
    return []


def check_item(
    workspace: Workspace, module: TrainingModule, draft: ItemDraft, *, exclude: int | None = None
) -> dict[str, Any]:
    """The item's values ready to store, or :class:`DomainError` with one problem per wrong field."""
    problems: list[FieldProblem] = []
    if exclude is None:
        problems += _code_problems(workspace, draft.code.strip(), None)
    kind = draft.kind.strip()
    if kind not in {k.value for k in ItemKind}:
        problems.append(
            FieldProblem(
                "kind",
                _("“%(value)s” is not a kind of item; choose one of: %(allowed)s."),
                {"value": kind, "allowed": ", ".join(k.value for k in ItemKind)},
            )
        )
    stem_en, stem_fr = draft.stem_en.strip(), draft.stem_fr.strip()
    if not stem_en:
        problems.append(FieldProblem("stem_en", _("Write the question in English.")))
    if len(stem_en) > TEXT_MAX or len(stem_fr) > TEXT_MAX:
        problems.append(
            FieldProblem("stem_en", _("A question has at most %(limit)s characters."), {"limit": TEXT_MAX})
        )
    options, option_problems = _option_problems(draft)
    problems += option_problems
    correct = list(dict.fromkeys(key.strip() for key in draft.correct if key.strip()))
    if not option_problems:
        problems += _answer_problems(kind, options, correct)
    objective = draft.objective.strip()
    problems += _objective_problems(module, objective)
    competency = draft.competency.strip()
    content = module_content(module.code)
    if not competency and content is not None:
        found = content.objective(objective)
        competency = found.competency if found is not None else ""
    if len(competency) > COMPETENCY_MAX:
        problems.append(
            FieldProblem(
                "competency",
                _("A competency code has at most %(limit)s characters."),
                {"limit": COMPETENCY_MAX},
            )
        )
    problems += _parallel_problems(workspace, draft, exclude)
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The item cannot be saved; correct the fields listed. Nothing was changed."),
            problems=problems,
        )
    order = {key: index for index, key in enumerate(option["key"] for option in options)}
    return {
        "kind": kind,
        "stem_en": stem_en,
        "stem_fr": stem_fr,
        "options": options,
        "correct": sorted(correct, key=lambda key: order[key]),
        "objective": objective,
        "competency": competency,
        "parallel_group": draft.parallel_group.strip(),
        "form_version": draft.form_version.strip().upper(),
    }


# --- Changing -------------------------------------------------------------------------------------------


def item_create(
    *, workspace: Workspace, module: TrainingModule, draft: ItemDraft, acting_user: User | None
) -> AssessmentItem:
    """A new item of ``module``, after the module's other items."""
    require_permission(acting_user, workspace, Permission.RUN_TRAININGS)
    if module.workspace_id != workspace.pk:
        raise DomainError(ErrorCode.NOT_FOUND, _("There is no such module in this workspace."))
    values = check_item(workspace, module, draft)
    last = AssessmentItem.objects.filter(module=module).aggregate(last=Max("position"))["last"] or 0
    return record_create(
        model=AssessmentItem,
        workspace=workspace,
        values={
            "workspace": workspace,
            "module": module,
            "code": draft.code.strip(),
            "position": last + 1,
            **values,
        },
        acting_user=acting_user,
        audited_fields=ITEM_FIELDS,
    )


def item_update(
    *,
    item: AssessmentItem,
    draft: ItemDraft,
    acting_user: User | None,
    expected_version: int | None = None,
) -> AssessmentItem:
    """Save an item's new wording, options and answers (its code and module stay). Test forms already
    built keep the wording they were built with."""
    workspace = item.workspace
    require_permission(acting_user, workspace, Permission.RUN_TRAININGS)
    values = check_item(workspace, item.module, draft, exclude=item.pk)
    return record_update(
        instance=item,
        workspace=workspace,
        changes=values,
        acting_user=acting_user,
        audited_fields=ITEM_FIELDS,
        expected_version=expected_version,
    )


def item_set_active(*, item: AssessmentItem, active: bool, acting_user: User | None) -> AssessmentItem:
    """Withdraw an item from new test forms (``active=False``) or put it back in use. Putting back an item
    whose parallel version is now taken by another item is refused."""
    workspace = item.workspace
    require_permission(acting_user, workspace, Permission.RUN_TRAININGS)
    if active and item.parallel_group:
        problems = _parallel_problems(workspace, ItemDraft.of(item), item.pk)
        if problems:
            raise DomainError(
                ErrorCode.CONFLICT,
                _("Item %(code)s cannot be put back in use."),
                {"code": item.code},
                problems=problems,
            )
    return record_update(
        instance=item,
        workspace=workspace,
        changes={"is_active": active},
        acting_user=acting_user,
        audited_fields=ITEM_FIELDS,
    )


def bank_counts(workspace: Workspace) -> dict[int, dict[str, int]]:
    """Items in use and withdrawn, by module id."""
    counts: dict[int, dict[str, int]] = {}
    rows = AssessmentItem.objects.filter(workspace=workspace).values_list("module_id", "is_active")
    for module_id, active in rows:
        entry = counts.setdefault(module_id, {"active": 0, "withdrawn": 0})
        entry["active" if active else "withdrawn"] += 1
    return counts
