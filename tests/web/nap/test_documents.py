"""The NAP's documents: the plan (DOCX), the summary deck (PPTX), the budget workbook (XLSX), their
downloads page and the ``ctip nap export`` command."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from docx import Document
from pptx import Presentation

from ctip.web.nap.models import CoordinationBody
from ctip.web.nap.report import nap_deck_pptx, nap_documents, nap_docx, nap_workbook_xlsx
from tests.web.factories import member_make, user_make
from tests.web.nap.factories import cost_line_make, element_make, indicator_make, plan_make


@pytest.fixture
def plan(workspace):
    plan = plan_make(workspace)
    activity = element_make(plan, "activity", title="Train labour inspectors on indicators of forced labour")
    cost_line_make(activity)
    cost_line_make(
        activity,
        description="Shelter places",
        unit_cost=Decimal("75.50"),
        quantity=Decimal("12"),
        year=2026,
        funding_source="donor",
    )
    indicator_make(activity.parent)
    top = CoordinationBody.objects.create(
        workspace=workspace, plan=plan, name="National Coordinating Committee", kind="interministerial"
    )
    CoordinationBody.objects.create(
        workspace=workspace, plan=plan, name="Technical Committee", kind="technical", reports_to=top
    )
    return plan


def _text(document) -> str:
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def test_docx_holds_every_section_and_the_plan_content(plan):
    document = Document(io.BytesIO(nap_docx(plan, "en")))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for title in (
        "Foreword",
        "Introduction",
        "Situation analysis",
        "Guiding principles",
        "Strategic framework",
        "Implementation matrix",
        "Monitoring and evaluation framework",
        "Coordination arrangement",
        "Budget summary",
        "Annex: cost lines",
    ):
        assert title in headings
    text = _text(document)
    assert "foreword by the Minister goes here" in text
    assert "Train labour inspectors on indicators of forced labour" in text
    assert "Ministry of Labour" in text  # lead agency in the implementation matrix
    assert (
        "Number of victims identified and referred" in text and "National referral mechanism records" in text
    )
    assert "National Coordinating Committee" in text and "Technical Committee" in text
    # 10 × 50.00 + 12 × 75.50 = 500.00 + 906.00
    assert "1,406.00 USD" in text and "906.00 USD" in text
    # No desk review and no TNA in this workspace: said plainly.
    assert "No legal review has been recorded" in text
    assert "No training needs assessment has been recorded" in text
    assert len(document.inline_shapes) >= 4  # budget charts and the coordination structure


def test_french_docx_is_marked_french(plan):
    document = Document(io.BytesIO(nap_docx(plan, "fr")))
    assert document.core_properties.language == "fr"


def test_empty_plan_still_writes_every_document(workspace):
    plan = plan_make(workspace, pillars=())
    files = nap_documents(plan, "en")
    text = _text(Document(io.BytesIO(files.docx)))
    assert "The plan has no pillars yet." in text
    assert "No cost lines have been entered yet" in text
    assert len(Presentation(io.BytesIO(files.pptx)).slides) >= 5
    assert openpyxl.load_workbook(io.BytesIO(files.xlsx)).sheetnames == ["Cost lines", "Summary"]


def test_deck_has_10_to_15_slides(plan):
    deck = Presentation(io.BytesIO(nap_deck_pptx(plan, "en")))
    assert 10 <= len(deck.slides) <= 15
    titles = [slide.shapes.title.text for slide in deck.slides if slide.shapes.title is not None]
    assert "Questions for validation" in titles and "The plan at a glance" in titles


def test_workbook_has_one_row_per_cost_line(plan):
    lines = openpyxl.load_workbook(io.BytesIO(nap_workbook_xlsx(plan, "en")))["Cost lines"]
    assert [lines[f"G{row}"].value for row in (2, 3)] == ["Training of labour inspectors", "Shelter places"]
    assert lines["M3"].value == "=ROUND(J3*K3*L3,2)" and lines["P3"].value == "Donor"


def test_downloads_page_and_files(admin_client, workspace, plan):
    page = admin_client.get(reverse("nap-documents", kwargs={"workspace": workspace.slug, "plan": plan.uuid}))
    assert page.status_code == 200
    content = page.content.decode()
    for name in ("nap-documents-docx", "nap-documents-pptx", "nap-documents-xlsx"):
        assert reverse(name, kwargs={"workspace": workspace.slug, "plan": plan.uuid}) in content
    for name, magic in (
        ("nap-documents-docx", b"PK"),
        ("nap-documents-pptx", b"PK"),
        ("nap-documents-xlsx", b"PK"),
    ):
        url = reverse(name, kwargs={"workspace": workspace.slug, "plan": plan.uuid})
        response = admin_client.get(url + "?language=fr")
        assert response.status_code == 200 and response.content[:2] == magic
        assert "-fr." in response["Content-Disposition"]


def test_a_viewer_may_download_and_an_outsider_may_not(client, workspace, plan, outsider):
    viewer = user_make("viewer")
    member_make(workspace, "viewer", viewer)
    url = reverse("nap-documents-xlsx", kwargs={"workspace": workspace.slug, "plan": plan.uuid})
    client.force_login(viewer)
    assert client.get(url).status_code == 200
    client.force_login(outsider)
    assert client.get(url).status_code in (403, 404)


def test_a_plan_of_another_workspace_is_not_found(admin_client, workspace, outsider):
    from ctip.web.accounts.models import Workspace

    other = plan_make(Workspace.objects.get(slug="rwanda"), currency="RWF")
    url = reverse("nap-documents", kwargs={"workspace": workspace.slug, "plan": other.uuid})
    assert admin_client.get(url).status_code == 404
