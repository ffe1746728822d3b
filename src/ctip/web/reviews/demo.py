"""The demo NAP's completed Technical Committee round (fictional): version 1 is the imported draft; the
Technical Committee comments at a two-day workshop; the author responds and revises (an indicator's target,
a budget line, an activity's lead, a new activity); version 2 is saved, validated at the validation meeting
and made final. ``ctip demo`` writes the comment matrix and the changes from version 1 to 2."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db.models import Count

from ctip.web.accounts.models import Membership, User, Workspace
from ctip.web.meetings import services as meetings
from ctip.web.nap import services as nap
from ctip.web.nap.models import ActionPlan, NapCostLine, NapElement, NapIndicator
from ctip.web.reviews import selectors, services
from ctip.web.reviews.models import DeliverableVersion, ReviewRound
from ctip.web.stakeholders.models import Organisation

ROUND_TITLE = "Technical Committee review of the draft NAP"
TC_WORKSHOP = "Technical Committee workshop on the draft NAP (fictional)"
VALIDATION_MEETING = "Validation meeting of the NAP (fictional)"
ATTENDEES = (
    ("Claudine Uwase (fictional)", "MINIJUST", "female", "Director of Legal Advisory Services"),
    ("Eric Habimana (fictional)", "RIB", "male", "Head of the anti-trafficking unit"),
    ("Grace Mukamana (fictional)", "NPPA", "female", "Prosecutor"),
    ("Jean Bosco Niyonzima (fictional)", "DGIE", "male", "Border management officer"),
    ("Aline Uwimana (fictional)", "MIGEPROF", "female", "Child protection specialist"),
    ("Patrick Mugisha (fictional)", "IOM", "male", "Counter-trafficking programme officer"),
)


def _member(workspace: Workspace, role: str) -> User | None:
    membership = (
        Membership.objects.filter(workspace=workspace, role=role)
        .select_related("user")
        .order_by("id")
        .first()
    )
    return membership.user if membership is not None else None


def _meeting(workspace: Workspace, *, kind: str, title: str, date: dt.date, end: dt.date | None, acting_user):
    meeting = meetings.meeting_create(
        workspace=workspace,
        kind=kind,
        title=title,
        date=date,
        end_date=end,
        place="Kigali",
        agenda="Welcome\nPresentation of the draft\nComments by pillar\nNext steps",
        acting_user=acting_user,
    )
    for name, organisation, sex, function in ATTENDEES:
        meetings.attendee_add(
            workspace=workspace,
            meeting=meeting,
            name=name,
            organisation_name=organisation,
            sex=sex,
            function=function,
            acting_user=acting_user,
        )
    return meeting


INVITED_REVIEWERS = (
    ("tc-migeprof", "Aline", "Uwimana (fictional)", "MIGEPROF"),
    ("tc-rib", "Eric", "Habimana (fictional)", "RIB"),
    ("tc-dgie", "Jean Bosco", "Niyonzima (fictional)", "DGIE"),
)


def _invited_reviewers(
    workspace: Workspace, review_round: ReviewRound, coordinator: User | None
) -> dict[str, User]:
    """Technical Committee members from other agencies, invited by email to the round and joining with the
    reviewer role only (the invitation e-mails go to the console in the demo)."""
    from django.conf import settings

    from ctip.web.demo import DEMO_PASSWORD

    joined: dict[str, User] = {}
    for username, first, last, organisation in INVITED_REVIEWERS:
        if User.objects.filter(username=username).exists():
            continue
        invitation = services.reviewer_invite(
            workspace=workspace,
            email=f"{username}@example.org",
            name=f"{first} {last}",
            organisation_name=organisation,
            round=review_round,
            link_base=settings.CTIP_SITE_URL,
            acting_user=coordinator,
        )
        joined[organisation] = services.invitation_accept_new_user(
            invitation=invitation, username=username, password=DEMO_PASSWORD, first_name=first, last_name=last
        )
    return joined


def _backdate(draft: DeliverableVersion, revised: DeliverableVersion, review_round: ReviewRound) -> None:
    """Give the demo's history the dates of the story (saved before the workshop, commented during it,
    revised after it, validated at the validation meeting) instead of the minute the demo was built."""
    at = lambda day, hour=9: dt.datetime(2026, 10, 1, hour, tzinfo=dt.UTC) + dt.timedelta(days=day)  # noqa: E731
    DeliverableVersion.objects.filter(pk=draft.pk).update(created_at=at(0), updated_at=at(13))
    ReviewRound.objects.filter(pk=review_round.pk).update(
        created_at=at(13), updated_at=at(26), closed_at=at(26)
    )
    for number, comment in enumerate(review_round.comments.order_by("number")):
        comment.created_at = at(13 + number // 3, 10 + number)
        comment.responded_at = at(25, 10 + number)
        comment.updated_at = comment.responded_at
        comment.save(update_fields=["created_at", "responded_at", "updated_at"])
    DeliverableVersion.objects.filter(pk=revised.pk).update(
        created_at=at(27), updated_at=at(36), validated_at=at(35, 15), finalised_at=at(36)
    )


def _id(element) -> str:
    return str(element.uuid)


def demo_review(*, workspace: Workspace, acting_user: User | None) -> DeliverableVersion | None:
    """Run the round on the workspace's NAP (idempotent: nothing happens once the NAP has a version)."""
    plan = ActionPlan.objects.filter(workspace=workspace).first()
    if plan is None:
        return None
    subject = str(plan.uuid)
    if DeliverableVersion.objects.filter(workspace=workspace, deliverable="nap", subject=subject).exists():
        return None
    author = _member(workspace, "analyst") or acting_user
    reviewer = _member(workspace, "reviewer") or acting_user
    coordinator = acting_user
    draft = services.version_save(
        workspace=workspace,
        deliverable="nap",
        subject=subject,
        note="The draft imported from the implementation matrix.",
        acting_user=author,
    )
    workshop = _meeting(
        workspace,
        kind="technical_committee_workshop",
        title=TC_WORKSHOP,
        date=dt.date(2026, 10, 14),
        end=dt.date(2026, 10, 15),
        acting_user=coordinator,
    )
    review_round = services.round_open(
        version=draft,
        title=ROUND_TITLE,
        meeting=workshop,
        due_date=dt.date(2026, 10, 22),
        reviewers=[reviewer] if reviewer is not None else [],
        acting_user=coordinator,
    )
    indicator = NapIndicator.objects.filter(element__plan=plan).order_by("element__code", "code").first()
    line = NapCostLine.objects.filter(activity__plan=plan).order_by("activity__code", "code").first()
    rib = Organisation.objects.filter(workspace=workspace, key="RIB").first()
    activities = list(
        NapElement.objects.filter(plan=plan, level="activity").exclude(lead=rib).order_by("code")[:3]
    )
    output = (
        NapElement.objects.filter(plan=plan, level="output")
        .annotate(activity_count=Count("children"))
        .order_by("code")
        .first()
    )

    invited = _invited_reviewers(workspace, review_round, coordinator)

    def comment(element_id: str, text: str, organisation: str):
        return services.comment_add(
            round=review_round,
            element_id=element_id,
            text=text,
            organisation=organisation,
            acting_user=invited.get(organisation, reviewer),
        )

    comments = {}
    if indicator is not None:
        comments["target"] = comment(
            _id(indicator),
            "The final target is not ambitious enough for five years: raise it by a fifth.",
            "MIGEPROF",
        )
    if line is not None:
        comments["budget"] = comment(
            _id(line), "The unit cost is below the government's daily allowance rates; revise it.", "MINIJUST"
        )
    if activities:
        comments["lead"] = comment(
            _id(activities[0]),
            "RIB should lead this activity; the current lead has no mandate for investigations.",
            "RIB",
        )
    if output is not None:
        comments["gap"] = comment(
            _id(output),
            "Add an activity on screening at border posts; the legal review found no screening procedure.",
            "DGIE",
        )
    if len(activities) > 1:
        comments["scope"] = comment(
            _id(activities[1]), "Merge this activity with the awareness campaign to save costs.", "IOM"
        )
    comments["whole"] = comment(
        "", "Number the annexes and add a list of acronyms before validation.", "NPPA"
    )

    # The author revises the plan after the workshop.
    changed: dict[str, str] = {}
    if indicator is not None:
        targets = [dict(target) for target in indicator.targets] or [
            {"year": plan.period_end, "sex": "", "value": "0"}
        ]
        digits = "".join(ch for ch in str(targets[-1].get("value", "")) if ch.isdigit())
        targets[-1]["value"] = f"{int(digits or 1000) * 6 // 5:,}"
        nap.indicator_update(indicator=indicator, values={"targets": targets}, acting_user=author)
        changed["target"] = _id(indicator)
    if line is not None:
        nap.cost_line_update(line=line, values={"unit_cost": str(line.unit_cost * 2)}, acting_user=author)
        changed["budget"] = _id(line)
    if activities:
        nap.element_update(
            element=activities[0], values={"lead": rib, "lead_name": "" if rib else "RIB"}, acting_user=author
        )
        changed["lead"] = _id(activities[0])
    if output is not None:
        added = nap.element_create(
            plan=plan,
            parent=output,
            level="activity",
            values={
                "title": "Introduce a screening procedure for potential victims at border posts",
                "lead_name": "DGIE",
                "timeline": [[plan.period_start + 1, 1], [plan.period_start + 1, 2]],
            },
            acting_user=author,
        )
        changed["gap"] = _id(added)
    revised = services.version_save(
        workspace=workspace,
        deliverable="nap",
        subject=subject,
        note="Revised after the Technical Committee workshop of 14–15 October 2026.",
        acting_user=author,
    )
    differences = {change.id for change in selectors.versions_diff(draft, revised)}
    changed = {key: element_id for key, element_id in changed.items() if element_id in differences}
    responses = {
        "target": ("accepted", "The final target is raised by a fifth.", ""),
        "budget": ("accepted", "Unit cost doubled to the government's allowance rates.", ""),
        "lead": ("accepted", "RIB is now the lead agency.", ""),
        "gap": (
            "partly_accepted",
            "A screening activity was added under this output.",
            "Border posts only; airports follow in the next plan.",
        ),
        "scope": (
            "not_accepted",
            "The activity is kept.",
            "The two activities reach different audiences and have different leads.",
        ),
        "whole": ("accepted", "Annexes numbered and a list of acronyms added to the document.", ""),
    }
    for key, review_comment in comments.items():
        decision, response, reason = responses[key]
        services.comment_respond(
            comment=review_comment,
            response=response,
            decision=decision,
            reason=reason,
            resolved_in=revised if key in changed else None,
            resolved_element_id=changed.get(key, ""),
            acting_user=author,
        )
    services.round_close(round=review_round, acting_user=coordinator)
    validation = _meeting(
        workspace,
        kind="validation_meeting",
        title=VALIDATION_MEETING,
        date=dt.date(2026, 11, 5),
        end=None,
        acting_user=coordinator,
    )
    meetings.decision_add(
        workspace=workspace,
        meeting=validation,
        text="The National Action Plan is validated, with the conditions recorded.",
        acting_user=coordinator,
    )
    services.version_validate(
        version=revised,
        meeting=validation,
        decision="Validated by the Technical Committee and the Inter-ministerial Committee.",
        conditions="Add the foreword by the Minister of Justice before printing.",
        acting_user=coordinator,
    )
    final = services.version_finalise(version=revised, acting_user=coordinator)
    _backdate(draft, final, review_round)
    final.refresh_from_db()
    return final


def demo_review_documents(
    workspace: Workspace, out_dir: Path, *, compare_path: str = ""
) -> list[dict[str, str]]:
    """The comment matrix (DOCX, XLSX) and the changes from version 1 to 2 (DOCX, XLSX) under
    ``out_dir/<workspace>/``; the manifest entries."""
    from ctip.formats.review_documents import comment_matrix_docx, comment_matrix_xlsx, diff_docx, diff_xlsx

    review_round = (
        ReviewRound.objects.filter(workspace=workspace, deliverable_version__deliverable="nap")
        .select_related("deliverable_version", "meeting")
        .order_by("created_at")
        .first()
    )
    if review_round is None:
        return []
    revised = (
        DeliverableVersion.objects.filter(
            workspace=workspace,
            deliverable="nap",
            subject=review_round.deliverable_version.subject,
            number__gt=review_round.deliverable_version.number,
        )
        .order_by("number")
        .first()
    )
    folder = out_dir / workspace.slug
    folder.mkdir(parents=True, exist_ok=True)
    entries: list[dict[str, str]] = []

    def write(kind: str, name: str, content: bytes, title: str) -> None:
        path = folder / name
        path.write_bytes(content)
        entries.append(
            {
                "kind": kind,
                "path": path.relative_to(out_dir).as_posix(),
                "title": f"{workspace.name}: {title}",
            }
        )

    matrix = selectors.comment_matrix(review_round, language="en", compare_path=compare_path)
    write(
        "review-comment-matrix",
        "nap-comment-matrix.docx",
        comment_matrix_docx(matrix),
        "NAP comment matrix of the Technical Committee round (Word)",
    )
    write(
        "review-comment-matrix",
        "nap-comment-matrix.xlsx",
        comment_matrix_xlsx(matrix),
        "NAP comment matrix of the Technical Committee round (Excel)",
    )
    if revised is not None:
        document = selectors.diff_document(review_round.deliverable_version, revised, language="en")
        name = f"nap-changes-v{review_round.deliverable_version.number}-v{revised.number}"
        write(
            "review-diff",
            f"{name}.docx",
            diff_docx(document),
            f"NAP changes from version {review_round.deliverable_version.number} to {revised.number} (Word)",
        )
        write(
            "review-diff",
            f"{name}.xlsx",
            diff_xlsx(document),
            f"NAP changes from version {review_round.deliverable_version.number} to {revised.number} (Excel)",
        )
    return entries
