"""The coordination arrangement of a plan: its bodies (created, edited, deleted, or the typical set in one
go), and the lead/support matrix derived from the activities with the coordinator's overrides.

Every change checks ``edit_content``, validates with field-named problems, writes, bumps the version and
audits (``nap.body.create`` / ``update`` / ``delete``, ``nap.role.set`` / ``clear``) in one transaction.
The rules (roles, reporting loops, the typical set) are in :mod:`ctip.core.nap.coordination`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.nap.coordination import (
    ActivityAgencies,
    LeadSupportMatrix,
    OutputAgencies,
    ReportingTree,
    Role,
    cycle_text,
    default_arrangement,
    lead_support_matrix,
    most_frequent_lead,
    pillar_prefix,
    reporting_cycle,
    reporting_tree,
)
from ctip.core.nap.model import join
from ctip.formats.charts import OrgBox, OrgChart
from ctip.web.accounts.audit import audit_record
from ctip.web.accounts.models import User
from ctip.web.accounts.permissions import require_permission
from ctip.web.accounts.records import record_values
from ctip.web.nap.models import (
    BODY_KIND_CHOICES,
    ActionPlan,
    CoordinationBody,
    LeadSupportOverride,
    NapElement,
)
from ctip.web.nap.services import values as read
from ctip.web.stakeholders.models import Organisation

__all__ = [
    "BODY_FIELDS",
    "AgencyColumn",
    "MatrixView",
    "bodies_tree",
    "body_create",
    "body_delete",
    "body_update",
    "coordination_chart",
    "default_arrangement_create",
    "matrix_of",
    "role_override_clear",
    "role_override_set",
    "role_overrides_reset",
]

BODY_FIELDS = [
    "name",
    "kind",
    "chair",
    "chair_name",
    "meeting_frequency",
    "reports_to",
    "pillar",
    "mandate",
    "position",
]
"""What the audit log records of a body (members are recorded as a list of organisation ids)."""

NAME_PREFIX = "name:"
"""The matrix key of an agency known only by its name as written (an imported draft)."""


# --- Reading --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencyColumn:
    """A row of the matrix: its key, what to show, and the registry organisation (``None``: a name as
    written, whose cells cannot be changed until the activity names a registry agency)."""

    key: str
    label: str
    organisation: Organisation | None


@dataclass(frozen=True)
class MatrixView:
    matrix: LeadSupportMatrix
    agencies: tuple[AgencyColumn, ...]
    outputs: Mapping[str, NapElement]
    """Output path → element (for the cell forms)."""
    pillar_of: Mapping[str, str]
    """Output path → the code of its pillar."""


def _tree(plan: ActionPlan) -> tuple[list[tuple[str, NapElement]], dict[int, list[NapElement]]]:
    """Every element of the plan with its path, in document order (one query), and children by parent."""
    elements = list(
        NapElement.objects.filter(plan=plan).only(
            "id",
            "uuid",
            "parent_id",
            "level",
            "code",
            "title",
            "position",
            "lead_id",
            "lead_name",
            "supporting",
        )
    )
    children: dict[int, list[NapElement]] = {}
    roots: list[NapElement] = []
    for element in sorted(elements, key=lambda item: (item.position, item.id)):
        if element.parent_id is None:
            roots.append(element)
        else:
            children.setdefault(element.parent_id, []).append(element)
    ordered: list[tuple[str, NapElement]] = []

    def visit(element: NapElement, path: str) -> None:
        ordered.append((path, element))
        for child in children.get(element.id, []):
            visit(child, join(path, child.code))

    for root in roots:
        visit(root, root.code)
    return ordered, children


def _agency_key(organisation_id: Any, name: str) -> str:
    if organisation_id:
        return str(organisation_id)
    return f"{NAME_PREFIX}{name}" if name else ""


def matrix_of(plan: ActionPlan) -> MatrixView:
    """The plan's lead/support matrix with its overrides, and what the page needs to show it (4 queries)."""
    ordered, children = _tree(plan)
    organisation_ids = {element.lead_id for _path, element in ordered if element.lead_id}
    raw_ids: set[str] = set()
    for _path, element in ordered:
        for entry in element.supporting or []:
            if isinstance(entry, dict) and entry.get("organisation"):
                raw_ids.add(str(entry["organisation"]))
    registry = {
        str(org.uuid): org
        for org in Organisation.objects.filter(workspace_id=plan.workspace_id).filter(
            _registry_filter(organisation_ids, raw_ids)
        )
    }
    by_pk = {org.pk: org for org in registry.values()}
    outputs: list[OutputAgencies] = []
    elements: dict[str, NapElement] = {}
    pillar_of: dict[str, str] = {}
    for path, element in ordered:
        if element.level != "output":
            continue
        activities = []
        for activity in children.get(element.id, []):
            if activity.level != "activity":
                continue
            lead = by_pk.get(activity.lead_id) if activity.lead_id else None
            supporting = []
            for entry in activity.supporting or []:
                if not isinstance(entry, dict):
                    continue
                org_id = str(entry.get("organisation") or "")
                key = org_id if org_id in registry else _agency_key("", str(entry.get("name") or "").strip())
                if key:
                    supporting.append(key)
            activities.append(
                ActivityAgencies(
                    _agency_key(lead.uuid if lead else None, activity.lead_name.strip()), tuple(supporting)
                )
            )
        outputs.append(OutputAgencies(path, element.code, element.title, tuple(activities)))
        elements[path] = element
        pillar_of[path] = path.split("/", 1)[0]
    path_of = {element.pk: path for path, element in elements.items()}
    overrides: dict[tuple[str, str], Role] = {}
    for override in LeadSupportOverride.objects.filter(output__plan=plan).select_related("organisation"):
        if override.output_id in path_of:
            key = str(override.organisation.uuid)
            registry.setdefault(key, override.organisation)
            overrides[(key, path_of[override.output_id])] = Role(override.role)
    matrix = lead_support_matrix(outputs, overrides)
    agencies = []
    for key in matrix.agencies:
        organisation = registry.get(key)
        if organisation is not None:
            label = organisation.acronym or organisation.name
        else:
            label = key.removeprefix(NAME_PREFIX)
        agencies.append(AgencyColumn(key, label, organisation))
    return MatrixView(matrix, tuple(agencies), elements, pillar_of)


def _registry_filter(pks: Iterable[int], uuids: Iterable[str]) -> Q:
    valid = []
    for raw in uuids:
        try:
            valid.append(uuid.UUID(raw))
        except ValueError:
            continue
    return Q(pk__in=list(pks)) | Q(uuid__in=valid)


def bodies_tree(plan: ActionPlan) -> tuple[list[CoordinationBody], ReportingTree]:
    """The plan's bodies (with chair, members and pillar loaded) and their reporting tree."""
    bodies = list(
        CoordinationBody.objects.filter(plan=plan)
        .select_related("chair", "pillar", "reports_to")
        .prefetch_related("members")
    )
    tree = reporting_tree(
        [(str(body.uuid), str(body.reports_to.uuid) if body.reports_to else None) for body in bodies]
    )
    return bodies, tree


# --- Bodies ----------------------------------------------------------------------------------------------


def _uuid(raw: Any) -> uuid.UUID | None:
    if isinstance(raw, uuid.UUID):
        return raw
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        return None


def _organisation(plan: ActionPlan, raw: Any, name: str, problems: list[FieldProblem]) -> Organisation | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, Organisation):
        found: Organisation | None = raw if raw.workspace_id == plan.workspace_id else None
    else:
        key = _uuid(raw)
        found = Organisation.objects.filter(workspace_id=plan.workspace_id, uuid=key).first() if key else None
    if found is None:
        problems.append(
            FieldProblem(
                name,
                _(
                    "“%(value)s” is not an organisation of this workspace's registry: choose one from the list."
                ),
                {"value": raw},
            )
        )
    return found


def _members(plan: ActionPlan, raw: Any, problems: list[FieldProblem]) -> list[Organisation]:
    if raw is None or raw == "":
        return []
    items = [raw] if isinstance(raw, str | Organisation) else list(raw)
    found: list[Organisation] = []
    for item in items:
        organisation = _organisation(plan, item, "members", problems)
        if organisation is not None and organisation not in found:
            found.append(organisation)
    return found


def _clean(
    plan: ActionPlan, values: Mapping[str, Any], problems: list[FieldProblem], body: CoordinationBody | None
) -> dict[str, Any]:
    cleaned: dict[str, Any] = {
        "name": read.text(values, "name", problems, required=True, limit=250),
        "chair_name": read.text(values, "chair_name", problems, limit=250),
        "meeting_frequency": read.text(values, "meeting_frequency", problems, limit=100),
        "mandate": read.text(values, "mandate", problems, multiline=True),
    }
    kind = str(values.get("kind") or "other")
    if kind not in dict(BODY_KIND_CHOICES):
        problems.append(
            FieldProblem(
                "kind",
                _("“%(value)s” is not a kind of body: choose one from the list."),
                {"value": kind},
            )
        )
    cleaned["kind"] = kind
    cleaned["chair"] = _organisation(plan, values.get("chair"), "chair", problems)
    cleaned["members"] = _members(plan, values.get("members"), problems)
    cleaned["reports_to"] = _reports_to(plan, values.get("reports_to"), problems, body)
    cleaned["pillar"] = _pillar(plan, values.get("pillar"), problems)
    return cleaned


def _reports_to(
    plan: ActionPlan, raw: Any, problems: list[FieldProblem], body: CoordinationBody | None
) -> CoordinationBody | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, CoordinationBody):
        parent: CoordinationBody | None = raw if raw.plan_id == plan.pk else None
    else:
        key = _uuid(raw)
        parent = CoordinationBody.objects.filter(plan=plan, uuid=key).first() if key else None
    if parent is None:
        problems.append(
            FieldProblem(
                "reports_to",
                _("“%(value)s” is not a body of this plan: choose one from the list."),
                {"value": raw},
            )
        )
        return None
    if body is not None:
        if parent.pk == body.pk:
            problems.append(
                FieldProblem("reports_to", _("A body cannot report to itself: choose another body."))
            )
            return None
        lines = dict(CoordinationBody.objects.filter(plan=plan).values_list("uuid", "reports_to__uuid"))
        names = {
            str(key): name
            for key, name in CoordinationBody.objects.filter(plan=plan).values_list("uuid", "name")
        }
        cycle = reporting_cycle(
            {str(key): str(value) if value else None for key, value in lines.items()},
            str(body.uuid),
            str(parent.uuid),
        )
        if cycle:
            problems.append(
                FieldProblem(
                    "reports_to",
                    _(
                        "%(body)s cannot report to %(parent)s: the reporting lines would go round in a loop "
                        "(%(loop)s). Choose a body higher up, or none."
                    ),
                    {"body": body.name, "parent": parent.name, "loop": cycle_text(cycle, names)},
                )
            )
            return None
    return parent


def _pillar(plan: ActionPlan, raw: Any, problems: list[FieldProblem]) -> NapElement | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, NapElement):
        found: NapElement | None = raw if raw.plan_id == plan.pk and raw.level == "pillar" else None
    else:
        key = _uuid(raw)
        found = NapElement.objects.filter(plan=plan, level="pillar", uuid=key).first() if key else None
    if found is None:
        problems.append(
            FieldProblem(
                "pillar",
                _("“%(value)s” is not a pillar of this plan: choose one from the list."),
                {"value": raw},
            )
        )
    return found


def _audited(body: CoordinationBody) -> dict[str, Any]:
    return record_values(body, BODY_FIELDS) | {"members": sorted(str(org.uuid) for org in body.members.all())}


def _audit(
    acting_user: User | None,
    body: CoordinationBody,
    action: str,
    before: dict[str, Any] | None,
    after: bool = True,
) -> None:
    audit_record(
        acting_user=acting_user,
        workspace=body.workspace,
        action=f"nap.{action}",
        obj=body,
        before=before,
        after=_audited(body) if after else None,
    )


def body_create(*, plan: ActionPlan, values: Mapping[str, Any], acting_user: User | None) -> CoordinationBody:
    """A new body of the plan's arrangement, after the others."""
    require_permission(acting_user, plan.workspace, Permission.EDIT_CONTENT)
    problems: list[FieldProblem] = []
    cleaned = _clean(plan, values, problems, None)
    read.refuse(problems, str(gettext("coordination body")))
    members = cleaned.pop("members")
    with transaction.atomic():
        last = CoordinationBody.objects.filter(plan=plan).aggregate(last=Max("position"))["last"]
        body = CoordinationBody.objects.create(
            workspace=plan.workspace, plan=plan, position=0 if last is None else last + 1, **cleaned
        )
        body.members.set(members)
        _audit(acting_user, body, "body.create", None)
    return body


def body_update(
    *,
    body: CoordinationBody,
    values: Mapping[str, Any],
    acting_user: User | None,
    expected_version: int | None = None,
) -> CoordinationBody:
    """Change a body; fields not in ``values`` keep their value."""
    plan = body.plan
    require_permission(acting_user, plan.workspace, Permission.EDIT_CONTENT)
    with transaction.atomic():
        current = CoordinationBody.objects.select_for_update().get(pk=body.pk)
        read.version_check(current, expected_version, values, fields=(*BODY_FIELDS, "members"))
        merged: dict[str, Any] = {
            name: getattr(current, name) for name in BODY_FIELDS if name != "position"
        } | {"members": list(current.members.all())}
        merged |= {name: value for name, value in values.items() if name in merged}
        problems: list[FieldProblem] = []
        cleaned = _clean(plan, merged, problems, current)
        read.refuse(problems, str(gettext("coordination body")))
        before = _audited(current)
        members = cleaned.pop("members")
        for name, value in cleaned.items():
            setattr(current, name, value)
        current.save()
        current.members.set(members)
        if _audited(current) == before:
            return current
        current.version += 1
        current.updated_at = timezone.now()
        current.save(update_fields=["version", "updated_at"])
        _audit(acting_user, current, "body.update", before)
    return current


def body_delete(*, body: CoordinationBody, acting_user: User | None) -> None:
    """Delete a body; the bodies that reported to it now report to the body above it (or to none)."""
    require_permission(acting_user, body.workspace, Permission.EDIT_CONTENT)
    with transaction.atomic():
        for child in CoordinationBody.objects.select_for_update().filter(reports_to=body):
            before = _audited(child)
            child.reports_to_id = body.reports_to_id
            child.version += 1
            child.updated_at = timezone.now()
            child.save(update_fields=["reports_to", "version", "updated_at"])
            _audit(acting_user, child, "body.update", before)
        _audit(acting_user, body, "body.delete", _audited(body), after=False)
        body.delete()


def default_arrangement_create(
    *, plan: ActionPlan, acting_user: User | None, lead: Organisation | None = None
) -> list[CoordinationBody]:
    """The typical arrangement (see :func:`ctip.core.nap.coordination.default_arrangement`), named in the
    active language. ``lead`` chairs the committees (default: the agency leading most activities);
    each working group is chaired by the agency leading most activities of its pillar. Members: the
    agencies with a role in the outputs concerned. Refused when the plan already has bodies."""
    require_permission(acting_user, plan.workspace, Permission.EDIT_CONTENT)
    existing = CoordinationBody.objects.filter(plan=plan).count()
    if existing:
        raise DomainError(
            ErrorCode.ALREADY_EXISTS,
            _(
                "The plan already has %(count)s coordination bodies: the typical arrangement is only created "
                "for a plan without any. Edit the bodies, or delete them first."
            ),
            {"count": existing},
        )
    if lead is not None and lead.workspace_id != plan.workspace_id:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The chair must be an organisation of this workspace's registry."),
            problems=[FieldProblem("lead", _("Choose an organisation from the list."))],
        )
    view = matrix_of(plan)
    registry = {column.key: column.organisation for column in view.agencies if column.organisation}
    outputs = view.matrix.outputs
    if lead is None:
        lead = registry.get(most_frequent_lead(outputs))
    pillars = list(NapElement.objects.filter(plan=plan, level="pillar").order_by("position", "id"))

    def members_of(prefix: str) -> list[Organisation]:
        return [
            organisation
            for key, organisation in registry.items()
            if any(
                view.matrix.role(key, output.key) != Role.NONE
                for output in outputs
                if output.key.startswith(prefix)
            )
        ]

    by_code = {pillar.code: pillar for pillar in pillars}
    created: dict[str, CoordinationBody] = {}
    with transaction.atomic():
        for position, template in enumerate(default_arrangement([(p.code, p.title) for p in pillars])):
            name = (
                gettext(template.name) % dict(template.name_params)
                if template.name_params
                else gettext(template.name)
            )
            if template.chair == "lead":
                chair = lead
                members = (
                    members_of("")
                    if template.kind == "technical"
                    else [
                        organisation for key, organisation in registry.items() if view.matrix.counts(key)[0]
                    ]
                )
            elif template.chair == "pillar_lead":
                chair = registry.get(most_frequent_lead(outputs, pillar_prefix(template.pillar)))
                members = members_of(pillar_prefix(template.pillar))
            else:
                chair, members = None, []
            if chair is not None and chair not in members:
                members = [chair, *members]
            body = CoordinationBody.objects.create(
                workspace=plan.workspace,
                plan=plan,
                name=name[:250],
                kind=template.kind,
                chair=chair,
                meeting_frequency=gettext(template.meeting_frequency),
                reports_to=created.get(template.reports_to) if template.reports_to else None,
                pillar=by_code.get(template.pillar),
                mandate=gettext(template.mandate),
                position=position,
            )
            body.members.set(members)
            _audit(acting_user, body, "body.create", None)
            created[template.key] = body
    return list(created.values())


# --- The lead/support matrix -----------------------------------------------------------------------------


def _check_cell(plan: ActionPlan, output: NapElement, organisation: Organisation) -> None:
    problems = []
    if output.plan_id != plan.pk or output.level != "output":
        problems.append(FieldProblem("output", _("Choose an output of this plan.")))
    if organisation.workspace_id != plan.workspace_id:
        problems.append(
            FieldProblem("organisation", _("Choose an organisation of this workspace's registry."))
        )
    read.refuse(problems, str(gettext("lead/support role")))


def role_override_set(
    *, plan: ActionPlan, output: NapElement, organisation: Organisation, role: str, acting_user: User | None
) -> LeadSupportOverride:
    """Set the agency's role for the output (lead, support or none), whatever the activities say."""
    require_permission(acting_user, plan.workspace, Permission.EDIT_CONTENT)
    _check_cell(plan, output, organisation)
    if role not in {item.value for item in Role}:
        read.refuse(
            [
                FieldProblem(
                    "role", _("“%(value)s” is not a role: choose lead, support or none."), {"value": role}
                )
            ],
            str(gettext("lead/support role")),
        )
    with transaction.atomic():
        override, created = LeadSupportOverride.objects.select_for_update().get_or_create(
            output=output, organisation=organisation, defaults={"workspace": plan.workspace, "role": role}
        )
        before = None if created else {"role": override.role}
        if not created and override.role != role:
            override.role = role
            override.version += 1
            override.updated_at = timezone.now()
            override.save()
        if created or before != {"role": role}:
            read.audit(
                acting_user=acting_user,
                instance=override,
                action="role.set",
                fields=["output", "organisation", "role"],
                before=before,
            )
    return override


def role_override_clear(
    *, plan: ActionPlan, output: NapElement, organisation: Organisation, acting_user: User | None
) -> bool:
    """Back to the role derived from the activities; ``False`` when there was no override."""
    require_permission(acting_user, plan.workspace, Permission.EDIT_CONTENT)
    _check_cell(plan, output, organisation)
    with transaction.atomic():
        override = LeadSupportOverride.objects.filter(output=output, organisation=organisation).first()
        if override is None:
            return False
        read.audit(
            acting_user=acting_user,
            instance=override,
            action="role.clear",
            fields=["output", "organisation", "role"],
            before=record_values(override, ["output", "organisation", "role"]),
            after=False,
        )
        override.delete()
    return True


def role_overrides_reset(*, plan: ActionPlan, acting_user: User | None) -> int:
    """Clear every override of the plan (the matrix is the activities' again); how many were cleared."""
    require_permission(acting_user, plan.workspace, Permission.EDIT_CONTENT)
    with transaction.atomic():
        overrides = list(LeadSupportOverride.objects.filter(output__plan=plan))
        for override in overrides:
            read.audit(
                acting_user=acting_user,
                instance=override,
                action="role.clear",
                fields=["output", "organisation", "role"],
                before=record_values(override, ["output", "organisation", "role"]),
                after=False,
            )
            override.delete()
    return len(overrides)


# --- The diagram -----------------------------------------------------------------------------------------


def coordination_chart(plan: ActionPlan, title: str) -> OrgChart:
    """The bodies and their reporting lines as an organisation chart (SVG for the page, PNG for the
    documents); each box says the body's kind and its chair, in the active language."""
    bodies, tree = bodies_tree(plan)
    by_key = {str(body.uuid): body for body in bodies}
    kinds = dict(BODY_KIND_CHOICES)
    boxes = []
    for row in tree.rows:
        body = by_key[row.key]
        chair = (body.chair.acronym or body.chair.name) if body.chair else body.chair_name
        kind = str(kinds.get(body.kind, ""))
        detail = gettext("%(kind)s · chair: %(chair)s") % {"kind": kind, "chair": chair} if chair else kind
        boxes.append(OrgBox(row.key, body.name, row.parent or "", detail, body.kind))
    return OrgChart(title, tuple(boxes))
