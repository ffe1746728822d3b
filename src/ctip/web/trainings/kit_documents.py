"""The delivery kit of a training event as files: the concept note, the agenda (a table per day) and the
trainer's manual as Word documents, and the slides as a PowerPoint deck, in the event's language or another
one asked for. The kit is :mod:`ctip.core.training.kit`'s, with the trainer's edits
(:func:`ctip.web.trainings.services.kit.event_kit`); the Word files use the workspace's own template when
one was uploaded on the inception report page (the same letterhead as the other reports).

Kit texts carry two marks: a blank line between paragraphs and ``- `` at the start of a bullet line
(:func:`text_blocks`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from ctip.core.training.agenda import BLOCK_LABELS, AgendaBlock, AgendaDay, BlockKind
from ctip.core.training.kit import Kit, KitSession
from ctip.formats.documents.docx_writer import DocxLabels, write_docx
from ctip.formats.documents.model import (
    Block,
    BulletList,
    Heading,
    PageBreak,
    Paragraph,
    Report,
    Table,
)
from ctip.formats.documents.pptx_writer import Deck, Slide, write_pptx
from ctip.web.inception.selectors import report_template_for
from ctip.web.planning.report import TEMPLATE_KIND
from ctip.web.trainings.models import TrainingEvent
from ctip.web.trainings.services.kit import event_kit, kit_language

# --- Text ------------------------------------------------------------------------------------------------


def text_blocks(text: str) -> list[Paragraph | BulletList]:
    """A kit text as paragraphs and bullet lists: lines starting with ``- `` (or ``• ``) are bullets; a
    blank line ends a paragraph; other lines that follow each other make one paragraph."""
    blocks: list[Paragraph | BulletList] = []
    lines: list[str] = []
    bullets: list[str] = []

    def close() -> None:
        if lines:
            blocks.append(Paragraph(" ".join(lines)))
            lines.clear()
        if bullets:
            blocks.append(BulletList(tuple(bullets)))
            bullets.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            close()
        elif line[:2] in ("- ", "• ", "* ") and not line.startswith("**"):
            if lines:
                close()
            bullets.append(line[2:].strip())
        else:
            if bullets:
                close()
            lines.append(line)
    close()
    return blocks


def list_lines(lines: Sequence[str]) -> str:
    """Lines of a list (key points, objectives) as a kit text of bullets."""
    return "\n".join(f"- {line}" for line in lines)


def long_date(day: dt.date) -> str:
    return formats.date_format(day, "j F Y")


def day_label(day: AgendaDay) -> str:
    """ "Day 2 — Tuesday 3 March 2026", with "(extra day)" for a day beyond the event's last day."""
    label = _("Day %(number)s — %(date)s") % {
        "number": day.number,
        "date": formats.date_format(day.date, "l j F Y"),
    }
    return f"{label} {_('(extra day, beyond the dates of the training)')}" if day.extra else label


def block_activity(block: AgendaBlock) -> str:
    """What happens in a block, as the agenda shows it."""
    if block.kind is BlockKind.SESSION:
        title = block.title or block.session
        return f"{title} {_('(continued)')}" if block.continued else title
    return _(BLOCK_LABELS[block.kind])


def agenda_warning(kit: Kit) -> str:
    """What the trainer must know about the agenda's length; empty when the content fills the event."""
    agenda = kit.agenda
    if agenda.extra_days:
        return _(
            "The sessions, tests and closing need %(needed)s days with these hours, but the training has "
            "%(days)s: the agenda goes on over %(extra)s extra day(s), marked as such. Add days to the "
            "training, lengthen the day or shorten sessions."
        ) % {"needed": agenda.days_needed, "days": agenda.event_days, "extra": agenda.extra_days}
    if agenda.unused_days:
        return _(
            "The sessions, tests and closing take %(needed)s of the training's %(days)s days: the last "
            "day(s) have nothing planned. Add a module to the training or shorten it."
        ) % {"needed": agenda.days_needed, "days": agenda.event_days}
    return ""


def session_timing(kit: Kit, session: KitSession) -> str:
    """When the session starts in the agenda: "Day 1, 09:30–11:15 (90 minutes)"."""
    parts: list[str] = []
    for day in kit.agenda.days:
        times = [block for block in day.blocks if block.session == session.code]
        if times:
            parts.append(
                _("day %(number)s, %(start)s–%(end)s")
                % {"number": day.number, "start": times[0].start_text, "end": times[-1].end_text}
            )
    when = "; ".join(parts)
    minutes = _("%(minutes)s minutes") % {"minutes": session.minutes}
    return f"{when[:1].upper()}{when[1:]} ({minutes})" if when else minutes


def _dates(kit: Kit) -> str:
    inputs = kit.inputs
    if inputs.start_date == inputs.end_date:
        return long_date(inputs.start_date)
    return f"{long_date(inputs.start_date)} – {long_date(inputs.end_date)}"


def _place(kit: Kit) -> str:
    return ", ".join(part for part in (kit.inputs.venue.strip(), kit.inputs.location.strip()) if part)


def _report(kit: Kit, title: str, blocks: Sequence[Block]) -> Report:
    return Report(
        title=title,
        subtitle=kit.inputs.title,
        organisation=kit.inputs.organisation,
        date_text=long_date(timezone.localdate()),
        version_text=f"{kit.inputs.code} · {_dates(kit)}" + (f" · {_place(kit)}" if _place(kit) else ""),
        blocks=tuple(blocks),
        language=kit.language,
    )


# --- The concept note ------------------------------------------------------------------------------------


def section_titles() -> dict[str, str]:
    return {
        "background": _("Background"),
        "objectives": _("Objectives"),
        "learning_outcomes": _("Learning outcomes"),
        "methodology": _("Methodology"),
        "participant_profile": _("Participants"),
        "expected_results": _("Expected results"),
        "evaluation": _("Evaluation"),
    }


def _facts(kit: Kit) -> Table:
    inputs = kit.inputs
    trainers = ", ".join(trainer.name for trainer in inputs.trainers) or _("to be confirmed")
    total = inputs.target_female + inputs.target_male
    rows = [
        (_("Code"), inputs.code),
        (_("Dates"), _dates(kit)),
        (_("Venue"), _place(kit) or "—"),
        (_("Language"), _("French") if kit.language == "fr" else _("English")),
        (_("Modules"), "; ".join(f"{module.code} {module.title}" for module in inputs.modules) or "—"),
        (_("Trainers"), trainers),
        (
            _("Participants planned"),
            _("%(total)s (women: %(women)s, men: %(men)s)")
            % {"total": total, "women": inputs.target_female, "men": inputs.target_male}
            if total
            else "—",
        ),
        (_("Pass mark"), _("%(mark)s per cent") % {"mark": inputs.pass_mark}),
    ]
    return Table(
        _("The training at a glance"), (_("Item"), _("Details")), tuple(rows), align_right=(False, False)
    )


def concept_note_report(kit: Kit) -> Report:
    """The concept note (call inside ``translation.override(kit.language)``)."""
    blocks: list[Block] = [_facts(kit)]
    titles = section_titles()
    for name, text in kit.concept_note.sections():
        blocks.append(Heading(titles[name], 1))
        blocks.extend(text_blocks(text) or [Paragraph("—")])
    blocks.append(Heading(_("Agenda in brief"), 1))
    blocks.append(_agenda_overview(kit))
    return _report(kit, _("Concept note"), blocks)


def _agenda_overview(kit: Kit) -> Table:
    rows = []
    for day in kit.agenda.days:
        titles = list(dict.fromkeys(block.title for block in day.blocks if block.title))
        rows.append((day_label(day), "; ".join(titles) or _("No session planned")))
    return Table(
        _("The sessions day by day"), (_("Day"), _("Sessions")), tuple(rows), column_widths_cm=(5.5, 10.5)
    )


# --- The agenda ------------------------------------------------------------------------------------------


def agenda_rows(day: AgendaDay) -> tuple[tuple[str, str, str], ...]:
    """(time, activity, module) for each block of a day."""
    return tuple(
        (f"{block.start_text}–{block.end_text}", block_activity(block), block.module) for block in day.blocks
    )


def agenda_report(kit: Kit) -> Report:
    """The agenda, a table per day (call inside ``translation.override(kit.language)``)."""
    blocks: list[Block] = []
    warning = agenda_warning(kit)
    if warning:
        blocks.append(Paragraph(f"**{_('Note')}:** {warning}"))
    blocks.append(
        Paragraph(
            _(
                "Days from %(start)s to %(end)s, with a break about 10:30, lunch about 12:30 and a break about "
                "15:00. Sessions: %(hours)s hours."
            )
            % {
                "start": kit.day_start,
                "end": kit.day_end,
                "hours": formats.number_format(kit.agenda.teaching_minutes / 60, 1),
            }
        )
    )
    header = (_("Time"), _("Activity"), _("Module"))
    for day in kit.agenda.days:
        blocks.append(Heading(day_label(day), 2))
        rows = agenda_rows(day)
        if rows:
            blocks.append(
                Table(
                    day_label(day), header, rows, column_widths_cm=(3.0, 10.5, 2.5), align_right=(False,) * 3
                )
            )
        else:
            blocks.append(Paragraph(_("No session planned.")))
    return _report(kit, _("Agenda"), blocks)


# --- The trainer's manual --------------------------------------------------------------------------------


def _session_blocks(kit: Kit, session: KitSession) -> list[Block]:
    blocks: list[Block] = [
        Heading(session.title, 2),
        Paragraph(f"**{session.code}** · {session_timing(kit, session)}"),
    ]
    if session.objectives:
        blocks += [Heading(_("Learning objectives"), 3), BulletList(session.objectives)]
    if session.key_points:
        blocks += [Heading(_("Key content"), 3), BulletList(session.key_points)]
    blocks.append(Heading(_("Exercise"), 3))
    blocks.extend(text_blocks(session.exercise) or [Paragraph("—")])
    if session.practice_notes:
        blocks += [Heading(_("Child- and gender-sensitive practice"), 3), BulletList(session.practice_notes)]
    blocks.append(Heading(_("Handout"), 3))
    blocks.extend(text_blocks(session.handout) or [Paragraph("—")])
    return blocks


def manual_report(kit: Kit) -> Report:
    """The trainer's manual, session by session (call inside ``translation.override(kit.language)``)."""
    blocks: list[Block] = [
        Heading(_("How to use this manual"), 1),
        Paragraph(
            _(
                "The manual follows the agenda session by session. For each session it gives the learning "
                "objectives, the key content to cover, the exercise, the points of child- and gender-sensitive "
                "practice to keep in mind, and the handout to give participants."
            )
        ),
        Paragraph(
            _("Open the training with the pre-test and close it with the post-test and the reaction survey.")
        ),
        Heading(_("Evaluation"), 1),
        *text_blocks(kit.concept_note.evaluation),
    ]
    for chapter in kit.manual:
        blocks.append(PageBreak())
        blocks.append(Heading(f"{chapter.code} — {chapter.title}", 1))
        if chapter.summary:
            blocks.append(Paragraph(chapter.summary))
        for session in chapter.sessions:
            blocks.extend(_session_blocks(kit, session))
    return _report(kit, _("Trainer's manual"), blocks)


# --- The slides ------------------------------------------------------------------------------------------


def kit_deck(kit: Kit) -> Deck:
    """The slides (call inside ``translation.override(kit.language)``)."""
    subtitle = " · ".join(part for part in (_dates(kit), _place(kit)) if part)
    return Deck(
        title=kit.inputs.title,
        subtitle=subtitle,
        slides=tuple(Slide(slide.title, bullets=slide.bullets, notes=slide.notes) for slide in kit.slides),
    )


# --- Files -----------------------------------------------------------------------------------------------


def _labels(language: str) -> DocxLabels:
    return DocxLabels(
        table=_("Table"),
        figure=_("Figure"),
        page=_("Page"),
        of=_("of"),
        caption_separator=" : " if language == "fr" else ": ",
    )


def _docx(event: TrainingEvent, language: str, build: str) -> bytes:
    chosen = kit_language(event, language)
    kit = event_kit(event, chosen).kit
    with translation.override(chosen):
        report = {"concept_note": concept_note_report, "agenda": agenda_report, "manual": manual_report}[
            build
        ](kit)
        labels = _labels(chosen)
    return write_docx(report, template=report_template_for(event.workspace, TEMPLATE_KIND), labels=labels)


def concept_note_docx(event: TrainingEvent, language: str) -> bytes:
    return _docx(event, language, "concept_note")


def agenda_docx(event: TrainingEvent, language: str) -> bytes:
    return _docx(event, language, "agenda")


def manual_docx(event: TrainingEvent, language: str) -> bytes:
    return _docx(event, language, "manual")


def slides_pptx(event: TrainingEvent, language: str) -> bytes:
    chosen = kit_language(event, language)
    kit = event_kit(event, chosen).kit
    with translation.override(chosen):
        deck = kit_deck(kit)
        continued = _("(continued)")
    return write_pptx(deck, continued_label=continued)
