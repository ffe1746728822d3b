"""Participants of a training event, registered one by one (or from a sign-in sheet, ``signin_import``).

A participant is known only by a pseudonymous code (``P001``… made by the app, or typed): no names are stored
anywhere. The code is what they type on the test link, so it is kept short and plain — letters, digits and
hyphens, compared and stored in capitals. Sex and age band are optional; the organisation is one of the
stakeholder registry's or, when it is not in the registry, kept as written.

A participant who has taken a test or answered a survey cannot be removed: their answers would silently leave
the event's results.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.training.model import AgeBand, EventStatus, Sex
from ctip.web.accounts.audit import audit_record
from ctip.web.accounts.conflicts import conflict_check
from ctip.web.accounts.models import User
from ctip.web.accounts.permissions import require_permission
from ctip.web.accounts.records import record_values
from ctip.web.stakeholders.models import Organisation
from ctip.web.trainings.models import Participant, TrainingEvent
from ctip.web.trainings.services.events import indicators_refresh

PARTICIPANT_FIELDS = ["code", "sex", "age_band", "organisation", "organisation_name", "role", "location"]
CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_-]*$")
CODE_PREFIX = "P"
_LIMITS = {"code": 30, "organisation_name": 250, "role": 150, "location": 100}

SEX_WORDS: Mapping[str, str] = {
    **dict.fromkeys(
        ("female", "f", "femme", "feminin", "woman", "women", "w", "girl", "fille", "femelle"),
        Sex.FEMALE.value,
    ),
    **dict.fromkeys(("male", "m", "homme", "h", "masculin", "man", "men", "boy", "garcon"), Sex.MALE.value),
    **dict.fromkeys(
        (
            "not stated",
            "prefer not to say",
            "undisclosed",
            "non precise",
            "non renseigne",
            "prefere ne pas repondre",
            "ne souhaite pas repondre",
            "-",
        ),
        Sex.UNDISCLOSED.value,
    ),
}
"""What sign-in sheets write for the sex (compared without accents, case or a final dot)."""

AGE_BANDS: tuple[tuple[AgeBand, int, int | None], ...] = (
    (AgeBand.UNDER_25, 18, 24),
    (AgeBand.FROM_25, 25, 34),
    (AgeBand.FROM_35, 35, 44),
    (AgeBand.FROM_45, 45, 54),
    (AgeBand.FROM_55, 55, None),
)
MIN_AGE, MAX_AGE = 18, 99
_UNIT = r"(?:\s*(?:ans|years|yrs|y))?"
_OPEN_BAND = re.compile(rf"(\d+){_UNIT}\s*(?:\+|and over|and above|or more|or older|et plus|ou plus)")
_CLOSED_BAND = re.compile(rf"(\d+){_UNIT}\s*(?:-|a|to)\s*(\d+){_UNIT}")


def plain_word(text: str) -> str:
    """Lower case, without accents, single spaces, no final dot: how free-text answers are compared."""
    folded = unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode("ascii")
    return " ".join(folded.strip().rstrip(".").split())


def sex_from_text(text: str) -> str | None:
    """The stored sex for what a form or sheet says (``""`` when empty or not stated), ``None`` when not
    understood."""
    word = plain_word(text)
    if not word:
        return ""
    return SEX_WORDS.get(word)


def age_band_for_age(age: int) -> str | None:
    """The band of an age in years, ``None`` below 18 or above 99."""
    if not MIN_AGE <= age <= MAX_AGE:
        return None
    for band, low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return band.value
    return None  # pragma: no cover - the bands cover 18 and over


def age_band_from_text(text: str) -> str | None:
    """The band for "25-34", "25–34", "25 à 34", "55+", "55 and over", "55 et plus" (``""`` when empty),
    ``None`` when not understood."""
    word = plain_word(text.replace("–", "-").replace("—", "-"))
    if not word or word in ("not stated", "non precise", "-"):
        return ""
    wanted: tuple[int, int | None]
    open_band = _OPEN_BAND.fullmatch(word)
    if open_band is not None:
        wanted = (int(open_band.group(1)), None)
    else:
        closed = _CLOSED_BAND.fullmatch(word)
        if closed is None:
            return None
        wanted = (int(closed.group(1)), int(closed.group(2)))
    for band, low, high in AGE_BANDS:
        if (low, high) == wanted:
            return band.value
    return None


def normalise_code(text: str) -> str:
    return "".join(str(text or "").split()).upper()


def participant_code_next(event: TrainingEvent, taken: Iterable[str] = ()) -> str:
    """The first ``P001``, ``P002``… that no participant of the event (nor ``taken``) has."""
    used = set(Participant.objects.filter(event=event).values_list("code", flat=True)) | set(taken)
    number = 1
    while f"{CODE_PREFIX}{number:03d}" in used:
        number += 1
    return f"{CODE_PREFIX}{number:03d}"


def code_problem(code: str) -> str | None:
    """Why ``code`` (normalised) cannot be a participant code, or ``None``."""
    if len(code) > _LIMITS["code"] or not CODE_PATTERN.match(code):
        return _(
            "“%(value)s” cannot be a participant code: use at most 30 letters, digits, hyphens or underscores "
            "(e.g. P007), or leave it empty to have one made."
        )
    return None


def _clean(
    event: TrainingEvent, values: Mapping[str, Any], *, participant: Participant | None
) -> dict[str, Any]:
    problems: list[FieldProblem] = []
    code = normalise_code(values.get("code", ""))
    if not code:
        code = participant.code if participant is not None else participant_code_next(event)
    elif (template := code_problem(code)) is not None:
        problems.append(FieldProblem("code", template, {"value": code}))
    else:
        clash = Participant.objects.filter(event=event, code=code)
        if participant is not None:
            clash = clash.exclude(pk=participant.pk)
        if clash.exists():
            problems.append(
                FieldProblem(
                    "code",
                    _("Another participant of this training has the code %(code)s; choose another."),
                    {"code": code},
                )
            )
    sex = values.get("sex") or ""
    if sex not in {item.value for item in Sex}:
        understood = sex_from_text(str(sex))
        if understood is None:
            problems.append(
                FieldProblem(
                    "sex",
                    _("“%(value)s” is not a sex; choose female or male, or leave it empty."),
                    {"value": sex},
                )
            )
        sex = understood or ""
    age_band = values.get("age_band") or ""
    if age_band not in {item.value for item in AgeBand}:
        understood = age_band_from_text(str(age_band))
        if understood is None:
            problems.append(
                FieldProblem(
                    "age_band",
                    _("“%(value)s” is not an age band; choose 18–24, 25–34, 35–44, 45–54 or 55 and over."),
                    {"value": age_band},
                )
            )
        age_band = understood or ""
    organisation = values.get("organisation")
    if organisation is not None and (
        not isinstance(organisation, Organisation) or organisation.workspace_id != event.workspace_id
    ):
        problems.append(
            FieldProblem("organisation", _("This organisation is not in the stakeholder registry."))
        )
        organisation = None
    cleaned: dict[str, Any] = {
        "code": code,
        "sex": sex,
        "age_band": age_band,
        "organisation": organisation,
        "organisation_name": ""
        if organisation is not None
        else " ".join(str(values.get("organisation_name") or "").split()),
        "role": " ".join(str(values.get("role") or "").split()),
        "location": " ".join(str(values.get("location") or "").split()),
    }
    for field, limit in _LIMITS.items():
        if len(cleaned[field]) > limit:
            problems.append(
                FieldProblem(
                    field,
                    _("This has %(length)s characters; at most %(limit)s fit. Shorten it."),
                    {"length": len(cleaned[field]), "limit": limit},
                )
            )
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The participant cannot be saved; correct the fields listed."),
            problems=problems,
        )
    return cleaned


def _check(event: TrainingEvent, participant: Participant | None = None) -> None:
    if participant is not None and participant.event_id != event.pk:
        raise DomainError(ErrorCode.NOT_FOUND, _("There is no such participant in this training."))


def participant_create(
    *, event: TrainingEvent, values: Mapping[str, Any], acting_user: User | None
) -> Participant:
    """Register a participant: ``values`` holds the :data:`PARTICIPANT_FIELDS` (``organisation`` a registry
    :class:`Organisation` or ``None``); an empty code gets the next ``P001``…"""
    workspace = event.workspace
    require_permission(acting_user, workspace, Permission.RUN_TRAININGS)
    with transaction.atomic():
        TrainingEvent.objects.select_for_update().filter(pk=event.pk).first()
        cleaned = _clean(event, values, participant=None)
        participant = Participant.objects.create(workspace=workspace, event=event, **cleaned)
        audit_record(
            acting_user=acting_user,
            workspace=workspace,
            action="participant.create",
            obj=participant,
            after={**record_values(participant, PARTICIPANT_FIELDS), "event": event.code},
        )
    return participant


def participant_update(
    *,
    participant: Participant,
    values: Mapping[str, Any],
    acting_user: User | None,
    expected_version: int | None = None,
) -> Participant:
    """Change the fields given in ``values`` (the others keep their value)."""
    event = participant.event
    workspace = event.workspace
    require_permission(acting_user, workspace, Permission.RUN_TRAININGS)
    with transaction.atomic():
        current = Participant.objects.select_for_update().get(pk=participant.pk)
        _check(event, current)
        conflict_check(current=current, expected_version=expected_version, submitted=values)
        merged = {name: getattr(current, name) for name in PARTICIPANT_FIELDS}
        merged |= {name: value for name, value in values.items() if name in PARTICIPANT_FIELDS}
        if "organisation" in values and values["organisation"] is None and "organisation_name" not in values:
            merged["organisation_name"] = ""
        cleaned = _clean(event, merged, participant=current)
        before = record_values(current, PARTICIPANT_FIELDS)
        for name, value in cleaned.items():
            setattr(current, name, value)
        after = record_values(current, PARTICIPANT_FIELDS)
        if before == after:
            return current
        current.version += 1
        current.updated_at = timezone.now()
        current.save()
        audit_record(
            acting_user=acting_user,
            workspace=workspace,
            action="participant.update",
            obj=current,
            before=before,
            after=after,
        )
    if event.status in (EventStatus.DELIVERED, EventStatus.REPORTED):
        indicators_refresh(workspace, acting_user)  # a participant's sex or location counts
    return current


def participant_removal_blocker(participant: Participant) -> str | None:
    """Why the participant cannot be removed (translated later by the caller), or ``None``."""
    if participant.attempts.exists():
        return _(
            "%(code)s has taken a test of this training: removing them would take their answers out of the "
            "results. Correct their details instead."
        )
    if participant.survey_responses.exists():
        return _(
            "%(code)s has answered a survey of this training: removing them would take their answers out of "
            "the results. Correct their details instead."
        )
    return None


def participant_delete(*, participant: Participant, acting_user: User | None) -> None:
    """Remove a participant (and their attendance) who has taken no test and answered no survey."""
    event = participant.event
    workspace = event.workspace
    require_permission(acting_user, workspace, Permission.RUN_TRAININGS)
    with transaction.atomic():
        current = Participant.objects.select_for_update().get(pk=participant.pk)
        _check(event, current)
        blocker = participant_removal_blocker(current)
        if blocker is not None:
            raise DomainError(ErrorCode.CONFLICT, blocker, {"code": current.code})
        audit_record(
            acting_user=acting_user,
            workspace=workspace,
            action="participant.delete",
            obj=current,
            before={
                **record_values(current, PARTICIPANT_FIELDS),
                "event": event.code,
                "days_present": [
                    day.isoformat()
                    for day in current.attendance.filter(present=True).values_list("day", flat=True)
                ],
            },
        )
        current.delete()
    if event.status in (EventStatus.DELIVERED, EventStatus.REPORTED):
        indicators_refresh(workspace, acting_user)


__all__ = [
    "PARTICIPANT_FIELDS",
    "age_band_for_age",
    "age_band_from_text",
    "normalise_code",
    "participant_code_next",
    "participant_create",
    "participant_delete",
    "participant_removal_blocker",
    "participant_update",
    "sex_from_text",
]
