"""Legal instruments and their Palermo checklist assessments."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.db import transaction

from ctip.core.access import Permission
from ctip.core.errors import FieldProblem, _
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.accounts.records import record_create, record_delete, record_update, record_values
from ctip.web.desk_review.checklist import checklist_codes, status_values
from ctip.web.desk_review.models import ChecklistAssessment, LegalInstrument, Reference
from ctip.web.desk_review.services.validation import model_problems, refuse, same_workspace, year_problems
from ctip.web.desk_review.services.versioning import versioned_update

INSTRUMENT_FIELDS = ["title", "short_name", "year", "kind", "notes", "reference"]
ASSESSMENT_FIELDS = ["status", "provision", "evidence", "note", "references"]


# --- legal instruments ----------------------------------------------------------------------------------


def _instrument_values(
    workspace: Workspace,
    *,
    title: str,
    short_name: str,
    year: int | None,
    kind: str,
    notes: str,
    reference: Reference | None,
) -> dict[str, Any]:
    values = {
        "title": title.strip(),
        "short_name": short_name.strip(),
        "year": year,
        "kind": kind,
        "notes": notes.strip(),
        "reference": reference,
    }
    problems = year_problems(year)
    if reference is not None and reference.workspace_id != workspace.pk:
        problems.append(FieldProblem("reference", _("That library entry is not in this workspace.")))
    candidate = {key: value for key, value in values.items() if key != "reference"}
    problems.extend(model_problems(LegalInstrument(workspace=workspace, **candidate), problems))
    refuse(str(LegalInstrument._meta.verbose_name), problems)
    return values


def instrument_create(
    *,
    workspace: Workspace,
    title: str,
    short_name: str = "",
    year: int | None = None,
    kind: str = "act",
    notes: str = "",
    reference: Reference | None = None,
    acting_user: User | None,
) -> LegalInstrument:
    """Add a national law (or amendment, regulation, policy) to review, with one ``not_assessed`` row for
    each item of the default Palermo checklist."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    values = _instrument_values(
        workspace, title=title, short_name=short_name, year=year, kind=kind, notes=notes, reference=reference
    )
    with transaction.atomic():
        instrument = record_create(
            model=LegalInstrument,
            workspace=workspace,
            values={"workspace": workspace, **values},
            acting_user=acting_user,
            audited_fields=INSTRUMENT_FIELDS,
        )
        ChecklistAssessment.objects.bulk_create(
            ChecklistAssessment(instrument=instrument, item_code=code, status="not_assessed")
            for code in checklist_codes()
        )
    return instrument


def instrument_update(
    *,
    workspace: Workspace,
    instrument: LegalInstrument,
    title: str,
    short_name: str,
    year: int | None,
    kind: str,
    notes: str,
    reference: Reference | None,
    expected_version: int | None = None,
    acting_user: User | None,
) -> LegalInstrument:
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    same_workspace(instrument.workspace_id, workspace, str(LegalInstrument._meta.verbose_name))
    values = _instrument_values(
        workspace, title=title, short_name=short_name, year=year, kind=kind, notes=notes, reference=reference
    )
    return record_update(
        instance=instrument,
        workspace=workspace,
        changes=values,
        acting_user=acting_user,
        audited_fields=INSTRUMENT_FIELDS,
        expected_version=expected_version,
    )


def instrument_delete(*, workspace: Workspace, instrument: LegalInstrument, acting_user: User | None) -> None:
    """Delete an instrument and its checklist assessments."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    same_workspace(instrument.workspace_id, workspace, str(LegalInstrument._meta.verbose_name))
    record_delete(
        instance=instrument, workspace=workspace, acting_user=acting_user, audited_fields=INSTRUMENT_FIELDS
    )


# --- checklist assessments ------------------------------------------------------------------------------


def _assessment_snapshot(assessment: ChecklistAssessment) -> dict[str, Any]:
    values = record_values(assessment, ["status", "provision", "evidence", "note"])
    values["references"] = sorted(str(uuid) for uuid in assessment.references.values_list("uuid", flat=True))
    return values


def assessment_update(
    *,
    workspace: Workspace,
    assessment: ChecklistAssessment,
    status: str,
    provision: str,
    evidence: str,
    note: str,
    reference_uuids: Iterable[UUID | str],
    expected_version: int | None = None,
    acting_user: User | None,
) -> ChecklistAssessment:
    """Record how far an instrument meets one checklist item, with the provision, evidence, a note and the
    library documents that support it (all of this workspace). ``expected_version`` guards against
    overwriting someone else's change."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    same_workspace(assessment.instrument.workspace_id, workspace, str(ChecklistAssessment._meta.verbose_name))
    problems: list[FieldProblem] = []
    if status not in status_values():
        problems.append(
            FieldProblem(
                "status",
                _("“%(value)s” is not a status; use one of %(choices)s."),
                {"value": status, "choices": ", ".join(status_values())},
            )
        )
    wanted: set[str] = set()
    for value in reference_uuids:
        try:
            wanted.add(str(UUID(str(value))))
        except ValueError:
            problems.append(
                FieldProblem("references", _("“%(value)s” is not a document id."), {"value": value})
            )
    found = list(Reference.objects.filter(workspace=workspace, uuid__in=wanted).defer("file_content"))
    missing = wanted - {str(reference.uuid) for reference in found}
    problems.extend(
        FieldProblem("references", _("There is no library document %(id)s in this workspace."), {"id": value})
        for value in sorted(missing)
    )
    values = {
        "status": status,
        "provision": provision.strip(),
        "evidence": evidence.strip(),
        "note": note.strip(),
    }
    problems.extend(
        model_problems(ChecklistAssessment(**values), problems, exclude=["instrument", "item_code"])
    )
    refuse(str(ChecklistAssessment._meta.verbose_name), problems)

    def apply(current: ChecklistAssessment) -> None:
        for name, value in values.items():
            setattr(current, name, value)
        current.save()
        current.references.set(found)

    return versioned_update(
        instance=assessment,
        workspace=workspace,
        expected_version=expected_version,
        acting_user=acting_user,
        snapshot=_assessment_snapshot,
        apply=apply,
        submitted={**values, "references": found},
    )
