"""The qualitative section of a workspace backup: export → empty database → restore → the same export."""

import copy

import pytest

from ctip.formats.backup import backup_dumps, backup_loads
from ctip.web.accounts.models import ApiToken, AuditEntry, LoginFailure, Membership, User, Workspace
from ctip.web.qualitative import backup
from ctip.web.qualitative.models import CodedExcerpt, QualitativeRecord, Theme
from ctip.web.qualitative.services import UploadedTranscript
from ctip.web.workspace_backup import workspace_backup, workspace_restore
from tests.web.qualitative.factories import excerpt_make, organisation_make, record_make, theme_make


def empty_the_database():
    AuditEntry.objects.all().delete()
    Membership.objects.all().delete()
    ApiToken.objects.all().delete()
    LoginFailure.objects.all().delete()
    Workspace.objects.all().delete()
    User.objects.all().delete()


@pytest.mark.django_db
def test_records_themes_and_excerpts_survive_a_backup_and_restore(workspace, admin_user):
    police = organisation_make(workspace, "mpf", name="Mauritius Police Force", type="law_enforcement")
    shelter = organisation_make(workspace, "shelter")
    record = record_make(
        workspace,
        organisations=[police, shelter],
        transcript=UploadedTranscript("kii.txt", "Transcript “text”.".encode()),
    )
    parent = theme_make(workspace, "T02", competency_codes=["RF01"])
    child = theme_make(workspace, "T02.1", parent=parent)
    excerpt_make(record, parent, "Nobody calls back.", is_quote=True)
    excerpt_make(record, child, "Inspectors need notice.")
    original = backup_loads(backup_dumps(workspace_backup(workspace=workspace, acting_user=admin_user)))
    section = original["sections"]["qualitative"]
    assert len(section["themes"]) == 2 and len(section["records"][0]["excerpts"]) == 2

    empty_the_database()
    assert not QualitativeRecord.objects.exists() and not Theme.objects.exists()
    restored = workspace_restore(document=copy.deepcopy(original), acting_user=None)
    again = backup_loads(backup_dumps(workspace_backup(workspace=restored, acting_user=None)))

    assert again["sections"]["qualitative"] == original["sections"]["qualitative"]
    restored_record = QualitativeRecord.objects.get()
    assert {o.key for o in restored_record.organisations.all()} == {"mpf", "shelter"}
    assert Theme.objects.get(code="T02.1").parent.code == "T02"
    assert CodedExcerpt.objects.get(is_quote=True).anonymised


@pytest.mark.django_db
def test_a_damaged_section_restores_nothing(workspace):
    theme_make(workspace, "T01")
    section = backup.section_export(workspace)
    section["records"] = [{"uuid": "11111111-1111-1111-1111-111111111111", "kind": "interview"}]
    section["themes"][0]["uuid"] = "22222222-2222-2222-2222-222222222222"
    section["themes"][0]["code"] = "T09"
    from django.db import transaction

    from ctip.core.errors import DomainError, ErrorCode

    with pytest.raises(DomainError) as caught, transaction.atomic():
        backup.section_import(section, workspace)
    assert caught.value.code is ErrorCode.BACKUP_FORMAT and "records[0]" in caught.value.message
    assert not Theme.objects.filter(code="T09").exists()
