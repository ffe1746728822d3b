"""The inception report and deck, generated from a workspace with the demo registry and legal review, reopened
with python-docx and python-pptx."""

import io

import pytest
from docx import Document
from pptx import Presentation

from ctip.web.desk_review.demo import demo_desk_review
from ctip.web.inception.report import inception_documents
from ctip.web.stakeholders.demo import demo_stakeholders


@pytest.fixture
def programme(workspace, admin_user):
    demo_stakeholders(workspace=workspace, acting_user=admin_user)
    demo_desk_review(workspace=workspace, acting_user=admin_user)
    return workspace


def headings(document):
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


def table_with(document, first_header):
    return next(t for t in document.tables if t.rows[0].cells[0].text == first_header)


@pytest.mark.django_db
def test_the_report_has_every_section_with_its_tables_and_charts(programme):
    documents = inception_documents(programme, language="en")
    document = Document(io.BytesIO(documents.docx))
    assert headings(document)[:1] == ["Introduction and background"]
    for section in (
        "Objectives",
        "Methodology",
        "Sampling plan",
        "Stakeholder mapping",
        "Mini literature review",
        "Legal framework",
        "Timeline",
        "Data-collection tools",
        "Risks and mitigation",
    ):
        assert section in headings(document), section
    sampling = table_with(document, "Organisation")
    assert sampling.rows[-1].cells[0].text == "Total"
    matrix = table_with(document, "Stage")
    assert [cell.text for cell in matrix.rows[0].cells][1:] == [
        "Prevention",
        "Protection",
        "Prosecution",
        "Partnership",
    ]
    gaps = table_with(document, "Item")
    assert any(row.cells[0].text.startswith("P") for row in gaps.rows[1:])
    assert len(document.inline_shapes) >= 2  # influence/interest grid and referral network
    assert "{{" not in "\n".join(p.text for p in document.paragraphs)
    assert "Mauritius C-TIP programme" in documents.report.organisation


@pytest.mark.django_db
def test_the_report_in_french(programme):
    document = Document(io.BytesIO(inception_documents(programme, language="fr").docx))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Maurice" in text


@pytest.mark.django_db
def test_the_deck_has_charts_tables_and_questions(programme):
    deck = Presentation(io.BytesIO(inception_documents(programme, language="en").pptx))
    titles = [slide.shapes.title.text for slide in deck.slides if slide.shapes.title is not None]
    assert "Stakeholders: influence and interest" in titles
    assert "For discussion today" in titles
    pictures = [shape for slide in deck.slides for shape in slide.shapes if shape.shape_type == 13]
    tables = [shape for slide in deck.slides for shape in slide.shapes if shape.has_table]
    assert len(pictures) >= 2 and tables


@pytest.mark.django_db
def test_an_empty_workspace_still_gets_a_report_that_says_what_is_missing(workspace):
    document = Document(io.BytesIO(inception_documents(workspace, language="en").docx))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "No organisation in the stakeholder registry has staff numbers yet" in text
    assert "The library is empty so far." in text
    assert "No national instrument has been reviewed yet." in text


@pytest.mark.django_db
def test_report_and_deck_download_from_the_report_page(admin_client, programme):
    page = admin_client.get(f"/w/{programme.slug}/inception/report/").content.decode()
    assert "Download the inception report (Word)" in page
    report = admin_client.get(f"/w/{programme.slug}/inception/report/inception-report.docx?language=fr")
    assert report.status_code == 200
    assert "inception-report-mauritius-fr.docx" in report["Content-Disposition"]
    assert Document(io.BytesIO(report.content)).paragraphs
    deck = admin_client.get(f"/w/{programme.slug}/inception/report/inception-deck.pptx")
    assert len(Presentation(io.BytesIO(deck.content)).slides) > 5


@pytest.mark.django_db
def test_viewers_may_download_the_report(client, programme, make_member):
    client.force_login(make_member(programme, "viewer").user)
    assert client.get(f"/w/{programme.slug}/inception/report/inception-report.docx").status_code == 200
