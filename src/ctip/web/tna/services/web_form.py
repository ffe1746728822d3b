"""The built-in web form: links for respondents (made by the survey team, ``edit_content``), and the
answers respondents save page by page and finally submit (no account: the link's token is the key).

A submitted response becomes a :class:`SurveySubmission` like an imported one (source ``web_form``, key
``web:<response uuid>``), so the analysis treats every channel alike.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.tna.instrument import OTHER
from ctip.core.tna.model import Instrument
from ctip.core.tna.web_form import (
    CONSENT_PAGE,
    ORGANISATION_OTHER_QUESTION,
    ORGANISATION_QUESTION,
    FormPage,
    consent_given,
    form_pages,
    submission_from_answers,
    unanswered,
)
from ctip.web.accounts.audit import audit_record
from ctip.web.accounts.models import User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.stakeholders.models import Organisation
from ctip.web.tna.models import (
    LINK_ORGANISATION,
    LINK_RESPONDENT,
    RESPONSE_DECLINED,
    RESPONSE_IN_PROGRESS,
    RESPONSE_SUBMITTED,
    FormLink,
    FormResponse,
    SurveyInstrument,
    SurveyRating,
    SurveySubmission,
)
from ctip.web.tna.services.instruments import instrument_of
from ctip.web.tna.services.submission_content import OrganisationMatcher, content_hash

MAX_LINKS_AT_ONCE = 500
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
"""Resume codes: 8 characters without look-alikes (no I, L, O, U, 0, 1), shown as ABCD-EFGH."""
CODE_LENGTH = 8
KEY_PREFIX = "web:"
WEB_FORM_ACTOR = "respondent (web form)"
"""Who the audit log names for a submission made through the web form (respondents have no account)."""


@dataclass(frozen=True)
class LinkCounts:
    started: int
    submitted: int
    declined: int


def _token() -> str:
    return secrets.token_urlsafe(24)


def _code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _index in range(CODE_LENGTH))


def normalised_code(text: str) -> str:
    """A resume code as typed (any case, with or without the dash or spaces) in its stored form."""
    return "".join(char for char in text.upper() if char.isalnum())


def shown_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}" if len(code) == CODE_LENGTH else code


def _own(workspace: Workspace, instrument: SurveyInstrument) -> None:
    if instrument.workspace_id != workspace.pk:
        raise DomainError(ErrorCode.NOT_FOUND, _("No such instrument in this workspace."))


def _audit_link(link: FormLink, acting_user: User | None, action: str, **before: object) -> None:
    after = {
        "instrument": str(link.instrument.uuid),
        "label": link.label,
        "kind": link.kind,
        "organisation": str(link.organisation.uuid) if link.organisation_id else None,
        "language": link.language,
        "is_open": link.is_open,
    }
    audit_record(
        acting_user=acting_user,
        workspace=link.workspace,
        action=action,
        obj=link,
        before={**after, **before} if before else None,
        after=after,
    )


def form_links_create(
    *,
    workspace: Workspace,
    instrument: SurveyInstrument,
    kind: str,
    acting_user: User | None,
    count: int = 0,
    label_prefix: str = "",
    organisations: Sequence[Organisation] = (),
    language: str = "en",
) -> list[FormLink]:
    """Make links: ``count`` links for one respondent each (labelled ``<prefix> 001`` …), or one link per
    organisation in ``organisations`` for everyone working there."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    _own(workspace, instrument)
    problems: list[FieldProblem] = []
    labels: list[tuple[str, Organisation | None]] = []
    if language not in ("en", "fr"):
        problems.append(FieldProblem("language", _("Choose English or French.")))
    if kind == LINK_RESPONDENT:
        if not 1 <= count <= MAX_LINKS_AT_ONCE:
            problems.append(
                FieldProblem(
                    "count",
                    _("Make from 1 to %(max)s links at a time, not %(value)s."),
                    {"max": MAX_LINKS_AT_ONCE, "value": count},
                )
            )
        prefix = " ".join(label_prefix.split())[:100] or "Respondent"
        labels.extend((f"{prefix} {number:03d}", None) for number in range(1, count + 1))
    elif kind == LINK_ORGANISATION:
        if not organisations:
            problems.append(FieldProblem("organisations", _("Choose at least one organisation.")))
        if any(organisation.workspace_id != workspace.pk for organisation in organisations):
            problems.append(FieldProblem("organisations", _("Choose organisations of this workspace.")))
        labels.extend((str(organisation)[:150], organisation) for organisation in organisations)
    else:
        problems.append(FieldProblem("kind", _("Choose a link for one respondent or for an organisation.")))
    if problems:
        raise DomainError(
            ErrorCode.INVALID_VALUE,
            _("The links cannot be made: %(count)s problem(s) to correct."),
            {"count": len(problems)},
            problems=problems,
        )
    with transaction.atomic():
        created = []
        for label, organisation in labels:
            link = FormLink.objects.create(
                workspace=workspace,
                instrument=instrument,
                label=label,
                kind=kind,
                organisation=organisation,
                token=_token(),
                language=language,
                created_by=acting_user,
            )
            _audit_link(link, acting_user, "formlink.create")
            created.append(link)
        return created


def form_link_set_open(
    *, workspace: Workspace, link: FormLink, is_open: bool, acting_user: User | None
) -> None:
    """Close a link (respondents see that the survey is closed; their saved answers stay) or open it
    again."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    if link.workspace_id != workspace.pk:
        raise DomainError(ErrorCode.NOT_FOUND, _("No such link in this workspace."))
    if link.is_open == is_open:
        return
    with transaction.atomic():
        link.is_open = is_open
        link.version += 1
        link.updated_at = timezone.now()
        link.save(update_fields=["is_open", "version", "updated_at"])
        _audit_link(link, acting_user, "formlink.update", is_open=not is_open)


def link_counts(links: Sequence[FormLink]) -> dict[int, LinkCounts]:
    rows = (
        FormResponse.objects.filter(link__in=links)
        .values("link")
        .annotate(
            started=Count("id"),
            submitted=Count("id", filter=Q(status=RESPONSE_SUBMITTED)),
            declined=Count("id", filter=Q(status=RESPONSE_DECLINED)),
        )
    )
    counts = {row["link"]: LinkCounts(row["started"], row["submitted"], row["declined"]) for row in rows}
    return {link.pk: counts.get(link.pk, LinkCounts(0, 0, 0)) for link in links}


# --- Respondents (no account) ----------------------------------------------------------------------------


def form_link_for_token(token: str) -> FormLink | None:
    """The link a token opens (closed links too: the caller says the survey is closed)."""
    if not token or len(token) > 64:
        return None
    return (
        FormLink.objects.select_related("instrument", "workspace", "organisation").filter(token=token).first()
    )


def form_response_find(link: FormLink, code: str) -> FormResponse | None:
    code = normalised_code(code)
    if len(code) != CODE_LENGTH:
        return None
    return FormResponse.objects.filter(link=link, code=code).first()


def link_pages(link: FormLink) -> tuple[Instrument, tuple[FormPage, ...]]:
    instrument = instrument_of(link.instrument)
    return instrument, form_pages(instrument)


def _prefilled(link: FormLink, instrument: Instrument) -> dict[str, str]:
    """An organisation link answers the organisation question in advance (the respondent may change it)."""
    if link.organisation is None:
        return {}
    matcher = OrganisationMatcher(link.workspace, instrument)
    for question in instrument.profile_questions:
        if question.name != ORGANISATION_QUESTION:
            continue
        if not question.choices:
            return {ORGANISATION_QUESTION: link.organisation.name}
        for choice in question.choices:
            if choice.name != OTHER and matcher.match(choice.name) == link.organisation:
                return {ORGANISATION_QUESTION: choice.name}
        return {ORGANISATION_QUESTION: OTHER, ORGANISATION_OTHER_QUESTION: link.organisation.name}
    return {}


def form_response_start(link: FormLink, language: str) -> FormResponse:
    """A new response for ``link`` (for a one-respondent link, its only response, made on first use)."""
    if not link.is_open:
        raise DomainError(ErrorCode.CONFLICT, _("This survey is closed."))
    with transaction.atomic():
        if link.kind == LINK_RESPONDENT:
            FormLink.objects.select_for_update().filter(pk=link.pk).first()
            existing = FormResponse.objects.filter(link=link).first()
            if existing is not None:
                return existing
        instrument = instrument_of(link.instrument)
        for _attempt in range(5):
            code = _code()
            if not FormResponse.objects.filter(link=link, code=code).exists():
                break
        return FormResponse.objects.create(
            workspace=link.workspace,
            link=link,
            code=code,
            answers=_prefilled(link, instrument),
            language=language if language in ("en", "fr") else link.language,
        )


def _writable(response: FormResponse) -> None:
    if not response.link.is_open:
        raise DomainError(ErrorCode.CONFLICT, _("This survey is closed; your saved answers are kept."))
    if response.status == RESPONSE_SUBMITTED:
        raise DomainError(ErrorCode.CONFLICT, _("These answers were already submitted."))


def form_response_save(
    response: FormResponse, *, page: FormPage, answers: Mapping[str, str], reached: int, language: str = ""
) -> None:
    """Keep a page's answers (the valid ones; ``""`` clears one) and how far the respondent got. The
    consent page decides the status: declining ends the survey and keeps no other answer."""
    _writable(response)
    with transaction.atomic():
        locked = FormResponse.objects.select_for_update().get(pk=response.pk)
        merged = {**locked.answers, **answers}
        merged = {name: value for name, value in merged.items() if value}
        status = locked.status
        if page.key == CONSENT_PAGE:
            consent = consent_given(merged)
            if consent is False:
                merged = {name: value for name, value in merged.items() if name == "consent"}
                status = RESPONSE_DECLINED
            elif consent is True:
                status = RESPONSE_IN_PROGRESS
        locked.answers = merged
        locked.status = status
        locked.page = max(locked.page, reached) if status != RESPONSE_DECLINED else 0
        if language in ("en", "fr"):
            locked.language = language
        locked.version += 1
        locked.updated_at = timezone.now()
        locked.save(update_fields=["answers", "status", "page", "language", "version", "updated_at"])
    response.refresh_from_db()


def form_response_set_language(response: FormResponse, language: str) -> None:
    if language in ("en", "fr") and language != response.language and response.status != RESPONSE_SUBMITTED:
        FormResponse.objects.filter(pk=response.pk).update(language=language)
        response.language = language


def form_response_submit(response: FormResponse) -> SurveySubmission:
    """Submit the answers: every required question must be answered (the error lists the ones left, by
    page). Makes the survey submission, audited as made through the web form."""
    _writable(response)
    link = response.link
    instrument, pages = link_pages(link)
    with transaction.atomic():
        locked = FormResponse.objects.select_for_update().get(pk=response.pk)
        _writable(locked)
        if locked.status == RESPONSE_DECLINED:
            raise DomainError(ErrorCode.CONFLICT, _("The survey was declined; there is nothing to submit."))
        missing = unanswered(pages, locked.answers)
        if missing:
            raise DomainError(
                ErrorCode.REQUIRED,
                _("%(count)s question(s) still need an answer."),
                {"count": len(missing)},
                problems=[
                    FieldProblem(question.name, _("Please answer this question."), {"page": index})
                    for index, question in missing
                ],
            )
        now = timezone.now()
        submission = submission_from_answers(
            instrument, key=f"{KEY_PREFIX}{locked.uuid}", answers=locked.answers, submitted_at=now
        )
        matcher = OrganisationMatcher(link.workspace, instrument)
        organisation = matcher.match(submission.organisation)
        if organisation is None and link.organisation is not None:
            organisation = link.organisation if submission.organisation == link.organisation.name else None
        row = SurveySubmission.objects.create(
            workspace=link.workspace,
            instrument=link.instrument,
            key=submission.key,
            source=submission.source,
            submitted_at=now,
            sex=submission.sex.value,
            organisation=organisation,
            organisation_text=submission.organisation[:250],
            profile=dict(submission.profile),
            institutional=dict(submission.institutional),
            open_answers=dict(submission.open_answers),
            content_hash=content_hash(submission),
        )
        SurveyRating.objects.bulk_create(
            [
                SurveyRating(submission=row, code=code, importance=r.importance, competence=r.competence)
                for code, r in submission.ratings.items()
                if r.importance is not None or r.competence is not None
            ]
        )
        locked.status = RESPONSE_SUBMITTED
        locked.submitted_at = now
        locked.submission = row
        locked.version += 1
        locked.updated_at = now
        locked.save(update_fields=["status", "submitted_at", "submission", "version", "updated_at"])
        audit_record(
            acting_user=None,
            actor_label=WEB_FORM_ACTOR,
            workspace=link.workspace,
            action="surveysubmission.create",
            obj=row,
            after={
                "instrument": str(link.instrument.uuid),
                "source": submission.source,
                "link": link.label,
                "sex": row.sex,
                "organisation": row.organisation_text,
            },
        )
    response.refresh_from_db()
    return row
