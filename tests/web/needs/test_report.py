"""The TNA report (DOCX), its annex (XLSX) and the validation deck (PPTX), written from the demo's fictional
survey answers, interviews and registry, reopened with python-docx, openpyxl and python-pptx, and checked
against the analysis the dashboard and the API show (``ctip.web.needs.data.analysis_for``)."""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from django.db import transaction
from django.utils import formats, translation
from docx import Document
from docx.oxml.ns import qn
from pptx import Presentation

from ctip.web.inception.demo import demo_inception
from ctip.web.needs.data import analysis_for, default_instrument
from ctip.web.needs.report import needs_documents
from ctip.web.needs.report_content import REPORT_BY
from ctip.web.qualitative.demo import demo_qualitative
from ctip.web.stakeholders.demo import demo_stakeholders
from ctip.web.tna.demo import demo_tna
from ctip.web.tna.services import instrument_of
from tests.formats.test_documents import convert_to_pdf
from tests.web.factories import user_make, workspace_make

# Every test touches the database (the module's documents are built once, in a transaction rolled back);
# the mark also makes pytest-django create the test database when only these tests run.
pytestmark = pytest.mark.django_db


def _programme(workspace, admin):
    demo_stakeholders(workspace=workspace, acting_user=admin)
    demo_tna(workspace=workspace, acting_user=admin)
    demo_inception(workspace=workspace, acting_user=admin)
    demo_qualitative(workspace=workspace, acting_user=admin)
    return default_instrument(workspace)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo programme's documents in both languages and the analysis they come from, built once for
    the module (the data is rolled back afterwards)."""
    with django_db_blocker.unblock(), transaction.atomic():
        admin = user_make("ada-report")
        workspace = workspace_make("mauritius", admin=admin, name="Mauritius C-TIP programme")
        instrument = _programme(workspace, admin)
        documents = {
            language: needs_documents(workspace, instrument, language=language) for language in ("en", "fr")
        }
        with translation.override("en"):
            data, analysis = analysis_for(workspace, instrument, filters={}, by=REPORT_BY)
        built = instrument_of(instrument)
        transaction.set_rollback(True)
    return SimpleNamespace(documents=documents, data=data, analysis=analysis, built=built)


def docx(demo, language="en"):
    return Document(io.BytesIO(demo.documents[language].docx))


def text_of(document):
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def table_titled(document, first_header):
    return next(t for t in document.tables if t.rows[0].cells[0].text == first_header)


def mwds_text(value, language="en"):
    with translation.override(language):
        return formats.number_format(round(value, 2), decimal_pos=2, force_grouping=True)


def top_item(demo):
    return demo.analysis.items[0]


def title_of(demo, code, language="en"):
    competency = next(c for c in demo.built.competencies if c.code == code)
    return competency.title.fr if language == "fr" else competency.title.en


# --- The Word report -------------------------------------------------------------------------------------


def test_the_report_has_every_section_of_the_issue(demo):
    headings = [p.text for p in docx(demo).paragraphs if p.style.name.startswith("Heading")]
    for section in (
        "Executive summary",
        "Methodology and sample",
        "Sample",
        "Reliability of the instrument",
        "Findings",
        "By pillar",
        "By institution",
        "By sex",
        "By location",
        "Qualitative findings",
        "Prioritised needs at three levels",
        "National level",
        "Institutional level",
        "Individual level",
        "Consideration of previous trainings",
        "Recommendations",
    ):
        assert section in headings, section
    assert headings[0] == "Executive summary"


def test_the_priority_table_holds_the_analysis_numbers(demo):
    top = top_item(demo)
    table = table_titled(docx(demo), "Rank")
    first = [cell.text for cell in table.rows[1].cells]
    assert first[0] in ("1", "1=")
    assert first[1] == f"{top.code} {title_of(demo, top.code)}"
    assert first[6] == mwds_text(top.mwds)
    assert first[7] == top.quadrant.value
    assert len(table.rows) == 1 + len(demo.analysis.items)


def test_the_executive_summary_gives_respondents_top_needs_and_reliability(demo):
    document = docx(demo)
    paragraphs = [p.text for p in document.paragraphs]
    summary = paragraphs[: paragraphs.index("Methodology and sample")]
    joined = "\n".join(summary)
    assert f"{demo.analysis.n_respondents} staff" in joined
    top = top_item(demo)
    assert f"1. {title_of(demo, top.code)} (score {mwds_text(top.mwds)})" in joined
    assert "Cronbach’s alpha" in joined
    assert sum(1 for line in summary if line[:2] in {f"{n}." for n in range(1, 6)}) == 5
    # The summary's figure: the largest needs as a bar chart.
    assert len(document.inline_shapes) >= 4  # top needs, Locus for Focus, heat map, by sex


def test_table_header_rows_repeat_on_every_page(demo):
    document = docx(demo)
    assert len(document.tables) >= 10
    for table in document.tables:
        properties = table.rows[0]._tr.trPr
        assert properties is not None and properties.find(qn("w:tblHeader")) is not None


def test_small_groups_are_suppressed_and_say_so(demo):
    document = docx(demo)
    small = [i for i in demo.analysis.institutions if i.suppressed == "small_cell"]
    assert small, "the demo has organisations with fewer than five respondents"
    institutions = next(
        t
        for t in document.tables
        if [c.text for c in t.rows[0].cells] == ["Organisation", "Respondents", "Largest needs (MWDS)"]
    )
    last = [cell.text for cell in institutions.rows[-1].cells]
    assert last[1] == "n<5" and last[2].startswith("Not shown")
    shown = {row.cells[0].text for row in institutions.rows[1:-1]}
    for institution in small:
        assert institution.organisation not in shown
        assert institution.organisation.split("(")[-1].rstrip(")") in last[0]  # named by acronym
    # Small groups of the breakdowns say "n<5" where their numbers would be.
    location = table_titled(document, "Location")
    assert any(row.cells[1].text == "n<5" for row in location.rows[1:])


def test_the_sample_table_compares_answers_with_the_plan(demo):
    table = table_titled(docx(demo), "Organisation")
    assert [cell.text for cell in table.rows[0].cells][:4] == [
        "Organisation",
        "Planned",
        "Answered",
        "Response rate",
    ]
    total = [cell.text for cell in table.rows[-1].cells]
    assert total[0] == "Total"
    assert total[2] == f"{len(demo.data.respondents)}"


def test_the_report_holds_aggregates_only(demo):
    text = text_of(docx(demo))
    for key in demo.data.respondents[:20]:
        assert key not in text


def test_the_report_in_french(demo):
    document = docx(demo, "fr")
    text = text_of(document)
    top = top_item(demo)
    assert "Maurice" in text
    assert title_of(demo, top.code, "fr") in text
    assert mwds_text(top.mwds, "fr") in text and "," in mwds_text(top.mwds, "fr")
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions and all(c.startswith(("Tableau", "Figure")) for c in captions)
    assert document.core_properties.language.startswith("fr")


# --- The annex -------------------------------------------------------------------------------------------


def test_the_annex_has_every_table_and_every_breakdown_with_numbers_as_numbers(demo):
    workbook = openpyxl.load_workbook(io.BytesIO(demo.documents["en"].xlsx))
    names = workbook.sheetnames
    for expected in (
        "About",
        "Sample",
        "Reliability",
        "Priorities",
        "By pillar",
        "Sex",
        "Location",
        "By institution",
        "Individual level",
        "Earlier training",
        "Recommendations",
        "All statistics",
    ):
        assert expected in names, expected
    assert sum(1 for name in names if name.startswith("By ")) >= len(REPORT_BY)
    statistics = workbook["All statistics"]
    header = [cell.value for cell in statistics[1]]
    top = top_item(demo)
    row = [cell.value for cell in statistics[2]]
    assert row[header.index("Code")] == top.code
    assert row[header.index("MWDS")] == pytest.approx(round(top.mwds, 4))
    assert isinstance(row[header.index("Respondents")], int)
    by_sex = workbook["By sex"]
    values = [cell.value for row in by_sex.iter_rows(min_row=2) for cell in row]
    small_sex = [
        g for d in demo.analysis.disaggregations if d.by == ("sex",) for g in d.groups if g.suppressed
    ]
    if small_sex:
        assert "n<5" in values or "hidden" in values


# --- The deck --------------------------------------------------------------------------------------------


def test_the_deck_follows_the_validation_workshop(demo):
    deck = Presentation(io.BytesIO(demo.documents["en"].pptx))
    titles = [slide.shapes.title.text for slide in deck.slides if slide.shapes.title is not None]
    for title in (
        "How the needs were assessed",
        "Who answered",
        "The largest training needs",
        "Locus for Focus",
        "Needs by organisation",
        "Needs by sex",
        "What interviews and focus groups say",
        "Recommendations: train first",
        "Questions for validation",
    ):
        assert title in titles, title
    pictures = [shape for slide in deck.slides for shape in slide.shapes if shape.shape_type == 13]
    assert len(pictures) >= 4
    text = "\n".join(
        shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame
    )
    assert title_of(demo, top_item(demo).code) in text


def test_documents_convert_with_libreoffice(demo, tmp_path):
    if shutil.which("soffice") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) is required on CI")
        pytest.skip("LibreOffice (soffice) is not installed")
    report = tmp_path / "tna-report.docx"
    report.write_bytes(demo.documents["fr"].docx)
    deck = tmp_path / "tna-deck.pptx"
    deck.write_bytes(demo.documents["en"].pptx)
    for source in (report, deck):
        pdf = convert_to_pdf(source, tmp_path)
        assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF"), source.name


# --- The page and the downloads --------------------------------------------------------------------------


@pytest.fixture
def programme(workspace, admin_user):
    _programme(workspace, admin_user)
    return workspace


def test_report_page_offers_the_three_downloads(admin_client, programme):
    page = admin_client.get(f"/w/{programme.slug}/needs/report/").content.decode()
    instrument = default_instrument(programme)
    for name in ("report.docx", "annex.xlsx", "deck.pptx"):
        assert f"/w/{programme.slug}/needs/{name}?instrument={instrument.uuid}" in page
    assert "Download the TNA report (Word)" in page


def test_downloads_in_the_language_asked_for(admin_client, programme):
    instrument = default_instrument(programme)
    report = admin_client.get(
        f"/w/{programme.slug}/needs/report.docx?instrument={instrument.uuid}&language=fr"
    )
    assert report.status_code == 200
    assert "tna-report-mauritius-fr.docx" in report["Content-Disposition"]
    assert "Maurice" in text_of(Document(io.BytesIO(report.content)))
    annex = admin_client.get(f"/w/{programme.slug}/needs/annex.xlsx")
    assert annex["Content-Type"].endswith("spreadsheetml.sheet")
    assert "Priorities" in openpyxl.load_workbook(io.BytesIO(annex.content)).sheetnames
    deck = admin_client.get(f"/w/{programme.slug}/needs/deck.pptx?language=en")
    assert len(Presentation(io.BytesIO(deck.content)).slides) >= 8


def test_viewers_may_download_the_report(client, programme, make_member):
    client.force_login(make_member(programme, "viewer").user)
    assert client.get(f"/w/{programme.slug}/needs/deck.pptx").status_code == 200


def test_without_answers_the_page_says_so_and_downloads_go_back_to_it(admin_client, workspace):
    page = admin_client.get(f"/w/{workspace.slug}/needs/report/").content.decode()
    assert "There are no survey answers to report on yet." in page
    response = admin_client.get(f"/w/{workspace.slug}/needs/report.docx", follow=True)
    assert response.redirect_chain[-1][0].startswith(f"/w/{workspace.slug}/needs/report/")
    assert "There are no survey answers to report on yet" in response.content.decode()


def test_too_few_respondents_give_no_report_but_a_reason(admin_client, workspace, admin_user):
    from ctip.web.tna import services
    from tests.web.tna.factories import instrument_make, kobo_csv, kobo_row, registry_make

    registry_make(workspace)
    instrument = instrument_make(workspace, title="Small survey")
    services.survey_import_apply(
        workspace=workspace,
        instrument=instrument,
        data=kobo_csv([kobo_row(1), kobo_row(2)]),
        filename="small.csv",
        acting_user=admin_user,
    )
    response = admin_client.get(
        f"/w/{workspace.slug}/needs/report.docx?instrument={instrument.uuid}", follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain and "fewer than 5 respondents" in response.content.decode()


def test_an_unknown_instrument_is_not_found(admin_client, workspace):
    assert admin_client.get(f"/w/{workspace.slug}/needs/report.docx?instrument=nonsense").status_code == 404
    assert (
        admin_client.get(
            f"/w/{workspace.slug}/needs/annex.xlsx?instrument=00000000-0000-4000-8000-000000000000"
        ).status_code
        == 404
    )


# --- The demo --------------------------------------------------------------------------------------------


def test_the_demo_writes_the_report_annex_and_deck_with_manifest_entries(programme, tmp_path):
    from ctip.web.demo import _needs_documents

    entries = _needs_documents(programme, tmp_path)
    kinds = [entry["kind"] for entry in entries]
    assert kinds.count("tna-report") == kinds.count("tna-validation-deck") == 2
    assert "tna-annex" in kinds
    paths = {entry["path"] for entry in entries}
    assert {
        "mauritius/tna-report.docx",
        "mauritius/tna-report-fr.docx",
        "mauritius/tna-annex.xlsx",
        "mauritius/tna-validation-deck.pptx",
        "mauritius/tna-validation-deck-fr.pptx",
    } <= paths
    for entry in entries:
        assert set(entry) == {"kind", "path", "title"}
        assert (Path(tmp_path) / entry["path"]).stat().st_size > 10_000
    json.dumps(entries)


def test_columns_of_numbers_stay_right_aligned_when_some_cells_say_n_less_than_5(demo):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    location = table_titled(docx(demo), "Location")
    respondents = [row.cells[1] for row in location.rows[1:]]
    assert any(cell.text == "n<5" for cell in respondents)
    assert all(cell.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT for cell in respondents)
    assert location.rows[1].cells[0].paragraphs[0].alignment != WD_ALIGN_PARAGRAPH.RIGHT


def test_a_small_survey_without_plan_interviews_or_trainings_says_what_is_missing(workspace, admin_user):
    from ctip.web.tna import services
    from tests.web.tna.factories import CODES, instrument_make, kobo_csv, kobo_row, registry_make

    registry_make(workspace)  # no staff figures: no sampling plan
    instrument = instrument_make(workspace, title="Small survey")
    rows = [
        kobo_row(
            number,
            ratings={
                code: (str(3 + (number + i) % 3), str(1 + (number * i) % 4)) for i, code in enumerate(CODES)
            },
        )
        for number in range(1, 8)
    ]
    services.survey_import_apply(
        workspace=workspace,
        instrument=instrument,
        data=kobo_csv(rows),
        filename="s.csv",
        acting_user=admin_user,
    )
    documents = needs_documents(workspace, instrument, language="en")
    text = text_of(Document(io.BytesIO(documents.docx)))
    assert "No organisation in the stakeholder registry has staff numbers yet" in text
    assert "No interview or focus group has been recorded yet." in text
    assert "The stakeholder registry records no earlier training." in text
    assert "7 staff of 1 organisation answered" in text
    assert openpyxl.load_workbook(io.BytesIO(documents.xlsx)).sheetnames[0] == "About"
    assert Presentation(io.BytesIO(documents.pptx)).slides
