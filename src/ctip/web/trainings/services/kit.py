"""The delivery kit of a training event, from the database: the event's facts, its modules in the agenda's
order with their content from the library (``ctip.core.training.content``), the participants registered so
far (counts only) and what the needs assessment found for the modules' competencies; and the trainer's
edits, checked, saved and put back as generated.

The needs assessment's findings come from the same analysis as the needs dashboard and the capacity plan
(``ctip.web.needs.data.analysis_for`` on the instrument with the most answers, all respondents): the MWDS
and the share of respondents with a gap for each competency the event's modules build, largest need first.
No instrument, or too few answers to show results: no findings, and the concept note says so.

The edits are kept in ``TrainingEvent.kit`` (the layout is in ``ctip.core.training.kit_edits``); saving or
resetting them checks ``run_trainings``, refuses a stale version (``conflict``), bumps the event's version
and writes ``trainingevent.kit_edit`` or ``trainingevent.kit_reset`` to the audit log with each changed
field, in one transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.core.training.content import ModuleContent, module_content
from ctip.core.training.kit import (
    Finding,
    Kit,
    KitInputs,
    KitModule,
    ParticipantProfile,
    Trainer,
    build_kit,
)
from ctip.core.training.kit_edits import clean_edits, edits_for, reset_edits, store_edits
from ctip.core.training.model import Sex
from ctip.web.accounts.audit import audit_record
from ctip.web.accounts.conflicts import conflict_check
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.needs.data import analysis_for, default_instrument
from ctip.web.planning.models import TrainingModule
from ctip.web.trainings.models import EventModule, Participant, TrainingEvent

KIT_LANGUAGES = ("en", "fr")
ORGANISATIONS_SHOWN = 12


@dataclass(frozen=True)
class EventKit:
    """The kit as generated and as the trainer edited it, in one language."""

    generated: Kit
    kit: Kit


def kit_language(event: TrainingEvent, requested: str | None = None) -> str:
    """``requested`` when it is a kit language, otherwise the event's language."""
    if requested in KIT_LANGUAGES:
        return str(requested)
    return event.language if event.language in KIT_LANGUAGES else "en"


def _localised(english: str, french: str, language: str) -> str:
    return (french or english) if language == "fr" else english


def _content(code: str) -> ModuleContent | None:
    try:
        return module_content(code)
    except DomainError:
        # A damaged content file must not stop the kit: the module falls back to its catalogue entry.
        return None


def event_modules(event: TrainingEvent) -> list[TrainingModule]:
    """The event's modules in the agenda's order."""
    return [
        link.module
        for link in EventModule.objects.filter(event=event)
        .select_related("module")
        .order_by("position", "id")
    ]


def kit_modules(modules: Iterable[TrainingModule], language: str) -> tuple[KitModule, ...]:
    return tuple(
        KitModule(
            code=module.code,
            title=_localised(module.title_en, module.title_fr, language),
            summary=_localised(module.summary_en, module.summary_fr, language),
            sensitivity=_localised(module.sensitivity_en, module.sensitivity_fr, language),
            competencies=tuple(str(code) for code in module.competencies or ()),
            duration_days=float(module.duration_days),
            content=_content(module.code),
        )
        for module in modules
    )


def tna_findings(workspace: Workspace, competencies: Iterable[str], language: str) -> tuple[Finding, ...]:
    """What the needs assessment found for ``competencies``, largest need first; empty when there is no
    instrument or too few answers to show results."""
    wanted = set(competencies)
    instrument = default_instrument(workspace)
    if instrument is None or not wanted:
        return ()
    try:
        _data, analysis = analysis_for(workspace, instrument, filters={}, by=())
    except DomainError:
        return ()
    found = [item for item in analysis.items if item.code in wanted and item.n > 0]
    found.sort(key=lambda item: (item.rank is None, item.rank or 0, item.code))
    return tuple(
        Finding(
            code=item.code,
            name=(item.title.fr or item.title.en) if language == "fr" else item.title.en,
            mwds=item.mwds,
            share_with_gap=item.share_with_need,
            n=item.n,
        )
        for item in found
    )


def participant_profile(event: TrainingEvent) -> ParticipantProfile:
    """Counts by sex and by organisation of the participants registered so far."""
    participants = list(Participant.objects.filter(event=event).select_related("organisation"))
    sexes = Counter(participant.sex for participant in participants)
    organisations = Counter(
        str(participant.organisation) if participant.organisation else participant.organisation_name.strip()
        for participant in participants
    )
    organisations.pop("", None)
    return ParticipantProfile(
        female=sexes[Sex.FEMALE.value],
        male=sexes[Sex.MALE.value],
        not_stated=len(participants) - sexes[Sex.FEMALE.value] - sexes[Sex.MALE.value],
        organisations=tuple(
            sorted(organisations.items(), key=lambda pair: (-pair[1], pair[0].casefold()))[
                :ORGANISATIONS_SHOWN
            ]
        ),
    )


def kit_inputs(event: TrainingEvent, language: str) -> KitInputs:
    """Everything the kit is written from, read once."""
    modules = kit_modules(event_modules(event), language)
    competencies = list(dict.fromkeys(code for module in modules for code in module.competencies))
    return KitInputs(
        code=event.code,
        title=event.title,
        start_date=event.start_date,
        end_date=event.end_date,
        location=event.location,
        language=language,
        venue=event.venue,
        trainers=tuple(
            Trainer(name=str(row.get("name", "")).strip(), origin=str(row.get("origin", "")))
            for row in (event.trainers or [])
            if isinstance(row, Mapping) and str(row.get("name", "")).strip()
        ),
        audience=event.audience,
        target_female=event.target_female,
        target_male=event.target_male,
        pass_mark=event.pass_mark,
        modules=modules,
        findings=tna_findings(event.workspace, competencies, language),
        profile=participant_profile(event),
        organisation=event.workspace.name,
    )


def event_kit(event: TrainingEvent, language: str, *, inputs: KitInputs | None = None) -> EventKit:
    """The event's kit in ``language``, as generated and with the trainer's edits."""
    chosen = kit_language(event, language)
    with translation.override(chosen):
        read = inputs or kit_inputs(event, chosen)
        generated = build_kit(read, translate=gettext)
        edits = edits_for(event.kit, chosen)
        kit = build_kit(read, translate=gettext, edits=edits) if edits else generated
    return EventKit(generated=generated, kit=kit)


def _flat(document: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"en": {"sessions": {"S1": {"exercise": "…"}}}}`` → ``{"en.sessions.S1.exercise": "…"}``."""
    flat: dict[str, Any] = {}
    for key, value in document.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flat(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def _write(
    *,
    event: TrainingEvent,
    acting_user: User | None,
    expected_version: int | None,
    action: str,
    change: Any,
) -> TrainingEvent:
    """Lock the event, compute its new stored edits with ``change(stored)``, and save and audit them."""
    with transaction.atomic():
        current = TrainingEvent.objects.select_for_update().get(pk=event.pk)
        conflict_check(current=current, expected_version=expected_version)
        before = dict(current.kit or {})
        after = change(before)
        if after == before:
            return current
        current.kit = after
        current.version += 1
        current.updated_at = timezone.now()
        current.save(update_fields=["kit", "version", "updated_at"])
        audit_record(
            acting_user=acting_user,
            workspace=event.workspace,
            action=action,
            obj=current,
            before=_flat(before),
            after=_flat(after),
        )
    event.kit, event.version, event.updated_at = current.kit, current.version, current.updated_at
    return current


def kit_edits_save(
    *,
    event: TrainingEvent,
    language: str,
    edits: Mapping[str, Any],
    acting_user: User | None,
    expected_version: int | None = None,
) -> TrainingEvent:
    """Save the trainer's ``edits`` of the kit in ``language`` (parts and fields as
    ``ctip.core.training.kit`` describes them). Raises ``invalid_value`` with one problem per unknown part,
    field or session and per wrong value, and nothing is saved; a value equal to the generated text removes
    the edit."""
    require_permission(acting_user, event.workspace, Permission.RUN_TRAININGS)
    generated = event_kit(event, language).generated
    cleaned = clean_edits(generated, edits)
    return _write(
        event=event,
        acting_user=acting_user,
        expected_version=expected_version,
        action="trainingevent.kit_edit",
        change=lambda stored: store_edits(stored, generated, cleaned),
    )


def kit_edits_reset(
    *,
    event: TrainingEvent,
    language: str,
    part: str,
    acting_user: User | None,
    expected_version: int | None = None,
) -> TrainingEvent:
    """Put ``part`` of the kit back as generated: ``all``, ``concept_note``, ``agenda`` or
    ``sessions.<code>`` (texts in ``language``; a session's minutes too)."""
    require_permission(acting_user, event.workspace, Permission.RUN_TRAININGS)
    chosen = kit_language(event, language)
    reset_edits(event.kit, chosen, part)  # refuses an unknown part before anything is locked
    return _write(
        event=event,
        acting_user=acting_user,
        expected_version=expected_version,
        action="trainingevent.kit_reset",
        change=lambda stored: reset_edits(stored, chosen, part),
    )
