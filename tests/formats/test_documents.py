import io
import os
import shutil
import subprocess
import uuid
import zipfile

import docx
import pptx
import pytest
from docx.oxml.ns import qn
from pptx.util import Emu

from ctip.core.errors import DomainError, ErrorCode
from ctip.formats.charts import BarChart, Series, render_png
from ctip.formats.documents import build_default_template
from ctip.formats.documents.docx_writer import (
    DocxLabels,
    check_template,
    default_template,
    template_check_or_raise,
    template_fields,
    write_docx,
)
from ctip.formats.documents.model import (
    BulletList,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    Report,
    Table,
    bold_spans,
)
from ctip.formats.documents.pptx_writer import Deck, Slide, write_pptx


def chart_png() -> bytes:
    chart = BarChart(
        "Victims identified", ("Forced labour", "Sexual exploitation"), (Series("2025", (51, 28)),)
    )
    return render_png(chart, dpi=80)


def sample_report(**changes) -> Report:
    fields = {
        "title": "National Action Plan & Review <2026>",
        "subtitle": "Capacity assessment",
        "organisation": "Ministry of Interior",
        "date_text": "12 March 2026",
        "version_text": "Draft 0.3",
        "blocks": (
            Heading("Introduction", 1),
            Paragraph("The **capacity assessment** covered four areas.\x0b"),
            Heading("Scope", 2),
            BulletList(("Desk review of **12** laws", "Interviews")),
            Heading("Limitations", 3),
            Table(
                "Training completion by agency",
                ("Agency", "Completed", "Share"),
                (("Police", "30", "75%"), ("Labour inspectorate", "12", "60%")),
                note="Source: training records.",
            ),
            Figure("Victims identified by form of exploitation", chart_png(), width_cm=30),
            PageBreak(),
            Table("Budget", ("Line", "Amount"), (("Training", "12,000"),), column_widths_cm=(12.0, 4.0)),
        ),
    }
    fields.update(changes)
    return Report(**fields)


def docx_of(*texts: str, header: str = "") -> bytes:
    document = docx.Document()
    for text in texts:
        document.add_paragraph(text)
    if header:
        document.sections[0].header.paragraphs[0].text = header
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def all_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(
            archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.startswith("word/") and name.endswith(".xml")
        )


def footer_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(
            archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.startswith("word/footer")
        )


# --- Word ------------------------------------------------------------------------------------------------


def test_report_has_headings_tables_captions_and_figures_in_the_template_styles(tmp_path):
    path = tmp_path / "report.docx"
    path.write_bytes(write_docx(sample_report()))

    document = docx.Document(str(path))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [("Heading 1", "Introduction"), ("Heading 2", "Scope"), ("Heading 3", "Limitations")]

    bold = [run.text for p in document.paragraphs for run in p.runs if run.bold and "capacity" in run.text]
    assert bold == ["capacity assessment"]
    assert any(
        p.style.name == "List Bullet" and p.text == "Desk review of 12 laws" for p in document.paragraphs
    )

    first, second = document.tables
    assert first.style.name == "CTIP Table"
    assert [cell.text for cell in first.rows[0].cells] == ["Agency", "Completed", "Share"]
    assert all(run.bold for cell in first.rows[0].cells for run in cell.paragraphs[0].runs)
    assert first.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [cell.text for cell in first.rows[2].cells] == ["Labour inspectorate", "12", "60%"]
    assert second.columns[0].width > second.columns[1].width * 2

    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions == [
        "Table 1: Training completion by agency",
        "Figure 1: Victims identified by form of exploitation",
        "Table 2: Budget",
    ]
    instructions = [node.text.strip() for node in document.element.body.iter(qn("w:instrText"))]
    assert instructions == ["SEQ Table \\* ARABIC", "SEQ Figure \\* ARABIC", "SEQ Table \\* ARABIC"]
    assert any(
        p.style.name == "Table Note" and p.text == "Source: training records." for p in document.paragraphs
    )

    assert len(document.inline_shapes) == 1
    text_width = (
        document.sections[0].page_width - document.sections[0].left_margin - document.sections[0].right_margin
    )
    assert document.inline_shapes[0].width <= text_width  # 30 cm was asked for: shrunk to the page


def test_report_fields_are_filled_and_escaped_with_page_numbers_in_the_footer():
    data = write_docx(sample_report())

    xml = all_xml(data)
    assert "{{" not in xml and "{%" not in xml
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    assert "National Action Plan & Review <2026>" in texts
    assert "Ministry of Interior" in texts
    assert "12 March 2026" in texts and "Draft 0.3" in texts
    assert "\x0b" not in xml
    footer = footer_xml(data)
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert "Page" in docx.Document(io.BytesIO(data)).sections[0].footer.paragraphs[0].text
    assert document.core_properties.title == "National Action Plan & Review <2026>"


def test_labels_and_language_follow_the_report():
    data = write_docx(
        sample_report(language="fr"),
        labels=DocxLabels(table="Tableau", figure="Figure", page="Page", of="sur", caption_separator=" : "),
    )

    document = docx.Document(io.BytesIO(data))
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions[0] == "Tableau 1 : Training completion by agency"
    assert "SEQ Tableau" in all_xml(data)
    assert "sur" in document.sections[0].footer.paragraphs[0].text
    assert 'w:val="fr-FR"' in all_xml(data)


def test_a_users_own_template_works_even_without_our_styles():
    template = docx_of(
        "{{ organisation }}", "{{ title|upper }}", "{{p body }}", "{% if version %}{{ version }}{% endif %}"
    )

    document = docx.Document(io.BytesIO(write_docx(sample_report(), template=template)))

    texts = [p.text for p in document.paragraphs]
    assert texts[:2] == ["Ministry of Interior", "NATIONAL ACTION PLAN & REVIEW <2026>"]
    assert texts[-1] == "Draft 0.3"
    assert document.tables[0].style.name == "Table Grid"
    assert any(p.style.name == "Table Note" for p in document.paragraphs)


def test_the_default_template_passes_the_check_and_documents_its_fields():
    assert check_template(default_template()) == []
    names = {field.name for field in template_fields()}
    assert {"title", "subtitle", "organisation", "date", "version", "body"} <= names
    assert [field.name for field in template_fields() if field.required] == ["body"]


def test_the_shipped_template_is_what_the_generator_builds():
    assert build_default_template.build() == default_template()
    assert build_default_template.build() == build_default_template.build()


def test_a_file_that_is_not_a_word_document_is_refused_clearly():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as target:
        target.writestr("hello.txt", "not a document")

    for data in (archive.getvalue(), b"plain text", b""):
        assert check_template(data) == [
            "The file is not a Word document: save it in Word as “Word Document (.docx)”."
        ]


def test_a_template_without_the_body_paragraph_is_refused_clearly():
    assert check_template(docx_of("{{ title }}")) == [
        "The template has no {{p body }} paragraph: add one, alone in its own paragraph, where the report should start."
    ]
    misplaced = check_template(docx_of("Text {{ body }}"))
    assert len(misplaced) == 1 and "must be written {{p body }}" in misplaced[0]
    assert "appears 2 times" in check_template(docx_of("{{p body }}", "{{p body }}"))[0]
    assert "must be written {{p body }}" in check_template(docx_of("{{p body }}", header="{{p body }}"))[0]


def test_unknown_fields_broken_syntax_and_unsafe_jinja_are_refused():
    assert check_template(docx_of("{{ titel }}", "{{p body }}")) == [
        "Unknown fields: {{ titel }}. The fields you can use are: body, title, subtitle, organisation, date, version, page_label, of_label."
    ]
    assert check_template(docx_of("{{ title ", "{{p body }}"))[0].startswith(
        "A field is not closed in the paragraph"
    )
    assert check_template(docx_of("{{ title | }}", "{{p body }}"))[0].startswith(
        "A field is not written correctly"
    )
    unsafe = check_template(
        docx_of(
            "{{ title.__class__ }}",
            "{% for x in range(10) %}{{ x }}{% endfor %}",
            "{{ title|attr('x') }}",
            "{{p body }}",
        )
    )
    assert len(unsafe) == 2  # "x" is unknown; the features are listed together
    assert (
        "{% for %}" in unsafe[1] and "attributes (.name)" in unsafe[1] and "function calls ( )" in unsafe[1]
    )
    assert "|attr" in unsafe[1]


def test_template_check_or_raise_gives_every_problem_as_an_invalid_value():
    with pytest.raises(DomainError) as caught:
        template_check_or_raise(docx_of("{{ titel }}"))

    assert caught.value.code == ErrorCode.INVALID_VALUE
    assert caught.value.params == {"count": 2}
    assert [problem.location for problem in caught.value.problems] == ["template", "template"]
    template_check_or_raise(default_template())


def test_writing_with_a_bad_template_raises_a_domain_error():
    with pytest.raises(DomainError):
        write_docx(sample_report(), template=docx_of("{{ title.__class__.__mro__ }}", "{{p body }}"))


def test_bold_markers_become_runs_and_unpaired_markers_stay():
    assert bold_spans("a **b** c **d") == [("a ", False), ("b", True), (" c **d", False)]
    assert bold_spans("") == []


def test_tables_and_headings_are_checked_when_built():
    with pytest.raises(ValueError, match="Row 1 has 1 cells for 2 columns"):
        Table("t", ("a", "b"), (("x",),))
    with pytest.raises(ValueError, match="level"):
        Heading("x", 4)


# --- PowerPoint ------------------------------------------------------------------------------------------


def sample_deck() -> Deck:
    long_rows = tuple((f"Activity {i}", "Police", str(i * 10)) for i in range(1, 41))
    return Deck(
        "National Action Plan",
        "Validation workshop",
        (
            Slide(
                "Why a plan",
                bullets=("Cases rose by **40%**", "Referral is informal"),
                notes="Open with numbers.",
            ),
            Slide("Victims identified", image_png=chart_png()),
            Slide("Activities", table=Table("Activities", ("Activity", "Lead", "Budget"), long_rows)),
            Slide("Bullets and picture", bullets=("One", "Two"), image_png=chart_png()),
        ),
    )


def test_deck_has_a_title_slide_16_9_and_slides_that_fit(tmp_path):
    path = tmp_path / "deck.pptx"
    path.write_bytes(write_pptx(sample_deck(), continued_label="(suite)"))

    presentation = pptx.Presentation(str(path))
    assert (presentation.slide_width, presentation.slide_height) == (Emu(12192000), Emu(6858000))
    slides = list(presentation.slides)
    titles = [slide.shapes.title.text for slide in slides]
    assert titles[0] == "National Action Plan"
    assert titles[1:3] == ["Why a plan", "Victims identified"]
    activity_titles = [title for title in titles if title.startswith("Activities")]
    assert len(activity_titles) >= 3
    assert activity_titles[1:] == ["Activities (suite)"] * (len(activity_titles) - 1)
    assert titles[-1] == "Bullets and picture"

    tables = [shape.table for slide in slides for shape in slide.shapes if shape.has_table]
    assert all(table.cell(0, 0).text == "Activity" for table in tables)
    assert sum(len(table.rows) - 1 for table in tables) == 40
    for slide in slides:
        for shape in slide.shapes:
            assert shape.left + shape.width <= presentation.slide_width
            assert shape.top + shape.height <= presentation.slide_height

    pictures = [shape for slide in slides for shape in slide.shapes if shape.shape_type == 13]
    assert len(pictures) == 2
    assert slides[1].notes_slide.notes_text_frame.text == "Open with numbers."
    numbers = [
        shape.text_frame.text
        for slide in slides[1:]
        for shape in slide.shapes
        if shape.name == "Slide Number"
    ]
    assert numbers == [str(number) for number in range(2, len(slides) + 1)]


def test_bullets_that_do_not_fit_continue_on_another_slide():
    bullets = tuple(
        f"Step {i}: a long bullet that explains what happens next and who does it" for i in range(30)
    )

    presentation = pptx.Presentation(
        io.BytesIO(write_pptx(Deck("D", "", (Slide("Next steps", bullets=bullets),))))
    )

    texts = [
        paragraph.text
        for slide in list(presentation.slides)[1:]
        for shape in slide.placeholders
        if shape.placeholder_format.idx == 1
        for paragraph in shape.text_frame.paragraphs
    ]
    assert texts == list(bullets)
    assert len(presentation.slides) >= 3


# --- PDF through LibreOffice -----------------------------------------------------------------------------


def convert_to_pdf(source, outdir):
    profile = f"file:///tmp/ctip-soffice-{uuid.uuid4().hex}"
    try:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    finally:
        shutil.rmtree(profile.removeprefix("file://"), ignore_errors=True)
    return outdir / f"{source.stem}.pdf"


def test_generated_documents_convert_to_pdf_with_libreoffice(tmp_path):
    if shutil.which("soffice") is None:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "LibreOffice (soffice) is required on CI: install libreoffice-writer-nogui and -impress-nogui"
            )
        pytest.skip("LibreOffice (soffice) is not installed")
    report = tmp_path / "report.docx"
    report.write_bytes(write_docx(sample_report()))
    deck = tmp_path / "deck.pptx"
    deck.write_bytes(write_pptx(sample_deck()))

    for source in (report, deck):
        pdf = convert_to_pdf(source, tmp_path)
        # soffice exits with 0 even when it could not convert: the PDF itself is the proof.
        assert pdf.exists(), f"{source.name} was not converted"
        assert pdf.stat().st_size > 1000
        assert pdf.read_bytes().startswith(b"%PDF")
