import copy

import pytest

from ctip.core.errors import DomainError, ErrorCode
from ctip.formats.backup import backup_dumps, backup_loads
from ctip.web.accounts.models import AuditEntry, Membership, User, Workspace
from ctip.web.desk_review import services
from ctip.web.desk_review.models import ChecklistAssessment, KeyFinding, LegalInstrument, Reference
from ctip.web.desk_review.services import UploadedDocument
from ctip.web.workspace_backup import workspace_backup, workspace_restore
from tests.web.desk_review.factories import PDF_BYTES, assess, finding_make, instrument_make, reference_make


def empty_the_database():
    for model in (ChecklistAssessment, LegalInstrument, KeyFinding, Reference, AuditEntry, Membership):
        model.objects.all().delete()
    Workspace.objects.all().delete()
    User.objects.all().delete()


@pytest.fixture
def reviewed_workspace(workspace, admin_user):
    law = reference_make(workspace, title="Act text", kind="law", file=UploadedDocument("act.pdf", PDF_BYTES))
    reference_make(workspace, title="Plain", tags=["é", "demo"])
    finding_make(law, "Section 11 defines the offence.", location="s. 11", tags=["definition"])
    finding_make(law, "Second finding.")
    act = instrument_make(workspace, title="Act 2009", year=2009, reference=law)
    assess(act, {"P01": "met", "P09": "not_met"})
    row = act.assessments.select_related("instrument").get(item_code="P09")
    services.assessment_update(
        workspace=workspace,
        assessment=row,
        status="not_met",
        provision="none",
        evidence="No clause.",
        note="Demo.",
        reference_uuids=[law.uuid],
        acting_user=admin_user,
    )
    instrument_make(workspace, title="Amendment", kind="amendment")
    return workspace


@pytest.mark.django_db
def test_round_trip_keeps_the_library_files_instruments_and_assessments(reviewed_workspace, admin_user):
    original = backup_loads(
        backup_dumps(workspace_backup(workspace=reviewed_workspace, acting_user=admin_user))
    )
    section = original["sections"]["desk_review"]
    assert len(section["references"]) == 2 and len(section["key_findings"]) == 2
    assert len(section["legal_instruments"]) == 2 and len(section["checklist_assessments"]) == 40
    with_file = next(r for r in section["references"] if r["file_name"] == "act.pdf")
    assert with_file["file_base64"] == "JVBERi0xLjQKMSAwIG9iajw8Pj5lbmRvYmoKdHJhaWxlcjw8Pj4KJSVFT0YK"
    assert "id" not in with_file and "pk" not in with_file

    empty_the_database()
    restored = workspace_restore(document=copy.deepcopy(original), acting_user=None)
    again = workspace_backup(workspace=restored, acting_user=None)

    assert again["sections"]["desk_review"] == section
    stored = Reference.objects.get(file_name="act.pdf")
    assert bytes(stored.file_content) == PDF_BYTES
    row = ChecklistAssessment.objects.get(item_code="P09", instrument__title="Act 2009")
    assert (row.status, row.version, list(row.references.all())) == ("not_met", 3, [stored])


@pytest.mark.django_db
def test_a_damaged_section_restores_nothing(reviewed_workspace, admin_user):
    document = backup_loads(
        backup_dumps(workspace_backup(workspace=reviewed_workspace, acting_user=admin_user))
    )
    document["sections"]["desk_review"]["key_findings"][0]["reference"] = (
        "00000000-0000-0000-0000-000000000000"
    )
    empty_the_database()
    with pytest.raises(DomainError) as caught:
        workspace_restore(document=document, acting_user=None)
    assert caught.value.code == ErrorCode.BACKUP_FORMAT
    assert caught.value.problems[0].location == "desk_review.key_findings[0].reference"
    assert not Workspace.objects.exists() and not Reference.objects.exists()
