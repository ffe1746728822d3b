"""TNA objects for tests, made through the services as users make them, and small survey exports built
from an instrument's own field names (the shapes KoboToolbox and Google Forms produce)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

import openpyxl

from ctip.web.accounts.models import Workspace
from ctip.web.stakeholders.models import Organisation
from ctip.web.tna import services
from ctip.web.tna.models import SurveyInstrument
from tests.web.stakeholders.factories import organisation_make

CODES = ("FD01", "FD02", "FD03")


def registry_make(workspace: Workspace) -> dict[str, Organisation]:
    """A small registry: a police unit, a shelter and a labour inspectorate."""
    return {
        "ATU": organisation_make(
            workspace,
            "MPF-ATU",
            name="Anti-Trafficking Unit",
            acronym="ATU",
            type="law_enforcement",
            sector="government",
            location="Port Louis",
        ),
        "SHS": organisation_make(
            workspace, "SHS", name="Safe Haven Shelter", acronym="SHS", location="Curepipe"
        ),
        "RRA": organisation_make(
            workspace,
            "RRA",
            name="Rodrigues Regional Assembly",
            type="local_government",
            sector="government",
            location="Rodrigues",
        ),
    }


def instrument_make(
    workspace: Workspace,
    *,
    codes: Sequence[str] = CODES,
    scale_max: int = 5,
    title: str = "Staff survey",
    segment: str = "",
) -> SurveyInstrument:
    services.framework_ensure(workspace=workspace, acting_user=None)
    return services.instrument_create(
        workspace=workspace,
        title=title,
        segment=segment,
        competency_codes=list(codes),
        scale_max=scale_max,
        acting_user=None,
    )


KOBO_HEADER = (
    "start",
    "end",
    "consent",
    "profile/sex",
    "profile/age_band",
    "profile/organisation",
    "profile/organisation_other",
    "profile/location",
    "profile/years_of_service",
    "profile/prior_training",
)
KOBO_TAIL = (
    "open/obstacle",
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_status",
    "__version__",
    "_index",
)


def kobo_row(
    number: int,
    *,
    organisation: str = "MPF-ATU",
    sex: str = "female",
    ratings: dict[str, tuple[str, str]] | None = None,
    codes: Sequence[str] = CODES,
    obstacle: str = "Not enough time for training.",
    location: str = "port_louis",
    other: str = "",
) -> dict[str, str]:
    row = {
        "start": "2026-03-02T09:14:03.211+04:00",
        "end": "2026-03-02T09:31:40.870+04:00",
        "consent": "yes",
        "profile/sex": sex,
        "profile/age_band": "35_44",
        "profile/organisation": organisation,
        "profile/organisation_other": other,
        "profile/location": location,
        "profile/years_of_service": str(number % 20),
        "profile/prior_training": "yes" if number % 3 == 0 else "no",
        "open/obstacle": obstacle,
        "_id": str(48000 + number),
        "_uuid": f"3f1c2a9e-7b44-4c1e-9d0a-{number:012d}",
        "_submission_time": f"2026-03-02T05:{number % 60:02d}:11",
        "_validation_status": "",
        "_status": "submitted_via_web",
        "__version__": "vQ8rS2tU4wX6yZ",
        "_index": str(number),
    }
    for code in codes:
        importance, competence = (ratings or {}).get(code, ("5", "3"))
        row[f"ratings_protection/imp_{code}"] = importance
        row[f"ratings_protection/comp_{code}"] = competence
    return row


def kobo_header(codes: Sequence[str] = CODES) -> list[str]:
    ratings = [
        name
        for code in codes
        for name in (f"ratings_protection/imp_{code}", f"ratings_protection/comp_{code}")
    ]
    return [*KOBO_HEADER, *ratings, *KOBO_TAIL]


def kobo_csv(rows: Sequence[dict[str, str]], codes: Sequence[str] = CODES) -> bytes:
    """A KoboToolbox CSV export ("XML values and headers", groups with "/"): ";"-delimited, quoted."""
    header = kobo_header(codes)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return buffer.getvalue().encode("utf-8")


def kobo_xlsx(
    rows: Sequence[dict[str, str]], codes: Sequence[str] = CODES, sheet: str = "Staff survey"
) -> bytes:
    header = kobo_header(codes)
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append(header)
    for row in rows:
        worksheet.append([row.get(column, "") for column in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def plain_csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")
