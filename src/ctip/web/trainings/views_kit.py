"""The delivery kit page of a training event and its downloads.

The page shows every part of the kit as generated from the training's modules, with the trainer's edits:
the concept note, the agenda (with a warning when the sessions need more days than the training has), the
sessions of the trainer's manual and the slides. Members who run trainings edit each part in a plain form
(no JavaScript) and put any part back as generated; every member can read the page and download the
concept note, the agenda and the manual (Word) and the slides (PowerPoint) in English or French.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.core.training.kit import CONCEPT_NOTE_SECTIONS, Kit, KitSession
from ctip.core.training.kit_edits import STORED_KEYS
from ctip.formats.documents.model import BulletList, bold_spans
from ctip.web.accounts.permissions import may, workspace_view
from ctip.web.inception.selectors import report_template_info
from ctip.web.planning.report import TEMPLATE_KIND
from ctip.web.trainings import kit_documents as documents
from ctip.web.trainings.models import TrainingEvent
from ctip.web.trainings.services.kit import (
    KIT_LANGUAGES,
    event_kit,
    kit_edits_reset,
    kit_edits_save,
    kit_language,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
LANGUAGES = (("en", "English"), ("fr", "Français"))
_BULLET_PREFIXES = ("- ", "• ", "* ")


def _event(request: HttpRequest, event: uuid.UUID) -> TrainingEvent:
    return get_object_or_404(TrainingEvent, workspace=request.workspace, uuid=event)


def _page_url(request: HttpRequest, event: TrainingEvent, language: str, anchor: str = "") -> str:
    url = reverse("training-kit", kwargs={"workspace": request.workspace.slug, "event": event.uuid})
    return f"{url}?language={language}" + (f"#{anchor}" if anchor else "")


# --- What the page shows ---------------------------------------------------------------------------------


def html_blocks(text: str) -> list[dict[str, Any]]:
    """A kit text as paragraphs and lists for the template: ``{"bullets": [spans…]}`` or ``{"spans": …}``."""
    shown: list[dict[str, Any]] = []
    for block in documents.text_blocks(text):
        if isinstance(block, BulletList):
            shown.append({"bullets": [bold_spans(item) for item in block.items]})
        else:
            shown.append({"spans": bold_spans(block.text)})
    return shown


def _field(
    prefix: str,
    name: str,
    label: str,
    value: str,
    *,
    kind: str = "textarea",
    help_text: str = "",
    errors: Mapping[str, str] | None = None,
    location: str = "",
    edited: bool = False,
    rows: int = 6,
) -> dict[str, Any]:
    return {
        "id": f"kit-{prefix}-{name}",
        "name": name,
        "label": label,
        "value": value,
        "kind": kind,
        "help": help_text,
        "error": (errors or {}).get(location, ""),
        "edited": edited,
        "rows": rows,
    }


def _lines(values: tuple[str, ...] | list[str]) -> str:
    return "\n".join(values)


def _posted_lines(text: str) -> list[str]:
    """A textarea of one item per line → the items (a leading "- " or "• " is dropped)."""
    items = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if line[:2] in _BULLET_PREFIXES and not line.startswith("**"):
            line = line[2:].strip()
        if line:
            items.append(line)
    return items


def _concept_form(
    kit: Kit, posted: QueryDict | None, errors: Mapping[str, str], titles: Mapping[str, str]
) -> list[dict[str, Any]]:
    fields = []
    for name in CONCEPT_NOTE_SECTIONS:
        value = posted.get(name, "") if posted is not None else getattr(kit.concept_note, name)
        fields.append(
            _field(
                "concept",
                name,
                titles[name],
                value,
                errors=errors,
                location=f"concept_note.{name}",
                edited=f"concept_note.{name}" in kit.edited,
                rows=10,
            )
        )
    return fields


def _session_form(
    kit: Kit, session: KitSession, posted: QueryDict | None, errors: Mapping[str, str]
) -> list[dict[str, Any]]:
    def value(name: str, current: str) -> str:
        return posted.get(name, "") if posted is not None else current

    code = session.code
    lines_help = _("One per line.")

    def edited(name: str) -> bool:
        return f"sessions.{code}.{name}" in kit.edited

    def where(name: str) -> str:
        return f"sessions.{code}.{name}"

    return [
        _field(
            code,
            "title",
            _("Title"),
            value("title", session.title),
            kind="text",
            errors=errors,
            location=where("title"),
            edited=edited("title"),
        ),
        _field(
            code,
            "minutes",
            _("Length (minutes)"),
            value("minutes", str(session.minutes)),
            kind="number",
            help_text=_("From 15 to 480 minutes; the agenda follows."),
            errors=errors,
            location=where("minutes"),
            edited=edited("minutes"),
        ),
        _field(
            code,
            "objectives",
            _("Learning objectives"),
            value("objectives", _lines(session.objectives)),
            help_text=lines_help,
            errors=errors,
            location=where("objectives"),
            edited=edited("objectives"),
            rows=4,
        ),
        _field(
            code,
            "key_points",
            _("Key content"),
            value("key_points", _lines(session.key_points)),
            help_text=lines_help,
            errors=errors,
            location=where("key_points"),
            edited=edited("key_points"),
        ),
        _field(
            code,
            "exercise",
            _("Exercise"),
            value("exercise", session.exercise),
            errors=errors,
            location=where("exercise"),
            edited=edited("exercise"),
        ),
        _field(
            code,
            "practice_notes",
            _("Child- and gender-sensitive practice"),
            value("practice_notes", _lines(session.practice_notes)),
            help_text=lines_help,
            errors=errors,
            location=where("practice_notes"),
            edited=edited("practice_notes"),
            rows=4,
        ),
        _field(
            code,
            "handout",
            _("Handout"),
            value("handout", session.handout),
            errors=errors,
            location=where("handout"),
            edited=edited("handout"),
            rows=8,
        ),
    ]


def _agenda_form(kit: Kit, posted: QueryDict | None, errors: Mapping[str, str]) -> list[dict[str, Any]]:
    def value(name: str, current: str) -> str:
        return posted.get(name, "") if posted is not None else current

    return [
        _field(
            "agenda",
            name,
            label,
            value(name, getattr(kit, name)),
            kind="time",
            help_text=_("HH:MM, for example 09:00."),
            errors=errors,
            location=f"agenda.{name}",
            edited=f"agenda.{name}" in kit.edited,
        )
        for name, label in (("day_start", _("The day starts at")), ("day_end", _("The day ends at")))
    ]


def _where(location: str, titles: Mapping[str, str]) -> str:
    """A problem's location in words: "Session SCR-S1, length (minutes)", "Concept note, Background"."""
    part, _dot, rest = location.partition(".")
    if part == "concept_note":
        return _("Concept note, %(section)s") % {"section": titles.get(rest, rest)}
    if part == "agenda":
        return _("Agenda, %(field)s") % {"field": _field_labels().get(rest, rest)}
    if part == "sessions":
        code, _dot, name = rest.partition(".")
        if name:
            return _("Session %(code)s, %(field)s") % {"code": code, "field": _field_labels().get(name, name)}
        return _("Session %(code)s") % {"code": code}
    return location or _("The kit")


def _field_labels() -> dict[str, str]:
    return {
        "title": _("Title"),
        "minutes": _("Length (minutes)"),
        "objectives": _("Learning objectives"),
        "key_points": _("Key content"),
        "exercise": _("Exercise"),
        "practice_notes": _("Child- and gender-sensitive practice"),
        "handout": _("Handout"),
        "day_start": _("The day starts at"),
        "day_end": _("The day ends at"),
    }


def _other_language_edited(event: TrainingEvent, language: str) -> bool:
    stored = event.kit or {}
    return any(stored.get(code) for code in KIT_LANGUAGES if code != language)


def _page(
    request: HttpRequest,
    event: TrainingEvent,
    language: str,
    *,
    failed: str = "",
    posted: QueryDict | None = None,
    error: DomainError | None = None,
    status: int = 200,
) -> HttpResponse:
    """The kit page; after a refused edit, the form of part ``failed`` keeps what was posted and is open."""
    pair = event_kit(event, language)
    kit = pair.kit
    errors: dict[str, str] = {}
    if error is not None:
        for problem in error.problems:
            errors.setdefault(problem.location, problem.render(_))
    with translation.override(language):
        titles = documents.section_titles()
        sections = [
            {
                "name": name,
                "title": titles[name],
                "blocks": html_blocks(text),
                "edited": f"concept_note.{name}" in kit.edited,
            }
            for name, text in kit.concept_note.sections()
        ]
        days = [
            {"day": day, "label": documents.day_label(day), "rows": documents.agenda_rows(day)}
            for day in kit.agenda.days
        ]
        warning = documents.agenda_warning(kit)
        chapters: list[dict[str, Any]] = [
            {
                "chapter": chapter,
                "sessions": [
                    {
                        "session": session,
                        "timing": documents.session_timing(kit, session),
                        "exercise": html_blocks(session.exercise),
                        "handout": html_blocks(session.handout),
                        "edited": any(name.startswith(f"sessions.{session.code}.") for name in kit.edited),
                    }
                    for session in chapter.sessions
                ],
            }
            for chapter in kit.manual
        ]
    for chapter in chapters:
        for entry in chapter["sessions"]:
            session = entry["session"]
            mine = failed == f"sessions.{session.code}"
            entry["form"] = _session_form(kit, session, posted if mine else None, errors if mine else {})
            entry["open"] = mine
    can_edit = may(request.membership, Permission.RUN_TRAININGS)
    context = {
        "event": event,
        "kit": kit,
        "language": language,
        "language_name": dict(LANGUAGES)[language],
        "languages": LANGUAGES,
        "can_edit": can_edit,
        "sections": sections,
        "concept_form": _concept_form(
            kit,
            posted if failed == "concept_note" else None,
            errors if failed == "concept_note" else {},
            titles,
        ),
        "concept_open": failed == "concept_note",
        "concept_edited": any(name.startswith("concept_note.") for name in kit.edited),
        "days": days,
        "warning": warning,
        "suggested_end": kit.suggested_day_end() if kit.agenda.extra_days else "",
        "agenda_form": _agenda_form(
            kit, posted if failed == "agenda" else None, errors if failed == "agenda" else {}
        ),
        "agenda_open": failed == "agenda",
        "agenda_edited": any(name.startswith("agenda.") for name in kit.edited),
        "chapters": chapters,
        "slides": kit.slides,
        "any_edits": any((event.kit or {}).get(key) for key in STORED_KEYS),
        "other_language_edited": _other_language_edited(event, language),
        "error": error.render(_) if error is not None else "",
        "problems": [f"{_where(location, titles)}: {message}" for location, message in errors.items()],
        "custom_template": report_template_info(request.workspace, TEMPLATE_KIND),
        "from_library": all(session.from_library for session in kit.sessions),
    }
    return render(request, "trainings/kit.html", context, status=status)


@workspace_view(Permission.VIEW_WORKSPACE)
def kit_page(request: HttpRequest, event: uuid.UUID) -> HttpResponse:
    found = _event(request, event)
    return _page(request, found, kit_language(found, request.GET.get("language")))


# --- Edits -----------------------------------------------------------------------------------------------


def _minutes(text: str) -> int | str:
    cleaned = text.strip()
    return int(cleaned) if cleaned.isdigit() else cleaned


def _posted_edits(post: QueryDict, part: str) -> tuple[dict[str, Any], str]:
    """The edits a form posted, and the part they belong to (``concept_note``, ``agenda`` or
    ``sessions.<code>``)."""
    if part == "concept_note":
        return {
            "concept_note": {name: post.get(name, "") for name in CONCEPT_NOTE_SECTIONS if name in post}
        }, part
    if part == "agenda":
        return {
            "agenda": {name: post.get(name, "") for name in ("day_start", "day_end") if name in post}
        }, part
    code = post.get("session", "").strip()
    values: dict[str, Any] = {}
    for name in ("title", "exercise", "handout"):
        if name in post:
            values[name] = post.get(name, "")
    for name in ("objectives", "key_points", "practice_notes"):
        if name in post:
            values[name] = _posted_lines(post.get(name, ""))
    if "minutes" in post:
        values["minutes"] = _minutes(post.get("minutes", ""))
    return {"sessions": {code: values}}, f"sessions.{code}"


def _version(post: QueryDict) -> int | None:
    text = post.get("version", "").strip()
    return int(text) if text.isdigit() else None


def _anchor(part: str) -> str:
    if part.startswith("sessions."):
        return f"session-{part[len('sessions.') :]}"
    return {"concept_note": "concept-note", "agenda": "agenda", "all": "kit-top"}.get(part, "")


@workspace_view(Permission.RUN_TRAININGS)
@require_POST
def kit_edit(request: HttpRequest, event: uuid.UUID) -> HttpResponse:
    found = _event(request, event)
    language = kit_language(found, request.POST.get("language"))
    edits, part = _posted_edits(request.POST, request.POST.get("part", ""))
    try:
        kit_edits_save(
            event=found,
            language=language,
            edits=edits,
            acting_user=request.user,
            expected_version=_version(request.POST),
        )
    except DomainError as error:
        return _page(request, found, language, failed=part, posted=request.POST, error=error, status=400)
    messages.success(request, _("Your changes to the kit are saved."))
    return redirect(_page_url(request, found, language, _anchor(part)))


@workspace_view(Permission.RUN_TRAININGS)
@require_POST
def kit_reset(request: HttpRequest, event: uuid.UUID) -> HttpResponse:
    found = _event(request, event)
    language = kit_language(found, request.POST.get("language"))
    part = request.POST.get("part", "").strip()
    try:
        kit_edits_reset(
            event=found,
            language=language,
            part=part,
            acting_user=request.user,
            expected_version=_version(request.POST),
        )
    except DomainError as error:
        messages.error(request, error.render(_))
        return redirect(_page_url(request, found, language))
    messages.success(request, _("This part of the kit is back as generated."))
    return redirect(_page_url(request, found, language, _anchor(part)))


# --- Downloads -------------------------------------------------------------------------------------------


def _download(
    request: HttpRequest,
    event: uuid.UUID,
    build: Callable[[TrainingEvent, str], bytes],
    *,
    stem: str,
    extension: str,
    content_type: str,
) -> HttpResponse:
    found = _event(request, event)
    language = kit_language(found, request.GET.get("language"))
    try:
        content = build(found, language)
    except DomainError as error:
        messages.error(request, error.render(_))
        return redirect(_page_url(request, found, language))
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{stem}-{found.code}-{language}.{extension}"
    )
    return response


@workspace_view(Permission.VIEW_WORKSPACE)
def kit_concept_note(request: HttpRequest, event: uuid.UUID) -> HttpResponse:
    return _download(
        request, event, documents.concept_note_docx, stem="concept-note", extension="docx", content_type=DOCX
    )


@workspace_view(Permission.VIEW_WORKSPACE)
def kit_agenda(request: HttpRequest, event: uuid.UUID) -> HttpResponse:
    return _download(
        request, event, documents.agenda_docx, stem="agenda", extension="docx", content_type=DOCX
    )


@workspace_view(Permission.VIEW_WORKSPACE)
def kit_manual(request: HttpRequest, event: uuid.UUID) -> HttpResponse:
    return _download(
        request, event, documents.manual_docx, stem="trainer-manual", extension="docx", content_type=DOCX
    )


@workspace_view(Permission.VIEW_WORKSPACE)
def kit_slides(request: HttpRequest, event: uuid.UUID) -> HttpResponse:
    return _download(
        request, event, documents.slides_pptx, stem="slides", extension="pptx", content_type=PPTX
    )
