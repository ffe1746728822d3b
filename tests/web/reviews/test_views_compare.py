"""Comparing versions in the page (grouped by top-level element, one anchored row per change, a word-level
view of a changed long text) and the downloads of the changes and of the comment matrix as real DOCX and
XLSX files."""

from __future__ import annotations

import io

import docx
import openpyxl
import pytest

from ctip.core.review.diff import Change, ChangeKind, Element
from ctip.web.accounts.models import Workspace
from ctip.web.nap import services as nap_services
from ctip.web.nap.models import NapElement
from ctip.web.reviews import selectors, services
from ctip.web.reviews.models import ReviewRound
from ctip.web.reviews.views_compare import change_groups
from tests.web.factories import member_make, user_make
from tests.web.reviews.factories import (
    activity_rename,
    comment_make,
    first_element_id,
    nap_change,
    nap_version_make,
    plan_of_version,
    round_make,
)

pytestmark = pytest.mark.django_db


def url(workspace, path=""):
    return f"/w/{workspace.slug}/reviews/{path}"


def compare(workspace, old, new, path="compare/"):
    return url(workspace, f"{path}?from={old.uuid}&to={new.uuid if new is not None else 'live'}")


def next_version(version, user=None):
    return services.version_save(
        workspace=version.workspace, deliverable="nap", subject=version.subject, acting_user=user
    )


def test_the_comparison_groups_changes_by_top_level_element_with_anchors(admin_client, workspace):
    first = nap_version_make(workspace)
    plan = plan_of_version(first)
    activity = activity_rename(plan, "Train border and labour officers")
    nap_services.element_update(element=activity, values={"location": "Port Louis"}, acting_user=None)
    added = nap_change(plan, title="Print leaflets")
    second = next_version(first)
    page = admin_client.get(compare(workspace, first, second)).content.decode()
    anchor = selectors.change_anchor(str(activity.uuid))
    assert f'id="{anchor}"' in page  # the first row of the element: exactly the anchor the matrix links to
    assert f'id="{anchor}-' in page  # its next rows: unique anchors
    assert f'id="{selectors.change_anchor(str(added.uuid))}"' in page
    assert "Prevention" in page  # the top-level pillar the changes sit under
    assert "Train border officers" in page and "Train border and labour officers" in page
    assert "Port Louis" in page and "Print leaflets" in page
    assert "1 added" in page
    assert "diff.docx?from=" in page and "diff.xlsx?from=" in page


def test_the_comparison_with_the_live_content(admin_client, workspace):
    first = nap_version_make(workspace)
    nap_change(plan_of_version(first), title="Brand new activity")
    page = admin_client.get(compare(workspace, first, None)).content.decode()
    assert "Brand new activity" in page and "Live content" in page


def test_nothing_changed_says_so(admin_client, workspace):
    first = nap_version_make(workspace)
    page = admin_client.get(compare(workspace, first, None)).content.decode()
    assert "Nothing changed between Version 1 and Live content." in page


def test_the_comparison_needs_a_version_to_start_from(admin_client, workspace):
    response = admin_client.get(url(workspace, "compare/"), follow=True)
    assert "Choose the version to compare from" in response.content.decode()


def test_versions_of_two_deliverables_are_not_compared(admin_client, workspace):
    first = nap_version_make(workspace)
    other = nap_version_make(workspace)  # another plan
    response = admin_client.get(compare(workspace, first, other), follow=True)
    assert "compare versions of one deliverable" in response.content.decode()


def test_another_workspaces_version_or_a_malformed_id_is_not_found(admin_client, workspace, outsider):
    first = nap_version_make(workspace)
    theirs = nap_version_make(Workspace.objects.get(slug="rwanda"))
    assert admin_client.get(compare(workspace, first, theirs)).status_code == 404
    assert admin_client.get(url(workspace, "compare/?from=not-a-uuid")).status_code == 404


def test_a_changed_long_text_is_shown_word_by_word():
    old = [Element("p1", "paragraph", "Introduction: paragraph 1", None, 0, {"text": "word " * 40 + "end."})]
    new = [
        Element("p1", "paragraph", "Introduction: paragraph 1", None, 0, {"text": "word " * 40 + "finish."})
    ]
    changes = [
        Change(
            ChangeKind.CHANGED,
            "p1",
            "paragraph",
            "Introduction: paragraph 1",
            "text",
            old[0].fields["text"],
            new[0].fields["text"],
        )
    ]
    groups = change_groups(changes, old, new, kinds={"paragraph": "Paragraph"}, fields={"text": "Text"})
    row = groups[0]["rows"][0]
    assert row["anchor"] == "change-p1" and row["what"] == "Text" and row["is_long"]
    assert ("removed", "end.") in row["words"] and ("added", "finish.") in row["words"]


def test_anchors_stay_unique_when_an_element_has_several_changes():
    old = [Element("a/1", "activity", "A", None, 0, {"title": "A", "place": "X"})]
    new = [Element("a/1", "activity", "B", None, 0, {"title": "B", "place": "Y"})]
    changes = [
        Change(ChangeKind.CHANGED, "a/1", "activity", "B", "place", "X", "Y"),
        Change(ChangeKind.CHANGED, "a/1", "activity", "B", "title", "A", "B"),
    ]
    rows = change_groups(changes, old, new, kinds={}, fields={})[0]["rows"]
    assert [row["anchor"] for row in rows] == ["change-a-1", "change-a-1-title"]


def test_viewers_may_compare(client, workspace):
    first = nap_version_make(workspace)
    viewer = user_make()
    member_make(workspace, "viewer", viewer)
    client.force_login(viewer)
    assert client.get(compare(workspace, first, None)).status_code == 200


# --- Downloads --------------------------------------------------------------------------------------------


def test_the_changes_download_as_real_word_and_excel_files(admin_client, workspace):
    first = nap_version_make(workspace)
    activity_rename(plan_of_version(first), "Train border and labour officers")
    second = next_version(first)
    response = admin_client.get(compare(workspace, first, second, "compare/diff.docx"))
    assert response["Content-Disposition"] == 'attachment; filename="changes-nap-v1-v2.docx"'
    text = "\n".join(
        cell.text
        for table in docx.Document(io.BytesIO(response.content)).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "Train border and labour officers" in text
    response = admin_client.get(compare(workspace, first, None, "compare/diff.xlsx"))
    assert response["Content-Disposition"] == 'attachment; filename="changes-nap-v1-live.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    values = [cell.value for row in book["Changes"].iter_rows() for cell in row]
    assert "Train border and labour officers" in values


def test_the_comment_matrix_downloads_as_real_word_and_excel_files(admin_client, workspace):
    version = nap_version_make(workspace)
    review = round_make(version)
    comment_make(review, element_id=first_element_id(version), text="Add the number of officers")
    response = admin_client.get(url(workspace, f"rounds/{review.uuid}/comment-matrix.docx"))
    assert response["Content-Disposition"] == 'attachment; filename="comment-matrix-nap-v1.docx"'
    document = docx.Document(io.BytesIO(response.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Add the number of officers" in cells
    response = admin_client.get(url(workspace, f"rounds/{review.uuid}/comment-matrix.xlsx"))
    assert response["Content-Disposition"] == 'attachment; filename="comment-matrix-nap-v1.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    values = [cell.value for row in book["Comment matrix"].iter_rows() for cell in row]
    assert "Add the number of officers" in values


def test_downloads_follow_the_readers_language(admin_client, workspace):
    version = nap_version_make(workspace)
    comment_make(round_make(version))
    review = ReviewRound.objects.get(deliverable_version=version)
    admin_client.cookies["django_language"] = "fr"
    response = admin_client.get(url(workspace, f"rounds/{review.uuid}/comment-matrix.xlsx"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert "Matrice des commentaires" in book.sheetnames


def test_the_element_of_a_removed_activity_is_grouped_under_its_old_pillar(admin_client, workspace):
    first = nap_version_make(workspace)
    plan = plan_of_version(first)
    extra = nap_change(plan, title="Temporary activity")
    second = next_version(first)
    nap_services.element_delete(element=NapElement.objects.get(pk=extra.pk), acting_user=None)
    third = next_version(second)
    page = admin_client.get(compare(workspace, second, third)).content.decode()
    assert "Temporary activity" in page and "Removed" in page and "Prevention" in page
