"""The demo NAP's completed Technical Committee round (issue 9): what `ctip demo` builds and writes."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from ctip.web.accounts.models import Membership
from ctip.web.nap.demo import demo_nap
from ctip.web.reviews import selectors
from ctip.web.reviews.demo import demo_review, demo_review_documents
from ctip.web.reviews.models import DeliverableVersion, ReviewComment
from tests.web.factories import user_make, workspace_make


@pytest.mark.django_db
def test_the_demo_round_is_complete_and_its_documents_are_written(tmp_path):
    admin = user_make("demo-admin")
    workspace = workspace_make("rwanda", admin=admin, country="RW", currency="RWF")
    demo_nap(workspace=workspace, acting_user=admin)

    final = demo_review(workspace=workspace, acting_user=admin)

    assert final is not None and (final.number, final.status) == (2, "final")
    draft = final.based_on
    assert draft.number == 1 and draft.created_at < final.created_at
    assert final.validation_meeting.kind == "validation_meeting"
    assert final.validation_meeting.attendees.count() == 6
    review_round = draft.rounds.get()
    assert review_round.status == "closed" and review_round.meeting.kind == "technical_committee_workshop"
    comments = list(ReviewComment.objects.filter(round=review_round).order_by("number"))
    assert len(comments) == 6
    assert {comment.decision for comment in comments} == {"accepted", "partly_accepted", "not_accepted"}
    assert selectors.unresolved_comments(final) == []
    changed = {change.id for change in selectors.versions_diff(draft, final)}
    linked = [comment for comment in comments if comment.resolved_element_id]
    assert len(linked) == 4 and all(comment.resolved_element_id in changed for comment in linked)
    invited = Membership.objects.filter(workspace=workspace, user__username__startswith="tc-")
    assert sorted(invited.values_list("role", flat=True)) == ["reviewer"] * 3

    entries = demo_review_documents(workspace, tmp_path)
    assert [entry["path"] for entry in entries] == [
        "rwanda/nap-comment-matrix.docx",
        "rwanda/nap-comment-matrix.xlsx",
        "rwanda/nap-changes-v1-v2.docx",
        "rwanda/nap-changes-v1-v2.xlsx",
    ]
    text = "\n".join(
        cell.text
        for table in Document(io.BytesIO((tmp_path / entries[0]["path"]).read_bytes())).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "RIB is now the lead agency." in text and "Not accepted" in text
    sheet = load_workbook(tmp_path / entries[3]["path"]).worksheets[0]
    values = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert any("Introduce a screening procedure" in value for value in values)

    assert demo_review(workspace=workspace, acting_user=admin) is None  # runs once
    assert DeliverableVersion.objects.filter(workspace=workspace).count() == 2
