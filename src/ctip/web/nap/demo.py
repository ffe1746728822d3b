"""The demo's National Action Plan: in the Rwanda demo workspace (fictional data), a stakeholder registry of
the agencies a Rwandan plan involves (MINIJUST, RIB, NPPA, RNP, DGIE, MIGEPROF, the Isange One Stop Centres)
and a draft NAP imported, through the same import as users', from a generated implementation matrix
(:mod:`ctip.core.nap.matrix_example`, fixed seed). Two fictional NGOs of the matrix are left out of the
registry, so that the import shows its "did you mean" suggestions. The typical coordination arrangement
(chaired by MINIJUST) is added. :func:`demo_nap_documents` writes the
NAP, its summary deck and its budget workbook.
"""

from __future__ import annotations

from pathlib import Path

from ctip.core.nap.matrix_example import EXAMPLE_PLAN_PERIOD, example_matrix_rows
from ctip.formats.nap_matrix_io import write_example_matrix_xlsx
from ctip.web.accounts.models import User, Workspace
from ctip.web.nap.models import ActionPlan
from ctip.web.nap.services.coordination import default_arrangement_create
from ctip.web.nap.services.matrix_import import matrix_import_apply, matrix_read
from ctip.web.stakeholders.models import Organisation
from ctip.web.stakeholders.services.organisations import organisation_create

SEED = 2025
MATRIX_NAME = "nap-draft-implementation-matrix.xlsx"
TITLE = "National Action Plan against Trafficking in Persons 2025–2029 (fictional draft)"

# key, acronym, name, type, sector — public agency names; every figure about them in the demo is fictional.
REGISTRY = (
    ("MINIJUST", "MINIJUST", "Ministry of Justice", "central_government", "government"),
    ("RIB", "RIB", "Rwanda Investigation Bureau", "law_enforcement", "government"),
    ("NPPA", "NPPA", "National Public Prosecution Authority", "legal_service", "government"),
    ("RNP", "RNP", "Rwanda National Police", "law_enforcement", "government"),
    (
        "DGIE",
        "DGIE",
        "Directorate General of Immigration and Emigration",
        "immigration_service",
        "government",
    ),
    ("MIGEPROF", "MIGEPROF", "Ministry of Gender and Family Promotion", "central_government", "government"),
    ("IOSC", "", "Isange One Stop Centres", "social_child_protection", "government"),
    ("IOM", "IOM", "International Organization for Migration", "international_organisation", "international"),
)


def demo_matrix() -> bytes:
    """The generated draft implementation matrix (XLSX), the same for every run."""
    return write_example_matrix_xlsx(example_matrix_rows(SEED))


def _registry(workspace: Workspace, acting_user: User | None) -> None:
    existing = {
        key.upper() for key in Organisation.objects.filter(workspace=workspace).values_list("key", flat=True)
    }
    for key, acronym, name, kind, sector in REGISTRY:
        if key.upper() not in existing:
            organisation_create(
                workspace=workspace,
                key=key,
                acronym=acronym,
                name=name,
                type=kind,
                sector=sector,
                location="Kigali",
                acting_user=acting_user,
            )


def demo_nap(*, workspace: Workspace, acting_user: User | None) -> ActionPlan:
    """Seed the registry and import the draft NAP (idempotent: an existing plan is returned as it is)."""
    found = ActionPlan.objects.filter(workspace=workspace).first()
    if found is not None:
        return found
    _registry(workspace, acting_user)
    data = demo_matrix()
    mapping = matrix_read(data, MATRIX_NAME).suggested_mapping()
    start, end = EXAMPLE_PLAN_PERIOD
    result = matrix_import_apply(
        workspace=workspace,
        data=data,
        filename=MATRIX_NAME,
        mapping=mapping,
        values={"title": TITLE, "period_start": str(start), "period_end": str(end), "currency": "RWF"},
        acting_user=acting_user,
    )
    lead = Organisation.objects.filter(workspace=workspace, key="MINIJUST").first()
    default_arrangement_create(plan=result.plan, acting_user=acting_user, lead=lead)
    return result.plan


def demo_nap_documents(workspace: Workspace, out_dir: Path) -> list[dict[str, str]]:
    """Write the draft matrix, the NAP (EN/FR), its summary deck and its budget workbook under
    ``out_dir/<workspace>/``; the manifest entries."""
    from ctip.web.nap.report import nap_deck_pptx, nap_docx, nap_workbook_xlsx

    plan = ActionPlan.objects.filter(workspace=workspace).first()
    if plan is None:
        return []
    folder = out_dir / workspace.slug
    folder.mkdir(parents=True, exist_ok=True)
    entries: list[dict[str, str]] = []

    def write(kind: str, name: str, content: bytes, title: str) -> None:
        path = folder / name
        path.write_bytes(content)
        entries.append(
            {
                "kind": kind,
                "path": path.relative_to(out_dir).as_posix(),
                "title": f"{workspace.name}: {title}",
            }
        )

    write(
        "nap-draft-matrix", MATRIX_NAME, demo_matrix(), "the draft NAP's implementation matrix, as imported"
    )
    for language in ("en", "fr"):
        suffix = "" if language == "en" else "-fr"
        write(
            "nap",
            f"national-action-plan{suffix}.docx",
            nap_docx(plan, language),
            f"National Action Plan ({language})",
        )
        write(
            "nap-deck",
            f"national-action-plan-deck{suffix}.pptx",
            nap_deck_pptx(plan, language),
            f"NAP summary deck for the Technical Committee ({language})",
        )
    write(
        "nap-budget-workbook", "nap-budget.xlsx", nap_workbook_xlsx(plan, "en"), "NAP budget workbook (Excel)"
    )
    return entries
