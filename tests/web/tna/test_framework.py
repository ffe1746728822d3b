"""The competency framework: seeded once from the default library, edited one competency at a time
(audited, refused with field problems, optimistic locking), and moved in and out of a spreadsheet."""

import io

import openpyxl
import pytest

from ctip.core.errors import DomainError, ErrorCode
from ctip.core.tna.framework import DEFAULT_COMPETENCY_COUNT
from ctip.web.accounts.models import AuditEntry
from ctip.web.tna import selectors, services
from ctip.web.tna.models import WorkspaceCompetency
from tests.web.tna.factories import plain_csv


def competency(workspace, code):
    return WorkspaceCompetency.objects.get(workspace=workspace, code=code)


@pytest.mark.django_db
def test_the_default_framework_is_copied_once_with_an_audit_row_each(workspace, admin_user):
    services.framework_ensure(workspace=workspace, acting_user=admin_user)
    assert WorkspaceCompetency.objects.filter(workspace=workspace).count() == DEFAULT_COMPETENCY_COUNT
    created = AuditEntry.objects.filter(workspace=workspace, action="workspacecompetency.create")
    assert created.count() == DEFAULT_COMPETENCY_COUNT
    first = competency(workspace, "FD01")
    assert first.title_fr and first.level == "foundational" and first.target_types == []

    services.competency_retire(workspace=workspace, competency=first, acting_user=admin_user)
    rows = AuditEntry.objects.count()
    services.framework_ensure(workspace=workspace, acting_user=admin_user)
    assert AuditEntry.objects.count() == rows
    assert WorkspaceCompetency.objects.filter(workspace=workspace).count() == DEFAULT_COMPETENCY_COUNT


@pytest.mark.django_db
def test_create_update_retire_and_restore_a_competency(workspace, admin_user):
    created = services.competency_create(
        workspace=workspace,
        code="ml01",
        title_en="Maritime inspections",
        title_fr="Inspections maritimes",
        pillar="prevention",
        chain_stage="identification",
        level="specialised",
        target_types=["law_enforcement", "immigration_service"],
        acting_user=admin_user,
    )
    assert created.code == "ML01"  # codes are upper-case, like the default library's
    entry = AuditEntry.objects.get(action="workspacecompetency.create", object_id=str(created.uuid))
    assert entry.changes["title_en"] == [None, "Maritime inspections"]

    services.competency_update(
        workspace=workspace,
        competency=created,
        title_en="Inspecting ships and ports",
        child_sensitive=True,
        expected_version=1,
        acting_user=admin_user,
    )
    created.refresh_from_db()
    assert (
        created.title_en == "Inspecting ships and ports" and created.child_sensitive and created.version == 2
    )
    change = AuditEntry.objects.get(action="workspacecompetency.update", object_id=str(created.uuid))
    assert change.changes["title_en"] == ["Maritime inspections", "Inspecting ships and ports"]

    services.competency_retire(workspace=workspace, competency=created, acting_user=admin_user)
    assert "ML01" not in {row.code for row in selectors.competencies(workspace)}
    services.competency_restore(workspace=workspace, competency=created, acting_user=admin_user)
    assert "ML01" in {row.code for row in selectors.competencies(workspace)}


@pytest.mark.django_db
def test_bad_competencies_are_refused_with_every_problem_and_nothing_saved(workspace, admin_user):
    services.framework_ensure(workspace=workspace, acting_user=admin_user)
    rows, audit = WorkspaceCompetency.objects.count(), AuditEntry.objects.count()
    with pytest.raises(DomainError) as caught:
        services.competency_create(
            workspace=workspace,
            code="FD01",
            title_en=" ",
            pillar="peace",
            chain_stage="identification",
            level="specialised",
            target_types=["spaceships"],
            acting_user=admin_user,
        )
    assert caught.value.code is ErrorCode.INVALID_VALUE
    assert {p.location for p in caught.value.problems} == {"code", "title_en", "pillar", "target_types"}
    with pytest.raises(DomainError) as caught:
        services.competency_create(
            workspace=workspace,
            code="1 bad code",
            title_en="Title",
            pillar="protection",
            chain_stage="identification",
            level="foundational",
            acting_user=admin_user,
        )
    assert [p.location for p in caught.value.problems] == ["code"]
    assert (WorkspaceCompetency.objects.count(), AuditEntry.objects.count()) == (rows, audit)


@pytest.mark.django_db
def test_two_editors_of_one_competency_get_a_conflict(workspace, admin_user):
    services.framework_ensure(workspace=workspace, acting_user=admin_user)
    target = competency(workspace, "FD02")
    services.competency_update(
        workspace=workspace,
        competency=target,
        title_fr="Nouveau titre",
        expected_version=1,
        acting_user=admin_user,
    )
    with pytest.raises(DomainError) as caught:
        services.competency_update(
            workspace=workspace,
            competency=target,
            title_fr="Autre titre",
            expected_version=1,
            acting_user=admin_user,
        )
    assert caught.value.code is ErrorCode.CONFLICT
    assert competency(workspace, "FD02").title_fr == "Nouveau titre"


@pytest.mark.django_db
def test_viewers_cannot_change_the_framework(workspace, make_member):
    viewer = make_member(workspace, "viewer").user
    services.framework_ensure(workspace=workspace, acting_user=viewer)  # seeding is part of reading
    with pytest.raises(DomainError) as caught:
        services.competency_retire(
            workspace=workspace, competency=competency(workspace, "FD01"), acting_user=viewer
        )
    assert caught.value.code is ErrorCode.PERMISSION_DENIED
    assert not competency(workspace, "FD01").is_retired


def workbook_rows(data: bytes) -> list[list[object]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.django_db
def test_the_exported_framework_imports_back_unchanged(workspace, admin_user):
    services.framework_ensure(workspace=workspace, acting_user=admin_user)
    services.competency_retire(
        workspace=workspace, competency=competency(workspace, "DE02"), acting_user=admin_user
    )
    exported = selectors.framework_xlsx(workspace)
    rows = workbook_rows(exported)
    assert rows[0][:3] == ["code", "title_en", "title_fr"] and rows[0][-1] == "retired"
    assert len(rows) == DEFAULT_COMPETENCY_COUNT + 1
    audit = AuditEntry.objects.count()
    preview = services.framework_import_preview(
        workspace=workspace, data=exported, filename="framework.xlsx", acting_user=admin_user
    )
    assert preview.unchanged == DEFAULT_COMPETENCY_COUNT and not preview.has_changes
    services.framework_import_apply(
        workspace=workspace, data=exported, filename="framework.xlsx", acting_user=admin_user
    )
    assert AuditEntry.objects.count() == audit
    assert competency(workspace, "DE02").is_retired


@pytest.mark.django_db
def test_a_framework_spreadsheet_adds_and_updates_competencies(workspace, admin_user):
    services.framework_ensure(workspace=workspace, acting_user=admin_user)
    data = plain_csv(
        ["code", "title_en", "pillar", "chain_stage", "level", "target_types"],
        [
            ["fd01", "Defining trafficking (revised)", "protection", "identification", "foundational", ""],
            [
                "HT01",
                "Hotel staff awareness",
                "Prevention",
                "prevention",
                "specialized",
                "corporate_business",
            ],
        ],
    )
    preview = services.framework_import_preview(
        workspace=workspace, data=data, filename="f.csv", acting_user=admin_user
    )
    assert [(row.code, row.action) for row in preview.rows] == [("FD01", "update"), ("HT01", "create")]
    assert [change.field for change in preview.rows[0].changes] == ["title_en"]
    assert preview.not_in_file == DEFAULT_COMPETENCY_COUNT - 1
    services.framework_import_apply(workspace=workspace, data=data, filename="f.csv", acting_user=admin_user)
    assert competency(workspace, "FD01").title_en == "Defining trafficking (revised)"
    assert competency(workspace, "FD01").title_fr  # a column the file does not have is left as it is
    added = competency(workspace, "HT01")
    assert (added.level, added.pillar, added.target_types) == (
        "specialised",
        "prevention",
        ["corporate_business"],
    )
    assert AuditEntry.objects.filter(
        action="workspacecompetency.update", object_id=str(competency(workspace, "FD01").uuid)
    ).exists()


@pytest.mark.django_db
def test_a_bad_framework_spreadsheet_is_refused_with_rows_and_columns_and_nothing_saved(
    workspace, admin_user
):
    services.framework_ensure(workspace=workspace, acting_user=admin_user)
    data = plain_csv(
        ["code", "title_en", "pillar", "chain_stage", "level"],
        [
            ["NEW1", "Good row", "protection", "referral", "specialised"],
            ["NEW2", "", "fourth pillar", "referral", "specialised"],
        ],
    )
    audit = AuditEntry.objects.count()
    with pytest.raises(DomainError) as caught:
        services.framework_import_apply(
            workspace=workspace, data=data, filename="f.csv", acting_user=admin_user
        )
    locations = {p.location for p in caught.value.problems}
    assert locations == {"row 3, column “title_en”", "row 3, column “pillar”"}
    assert not WorkspaceCompetency.objects.filter(code="NEW1").exists()
    assert AuditEntry.objects.count() == audit
