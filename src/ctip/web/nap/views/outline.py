"""The plan list, the plan form and the outline editor: the whole tree on one page with collapse/expand,
counts, cost totals and flags per element, moving an element up or down, editing a title in place, adding
a child and deleting an element with what goes with it. The outline reads the plan in a constant number of
queries whatever its size."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.db.models import Count, Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.core.nap.budget import minor_units
from ctip.core.nap.checks import check_nap
from ctip.core.nap.model import DEFAULT_PRINCIPLES, Severity, parent_path
from ctip.web.accounts.forms import apply_domain_error
from ctip.web.accounts.permissions import workspace_view
from ctip.web.nap import selectors, services
from ctip.web.nap.forms import PlanForm, TitleForm
from ctip.web.nap.models import LEVEL_CHOICES, ActionPlan, NapCostLine, NapElement, NapIndicator
from ctip.web.nap.views import child_level, error_text, plan_of, render_page
from ctip.web.stakeholders.models import Organisation

LEVEL_NAMES = dict(LEVEL_CHOICES)


# --- The plan list and the plan form ----------------------------------------------------------------------


@workspace_view(Permission.VIEW_WORKSPACE)
def plan_list(request: HttpRequest) -> HttpResponse:
    """The workspace's plans; with a single plan, its outline (``?all=1`` shows the list anyway)."""
    plans = list(ActionPlan.objects.filter(workspace=request.workspace))
    if len(plans) == 1 and not request.GET.get("all"):
        return redirect("nap-outline", workspace=request.workspace.slug, plan=plans[0].uuid)
    return render_page(request, "nap/plan_list.html", {"plans": plans})


def _plan_page(request: HttpRequest, plan: ActionPlan | None) -> HttpResponse:
    workspace = request.workspace
    if plan is None:
        year = timezone.localdate().year
        initial: dict[str, Any] = {
            "currency": workspace.currency,
            "period_start": year,
            "period_end": year + 4,
            "principles": list(DEFAULT_PRINCIPLES),
        }
    else:
        initial = PlanForm.initial_for(plan)
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if plan is None:
                saved = services.plan_create(
                    workspace=workspace, values=form.values(), acting_user=request.user
                )
                messages.success(
                    request,
                    _("Plan “%(title)s” created with the four pillars; add objectives under each.")
                    % {"title": saved.title},
                )
            else:
                saved = services.plan_update(
                    plan=plan,
                    values=form.values(),
                    acting_user=request.user,
                    expected_version=form.cleaned_data.get("version"),
                )
                messages.success(request, _("Plan “%(title)s” saved.") % {"title": saved.title})
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return redirect("nap-outline", workspace=workspace.slug, plan=saved.uuid)
    status = 400 if request.method == "POST" else 200
    return render_page(request, "nap/plan_form.html", {"form": form, "plan": plan}, status=status)


@workspace_view(Permission.EDIT_CONTENT)
def plan_new(request: HttpRequest) -> HttpResponse:
    return _plan_page(request, None)


@workspace_view(Permission.EDIT_CONTENT)
def plan_edit(request: HttpRequest, plan: Any) -> HttpResponse:
    return _plan_page(request, plan_of(request, plan))


# --- The outline ----------------------------------------------------------------------------------------


@dataclass
class Node:
    """One element of the outline with what the page shows about it and its children."""

    row: Any  # selectors.OutlineRow
    level_name: str
    child_level: str | None
    child_level_name: str
    lead: str
    flags: int
    errors: int
    first: bool = False
    last: bool = False
    children: list[Node] = field(default_factory=list)
    url: str = ""
    """The element's page; the other addresses are under it (``move/``, ``title/``, ``delete/``)."""
    new_url: str = ""
    """Where to add what goes below: a child element, or a cost line under an activity."""
    closing: str = ""
    """The markup that closes this element and the ancestors it ends (the page is written flat)."""
    open: bool = False
    # Texts written once here rather than by a template tag per element (a large plan has hundreds).
    below_text: str = ""
    indicators_text: str = ""
    flags_text: str = ""
    up_label: str = ""
    down_label: str = ""
    add_label: str = ""

    @property
    def is_activity(self) -> bool:
        return self.element.level == "activity"

    @property
    def element(self) -> NapElement:
        return self.row.element

    @property
    def costs(self) -> list[tuple[str, str]]:
        return money_texts(self.row.cost_total_by_currency or {})


def money_texts(totals: Mapping[str, Decimal]) -> list[tuple[str, str]]:
    """``(currency, amount)`` pairs, each amount written with its currency's minor units (RWF: none) and
    the reader's grouping."""
    return [
        (
            currency,
            number_format(amount, decimal_pos=minor_units(currency), use_l10n=True, force_grouping=True),
        )
        for currency, amount in sorted(totals.items())
    ]


def _fingerprint(plan: ActionPlan) -> str:
    """What the checks depend on, in two aggregate queries: when nothing in the plan changed, the flags of
    the last computation still hold (the outline of a large plan is read far more often than changed)."""
    elements = NapElement.objects.filter(plan=plan).aggregate(
        n=Count("id"), v=Sum("version"), t=Max("updated_at")
    )
    lines = NapCostLine.objects.filter(activity__plan=plan).aggregate(
        n=Count("id"), v=Sum("version"), t=Max("updated_at")
    )
    indicators = NapIndicator.objects.filter(element__plan=plan).aggregate(
        n=Count("id"), v=Sum("version"), t=Max("updated_at")
    )
    return "|".join(
        str(value)
        for value in (
            plan.version,
            plan.updated_at,
            timezone.localdate(),
            *elements.values(),
            *lines.values(),
            *indicators.values(),
        )
    )


def _flag_counts(plan: ActionPlan, paths: set[str]) -> tuple[Counter[str], Counter[str], int]:
    """How many flags fall on each element (a flag on an indicator or a cost line counts for the element
    that holds it), how many of those are errors, and how many concern the plan as a whole. Kept in the
    cache while the plan does not change."""
    key = f"nap-outline-flags:{plan.uuid}:{(translation.get_language() or 'en')[:2]}"
    fingerprint = _fingerprint(plan)
    cached = cache.get(key)
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    result = _flag_counts_computed(plan, paths)
    cache.set(key, (fingerprint, result), timeout=3600)
    return result


def _flag_counts_computed(plan: ActionPlan, paths: set[str]) -> tuple[Counter[str], Counter[str], int]:
    nap = selectors.nap_core(plan)
    language = (translation.get_language() or "en")[:2]
    flags = check_nap(
        nap,
        capacity=plan.capacity_per_quarter,
        unfunded_threshold=plan.unfunded_threshold,
        language=language,
        today=timezone.localdate(),
    )
    counts: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    whole = 0
    for flag in flags:
        path = flag.path
        while path and path not in paths:
            path = parent_path(path)
        if not path:
            whole += 1
            continue
        counts[path] += 1
        if flag.severity is Severity.ERROR:
            errors[path] += 1
    return counts, errors, whole


def outline_tree(plan: ActionPlan) -> tuple[list[Node], dict[str, Any]]:
    """The outline as nested nodes, and the totals shown above it."""
    rows = list(selectors.outline(plan))
    lead_ids = {row.element.lead_id for row in rows if row.element.lead_id}
    leads = dict(Organisation.objects.filter(id__in=lead_ids).values_list("id", "name")) if lead_ids else {}
    counts, errors, whole = _flag_counts(plan, {row.path for row in rows})
    by_id: dict[int, Node] = {}
    roots: list[Node] = []
    levels: Counter[str] = Counter()
    for row in rows:
        element = row.element
        below = child_level(element.level)
        node = Node(
            row=row,
            level_name=str(LEVEL_NAMES.get(element.level, element.level)),
            child_level=below,
            child_level_name=str(LEVEL_NAMES[below]) if below else "",
            lead=leads.get(element.lead_id, "") or element.lead_name if element.level == "activity" else "",
            flags=counts[row.path],
            errors=errors[row.path],
        )
        by_id[element.id] = node
        levels[element.level] += 1
        parent = by_id.get(element.parent_id) if element.parent_id else None
        (parent.children if parent else roots).append(node)
    for siblings in [roots, *(node.children for node in by_id.values())]:
        if siblings:
            siblings[0].first = True
            siblings[-1].last = True
    # Addresses built from one reversed prefix (reversing several per element dominates a large page).
    base = reverse("nap-outline", kwargs={"workspace": plan.workspace.slug, "plan": plan.uuid})
    for node in by_id.values():
        element = node.element
        node.url = f"{base}elements/{element.uuid}/"
        node.new_url = (
            f"{base}elements/new/?parent={element.uuid}" if node.child_level else f"{node.url}cost-lines/new/"
        )
        _texts(node)
    totals: dict[str, Decimal] = {}
    for node in roots:
        for currency, amount in (node.row.cost_total_by_currency or {}).items():
            totals[currency] = totals.get(currency, Decimal(0)) + amount
    summary = {
        "levels": [(str(LEVEL_NAMES[level]), levels[level]) for level, _label in LEVEL_CHOICES],
        "costs": money_texts(totals),
        "flags": sum(counts.values()) + whole,
        "plan_flags": whole,
    }
    return roots, summary


CLOSE = "</div></details>"


def _texts(node: Node) -> None:
    element, row = node.element, node.row
    if node.child_level:
        count = row.children_count
        node.below_text = ngettext("%(counter)s below", "%(counter)s below", count) % {"counter": count}
        node.add_label = _("Add: %(level)s") % {"level": node.child_level_name.lower()}
    else:
        node.add_label = _("Add a cost line")
    if element.level in ("outcome", "output"):
        count = row.indicator_count
        node.indicators_text = ngettext("%(counter)s indicator", "%(counter)s indicators", count) % {
            "counter": count
        }
    if node.flags:
        node.flags_text = ngettext("%(counter)s flag", "%(counter)s flags", node.flags) % {
            "counter": node.flags
        }
    node.up_label = _("Move %(code)s up") % {"code": element.code}
    node.down_label = _("Move %(code)s down") % {"code": element.code}


def flattened(roots: list[Node]) -> list[Node]:
    """The nodes in document order, each with the markup that closes it and the ancestors it is the last
    descendant of: the page renders a flat loop instead of a template included once per element."""
    order: list[Node] = []

    def visit(node: Node) -> int:
        """Append the subtree; return how many elements end with its last node (to be closed after it)."""
        order.append(node)
        ending = 0
        for number, child in enumerate(node.children, start=1):
            ending = visit(child)
            if number < len(node.children):
                order[-1].closing = CLOSE * ending
        return ending + 1

    for root in roots:
        ending = visit(root)
        order[-1].closing = CLOSE * ending
    return order


@workspace_view(Permission.VIEW_WORKSPACE)
def outline(request: HttpRequest, plan: Any) -> HttpResponse:
    found = plan_of(request, plan)
    roots, summary = outline_tree(found)
    opened = set(request.GET.getlist("open"))
    nodes = flattened(roots)
    for node in nodes:
        node.open = "all" in opened or node.row.depth < 3 or str(node.element.uuid) in opened
    return render_page(
        request,
        "nap/outline.html",
        {
            "plan": found,
            "roots": roots,
            "nodes": nodes,
            "summary": summary,
            "opened": opened,
            "expand": "all" in opened,
        },
    )


def _element_of(request: HttpRequest, plan: ActionPlan, element: Any) -> NapElement:
    return get_object_or_404(NapElement, plan=plan, uuid=element)


def _back_to(request: HttpRequest, plan: ActionPlan, element: NapElement | None = None) -> HttpResponse:
    url = reverse("nap-outline", kwargs={"workspace": plan.workspace.slug, "plan": plan.uuid})
    return redirect(f"{url}#el-{element.uuid}" if element else url)


@workspace_view(Permission.EDIT_CONTENT)
def element_move(request: HttpRequest, plan: Any, element: Any) -> HttpResponse:
    """Up or down among its siblings (POST ``offset`` -1 or 1)."""
    found = plan_of(request, plan)
    target = _element_of(request, found, element)
    if request.method == "POST":
        try:
            offset = int(request.POST.get("offset", "0"))
        except ValueError:
            offset = 0
        if offset:
            try:
                services.element_move(element=target, offset=offset, acting_user=request.user)
            except DomainError as error:
                messages.error(request, error_text(error))
    return _back_to(request, found, target)


def _what_goes(element: NapElement) -> dict[str, Any]:
    """What deleting ``element`` removes: its descendants by level, their cost lines and indicators."""
    ids = [element.id]
    frontier = [element.id]
    levels: Counter[str] = Counter()
    while frontier:
        children = list(NapElement.objects.filter(parent_id__in=frontier).values_list("id", "level"))
        frontier = [child_id for child_id, _level in children]
        ids += frontier
        levels.update(level for _id, level in children)
    return {
        "levels": [
            (str(LEVEL_NAMES[level]), levels[level]) for level, _label in LEVEL_CHOICES if levels[level]
        ],
        "cost_lines": NapCostLine.objects.filter(activity_id__in=ids).count(),
        "indicators": NapIndicator.objects.filter(element_id__in=ids).count(),
    }


@workspace_view(Permission.EDIT_CONTENT)
def element_delete(request: HttpRequest, plan: Any, element: Any) -> HttpResponse:
    """A confirmation naming what goes (GET), then the deletion (POST)."""
    found = plan_of(request, plan)
    target = _element_of(request, found, element)
    if request.method == "POST":
        parent = target.parent
        code = target.code
        try:
            services.element_delete(element=target, acting_user=request.user, cascade=True)
        except DomainError as error:
            messages.error(request, error_text(error))
            return _back_to(request, found, target)
        messages.success(request, _("“%(code)s” and everything under it were deleted.") % {"code": code})
        return _back_to(request, found, parent)
    return render_page(
        request,
        "nap/element_delete.html",
        {
            "plan": found,
            "element": target,
            "level_name": LEVEL_NAMES.get(target.level, target.level),
            "goes": _what_goes(target),
        },
    )


@workspace_view(Permission.EDIT_CONTENT)
def element_title(request: HttpRequest, plan: Any, element: Any) -> HttpResponse:
    """The title in place: htmx swaps in a small form (GET) and back the saved title (POST); without htmx
    the POST saves and returns to the outline."""
    found = plan_of(request, plan)
    target = _element_of(request, found, element)
    htmx = bool(getattr(request, "htmx", False))
    form = TitleForm(request.POST or None, initial={"title": target.title, "version": target.version})
    if request.method == "POST" and form.is_valid():
        try:
            target = services.element_update(
                element=target,
                values={"title": form.cleaned_data["title"]},
                acting_user=request.user,
                expected_version=form.cleaned_data.get("version"),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            if htmx:
                return render_page(request, "nap/_title.html", {"plan": found, "element": target})
            messages.success(request, _("Title of “%(code)s” saved.") % {"code": target.code})
            return _back_to(request, found, target)
    if request.GET.get("cancel") and htmx:
        return render_page(request, "nap/_title.html", {"plan": found, "element": target})
    if not htmx:
        if request.method == "POST":
            messages.error(
                request, " ".join(str(error) for errors in form.errors.values() for error in errors)
            )
            return _back_to(request, found, target)
        return redirect(
            "nap-element-edit", workspace=found.workspace.slug, plan=found.uuid, element=target.uuid
        )
    status = 400 if request.method == "POST" else 200
    return render_page(
        request, "nap/_title_form.html", {"plan": found, "element": target, "form": form}, status=status
    )
