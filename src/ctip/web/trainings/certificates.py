"""Certificates of attendance of a training event (the Word file itself is written by
:mod:`ctip.formats.certificates`).

Who may get one: participants present on at least one training day, or — with ``all_days`` — on every
training day. Names are never stored: the certificates page asks for them for one download only, and an
empty name gives a certificate with a blank line to write the name by hand. The participant's code is not
printed, so a certificate cannot be linked back to test results.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ctip.formats.certificates import (
    Certificate,
    CertificateBatch,
    CertificateLabels,
    write_certificates,
)
from ctip.web.trainings.models import Participant, TrainingEvent
from ctip.web.trainings.services.attendance import attendance_grid
from ctip.web.trainings.services.event_plan import module_title
from ctip.web.trainings.services.events import event_modules

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Candidate:
    participant: Participant
    days: int
    """Days present."""
    total_days: int

    @property
    def all_days(self) -> bool:
        return self.total_days > 0 and self.days >= self.total_days


def certificate_candidates(event: TrainingEvent, *, all_days: bool = False) -> list[Candidate]:
    """Participants who attended (at least one day, or every day with ``all_days``), by code."""
    grid = attendance_grid(event)
    total = len(grid.days)
    found = [Candidate(row.participant, row.days_present, total) for row in grid.rows if row.days_present]
    return [candidate for candidate in found if candidate.all_days] if all_days else found


def dates_text(start: dt.date, end: dt.date) -> str:
    """ "2 March 2026", "2–4 March 2026", "30 March – 2 April 2026" (in the active language)."""
    if start == end:
        return formats.date_format(start, "j F Y")
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{formats.date_format(end, 'j F Y')}"
    if start.year == end.year:
        return f"{formats.date_format(start, 'j F')} – {formats.date_format(end, 'j F Y')}"
    return f"{formats.date_format(start, 'j F Y')} – {formats.date_format(end, 'j F Y')}"


def _labels() -> CertificateLabels:
    return CertificateLabels(
        heading=_("Certificate of attendance"),
        presented_to=_("This is to certify that"),
        attended=_("attended the training"),
        modules=_("Modules:"),
        signature_left=_("Trainer"),
        signature_right=_("Programme coordinator"),
    )


def certificates_docx(
    event: TrainingEvent,
    candidates: Sequence[Candidate],
    names: Mapping[str, str],
    *,
    language: str,
) -> bytes:
    """One certificate per candidate, in ``language``; ``names`` maps a participant's UUID (text) to the name
    typed for this download (missing or empty: a blank line)."""
    with translation.override(language):
        modules = [module_title(module, language) for module in event_modules(event)]
        lead = next((str(trainer.get("name") or "") for trainer in event.trainers if trainer.get("name")), "")
        venue = ", ".join(part for part in (event.venue, event.location) if part)
        batch = CertificateBatch(
            organisation=event.workspace.name,
            title=event.title,
            dates=dates_text(event.start_date, event.end_date),
            venue=venue,
            certificates=tuple(
                Certificate(
                    name=" ".join(str(names.get(str(candidate.participant.uuid), "")).split()),
                    attendance=ngettext(
                        "%(days)s of %(total)s training day attended",
                        "%(days)s of %(total)s training days attended",
                        candidate.total_days,
                    )
                    % {"days": candidate.days, "total": candidate.total_days},
                )
                for candidate in candidates
            ),
            labels=_labels(),
            language=language,
            modules=tuple(modules),
            signatory_left=lead,
        )
        return write_certificates(batch)


def certificates_filename(event: TrainingEvent) -> str:
    return f"certificates-{event.code}.docx"
