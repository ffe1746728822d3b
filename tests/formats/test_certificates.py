"""The certificates writer: one A4 landscape page per certificate, every fact on it, a blank name line when
no name is given, the labels and language passed in, and a clear error when there is nobody to certify."""

from __future__ import annotations

import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm

from ctip.core.errors import DomainError, ErrorCode
from ctip.formats.certificates import (
    MAX_NAME_LENGTH,
    Certificate,
    CertificateBatch,
    CertificateLabels,
    write_certificates,
)

LABELS = CertificateLabels(
    heading="Certificate of attendance",
    presented_to="This is to certify that",
    attended="attended the training",
    modules="Modules:",
    signature_left="Trainer",
    signature_right="Programme coordinator",
)
FRENCH = CertificateLabels(
    heading="Certificat de participation",
    presented_to="Nous certifions que",
    attended="a suivi la formation",
    modules="Modules :",
    signature_left="Formateur",
    signature_right="Coordinateur du programme",
)


def _batch(**changes) -> CertificateBatch:
    values = {
        "organisation": "Mauritius C-TIP programme",
        "title": "Victim identification and screening",
        "dates": "2–3 March 2026",
        "venue": "Police Training School, Mauritius",
        "certificates": (
            Certificate("Marie Laval", "2 of 2 training days attended"),
            Certificate("", "1 of 2 training days attended"),
            Certificate("Paul Ng", "2 of 2 training days attended"),
        ),
        "labels": LABELS,
        "modules": ("SCR screening", "Ethics"),
        "signatory_left": "Ana Trainer",
    }
    values.update(changes)
    return CertificateBatch(**values)


def _open(content: bytes):
    return Document(io.BytesIO(content))


def _texts(document) -> list[str]:
    texts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for cell in table._cells:
            texts.extend(paragraph.text for paragraph in cell.paragraphs)
    return texts


def test_one_a4_landscape_page_per_certificate():
    document = _open(write_certificates(_batch()))
    section = document.sections[0]
    # Word stores the size in twentieths of a point: within a twip of 29.7 × 21 cm.
    assert abs(section.page_width - Cm(29.7)) < 635 and abs(section.page_height - Cm(21.0)) < 635
    assert section.orientation == 1  # landscape
    starts = [p for p in document.paragraphs if p.paragraph_format.page_break_before]
    assert len(starts) == 2  # pages 2 and 3 start on a new page
    assert [p.text for p in document.paragraphs].count("Mauritius C-TIP programme") == 3
    assert len(document.tables) == 3  # the signature lines of each page
    assert section._sectPr.find(qn("w:pgBorders")) is not None


def test_every_fact_is_on_the_certificate():
    texts = _texts(_open(write_certificates(_batch())))
    for expected in (
        "Certificate of attendance",
        "This is to certify that",
        "Marie Laval",
        "attended the training",
        "Victim identification and screening",
        "Modules: SCR screening; Ethics",
        "2–3 March 2026 — Police Training School, Mauritius",
        "1 of 2 training days attended",
        "Ana Trainer",
        "Trainer",
        "Programme coordinator",
    ):
        assert expected in texts, expected


def test_an_empty_name_leaves_a_blank_line_to_write_on():
    document = _open(write_certificates(_batch()))
    name_lines = [
        p for p in document.paragraphs if p._p.pPr is not None and p._p.pPr.find(qn("w:pBdr")) is not None
    ]
    assert [p.text for p in name_lines] == ["Marie Laval", "\u00a0", "Paul Ng"]


def test_one_module_is_not_listed_and_no_venue_gives_the_dates_alone():
    texts = _texts(_open(write_certificates(_batch(modules=("SCR",), venue=""))))
    assert not any(text.startswith("Modules:") for text in texts)
    assert "2–3 March 2026" in texts


def test_french_labels_and_language():
    content = write_certificates(_batch(labels=FRENCH, language="fr", dates="2–3 mars 2026"))
    document = _open(content)
    texts = _texts(document)
    assert "Certificat de participation" in texts and "Coordinateur du programme" in texts
    assert "Certificate of attendance" not in texts
    lang = document.styles.element.find(qn("w:docDefaults")).find(
        f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}"
    )
    assert lang.get(qn("w:val")) == "fr-FR"


def test_long_names_are_cut_to_the_limit():
    long_name = "N" * (MAX_NAME_LENGTH + 40)
    texts = _texts(_open(write_certificates(_batch(certificates=(Certificate(long_name, "1 day"),)))))
    assert "N" * MAX_NAME_LENGTH in texts and long_name not in texts


def test_nobody_to_certify_is_a_clear_error():
    with pytest.raises(DomainError) as caught:
        write_certificates(_batch(certificates=()))
    assert caught.value.code == ErrorCode.REQUIRED
    assert "at least one participant" in caught.value.message
