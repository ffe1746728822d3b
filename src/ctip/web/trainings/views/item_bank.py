"""The item bank pages: the items of each module in English and French (filtered by module, kind and
learning objective), adding an item, editing one, withdrawing it or putting it back in use."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.core.training.model import ItemKind
from ctip.web.accounts.conflicts import conflict_form_refresh
from ctip.web.accounts.forms import apply_domain_error
from ctip.web.accounts.permissions import may, workspace_view
from ctip.web.planning.models import TrainingModule
from ctip.web.trainings.models import ITEM_KIND_CHOICES, AssessmentItem
from ctip.web.trainings.services import item_bank

OPTION_ROWS = 6
NEW_KEYS = "abcdef"
TRUE_FALSE_OPTIONS = [
    {"key": "true", "en": "True", "fr": "Vrai"},
    {"key": "false", "en": "False", "fr": "Faux"},
]


def _language(request: HttpRequest) -> str:
    return "fr" if (getattr(request, "LANGUAGE_CODE", "") or "en").startswith("fr") else "en"


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(
        request,
        template,
        {"can_run_trainings": may(getattr(request, "membership", None), Permission.RUN_TRAININGS), **context},
        status=status,
    )


def module_title(module: TrainingModule, language: str) -> str:
    return (module.title_fr or module.title_en) if language == "fr" else module.title_en


class ItemForm(forms.Form):
    """An item with up to six option rows (key, English, French, correct). Blank rows are left out."""

    kind = forms.ChoiceField(label=gettext_lazy("Kind of item"), choices=ITEM_KIND_CHOICES)
    stem_en = forms.CharField(
        label=gettext_lazy("Question (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    stem_fr = forms.CharField(
        label=gettext_lazy("Question (French)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    objective = forms.CharField(label=gettext_lazy("Learning objective"), required=False, max_length=60)
    competency = forms.CharField(
        label=gettext_lazy("Competency"),
        required=False,
        max_length=40,
        help_text=gettext_lazy("Leave empty to use the competency of the learning objective."),
    )
    parallel_group = forms.CharField(
        label=gettext_lazy("Parallel group"),
        required=False,
        max_length=60,
        help_text=gettext_lazy(
            "Two items of the same group test the same objective at the same difficulty: version A goes in "
            "the pre-test and version B in the post-test of parallel forms. Leave empty for an item asked in "
            "both tests."
        ),
    )
    form_version = forms.ChoiceField(
        label=gettext_lazy("Version"),
        required=False,
        choices=[("", gettext_lazy("Both tests (no group)")), ("A", "A"), ("B", "B")],
    )
    true_false_answer = forms.ChoiceField(
        label=gettext_lazy("For a true-or-false item: the right answer"),
        required=False,
        choices=[("", "—"), ("true", gettext_lazy("True")), ("false", gettext_lazy("False"))],
        help_text=gettext_lazy(
            "With the option rows left empty, the options True / False (Vrai / Faux) are made for you."
        ),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, objectives: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if objectives:
            self.fields["objective"] = forms.ChoiceField(
                label=gettext_lazy("Learning objective"),
                choices=[("", "—"), *objectives],
                required=False,
            )
        for row in range(1, OPTION_ROWS + 1):
            self.fields[f"option_{row}_key"] = forms.CharField(
                label=_("Key of option %(row)s") % {"row": row}, required=False, max_length=40
            )
            self.fields[f"option_{row}_en"] = forms.CharField(
                label=_("Option %(row)s (English)") % {"row": row}, required=False, max_length=2100
            )
            self.fields[f"option_{row}_fr"] = forms.CharField(
                label=_("Option %(row)s (French)") % {"row": row}, required=False, max_length=2100
            )
            self.fields[f"option_{row}_correct"] = forms.BooleanField(
                label=_("Option %(row)s is correct") % {"row": row}, required=False
            )

    @property
    def top_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("kind", "stem_en", "stem_fr", "objective", "competency")]

    @property
    def group_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("parallel_group", "form_version")]

    @property
    def option_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "row": row,
                "key": self[f"option_{row}_key"],
                "en": self[f"option_{row}_en"],
                "fr": self[f"option_{row}_fr"],
                "correct": self[f"option_{row}_correct"],
            }
            for row in range(1, OPTION_ROWS + 1)
        ]

    def draft(self, code: str = "") -> item_bank.ItemDraft:
        data = self.cleaned_data
        options = [
            item_bank.OptionDraft(
                data.get(f"option_{row}_key") or "",
                data.get(f"option_{row}_en") or "",
                data.get(f"option_{row}_fr") or "",
            )
            for row in range(1, OPTION_ROWS + 1)
        ]
        correct = [
            (data.get(f"option_{row}_key") or "").strip()
            for row in range(1, OPTION_ROWS + 1)
            if data.get(f"option_{row}_correct")
        ]
        if data["kind"] == ItemKind.TRUE_FALSE.value and not any(
            o.en.strip() or o.fr.strip() for o in options
        ):
            options = [item_bank.OptionDraft(o["key"], o["en"], o["fr"]) for o in TRUE_FALSE_OPTIONS]
            correct = [data["true_false_answer"]] if data.get("true_false_answer") else []
        return item_bank.ItemDraft(
            code=code,
            kind=data["kind"],
            stem_en=data.get("stem_en") or "",
            stem_fr=data.get("stem_fr") or "",
            objective=data.get("objective") or "",
            competency=data.get("competency") or "",
            parallel_group=data.get("parallel_group") or "",
            form_version=data.get("form_version") or "",
            options=options,
            correct=correct,
        )

    @staticmethod
    def initial_for(item: AssessmentItem | None) -> dict[str, Any]:
        if item is None:
            return {f"option_{row}_key": key for row, key in enumerate(NEW_KEYS[:OPTION_ROWS], start=1)}
        initial: dict[str, Any] = {
            "kind": item.kind,
            "stem_en": item.stem_en,
            "stem_fr": item.stem_fr,
            "objective": item.objective,
            "competency": item.competency,
            "parallel_group": item.parallel_group,
            "form_version": item.form_version,
            "version": item.version,
        }
        for row, option in enumerate(item.options[:OPTION_ROWS], start=1):
            initial[f"option_{row}_key"] = option.get("key", "")
            initial[f"option_{row}_en"] = option.get("en", "")
            initial[f"option_{row}_fr"] = option.get("fr", "")
            initial[f"option_{row}_correct"] = option.get("key") in item.correct
        return initial


class NewItemForm(ItemForm):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=60,
        required=False,
        help_text=gettext_lazy("A short code that no other item of the bank has, e.g. “SCR-11”."),
    )
    field_order = ["code"]

    @property
    def top_fields(self) -> list[forms.BoundField]:
        return [self["code"], *super().top_fields]


def _objective_choices(module: TrainingModule, language: str) -> list[tuple[str, str]]:
    return [
        (code, f"{code} — {(fr or en) if language == 'fr' else en}")
        for code, en, fr in item_bank.objectives_of(module)
    ]


def _module_of(request: HttpRequest, value: str | None) -> TrainingModule | None:
    if not value:
        return None
    try:
        return TrainingModule.objects.filter(workspace=request.workspace, uuid=value).first()
    except (ValueError, TypeError):
        return None


def _show_errors(form: ItemForm, error: DomainError) -> list[str]:
    """The domain error on the form; the problems about the options as a whole come back apart, to show
    above the option rows."""
    option_errors = [p.render(_) for p in error.problems if p.location in ("options", "correct")]
    rest = DomainError(
        error.code,
        error.template,
        error.params,
        problems=[p for p in error.problems if p.location not in ("options", "correct")],
    )
    apply_domain_error(form, rest)
    conflict_form_refresh(form, error)
    return option_errors


@workspace_view(Permission.VIEW_WORKSPACE)
def item_bank_page(request: HttpRequest) -> HttpResponse:
    """The bank, by module: each item's question and options in English and French, the correct ones
    marked."""
    workspace = request.workspace
    language = _language(request)
    item_bank.bank_ensure(workspace, acting_user=None)
    modules = list(TrainingModule.objects.filter(workspace=workspace).order_by("position", "code"))
    module = _module_of(request, request.GET.get("module"))
    kind = request.GET.get("kind", "")
    kind = kind if kind in {k.value for k in ItemKind} else ""
    objective = request.GET.get("objective", "").strip()[:60]
    withdrawn = request.GET.get("withdrawn") == "1"
    items = list(
        item_bank.bank_items(
            workspace, module=module, kind=kind, objective=objective, include_withdrawn=withdrawn
        )
    )
    counts = item_bank.bank_counts(workspace)
    groups: dict[int, dict[str, Any]] = {}
    for item in items:
        group = groups.setdefault(
            item.module_id,
            {"module": item.module, "title": module_title(item.module, language), "items": []},
        )
        group["items"].append(item)
    return _render(
        request,
        "trainings/item_bank.html",
        {
            "groups": list(groups.values()),
            "modules": [
                {"module": m, "title": module_title(m, language), "counts": counts.get(m.pk, {})}
                for m in modules
            ],
            "selected_module": module,
            "kind": kind,
            "kinds": ITEM_KIND_CHOICES,
            "objective": objective,
            "withdrawn": withdrawn,
            "shown": len(items),
            "total": sum(entry.get("active", 0) for entry in counts.values()),
            "language": language,
        },
    )


@workspace_view(Permission.RUN_TRAININGS)
def item_create(request: HttpRequest) -> HttpResponse:
    """A new item for a module (chosen first: its learning objectives are offered)."""
    workspace = request.workspace
    language = _language(request)
    module = _module_of(request, request.GET.get("module") or request.POST.get("module"))
    modules = list(TrainingModule.objects.filter(workspace=workspace).order_by("position", "code"))
    if module is None:
        return _render(
            request,
            "trainings/item_bank_form.html",
            {"item": None, "module": None, "modules": [(m, module_title(m, language)) for m in modules]},
        )
    objectives = _objective_choices(module, language)
    form = NewItemForm(request.POST or None, initial=NewItemForm.initial_for(None), objectives=objectives)
    option_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            created = item_bank.item_create(
                workspace=workspace,
                module=module,
                draft=form.draft(code=form.cleaned_data.get("code") or ""),
                acting_user=request.user,
            )
        except DomainError as error:
            option_errors = _show_errors(form, error)
        else:
            messages.success(request, _("Item “%(code)s” added to the bank.") % {"code": created.code})
            return redirect(
                reverse("training-item-bank", kwargs={"workspace": workspace.slug}) + f"?module={module.uuid}"
            )
    return _render(
        request,
        "trainings/item_bank_form.html",
        {
            "item": None,
            "module": module,
            "module_title": module_title(module, language),
            "form": form,
            "option_errors": option_errors,
        },
        status=400 if request.method == "POST" else 200,
    )


@workspace_view(Permission.RUN_TRAININGS)
def item_edit(request: HttpRequest, item: Any) -> HttpResponse:
    """Edit an item, or (``action`` "withdraw" / "restore") take it out of new tests or put it back."""
    workspace = request.workspace
    language = _language(request)
    found = get_object_or_404(AssessmentItem.objects.select_related("module"), workspace=workspace, uuid=item)
    back = (
        reverse("training-item-bank", kwargs={"workspace": workspace.slug}) + f"?module={found.module.uuid}"
    )
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action in ("withdraw", "restore"):
        try:
            item_bank.item_set_active(item=found, active=action == "restore", acting_user=request.user)
        except DomainError as error:
            messages.error(request, " ".join([error.render(_), *(p.render(_) for p in error.problems)]))
        else:
            if action == "withdraw":
                message = _("Item “%(code)s” withdrawn: new tests will not ask it.")
            else:
                message = _("Item “%(code)s” is in use again.")
            messages.success(request, message % {"code": found.code})
        return redirect(back + ("&withdrawn=1" if action == "withdraw" else ""))
    data: QueryDict | None = request.POST if request.method == "POST" else None
    form = ItemForm(
        data, initial=ItemForm.initial_for(found), objectives=_objective_choices(found.module, language)
    )
    option_errors: list[str] = []
    if data is not None and form.is_valid():
        try:
            item_bank.item_update(
                item=found,
                draft=form.draft(code=found.code),
                acting_user=request.user,
                expected_version=form.cleaned_data.get("version"),
            )
        except DomainError as error:
            option_errors = _show_errors(form, error)
        else:
            messages.success(request, _("Item “%(code)s” saved.") % {"code": found.code})
            return redirect(back)
    return _render(
        request,
        "trainings/item_bank_form.html",
        {
            "item": found,
            "module": found.module,
            "module_title": module_title(found.module, language),
            "form": form,
            "option_errors": option_errors,
        },
        status=400 if data is not None else 200,
    )
