"""Inception settings: the TNA sampling parameters, the programme timeline and the report templates.
Each service checks ``edit_content``, validates, writes and audits in one transaction."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.sampling import cochran_sample_size
from ctip.formats.documents.docx_writer import template_check_or_raise
from ctip.web.accounts.audit import audit_record
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.accounts.records import record_create, record_delete, record_update, record_values
from ctip.web.inception.models import PhaseDates, ReportTemplate, SamplingSettings
from ctip.web.shell.phases import PHASES_BY_SLUG

SAMPLING_FIELDS = [
    "confidence",
    "margin",
    "minimum_per_organisation",
    "interviews_per_organisation",
    "focus_groups",
    "focus_group_size",
]
PHASE_DATES_FIELDS = ["phase", "label", "start", "end"]
REPORT_TEMPLATE_FIELDS = ["kind", "file_name", "content", "uploaded_at"]
REPORT_KINDS = ("inception_report",)
"""Report kinds a workspace can have its own Word template for (more come with the other reports)."""

_COUNT_LIMIT = 1000
_THOUSANDTH = Decimal("0.001")
_PHASE_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


# --- Sampling ------------------------------------------------------------------------------------------


def _count_problems(values: dict[str, int]) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    for name, value in values.items():
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= _COUNT_LIMIT:
            problems.append(
                FieldProblem(
                    name,
                    _("%(value)s is not allowed here; give a whole number from 0 to %(limit)s."),
                    {"value": value, "limit": _COUNT_LIMIT},
                )
            )
    if not problems and values["focus_groups"] > 0 and values["focus_group_size"] == 0:
        problems.append(
            FieldProblem(
                "focus_group_size",
                _("Give the number of participants per focus group (often 6 to 10), or plan 0 focus groups."),
            )
        )
    return problems


def _fraction(name: str, value: Decimal | float | str, problems: list[FieldProblem]) -> Decimal | None:
    """``value`` as a Decimal with three decimals (0.95 and 0.950 are the same setting), or ``None`` with a
    problem added. Whether it lies between 0 and 1 is the core's rule (``cochran_sample_size``)."""
    try:
        number = Decimal(str(value))
        rounded = number.quantize(_THOUSANDTH) if number.is_finite() else None
    except InvalidOperation:
        rounded = None
    if rounded is None:
        problems.append(
            FieldProblem(name, _("“%(value)s” is not a number between 0 and 1, e.g. 0.95."), {"value": value})
        )
        return None
    if rounded != number:
        problems.append(
            FieldProblem(
                name, _("%(value)s has more than 3 decimals; round it, e.g. 0.95."), {"value": value}
            )
        )
    return rounded


def sampling_settings_update(
    *,
    workspace: Workspace,
    confidence: Decimal | float,
    margin: Decimal | float,
    minimum_per_organisation: int,
    interviews_per_organisation: int,
    focus_groups: int,
    focus_group_size: int,
    expected_version: int | None = None,
    acting_user: User | None,
) -> SamplingSettings:
    """Set the TNA sampling parameters (created with the defaults on first use). ``confidence`` and
    ``margin`` are fractions: 0.95 for 95%, 0.05 for ±5 percentage points."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    problems: list[FieldProblem] = []
    confidence_value = _fraction("confidence", confidence, problems)
    margin_value = _fraction("margin", margin, problems)
    if confidence_value is not None and margin_value is not None and not problems:
        try:  # the core's rules for a valid confidence level and margin
            cochran_sample_size(
                population=None, confidence=float(confidence_value), margin=float(margin_value)
            )
        except DomainError as error:
            problems.extend(error.problems)
    counts = {
        "minimum_per_organisation": minimum_per_organisation,
        "interviews_per_organisation": interviews_per_organisation,
        "focus_groups": focus_groups,
        "focus_group_size": focus_group_size,
    }
    problems.extend(_count_problems(counts))
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The sampling parameters cannot be saved; correct the fields listed."),
            problems=problems,
        )
    with transaction.atomic():
        current, _created = SamplingSettings.objects.select_for_update().get_or_create(workspace=workspace)
        return record_update(
            instance=current,
            workspace=workspace,
            changes={"confidence": confidence_value, "margin": margin_value, **counts},
            acting_user=acting_user,
            audited_fields=SAMPLING_FIELDS,
            expected_version=expected_version,
        )


# --- Timeline ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseDatesInput:
    """The dates of one phase, as given to :func:`timeline_replace`."""

    phase: str
    label: str
    start: dt.date
    end: dt.date


def _phase_problems(item: PhaseDatesInput, where: str = "") -> list[FieldProblem]:
    prefix = f"{where}." if where else ""
    problems: list[FieldProblem] = []
    if not _PHASE_SLUG.match(item.phase or ""):
        problems.append(
            FieldProblem(
                f"{prefix}phase",
                _(
                    "“%(value)s” is not a phase key; use lower-case letters, digits and hyphens, e.g. “needs”."
                ),
                {"value": item.phase},
            )
        )
    elif not item.label.strip() and item.phase not in PHASES_BY_SLUG:
        problems.append(FieldProblem(f"{prefix}label", _("Give the phase a name.")))
    if not isinstance(item.start, dt.date):
        problems.append(FieldProblem(f"{prefix}start", _("Give the first day of the phase.")))
    if not isinstance(item.end, dt.date):
        problems.append(FieldProblem(f"{prefix}end", _("Give the last day of the phase.")))
    elif isinstance(item.start, dt.date) and item.end < item.start:
        problems.append(
            FieldProblem(
                f"{prefix}end",
                _("The phase ends (%(end)s) before it starts (%(start)s)."),
                {"end": item.end.isoformat(), "start": item.start.isoformat()},
            )
        )
    return problems


def _label(item: PhaseDatesInput) -> str:
    label = " ".join(item.label.split())
    if not label and item.phase in PHASES_BY_SLUG:
        return str(PHASES_BY_SLUG[item.phase].title)
    return label


def _phase_dates_write(workspace: Workspace, item: PhaseDatesInput, acting_user: User | None) -> PhaseDates:
    values = {"label": _label(item), "start": item.start, "end": item.end}
    existing = PhaseDates.objects.filter(workspace=workspace, phase=item.phase).first()
    if existing is None:
        return record_create(
            model=PhaseDates,
            workspace=workspace,
            values={"workspace": workspace, "phase": item.phase, **values},
            acting_user=acting_user,
            audited_fields=PHASE_DATES_FIELDS,
        )
    return record_update(
        instance=existing,
        workspace=workspace,
        changes=values,
        acting_user=acting_user,
        audited_fields=PHASE_DATES_FIELDS,
    )


def phase_dates_set(
    *, workspace: Workspace, phase: str, label: str, start: dt.date, end: dt.date, acting_user: User | None
) -> PhaseDates:
    """Set when a phase runs (replacing its earlier dates). ``label`` may be empty for the programme's own
    phases, which then keep their usual name. Dates outside the plan period are allowed (see
    ``selectors.timeline_warnings``)."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    item = PhaseDatesInput(phase=phase.strip(), label=label, start=start, end=end)
    problems = _phase_problems(item)
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The dates of the phase cannot be saved; correct the fields listed."),
            problems=problems,
        )
    with transaction.atomic():
        return _phase_dates_write(workspace, item, acting_user)


def phase_dates_delete(*, workspace: Workspace, phase_dates: PhaseDates, acting_user: User | None) -> None:
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    if phase_dates.workspace_id != workspace.pk:
        raise DomainError(ErrorCode.NOT_FOUND, _("There are no such phase dates in this workspace."))
    record_delete(
        instance=phase_dates, workspace=workspace, acting_user=acting_user, audited_fields=PHASE_DATES_FIELDS
    )


def timeline_replace(
    *, workspace: Workspace, phases: Sequence[PhaseDatesInput], acting_user: User | None
) -> list[PhaseDates]:
    """Make the timeline exactly ``phases``: set each, and delete phases that are not listed. All or
    nothing."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    problems: list[FieldProblem] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(phases):
        problems.extend(_phase_problems(item, f"phases[{index}]"))
        if item.phase in seen:
            problems.append(
                FieldProblem(
                    f"phases[{index}].phase",
                    _("The phase “%(phase)s” is listed twice (items %(first)s and %(second)s)."),
                    {"phase": item.phase, "first": seen[item.phase] + 1, "second": index + 1},
                )
            )
        seen.setdefault(item.phase, index)
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The timeline cannot be saved; correct the phases listed."),
            problems=problems,
        )
    with transaction.atomic():
        for stale in PhaseDates.objects.filter(workspace=workspace).exclude(phase__in=list(seen)):
            record_delete(
                instance=stale,
                workspace=workspace,
                acting_user=acting_user,
                audited_fields=PHASE_DATES_FIELDS,
            )
        written = [_phase_dates_write(workspace, item, acting_user) for item in phases]
    return sorted(written, key=lambda row: (row.start, row.phase))


# --- Report templates ----------------------------------------------------------------------------------


def _template_check(data: bytes, filename: str) -> None:
    limit = settings.CTIP_MAX_UPLOAD_MB * 1024 * 1024
    if not filename.lower().endswith(".docx"):
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _(
                "“%(file)s” is not a Word document (.docx). Save your template in Word as “Word Document "
                "(.docx)” and upload that file."
            ),
            {"file": filename},
            problems=[FieldProblem("template", _("Upload a .docx file."))],
        )
    if len(data) > limit:
        raise DomainError(
            ErrorCode.UPLOAD_TOO_LARGE,
            _(
                "“%(file)s” is %(size)s MB; templates may be at most %(limit)s MB. Remove large pictures and try again."
            ),
            {
                "file": filename,
                "size": f"{len(data) / 1024 / 1024:.1f}",
                "limit": settings.CTIP_MAX_UPLOAD_MB,
            },
            problems=[FieldProblem("template", _("The file is too large."))],
        )
    template_check_or_raise(data)


def report_template_upload(
    *,
    workspace: Workspace,
    kind: str = "inception_report",
    data: bytes,
    filename: str,
    acting_user: User | None,
) -> ReportTemplate:
    """Use a Word template of the workspace's own (letterhead, styles) for a kind of report, replacing the
    earlier one. The template must be a .docx within the upload limit that has the fields the report
    fills in (``template_check_or_raise``)."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _kind_check(kind)
    filename = filename.replace("\\", "/").rsplit("/", 1)[-1].strip() or "template.docx"
    _template_check(data, filename)
    with transaction.atomic():
        existing = ReportTemplate.objects.select_for_update().filter(workspace=workspace, kind=kind).first()
        values = {
            "file_name": filename[:200],
            "content": data,
            "uploaded_at": timezone.now(),
            "uploaded_by": acting_user,
        }
        if existing is None:
            template = ReportTemplate.objects.create(workspace=workspace, kind=kind, **values)
            before = None
        else:
            before = record_values(existing, REPORT_TEMPLATE_FIELDS)
            for name, value in values.items():
                setattr(existing, name, value)
            existing.save()
            template = existing
        audit_record(
            acting_user=acting_user,
            workspace=workspace,
            action="reporttemplate.upload",
            obj=template,
            before=before,
            after=record_values(template, REPORT_TEMPLATE_FIELDS),
        )
    return template


def report_template_remove(
    *, workspace: Workspace, kind: str = "inception_report", acting_user: User | None
) -> None:
    """Go back to the default template for ``kind``."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _kind_check(kind)
    template = ReportTemplate.objects.filter(workspace=workspace, kind=kind).first()
    if template is None:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            _("This workspace has no template of its own for this report; the default is used."),
        )
    record_delete(
        instance=template, workspace=workspace, acting_user=acting_user, audited_fields=REPORT_TEMPLATE_FIELDS
    )


def _kind_check(kind: str) -> None:
    if kind not in REPORT_KINDS:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("“%(kind)s” is not a report with a template; use one of %(kinds)s."),
            {"kind": kind, "kinds": ", ".join(REPORT_KINDS)},
            problems=[FieldProblem("kind", _("Unknown report."))],
        )
