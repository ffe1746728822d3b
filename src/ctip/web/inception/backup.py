"""The ``inception`` section of a workspace backup: the sampling parameters, the timeline and the
workspace's own report templates (the Word file in base64). Rows are identified by UUID; an uploader by
username."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from decimal import Decimal
from typing import Any

from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.web.accounts.models import User, Workspace
from ctip.web.inception.models import PhaseDates, ReportTemplate, SamplingSettings

SECTION = "inception"
SAMPLING_KEYS = [
    "minimum_per_organisation",
    "interviews_per_organisation",
    "focus_groups",
    "focus_group_size",
    "version",
]


def section_export(workspace: Workspace) -> dict[str, Any]:
    parameters = SamplingSettings.objects.filter(workspace=workspace).first()
    return {
        "sampling_settings": None
        if parameters is None
        else {
            "confidence": str(parameters.confidence),
            "margin": str(parameters.margin),
            **{key: getattr(parameters, key) for key in SAMPLING_KEYS},
        },
        "phase_dates": [
            {
                "uuid": str(row.uuid),
                "phase": row.phase,
                "label": row.label,
                "start": row.start.isoformat(),
                "end": row.end.isoformat(),
            }
            for row in PhaseDates.objects.filter(workspace=workspace).order_by("uuid")
        ],
        "report_templates": [
            {
                "uuid": str(row.uuid),
                "kind": row.kind,
                "file_name": row.file_name,
                "content": base64.b64encode(bytes(row.content)).decode("ascii"),
                "uploaded_at": row.uploaded_at.astimezone(dt.UTC).isoformat(),
                "uploaded_by": row.uploaded_by.username if row.uploaded_by else None,
            }
            for row in ReportTemplate.objects.filter(workspace=workspace)
            .select_related("uploaded_by")
            .order_by("uuid")
        ],
    }


def section_import(section: dict[str, Any], workspace: Workspace) -> None:
    where = "inception"
    try:
        parameters = section.get("sampling_settings")
        if parameters:
            where = "inception.sampling_settings"
            SamplingSettings.objects.create(
                workspace=workspace,
                confidence=Decimal(parameters["confidence"]),
                margin=Decimal(parameters["margin"]),
                **{key: parameters[key] for key in SAMPLING_KEYS},
            )
        for index, row in enumerate(section.get("phase_dates", [])):
            where = f"inception.phase_dates[{index}]"
            PhaseDates.objects.create(
                workspace=workspace,
                uuid=row["uuid"],
                phase=row["phase"],
                label=row["label"],
                start=dt.date.fromisoformat(row["start"]),
                end=dt.date.fromisoformat(row["end"]),
            )
        for index, row in enumerate(section.get("report_templates", [])):
            where = f"inception.report_templates[{index}]"
            ReportTemplate.objects.create(
                workspace=workspace,
                uuid=row["uuid"],
                kind=row["kind"],
                file_name=row["file_name"],
                content=base64.b64decode(row["content"], validate=True),
                uploaded_at=dt.datetime.fromisoformat(row["uploaded_at"]),
                uploaded_by=User.objects.filter(username=row["uploaded_by"]).first()
                if row.get("uploaded_by")
                else None,
            )
    except (KeyError, TypeError, ValueError, ArithmeticError, binascii.Error) as error:
        raise DomainError(
            ErrorCode.BACKUP_FORMAT,
            _("The inception part of the backup is damaged (%(where)s); nothing was restored."),
            {"where": where},
            problems=[FieldProblem(where, str(error))],
        ) from error
