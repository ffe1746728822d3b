"""Planning inputs for tests: a small registry with staff figures and a small TNA survey imported through
the ordinary services, so that the demand is derived from real submissions."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from ctip.web.accounts.models import Workspace
from ctip.web.stakeholders.models import Organisation
from ctip.web.tna import services as tna_services
from ctip.web.tna.models import SurveyInstrument
from tests.web.stakeholders.factories import organisation_make
from tests.web.tna.factories import instrument_make, kobo_header, kobo_row

CODES = ("FD01", "FD02", "FD03")


def planning_registry_make(workspace: Workspace, prefix: str = "") -> dict[str, Organisation]:
    """A police unit with frontline staff (Port Louis), a shelter with staff but no frontline figure
    (Curepipe) and a regional assembly with only a staff total (Rodrigues)."""
    return {
        "ATU": organisation_make(
            workspace,
            f"{prefix}MPF-ATU",
            name="Anti-Trafficking Unit",
            acronym="ATU",
            type="law_enforcement",
            sector="government",
            location="Port Louis",
            staff_women=40,
            staff_men=60,
            frontline_women=30,
            frontline_men=50,
        ),
        "SHS": organisation_make(
            workspace,
            f"{prefix}SHS",
            name="Safe Haven Shelter",
            acronym="SHS",
            location="Curepipe",
            staff_women=12,
            staff_men=3,
        ),
        "RRA": organisation_make(
            workspace,
            f"{prefix}RRA",
            name="Rodrigues Regional Assembly",
            type="local_government",
            sector="government",
            location="Rodrigues",
            staff_total=100,
        ),
    }


def survey_csv(rows: Sequence[dict[str, str]], codes: Sequence[str] = CODES) -> bytes:
    header = [*kobo_header(codes), "profile/role_rank"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return buffer.getvalue().encode("utf-8")


def survey_rows(prefix: str = "") -> list[dict[str, str]]:
    """13 answers: ATU 6 officers (4 with a gap in FD01) and 2 heads of unit in Port Louis, 3 shelter staff
    in Curepipe, 2 on Rodrigues. FD02 is rated with no gap by anyone; FD03 has a gap for everyone."""
    rows: list[dict[str, str]] = []
    number = 0

    def add(organisation: str, location: str, role: str, sex: str, fd01: tuple[str, str]) -> None:
        nonlocal number
        number += 1
        row = kobo_row(
            number,
            organisation=prefix + organisation,
            location=location,
            sex=sex,
            ratings={"FD01": fd01, "FD02": ("3", "4"), "FD03": ("5", "2")},
        )
        row["profile/role_rank"] = role
        rows.append(row)

    for index in range(6):
        add(
            "MPF-ATU",
            "port_louis",
            "police officer",
            "female" if index % 2 else "male",
            ("5", "2") if index < 4 else ("4", "5"),
        )
    for _ in range(2):
        add("MPF-ATU", "port_louis", "Head of unit", "male", ("4", "4"))
    for sex in ("female", "female", "male"):
        add("SHS", "curepipe", "caseworker", sex, ("5", "3"))
    for sex in ("female", "male"):
        add("RRA", "rodrigues", "clerk", sex, ("4", "2"))
    return rows


def planning_survey_make(workspace: Workspace, prefix: str = "") -> SurveyInstrument:
    """The registry above (keys with ``prefix``), the three-competency instrument and the 13 answers."""
    planning_registry_make(workspace, prefix)
    instrument = instrument_make(workspace, codes=CODES)
    tna_services.survey_import_apply(
        workspace=workspace,
        instrument=instrument,
        data=survey_csv(survey_rows(prefix)),
        filename="survey.csv",
        acting_user=None,
    )
    return instrument
