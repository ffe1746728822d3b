"""Versions, review rounds, reviewers and comments for the review tests, made through the services as users
make them (``acting_user=None``: the command line, unless a user is given). Shared by the views and API tests.

    workspace fixture → nap_version_make(workspace) → round_make(version) → comment_make(round)

A version is the snapshot of a real National Action Plan (``tests/web/nap/factories.py``); ``version_next``
changes the plan (adds an activity, or renames one) and saves the next version, because saving refuses when
nothing changed since the latest version.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from typing import Any

from ctip.web.accounts.models import User, Workspace
from ctip.web.meetings.models import Meeting
from ctip.web.nap import services as nap_services
from ctip.web.nap.models import ActionPlan, NapElement
from ctip.web.reviews import services
from ctip.web.reviews.models import DeliverableVersion, ReviewComment, ReviewRound
from tests.web.factories import member_make, user_make
from tests.web.meetings.factories import meeting_make
from tests.web.nap.factories import element_make, plan_make

_counter = itertools.count(1)


def plan_for_review(workspace: Workspace, **values: Any) -> ActionPlan:
    """A NAP with one branch down to an activity (pillar P1 → … → activity) to snapshot."""
    plan = plan_make(workspace, **values)
    element_make(plan, "activity", title="Train border officers")
    return plan


def nap_version_make(
    workspace: Workspace,
    *,
    plan: ActionPlan | None = None,
    note: str = "",
    acting_user: User | None = None,
) -> DeliverableVersion:
    """The next version of ``plan``'s content (a new plan with one activity when none is given)."""
    plan = plan or plan_for_review(workspace)
    return services.version_save(
        workspace=workspace, deliverable="nap", subject=str(plan.uuid), note=note, acting_user=acting_user
    )


def plan_of_version(version: DeliverableVersion) -> ActionPlan:
    return ActionPlan.objects.get(workspace=version.workspace, uuid=version.subject)


def nap_change(plan: ActionPlan, *, title: str | None = None) -> NapElement:
    """A change to the live plan: a new activity under the first output (``title`` to name it)."""
    output = NapElement.objects.filter(plan=plan, level="output").order_by("position", "id").first()
    return element_make(
        plan, "activity", parent=output, title=title or f"Activity added for review {next(_counter)}"
    )


def activity_rename(plan: ActionPlan, title: str) -> NapElement:
    """Rename the plan's first activity (a field change the diff reports on the same element id)."""
    activity = NapElement.objects.filter(plan=plan, level="activity").order_by("position", "id").first()
    assert activity is not None, "the plan has no activity to rename"
    values = {"title": title}
    return nap_services.element_update(element=activity, values=values, acting_user=None)


def version_next(
    version: DeliverableVersion, *, note: str = "", acting_user: User | None = None, title: str | None = None
) -> DeliverableVersion:
    """Change the plan of ``version`` (add an activity) and save the next version."""
    plan = plan_of_version(version)
    nap_change(plan, title=title)
    return services.version_save(
        workspace=version.workspace,
        deliverable=version.deliverable,
        subject=version.subject,
        note=note,
        acting_user=acting_user,
    )


def tc_meeting_make(
    workspace: Workspace, title: str = "Technical Committee workshop", **values: Any
) -> Meeting:
    """A Technical Committee workshop of the workspace."""
    arguments: dict[str, Any] = {"kind": "technical_committee_workshop", "date": dt.date(2026, 3, 10)}
    return meeting_make(workspace, title, **(arguments | values))


def validation_meeting_make(
    workspace: Workspace, title: str = "Validation meeting", **values: Any
) -> Meeting:
    arguments: dict[str, Any] = {"kind": "validation_meeting", "date": dt.date(2026, 4, 20)}
    return meeting_make(workspace, title, **(arguments | values))


def reviewer_make(
    workspace: Workspace, username: str | None = None, *, first_name: str = "", last_name: str = ""
) -> User:
    """A user with the reviewer role in ``workspace`` (a Technical Committee member)."""
    user = user_make(username, first_name=first_name, last_name=last_name)
    member_make(workspace, "reviewer", user=user)
    return user


def round_make(
    version: DeliverableVersion,
    *,
    title: str = "Technical Committee review",
    meeting: Meeting | None = None,
    due_date: dt.date | None = None,
    reviewers: Iterable[User] = (),
    acting_user: User | None = None,
) -> ReviewRound:
    """An open review round on ``version`` (which becomes under review)."""
    return services.round_open(
        version=version,
        title=title,
        meeting=meeting,
        due_date=due_date,
        reviewers=list(reviewers),
        acting_user=acting_user,
    )


def first_element_id(version: DeliverableVersion, kind: str = "activity") -> str:
    """The id of the first element of ``kind`` in the version's snapshot."""
    for element in version.elements:
        if element.get("kind") == kind:
            return str(element["id"])
    raise AssertionError(f"version {version.number} has no {kind} element")


def comment_make(
    round: ReviewRound,
    *,
    element_id: str = "",
    text: str | None = None,
    organisation: str = "",
    acting_user: User | None = None,
) -> ReviewComment:
    """A comment in ``round`` (on the document as a whole unless ``element_id`` is given)."""
    return services.comment_add(
        round=round,
        element_id=element_id,
        text=text or f"Please clarify point {next(_counter)}.",
        organisation=organisation,
        acting_user=acting_user,
    )


def comment_accept(
    comment: ReviewComment,
    *,
    response: str = "Done: the text now says so.",
    resolved_in: DeliverableVersion | None = None,
    resolved_element_id: str = "",
    acting_user: User | None = None,
) -> ReviewComment:
    """Respond to ``comment`` and accept it (it no longer blocks validation)."""
    return services.comment_respond(
        comment=comment,
        response=response,
        decision="accepted",
        resolved_in=resolved_in,
        resolved_element_id=resolved_element_id,
        acting_user=acting_user,
    )


__all__ = [
    "activity_rename",
    "comment_accept",
    "comment_make",
    "first_element_id",
    "nap_change",
    "nap_version_make",
    "plan_for_review",
    "plan_of_version",
    "reviewer_make",
    "round_make",
    "tc_meeting_make",
    "validation_meeting_make",
    "version_next",
]
