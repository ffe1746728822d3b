"""The snapshots of the two report deliverables (ctip.web.inception.review_elements and
ctip.web.needs.review_elements): the report built from the workspace's data in its first working
language, as sections and blocks; the diff of a real change made through the apps' services; ids that
survive edits; JSON fields; and fields that do not depend on the reader's language."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import translation

from ctip.core.errors import DomainError, ErrorCode
from ctip.core.review.diff import Change, ChangeKind, diff, element_to_json
from ctip.formats.documents.model import Heading
from ctip.web.desk_review.services import library
from ctip.web.inception.report import inception_report
from ctip.web.inception.review_elements import DELIVERABLE as INCEPTION
from ctip.web.needs.review_elements import DELIVERABLE as TNA
from ctip.web.qualitative.services.records import qualitative_record_create
from ctip.web.reviews.report_elements import report_elements
from ctip.web.stakeholders.demo import demo_stakeholders
from ctip.web.tna.demo import demo_tna
from tests.web.factories import workspace_make

pytestmark = pytest.mark.django_db

LITERATURE = "mini-literature-review"


def inception(workspace):
    return INCEPTION.elements(workspace, "")


def by_id(elements):
    return {element.id: element for element in elements}


# --- Inception report -------------------------------------------------------------------------------------


def test_every_workspace_has_an_inception_report_to_review(workspace):
    assert INCEPTION.subjects(workspace) == [("", "Inception report")]


def test_the_inception_snapshot_is_the_report_in_sections_and_blocks(workspace):
    elements = inception(workspace)
    found = by_id(elements)

    assert [element.id for element in elements if element.kind == "section" and element.parent is None] == [
        "introduction-and-background",
        "methodology",
        "stakeholder-mapping",
        LITERATURE,
        "legal-framework",
        "timeline",
        "data-collection-tools",
        "risks-and-mitigation",
    ]
    assert found["objectives"].parent == "introduction-and-background"
    assert found[f"{LITERATURE}/paragraph-1"].fields == {"text": "The library is empty so far."}
    assert found["risks-and-mitigation/table-1"].fields["header"] == ["Risk", "Mitigation"]
    # Figures keep their caption only
    figures = [element for element in elements if element.kind == "figure"]
    assert figures and all(set(element.fields) == {"caption"} for element in figures)
    json.dumps([element_to_json(element) for element in elements])
    assert {element.kind for element in elements} <= set(INCEPTION.kind_labels)
    assert {name for element in elements for name in element.fields} <= set(INCEPTION.field_labels)


def test_a_library_entry_added_changed_and_removed_shows_in_the_literature_review(workspace):
    start = inception(workspace)

    # Added
    reference = library.reference_create(
        workspace=workspace,
        title="Global Report on Trafficking in Persons",
        kind="report",
        authors="UNODC",
        year=2022,
        summary="Trends and patterns.",
        acting_user=None,
    )
    added = inception(workspace)
    paragraph = f"{LITERATURE}/paragraph-1"
    table = f"{LITERATURE}/table-1"
    assert diff(start, added) == [
        Change(
            ChangeKind.CHANGED,
            paragraph,
            "paragraph",
            "Mini literature review: paragraph 1",
            "text",
            "The library is empty so far.",
            "**Global Report on Trafficking in Persons** (2022). Trends and patterns.",
        ),
        Change(ChangeKind.ADDED, table, "table", "Mini literature review: table 1 – Documents reviewed"),
    ]
    assert by_id(added)[table].fields["rows"] == [
        ["Global Report on Trafficking in Persons", "UNODC", "2022", "Report"]
    ]

    # Changed
    reference = library.reference_update(
        workspace=workspace,
        reference=reference,
        title="Global Report on Trafficking in Persons",
        kind="report",
        authors="UNODC",
        year=2024,
        url="",
        summary="Trends and patterns.",
        tags=[],
        acting_user=None,
    )
    changed = inception(workspace)
    assert diff(added, changed) == [
        Change(
            ChangeKind.CHANGED,
            paragraph,
            "paragraph",
            "Mini literature review: paragraph 1",
            "text",
            "**Global Report on Trafficking in Persons** (2022). Trends and patterns.",
            "**Global Report on Trafficking in Persons** (2024). Trends and patterns.",
        ),
        Change(
            ChangeKind.CHANGED,
            table,
            "table",
            "Mini literature review: table 1 – Documents reviewed",
            "rows",
            [["Global Report on Trafficking in Persons", "UNODC", "2022", "Report"]],
            [["Global Report on Trafficking in Persons", "UNODC", "2024", "Report"]],
        ),
    ]

    # Removed
    library.reference_delete(workspace=workspace, reference=reference, acting_user=None)
    assert diff(changed, inception(workspace)) == [
        Change(
            ChangeKind.CHANGED,
            paragraph,
            "paragraph",
            "Mini literature review: paragraph 1",
            "text",
            "**Global Report on Trafficking in Persons** (2024). Trends and patterns.",
            "The library is empty so far.",
        ),
        Change(ChangeKind.REMOVED, table, "table", "Mini literature review: table 1 – Documents reviewed"),
    ]


def test_inception_ids_stay_the_same_after_an_edit_in_one_section(workspace):
    before = inception(workspace)

    library.reference_create(workspace=workspace, title="Country report", kind="report", acting_user=None)
    after = by_id(inception(workspace))

    elsewhere = [element for element in before if not element.id.startswith(LITERATURE)]
    assert elsewhere and all(after[element.id] == element for element in elsewhere)


def test_the_snapshot_does_not_depend_on_the_reader_language(workspace):
    with translation.override("en"):
        english = inception(workspace)
    with translation.override("fr"):
        french = inception(workspace)

    # Labels follow the reader; the content is the report in the workspace's first language
    assert diff(english, french) == []
    assert [element.id for element in french] == [element.id for element in english]


def test_a_workspace_working_in_french_first_has_its_report_reviewed_in_french(admin_user):
    workspace = workspace_make(
        "senegal", admin=admin_user, country="SN", languages=("fr", "en"), currency="XOF"
    )

    elements = inception(workspace)

    report, _charts = inception_report(workspace, language="fr")
    assert [element.fields for element in elements] == [element.fields for element in report_elements(report)]
    first = report.blocks[0]
    assert isinstance(first, Heading) and elements[0].fields["heading"] == first.text


# --- TNA report ---------------------------------------------------------------------------------------------


def test_the_tna_report_snapshot_follows_the_survey_and_the_interviews(workspace):
    # Before any survey answer there is nothing to review
    assert TNA.subjects(workspace) == []
    with pytest.raises(DomainError) as caught:
        TNA.elements(workspace, "")
    assert caught.value.code == ErrorCode.NOT_FOUND

    # Given the demo survey and its answers
    demo_stakeholders(workspace=workspace, acting_user=None)
    demo_tna(workspace=workspace, acting_user=None)
    assert TNA.subjects(workspace) == [("", "TNA report")]
    before = TNA.elements(workspace, "")
    found = by_id(before)
    assert found["qualitative-findings/paragraph-1"].fields == {
        "text": "No interview or focus group has been recorded yet."
    }
    assert found["sample"].parent == "methodology-and-sample"
    json.dumps([element_to_json(element) for element in before])
    assert {element.kind for element in before} <= set(TNA.kind_labels)
    assert {name for element in before for name in element.fields} <= set(TNA.field_labels)

    # When an interview is recorded
    qualitative_record_create(
        workspace=workspace,
        kind="interview",
        date=dt.date(2025, 3, 1),
        title="Interview with a labour inspector",
        acting_user=None,
    )
    after = TNA.elements(workspace, "")
    changes = diff(before, after)

    # Then the qualitative findings say so, with a table beside the survey's result
    assert (
        Change(
            ChangeKind.CHANGED,
            "qualitative-findings/paragraph-1",
            "paragraph",
            "Qualitative findings: paragraph 1",
            "text",
            "No interview or focus group has been recorded yet.",
            "1 key-informant interviews and 0 focus-group discussions were coded to the themes of the codebook. "
            "The table sets the themes linked to each competency beside the survey’s result.",
        )
        in changes
    )
    assert (
        Change(
            ChangeKind.ADDED,
            "qualitative-findings/table-1",
            "table",
            "Qualitative findings: table 1 – What the interviews and focus groups say about each need",
        )
        in changes
    )
    # and only the sections that speak of interviews changed; every other element kept its id and content
    assert {change.id.split("/")[0] for change in changes} == {"executive-summary", "qualitative-findings"}
    unchanged = [
        element
        for element in before
        if element.id.split("/")[0] not in {"executive-summary", "qualitative-findings"}
    ]
    assert all(element in after for element in unchanged)
