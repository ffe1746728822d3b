"""The files an instrument is downloaded as: the XLSForm and three Word documents (questionnaire,
interview guide, focus-group guide), in English or French. Read-only: nothing is stored."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from ctip.core.tna.model import Instrument
from ctip.formats.documents.docx_writer import DocxLabels, write_docx
from ctip.formats.documents.model import Report
from ctip.formats.tna_documents import focus_group_guide_report, interview_guide_report, questionnaire_report
from ctip.formats.xlsform import build_xlsform
from ctip.web.tna.models import SurveyInstrument
from ctip.web.tna.snapshot import instrument_from_json

QUESTIONNAIRE = "questionnaire"
INTERVIEW_GUIDE = "interview-guide"
FOCUS_GROUP_GUIDE = "focus-group-guide"
KINDS = (QUESTIONNAIRE, INTERVIEW_GUIDE, FOCUS_GROUP_GUIDE)
LANGUAGES = ("en", "fr")

_BUILDERS: dict[str, Callable[..., Report]] = {
    QUESTIONNAIRE: questionnaire_report,
    INTERVIEW_GUIDE: interview_guide_report,
    FOCUS_GROUP_GUIDE: focus_group_guide_report,
}


def instrument_xlsform(instrument: SurveyInstrument) -> bytes:
    """The instrument (as it was built) as an XLSForm for KoboToolbox and ODK."""
    return build_xlsform(instrument_from_json(instrument.snapshot))


def _built(instrument: SurveyInstrument) -> Instrument:
    return instrument_from_json(instrument.snapshot)


def instrument_document(instrument: SurveyInstrument, *, kind: str, language: str = "en") -> bytes:
    """One of the Word documents (``kind`` in :data:`KINDS`) in ``language`` (``en`` or ``fr``)."""
    language = language if language in LANGUAGES else "en"
    with translation.override(language):
        date_text = formats.date_format(timezone.localdate(), "j F Y")
        labels = DocxLabels(
            table=_("Table"),
            figure=_("Figure"),
            page=_("Page"),
            of=_("of"),
            caption_separator=" : " if language == "fr" else ": ",
        )
    report = _BUILDERS[kind](
        _built(instrument), language=language, organisation=instrument.workspace.name, date_text=date_text
    )
    return write_docx(report, labels=labels)


def document_filename(instrument: SurveyInstrument, *, kind: str, language: str) -> str:
    return f"{instrument.form_id}-{kind}-{language if language in LANGUAGES else 'en'}.docx"
