"""The TNA report as a deliverable under review: the sections and blocks of the report on the survey
instrument with the most answers, written in the workspace's first working language, as the elements that
versions store and compare (see :mod:`ctip.web.reviews.report_elements`). A workspace has one TNA report
(subject ``""``) once survey answers have been imported."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ctip.core.errors import DomainError, ErrorCode, FieldProblem
from ctip.core.review.diff import Element
from ctip.web.accounts.models import Workspace
from ctip.web.needs.data import default_instrument
from ctip.web.needs.report import needs_report
from ctip.web.needs.report_content import needs_report_data
from ctip.web.reviews.deliverables import Deliverable
from ctip.web.reviews.report_elements import (
    REPORT_FIELD_LABELS,
    REPORT_KIND_LABELS,
    report_elements,
    report_language,
)

__all__ = ["DELIVERABLE", "tna_report_elements", "tna_report_subjects"]


def tna_report_subjects(workspace: Workspace) -> list[tuple[str, str]]:
    """``[("", title)]`` once a survey instrument of the workspace has answers; else nothing to review."""
    instrument = default_instrument(workspace)
    if instrument is None or not instrument.submission_count:
        return []
    return [("", _("TNA report"))]


def tna_report_elements(workspace: Workspace, subject: str = "") -> list[Element]:
    """The report's elements. Refused (``not_found``) before any survey answer is imported, and with the
    analysis' own message when there are too few respondents to report without pointing at them."""
    instrument = default_instrument(workspace)
    if instrument is None or not instrument.submission_count:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            _(
                "There are no survey answers to report on yet: import them on the needs assessment pages first."
            ),
            problems=[FieldProblem("deliverable", _("Import survey answers, then save a version."))],
        )
    language = report_language(workspace)
    with translation.override(language):
        report = needs_report(needs_report_data(workspace, instrument, language=language))
        return report_elements(report)


DELIVERABLE = Deliverable(
    kind="tna_report",
    label=gettext_lazy("TNA report"),
    subjects=tna_report_subjects,
    elements=tna_report_elements,
    edit_url_name="needs-report",
    kind_labels=REPORT_KIND_LABELS,
    field_labels=REPORT_FIELD_LABELS,
)
