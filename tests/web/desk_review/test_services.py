import io
import zipfile

import pytest

from ctip.core.errors import DomainError, ErrorCode
from ctip.web.accounts.models import AuditEntry, Workspace
from ctip.web.desk_review import services
from ctip.web.desk_review.models import ChecklistAssessment, KeyFinding, LegalInstrument, Reference
from ctip.web.desk_review.services import UploadedDocument, versioning
from tests.web.desk_review.factories import PDF_BYTES, finding_make, instrument_make, reference_make


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def audit_actions(workspace):
    return list(
        AuditEntry.objects.filter(workspace=workspace).order_by("at", "id").values_list("action", flat=True)
    )


# --- library entries ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_reference_create_stores_the_entry_and_its_file_and_audits_it(workspace, admin_user):
    reference = services.reference_create(
        workspace=workspace,
        title="  TIP Report 2024: Mauritius ",
        kind="report",
        authors="U.S. Department of State",
        year=2024,
        url="https://www.state.gov/",
        summary="Annual assessment.",
        tags=["Mauritius", " mauritius ", "", "TIP"],
        file=UploadedDocument(name="C:\\docs\\tip-2024.pdf", content=PDF_BYTES),
        acting_user=admin_user,
    )
    stored = Reference.objects.get(pk=reference.pk)
    assert stored.title == "TIP Report 2024: Mauritius"
    assert stored.tags == ["Mauritius", "TIP"]
    assert stored.file_name == "tip-2024.pdf"
    assert bytes(stored.file_content) == PDF_BYTES
    entry = AuditEntry.objects.get(workspace=workspace, action="reference.create")
    assert entry.object_id == str(reference.uuid)
    assert entry.changes["title"] == [None, "TIP Report 2024: Mauritius"]
    assert entry.changes["file_name"] == [None, "tip-2024.pdf"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content"),
    [("law.docx", docx_bytes()), ("notes.txt", "Notes — en français".encode()), ("scan.PDF", PDF_BYTES)],
)
def test_the_library_accepts_docx_txt_and_pdf_files(workspace, admin_user, name, content):
    reference = reference_make(workspace, file=UploadedDocument(name, content))
    assert bytes(Reference.objects.get(pk=reference.pk).file_content) == content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("setup.exe", b"MZ\x90\x00", "not a file type the library accepts"),
        ("page.html", b"<script>alert(1)</script>", "not a file type the library accepts"),
        ("report.pdf", b"<html>not a pdf</html>", "does not contain what its name says"),
        ("sheet.xlsx", docx_bytes(), "does not contain what its name says"),
        ("notes.txt", b"binary\x00data", "does not contain what its name says"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_a_bad_upload_is_refused_with_a_specific_error_and_nothing_is_saved(
    workspace, admin_user, name, content, says
):
    before = audit_actions(workspace)
    with pytest.raises(DomainError) as caught:
        services.reference_create(
            workspace=workspace,
            title="Bad file",
            kind="report",
            file=UploadedDocument(name, content),
            acting_user=admin_user,
        )
    assert caught.value.code == ErrorCode.INVALID_VALUE
    assert [p.location for p in caught.value.problems] == ["file"]
    assert says in caught.value.problems[0].message
    assert not Reference.objects.exists()
    assert audit_actions(workspace) == before


@pytest.mark.django_db
def test_a_file_over_the_upload_limit_is_refused_as_too_large(workspace, admin_user, settings):
    settings.CTIP_MAX_UPLOAD_MB = 1
    content = PDF_BYTES + b"0" * (1024 * 1024)
    with pytest.raises(DomainError) as caught:
        reference_make(workspace, file=UploadedDocument("big.pdf", content))
    assert caught.value.code == ErrorCode.UPLOAD_TOO_LARGE
    assert "the limit is 1 MB" in caught.value.problems[0].message
    assert not Reference.objects.exists()


@pytest.mark.django_db
def test_every_problem_of_a_library_entry_is_reported_at_once(workspace, admin_user):
    with pytest.raises(DomainError) as caught:
        services.reference_create(
            workspace=workspace,
            title="",
            kind="novel",
            year=1850,
            url="not a web address",
            tags=["x" * 61],
            acting_user=admin_user,
        )
    locations = {p.location for p in caught.value.problems}
    assert locations == {"title", "kind", "year", "url", "tags"}
    assert "between 1900 and" in next(p.message for p in caught.value.problems if p.location == "year")
    assert not Reference.objects.exists()


@pytest.mark.django_db
def test_next_year_is_allowed_but_not_the_year_after(workspace):
    from django.utils import timezone

    next_year = timezone.now().year + 1
    assert reference_make(workspace, year=next_year).year == next_year
    with pytest.raises(DomainError):
        reference_make(workspace, year=next_year + 1)


def _update(reference, **changes):
    arguments = {
        "title": reference.title,
        "kind": reference.kind,
        "authors": reference.authors,
        "year": reference.year,
        "url": reference.url,
        "summary": reference.summary,
        "tags": reference.tags,
    }
    arguments.update(changes)
    return services.reference_update(workspace=reference.workspace, reference=reference, **arguments)


@pytest.mark.django_db
def test_reference_update_is_audited_and_a_stale_version_is_a_conflict(workspace, admin_user):
    reference = reference_make(workspace, title="Old title")
    updated = _update(reference, title="New title", expected_version=1, acting_user=admin_user)
    assert updated.version == 2
    entry = AuditEntry.objects.get(action="reference.update")
    assert entry.changes == {"title": ["Old title", "New title"]}
    with pytest.raises(DomainError) as caught:
        _update(reference, title="Overwrite", expected_version=1, acting_user=admin_user)
    assert caught.value.code == ErrorCode.CONFLICT
    assert Reference.objects.get(pk=reference.pk).title == "New title"


@pytest.mark.django_db
def test_replacing_a_file_with_another_of_the_same_size_is_saved_and_audited(workspace, admin_user):
    reference = reference_make(workspace, file=UploadedDocument("a.txt", b"first"))
    _update(reference, file=UploadedDocument("a.txt", b"other"), acting_user=admin_user)
    assert bytes(Reference.objects.get(pk=reference.pk).file_content) == b"other"
    change = AuditEntry.objects.get(action="reference.update").changes["file_content"]
    assert change[0] != change[1] and change[1].startswith("5 bytes, sha256 ")


@pytest.mark.django_db
def test_remove_file_drops_the_stored_file(workspace, admin_user):
    reference = reference_make(workspace, file=UploadedDocument("a.txt", b"text"))
    _update(reference, remove_file=True, acting_user=admin_user)
    stored = Reference.objects.get(pk=reference.pk)
    assert stored.file_content is None and stored.file_name == ""


@pytest.mark.django_db
def test_reference_delete_removes_findings_and_unlinks_assessments(workspace, admin_user):
    reference = reference_make(workspace)
    finding_make(reference)
    instrument = instrument_make(workspace, reference=reference)
    row = instrument.assessments.get(item_code="P01")
    services.assessment_update(
        workspace=workspace,
        assessment=row,
        status="met",
        provision="s. 11",
        evidence="",
        note="",
        reference_uuids=[reference.uuid],
        acting_user=admin_user,
    )
    services.reference_delete(workspace=workspace, reference=reference, acting_user=admin_user)
    assert not Reference.objects.exists() and not KeyFinding.objects.exists()
    assert LegalInstrument.objects.get(pk=instrument.pk).reference is None
    assert not row.references.exists()
    assert "reference.delete" in audit_actions(workspace)


@pytest.mark.django_db
def test_viewers_cannot_write_and_nothing_is_saved(workspace, make_member):
    viewer = make_member(workspace, "viewer").user
    with pytest.raises(DomainError) as caught:
        services.reference_create(workspace=workspace, title="T", kind="report", acting_user=viewer)
    assert caught.value.code == ErrorCode.PERMISSION_DENIED
    with pytest.raises(DomainError):
        services.instrument_create(workspace=workspace, title="Act", acting_user=viewer)
    assert not Reference.objects.exists() and not LegalInstrument.objects.exists()


# --- key findings ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_key_findings_are_created_and_deleted_with_audit_rows(workspace, admin_user):
    reference = reference_make(workspace)
    finding = services.key_finding_create(
        workspace=workspace,
        reference=reference,
        statement=" No shelter for adult men. ",
        location="p. 4",
        tags=["shelter"],
        acting_user=admin_user,
    )
    assert finding.statement == "No shelter for adult men."
    services.key_finding_update(
        workspace=workspace,
        finding=finding,
        statement="Changed.",
        location="p. 5",
        tags=[],
        acting_user=admin_user,
    )
    services.key_finding_delete(workspace=workspace, finding=finding, acting_user=admin_user)
    assert not KeyFinding.objects.exists()
    assert audit_actions(workspace)[-3:] == ["keyfinding.create", "keyfinding.update", "keyfinding.delete"]


@pytest.mark.django_db
def test_a_blank_finding_is_refused(workspace, admin_user):
    reference = reference_make(workspace)
    with pytest.raises(DomainError) as caught:
        services.key_finding_create(
            workspace=workspace, reference=reference, statement="  ", acting_user=admin_user
        )
    assert [p.location for p in caught.value.problems] == ["statement"]
    assert not KeyFinding.objects.exists()


@pytest.mark.django_db
def test_a_finding_cannot_be_added_to_another_workspaces_entry(workspace, admin_user, outsider):
    foreign = reference_make(Workspace.objects.get(slug="rwanda"))
    with pytest.raises(DomainError) as caught:
        services.key_finding_create(
            workspace=workspace, reference=foreign, statement="X", acting_user=admin_user
        )
    assert caught.value.code == ErrorCode.NOT_FOUND
    assert not KeyFinding.objects.exists()


# --- instruments and assessments ------------------------------------------------------------------------


@pytest.mark.django_db
def test_creating_an_instrument_creates_its_20_checklist_rows_not_assessed(workspace, admin_user):
    instrument = services.instrument_create(
        workspace=workspace,
        title="Combating of Trafficking in Persons Act 2009",
        short_name="CTIP Act",
        year=2009,
        acting_user=admin_user,
    )
    rows = list(instrument.assessments.order_by("item_code"))
    assert [row.item_code for row in rows] == [f"P{n:02d}" for n in range(1, 21)]
    assert {row.status for row in rows} == {"not_assessed"}
    assert audit_actions(workspace)[-1] == "legalinstrument.create"


@pytest.mark.django_db
def test_an_invalid_instrument_creates_no_rows(workspace, admin_user):
    with pytest.raises(DomainError) as caught:
        services.instrument_create(
            workspace=workspace, title="", year=3000, kind="treaty", acting_user=admin_user
        )
    assert {p.location for p in caught.value.problems} == {"title", "year", "kind"}
    assert not LegalInstrument.objects.exists() and not ChecklistAssessment.objects.exists()


@pytest.mark.django_db
def test_an_instrument_cannot_cite_another_workspaces_library_entry(workspace, admin_user, outsider):
    foreign = reference_make(Workspace.objects.get(slug="rwanda"))
    with pytest.raises(DomainError) as caught:
        services.instrument_create(
            workspace=workspace, title="Act", reference=foreign, acting_user=admin_user
        )
    assert [p.location for p in caught.value.problems] == ["reference"]


@pytest.mark.django_db
def test_instrument_update_and_delete_are_audited(workspace, admin_user):
    instrument = instrument_make(workspace, title="Act")
    services.instrument_update(
        workspace=workspace,
        instrument=instrument,
        title="Act 2009",
        short_name="",
        year=2009,
        kind="act",
        notes="",
        reference=None,
        expected_version=1,
        acting_user=admin_user,
    )
    with pytest.raises(DomainError) as caught:
        services.instrument_update(
            workspace=workspace,
            instrument=instrument,
            title="Stale",
            short_name="",
            year=2009,
            kind="act",
            notes="",
            reference=None,
            expected_version=1,
            acting_user=admin_user,
        )
    assert caught.value.code == ErrorCode.CONFLICT
    services.instrument_delete(workspace=workspace, instrument=instrument, acting_user=admin_user)
    assert not ChecklistAssessment.objects.exists()
    assert audit_actions(workspace)[-2:] == ["legalinstrument.update", "legalinstrument.delete"]


def _assess(row, *, acting_user, **changes):
    arguments = {
        "status": row.status,
        "provision": row.provision,
        "evidence": row.evidence,
        "note": row.note,
        "reference_uuids": [],
    }
    arguments.update(changes)
    return services.assessment_update(
        workspace=row.instrument.workspace, assessment=row, acting_user=acting_user, **arguments
    )


@pytest.mark.django_db
def test_assessment_update_saves_links_documents_and_is_audited(workspace, admin_user):
    instrument = instrument_make(workspace)
    document = reference_make(workspace, title="Act text")
    row = instrument.assessments.select_related("instrument").get(item_code="P09")
    updated = _assess(
        row,
        acting_user=admin_user,
        status="not_met",
        provision=" none ",
        evidence="No non-punishment clause.",
        note="Check the amendment.",
        reference_uuids=[str(document.uuid)],
        expected_version=1,
    )
    assert updated.version == 2 and updated.status == "not_met" and updated.provision == "none"
    assert list(updated.references.all()) == [document]
    entry = AuditEntry.objects.get(action="checklistassessment.update")
    assert entry.object_id == str(row.uuid)
    assert entry.changes["status"] == ["not_assessed", "not_met"]
    assert entry.changes["references"] == [[], [str(document.uuid)]]


@pytest.mark.django_db
def test_an_unchanged_assessment_writes_nothing(workspace, admin_user):
    row = instrument_make(workspace).assessments.select_related("instrument").get(item_code="P01")
    unchanged = _assess(row, acting_user=admin_user, expected_version=1)
    assert unchanged.version == 1
    assert "checklistassessment.update" not in audit_actions(workspace)


@pytest.mark.django_db
def test_a_stale_assessment_version_is_a_conflict_and_changes_nothing(workspace, admin_user):
    row = instrument_make(workspace).assessments.select_related("instrument").get(item_code="P01")
    _assess(row, acting_user=admin_user, status="met", expected_version=1)
    with pytest.raises(DomainError) as caught:
        _assess(row, acting_user=admin_user, status="not_met", expected_version=1)
    assert caught.value.code == ErrorCode.CONFLICT
    assert "version 1" in caught.value.message and "version 2" in caught.value.message
    assert ChecklistAssessment.objects.get(pk=row.pk).status == "met"


@pytest.mark.django_db
def test_documents_of_another_workspace_are_refused_and_nothing_changes(workspace, admin_user, outsider):
    own = reference_make(workspace)
    foreign = reference_make(Workspace.objects.get(slug="rwanda"))
    row = instrument_make(workspace).assessments.select_related("instrument").get(item_code="P01")
    before = audit_actions(workspace)
    with pytest.raises(DomainError) as caught:
        _assess(row, acting_user=admin_user, status="met", reference_uuids=[own.uuid, foreign.uuid])
    assert caught.value.code == ErrorCode.INVALID_VALUE
    assert [p.location for p in caught.value.problems] == ["references"]
    assert str(foreign.uuid) in caught.value.problems[0].message
    stored = ChecklistAssessment.objects.get(pk=row.pk)
    assert stored.status == "not_assessed" and not stored.references.exists()
    assert audit_actions(workspace) == before


@pytest.mark.django_db
def test_an_unknown_status_is_refused(workspace, admin_user):
    row = instrument_make(workspace).assessments.select_related("instrument").get(item_code="P01")
    with pytest.raises(DomainError) as caught:
        _assess(row, acting_user=admin_user, status="mostly")
    assert [p.location for p in caught.value.problems] == ["status"]


@pytest.mark.django_db
def test_an_assessment_of_another_workspace_cannot_be_changed(workspace, admin_user, outsider):
    rwanda = Workspace.objects.get(slug="rwanda")
    row = instrument_make(rwanda).assessments.select_related("instrument").get(item_code="P01")
    with pytest.raises(DomainError) as caught:
        services.assessment_update(
            workspace=workspace,
            assessment=row,
            status="met",
            provision="",
            evidence="",
            note="",
            reference_uuids=[],
            acting_user=admin_user,
        )
    assert caught.value.code == ErrorCode.NOT_FOUND
    assert ChecklistAssessment.objects.get(pk=row.pk).status == "not_assessed"


@pytest.mark.django_db(transaction=True)
def test_a_failing_audit_write_rolls_the_assessment_back(workspace, admin_user, monkeypatch):
    row = instrument_make(workspace).assessments.select_related("instrument").get(item_code="P01")

    def broken(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(versioning, "audit_record", broken)
    with pytest.raises(RuntimeError):
        _assess(row, acting_user=admin_user, status="met")
    assert ChecklistAssessment.objects.get(pk=row.pk).status == "not_assessed"


@pytest.mark.django_db
def test_a_web_address_without_scheme_gets_https(workspace):
    assert reference_make(workspace, url="www.state.gov/reports").url == "https://www.state.gov/reports"
