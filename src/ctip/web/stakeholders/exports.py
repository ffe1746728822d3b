"""The registry as files: the import template, and exports in the template's columns (so that exporting and
importing the file back changes nothing). Cells that a spreadsheet would run as a formula are written with a
leading apostrophe (``ctip.formats.tabular``), which the importer removes again."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext

from ctip.core.stakeholders import STAKEHOLDER_COLUMN_NAMES, STAKEHOLDER_COLUMNS, organisation_template_rows
from ctip.formats.tabular import Sheet, csv_text, write_xlsx
from ctip.web.accounts.models import Workspace
from ctip.web.stakeholders.models import Organisation, OrganisationType
from ctip.web.stakeholders.services.importer import display_value
from ctip.web.stakeholders.services.organisations import ORGANISATION_FIELDS, column_of_field

ORGANISATIONS_SHEET = "organisations"
TYPES_SHEET = "types"
_NUMBERS = {
    "staff_women",
    "staff_men",
    "staff_total",
    "frontline_women",
    "frontline_men",
    "influence",
    "interest",
}
_FIELD_OF = {column_of_field(name): name for name in ORGANISATION_FIELDS}


def _row(organisation: Organisation, *, typed: bool) -> list[object]:
    """One organisation in template column order; ``typed``: numbers and dates as such (XLSX), not text."""
    row: list[object] = []
    for column in STAKEHOLDER_COLUMN_NAMES:
        name = _FIELD_OF[column]
        if name == "parent":
            value: object = organisation.parent.key if organisation.parent_id else ""
        else:
            value = getattr(organisation, name)
        if typed and (name in _NUMBERS or name == "staff_as_of"):
            row.append(value)
        else:
            row.append(display_value(value))
    return row


def _organisations(workspace: Workspace) -> list[Organisation]:
    return list(
        Organisation.objects.filter(workspace=workspace).select_related("parent").order_by("name", "key")
    )


def _notes() -> dict[str, str]:
    return {
        column.name: gettext(column.description) + (" " + gettext("Required.") if column.required else "")
        for column in STAKEHOLDER_COLUMNS
    }


def _choices(type_codes: Mapping[str, str] | None) -> dict[str, tuple[str, ...]]:
    choices = {
        column.name: column.choices
        for column in STAKEHOLDER_COLUMNS
        if column.choices and not column.multiple
    }
    if type_codes is not None:
        choices["type"] = tuple(type_codes)
    return choices


def _types_sheet(type_codes: Mapping[str, str]) -> Sheet:
    return Sheet(
        name=TYPES_SHEET,
        header=("code", "label"),
        rows=[(code, gettext(label)) for code, label in type_codes.items()],
    )


def active_type_codes(workspace: Workspace) -> dict[str, str]:
    return {
        row.code: row.label
        for row in OrganisationType.objects.filter(workspace=workspace, is_active=True).order_by("label")
    }


def stakeholder_template_xlsx(*, type_codes: Mapping[str, str] | None = None) -> bytes:
    """The import template: the header with a note on each column, drop-down lists, the two example rows,
    and a second sheet listing the organisation types (``type_codes``: code → label; by default the
    standard list)."""
    if type_codes is None:
        from ctip.core.stakeholders import ORGANISATION_TYPE_LABELS

        type_codes = {code.value: label for code, label in ORGANISATION_TYPE_LABELS.items()}
    return write_xlsx(
        [
            Sheet(
                name=ORGANISATIONS_SHEET,
                header=STAKEHOLDER_COLUMN_NAMES,
                rows=organisation_template_rows(),
                column_notes=_notes(),
                choices=_choices(type_codes),
            ),
            _types_sheet(type_codes),
        ]
    )


def stakeholders_export_xlsx(workspace: Workspace) -> bytes:
    """The registry as a workbook in the template's columns (first sheet), with the type list."""
    type_codes = active_type_codes(workspace)
    return write_xlsx(
        [
            Sheet(
                name=ORGANISATIONS_SHEET,
                header=STAKEHOLDER_COLUMN_NAMES,
                rows=[_row(organisation, typed=True) for organisation in _organisations(workspace)],
                column_notes=_notes(),
                choices=_choices(type_codes),
            ),
            _types_sheet(type_codes),
        ]
    )


def stakeholders_export_csv(workspace: Workspace) -> str:
    """The registry as CSV text (UTF-8 with a BOM when encoded) in the template's columns."""
    return csv_text(
        STAKEHOLDER_COLUMN_NAMES,
        [_row(organisation, typed=False) for organisation in _organisations(workspace)],
    )
