"""Coded excerpts and the quote bank. An excerpt becomes a quote only once its text passed the
anonymisation check (``ctip.core.tna.themes``): no e-mail address, phone number or known name in it."""

from __future__ import annotations

from django.db import transaction

from ctip.core.access import Permission
from ctip.core.errors import DomainError, ErrorCode, FieldProblem, _
from ctip.core.tna.themes import anonymisation_findings, anonymisation_problem
from ctip.web.accounts.audit import audit_record
from ctip.web.accounts.models import Membership, User, Workspace
from ctip.web.accounts.permissions import require_permission
from ctip.web.accounts.records import record_create, record_delete
from ctip.web.qualitative.models import CodedExcerpt, QualitativeRecord, Theme
from ctip.web.qualitative.services.common import invalid, same_workspace
from ctip.web.stakeholders.models import FocalPoint

EXCERPT_FIELDS = ["record", "theme", "text", "is_quote", "anonymised"]
MAX_EXCERPT_CHARACTERS = 4000


def identifying_names(record: QualitativeRecord) -> list[str]:
    """The names a quote from ``record`` must not contain: the registry's focal points, the facilitator,
    the members of the workspace, and the names and acronyms of the organisations that took part (a quote
    that names the informant's own organisation points back at the informant)."""
    workspace = record.workspace
    names: list[str] = [record.facilitator]
    names.extend(FocalPoint.objects.filter(organisation__workspace=workspace).values_list("name", flat=True))
    for user in User.objects.filter(
        pk__in=Membership.objects.filter(workspace=workspace).values("user_id")
    ).only("first_name", "last_name"):
        names.append(user.get_full_name())
    for organisation in record.organisations.all():
        names.extend([organisation.name, organisation.acronym])
    return [name for name in dict.fromkeys(" ".join(n.split()) for n in names) if name]


def _quote_refusal(excerpt_text: str, record: QualitativeRecord, location: str) -> DomainError | None:
    findings = anonymisation_findings(excerpt_text, names=identifying_names(record))
    if not findings:
        return None
    return DomainError(
        ErrorCode.INVALID_VALUE,
        _(
            "This excerpt cannot go into the quote bank: it may identify someone (%(count)s problem(s) listed). "
            "Add an anonymised version instead, with names and contact details replaced (e.g. “[a police "
            "officer]”, “[phone]”), and mark that one as a quote."
        ),
        {"count": len(findings)},
        problems=[anonymisation_problem(finding, location) for finding in findings],
    )


def excerpt_add(
    *,
    workspace: Workspace,
    record: QualitativeRecord,
    theme: Theme,
    text: str,
    is_quote: bool = False,
    acting_user: User | None,
) -> CodedExcerpt:
    """Code a passage of ``record`` (pasted from its notes or transcript) to ``theme``. With ``is_quote``
    the passage goes into the quote bank too, which is refused, with every problem listed, unless it
    passes the anonymisation check."""
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    same_workspace(workspace, record.workspace_id, str(QualitativeRecord._meta.verbose_name))
    text = text.strip()
    problems: list[FieldProblem] = []
    if theme.workspace_id != workspace.pk:
        problems.append(FieldProblem("theme", _("Choose a theme of this workspace's codebook.")))
    if not text:
        problems.append(FieldProblem("text", _("Paste the passage of the notes or transcript to code.")))
    elif len(text) > MAX_EXCERPT_CHARACTERS:
        problems.append(
            FieldProblem(
                "text",
                _(
                    "An excerpt is a passage, at most %(limit)s characters (this one has %(count)s); shorten it."
                ),
                {"limit": MAX_EXCERPT_CHARACTERS, "count": len(text)},
            )
        )
    if problems:
        raise invalid(CodedExcerpt, problems)
    refusal = _quote_refusal(text, record, "text")
    if is_quote and refusal is not None:
        raise refusal
    return record_create(
        model=CodedExcerpt,
        workspace=workspace,
        values={
            "record": record,
            "theme": theme,
            "text": text,
            "is_quote": is_quote,
            "anonymised": refusal is None,
        },
        acting_user=acting_user,
        audited_fields=EXCERPT_FIELDS,
    )


def excerpt_delete(*, workspace: Workspace, excerpt: CodedExcerpt, acting_user: User | None) -> None:
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    same_workspace(workspace, excerpt.record.workspace_id, str(CodedExcerpt._meta.verbose_name))
    record_delete(
        instance=excerpt, workspace=workspace, acting_user=acting_user, audited_fields=EXCERPT_FIELDS
    )


def _quote_set(excerpt: CodedExcerpt, acting_user: User | None, *, is_quote: bool) -> CodedExcerpt:
    record = excerpt.record
    workspace = record.workspace
    require_permission(acting_user, workspace, Permission.EDIT_CONTENT)
    refusal = _quote_refusal(excerpt.text, record, "text") if is_quote else None
    if refusal is not None:
        raise refusal
    with transaction.atomic():
        current = CodedExcerpt.objects.select_for_update().get(pk=excerpt.pk)
        if current.is_quote == is_quote:
            return current
        before = {"is_quote": current.is_quote, "anonymised": current.anonymised}
        current.is_quote = is_quote
        if is_quote:
            current.anonymised = True
        current.save(update_fields=["is_quote", "anonymised"])
        audit_record(
            acting_user=acting_user,
            workspace=workspace,
            action="quote.flag" if is_quote else "quote.unflag",
            obj=current,
            before=before,
            after={"is_quote": current.is_quote, "anonymised": current.anonymised},
        )
    return current


def quote_flag(*, excerpt: CodedExcerpt, acting_user: User | None) -> CodedExcerpt:
    """Put an excerpt into the quote bank. Refused (``invalid_value``, every problem listed) when the text
    contains an e-mail address, a phone number or a known name (see ``identifying_names``)."""
    return _quote_set(excerpt, acting_user, is_quote=True)


def quote_unflag(*, excerpt: CodedExcerpt, acting_user: User | None) -> CodedExcerpt:
    """Take an excerpt out of the quote bank (it stays coded to its theme)."""
    return _quote_set(excerpt, acting_user, is_quote=False)
