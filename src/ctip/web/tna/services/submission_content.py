"""What a survey submission holds, for the import: the organisation it names (matched with the registry,
with suggestions), its content as plain data and the hash that tells an edited submission from an unchanged
one, and the fields that changed."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from ctip.core.tna.instrument import OTHER
from ctip.core.tna.model import Instrument, Submission
from ctip.formats.survey_exports import ORGANISATION_QUESTION
from ctip.web.accounts.models import Workspace
from ctip.web.stakeholders.models import Organisation
from ctip.web.tna.models import SurveySubmission
from ctip.web.tna.services.instruments import organisation_choice_keys

MAX_SUGGESTIONS = 3
FREE_TEXT = "(free text)"
"""What the audit log shows instead of a free-text answer."""
_ORGANISATION_OTHER = "organisation_other"
_PUNCTUATION = re.compile(r"[\s_\-./()]+")


def folded(text: str) -> str:
    """Lower-case ASCII without punctuation: how names are compared."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _PUNCTUATION.sub(" ", text.casefold()).strip()


class OrganisationMatcher:
    """Finds the registry organisation a respondent named: by key, acronym or name (ignoring case, accents
    and punctuation), or by the choice the survey offered; suggests close names otherwise."""

    def __init__(self, workspace: Workspace, instrument: Instrument) -> None:
        organisations = list(Organisation.objects.filter(workspace=workspace).order_by("name"))
        self.names: dict[str, Organisation] = {}
        for choice_name, organisation in organisation_choice_keys(organisations):
            for text in (
                organisation.key,
                organisation.acronym,
                organisation.name,
                str(organisation),
                choice_name,
            ):
                if text and folded(text):
                    self.names.setdefault(folded(text), organisation)
        for question in instrument.profile_questions:
            if question.name != ORGANISATION_QUESTION:
                continue
            for choice in question.choices:
                found = self.names.get(folded(choice.label.en)) or self.names.get(folded(choice.label.fr))
                if found is not None:
                    self.names.setdefault(folded(choice.name), found)
        self.candidates = {
            folded(text): str(organisation)
            for organisation in organisations
            for text in (organisation.name, organisation.acronym, organisation.key)
            if text
        }

    def match(self, text: str) -> Organisation | None:
        return self.names.get(folded(text)) if text.strip() else None

    def suggestions(self, text: str) -> tuple[str, ...]:
        close = difflib.get_close_matches(
            folded(text), list(self.candidates), n=MAX_SUGGESTIONS * 3, cutoff=0.6
        )
        found: list[str] = []
        for candidate in close:
            name = self.candidates[candidate]
            if name not in found:
                found.append(name)
        return tuple(found[:MAX_SUGGESTIONS])


def organisation_given(submission: Submission) -> str:
    """The organisation as the respondent gave it (the "other" text when they chose "Other")."""
    if submission.organisation == OTHER:
        return str(submission.profile.get(_ORGANISATION_OTHER, "")).strip()
    return submission.organisation.strip()


def _when(value: dt.datetime | None) -> str:
    return value.astimezone(dt.UTC).isoformat() if value is not None else ""


def submission_content(submission: Submission) -> dict[str, Any]:
    """What a stored submission holds, as plain data (what the content hash is computed over)."""
    return {
        "submitted_at": _when(submission.submitted_at),
        "sex": submission.sex.value,
        "organisation": submission.organisation,
        "profile": dict(sorted(submission.profile.items())),
        "ratings": {
            code: [rating.importance, rating.competence]
            for code, rating in sorted(submission.ratings.items())
        },
        "institutional": dict(sorted(submission.institutional.items())),
        "open_answers": dict(sorted(submission.open_answers.items())),
    }


def content_hash(submission: Submission) -> str:
    payload = json.dumps(submission_content(submission), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def flat_content(content: Mapping[str, Any]) -> dict[str, Any]:
    """A stored submission's content as ``field → value`` for comparisons and the audit log (free text is
    not copied into the audit log)."""
    flat: dict[str, Any] = {
        "submitted_at": content["submitted_at"],
        "sex": content["sex"],
        "organisation": content["organisation"],
    }
    for group in ("profile", "institutional"):
        flat.update({f"{group}.{name}": value for name, value in content[group].items()})
    for code, (importance, competence) in content["ratings"].items():
        flat[f"imp_{code}"] = importance
        flat[f"comp_{code}"] = competence
    for name, value in content["open_answers"].items():
        flat[f"open_answers.{name}"] = hashlib.sha256(str(value).encode()).hexdigest()[:12]
    return flat


def stored_content(row: SurveySubmission) -> dict[str, Any]:
    return {
        "submitted_at": _when(row.submitted_at),
        "sex": row.sex,
        "organisation": row.organisation_text,
        "profile": dict(row.profile or {}),
        "ratings": {rating.code: [rating.importance, rating.competence] for rating in row.ratings.all()},
        "institutional": dict(row.institutional or {}),
        "open_answers": dict(row.open_answers or {}),
    }


def changed_fields(existing: SurveySubmission, submission: Submission) -> list[str]:
    before = flat_content(stored_content(existing))
    after = flat_content(submission_content(submission))
    return sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))
