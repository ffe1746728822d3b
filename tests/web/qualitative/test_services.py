"""Qualitative services: records with transcripts, the codebook, excerpts and the quote bank."""

import datetime as dt

import pytest

from ctip.core.errors import DomainError, ErrorCode
from ctip.web.accounts.models import AuditEntry
from ctip.web.qualitative import services
from ctip.web.qualitative.models import CodedExcerpt, QualitativeRecord, Theme
from ctip.web.qualitative.services import UploadedTranscript
from ctip.web.stakeholders.models import FocalPoint
from tests.web.qualitative.factories import (
    docx_bytes,
    excerpt_make,
    organisation_make,
    record_make,
    theme_make,
)


def last_audit(action):
    return AuditEntry.objects.filter(action=action).latest("at")


# --- Records ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_creating_a_record_with_organisations_and_a_docx_transcript_is_audited(workspace, admin_user):
    police = organisation_make(workspace, "mpf", type="law_enforcement")
    shelter = organisation_make(workspace, "shelter")
    transcript = UploadedTranscript(
        "C:\\notes\\fgd.docx",
        docx_bytes(
            "Q1. How are victims identified?", "By chance.", table=(("Who", "What"), ("P1", "No SOP"))
        ),
    )
    record = services.qualitative_record_create(
        workspace=workspace,
        kind="focus_group",
        date=dt.date(2025, 5, 6),
        title="  Focus group: frontline officers ",
        organisations=[police, shelter, police],
        participants_women=3,
        participants_men=5,
        transcript=transcript,
        acting_user=admin_user,
    )
    assert record.title == "Focus group: frontline officers"
    assert set(record.organisations.all()) == {police, shelter}
    assert record.transcript_name == "fgd.docx"
    assert record.transcript_text == "Q1. How are victims identified?\nBy chance.\nWho | What\nP1 | No SOP"
    entry = last_audit("qualitativerecord.create")
    assert entry.actor == admin_user and entry.workspace == workspace
    assert entry.changes["organisations"] == [None, sorted([str(police.uuid), str(shelter.uuid)])]
    # The audit log holds a digest of the transcript, not its text.
    assert entry.changes["transcript_text"][1].startswith(
        f"{len(record.transcript_text)} characters, sha256 "
    )


@pytest.mark.django_db
def test_a_txt_transcript_is_decoded_whatever_its_usual_encoding(workspace):
    for content in (
        "Café, “quotes”\r\n\r\n\r\nend".encode("utf-8-sig"),
        "Café end".encode("cp1252"),
        "Café end".encode("utf-16"),
    ):
        record = record_make(workspace, transcript=UploadedTranscript("notes.TXT", content))
        assert record.transcript_text.startswith("Café")
        assert "\n\n\n" not in record.transcript_text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "code", "words"),
    [
        (
            "notes.pdf",
            b"%PDF-1.4",
            ErrorCode.INVALID_VALUE,
            "is not a Word (.docx) or plain-text (.txt) file",
        ),
        ("notes.doc", b"\xd0\xcf\x11\xe0", ErrorCode.INVALID_VALUE, "is not a Word (.docx)"),
        ("notes.docx", b"not a zip", ErrorCode.INVALID_VALUE, "is not a readable Word document"),
        ("notes.txt", b"", ErrorCode.INVALID_VALUE, "is empty"),
        ("notes.txt", b"MZ\x00\x00binary", ErrorCode.INVALID_VALUE, "is not a plain-text file"),
        ("notes.txt", b"   \n  ", ErrorCode.INVALID_VALUE, "holds no text"),
    ],
)
def test_a_bad_transcript_is_refused_with_a_clear_message_and_nothing_is_saved(
    workspace, admin_user, name, content, code, words
):
    audit_rows = AuditEntry.objects.count()
    with pytest.raises(DomainError) as caught:
        record_make(workspace, transcript=UploadedTranscript(name, content))
    assert caught.value.code is code
    assert words in caught.value.message
    assert caught.value.problems[0].location == "transcript"
    assert not QualitativeRecord.objects.exists() and AuditEntry.objects.count() == audit_rows


@pytest.mark.django_db
def test_a_transcript_over_the_upload_limit_is_refused(workspace, settings):
    settings.CTIP_MAX_UPLOAD_MB = 1
    with pytest.raises(DomainError) as caught:
        record_make(workspace, transcript=UploadedTranscript("long.txt", b"a" * (1024 * 1024 + 1)))
    assert caught.value.code is ErrorCode.UPLOAD_TOO_LARGE
    assert "the limit is 1 MB" in caught.value.message
    assert not QualitativeRecord.objects.exists()


@pytest.mark.django_db
def test_every_problem_is_reported_at_once_including_the_transcript(workspace, outsider):
    from ctip.web.accounts.models import Workspace

    foreign = organisation_make(Workspace.objects.get(slug="rwanda"), "rib")
    with pytest.raises(DomainError) as caught:
        services.qualitative_record_create(
            workspace=workspace,
            kind="survey",
            date=None,
            title=" ",
            organisations=[foreign],
            participants_women=-1,
            transcript=UploadedTranscript("x.pdf", b"%PDF"),
            acting_user=None,
        )
    locations = {problem.location for problem in caught.value.problems}
    assert locations == {"kind", "date", "title", "participants_women", "organisations", "transcript"}
    assert not QualitativeRecord.objects.exists()


@pytest.mark.django_db
def test_updating_a_record_replaces_organisations_and_transcript_and_checks_the_version(
    workspace, admin_user
):
    police = organisation_make(workspace, "mpf")
    shelter = organisation_make(workspace, "shelter")
    record = record_make(workspace, organisations=[police])
    updated = services.qualitative_record_update(
        workspace=workspace,
        record=record,
        organisations=[shelter],
        transcript=UploadedTranscript("t.txt", b"New transcript"),
        notes="Changed notes",
        expected_version=1,
        acting_user=admin_user,
    )
    assert updated.version == 2 and list(updated.organisations.all()) == [shelter]
    assert updated.transcript_text == "New transcript" and updated.notes == "Changed notes"
    entry = last_audit("qualitativerecord.update")
    assert set(entry.changes) == {"organisations", "notes", "transcript_name", "transcript_text"}

    with pytest.raises(DomainError) as caught:
        services.qualitative_record_update(
            workspace=workspace, record=record, title="Stale", expected_version=1, acting_user=admin_user
        )
    assert caught.value.code is ErrorCode.CONFLICT
    removed = services.qualitative_record_update(
        workspace=workspace, record=record, remove_transcript=True, acting_user=admin_user
    )
    assert removed.transcript_text == "" and removed.transcript_name == "" and removed.version == 3


@pytest.mark.django_db
def test_an_update_that_changes_nothing_writes_nothing(workspace, admin_user):
    record = record_make(workspace)
    rows = AuditEntry.objects.count()
    same = services.qualitative_record_update(
        workspace=workspace, record=record, title=record.title, acting_user=admin_user
    )
    assert same.version == 1 and AuditEntry.objects.count() == rows


@pytest.mark.django_db
def test_a_bad_upload_on_update_changes_nothing(workspace, admin_user):
    record = record_make(workspace, transcript=UploadedTranscript("a.txt", b"Original"))
    with pytest.raises(DomainError):
        services.qualitative_record_update(
            workspace=workspace,
            record=record,
            notes="New notes",
            transcript=UploadedTranscript("a.xlsx", b"PK"),
            acting_user=admin_user,
        )
    record.refresh_from_db()
    assert record.transcript_text == "Original" and record.notes != "New notes" and record.version == 1


@pytest.mark.django_db
def test_unknown_fields_are_refused(workspace):
    record = record_make(workspace)
    with pytest.raises(DomainError) as caught:
        services.qualitative_record_update(
            workspace=workspace, record=record, workspace_id=3, acting_user=None
        )
    assert "cannot be changed here" in caught.value.message


@pytest.mark.django_db
def test_deleting_a_record_deletes_its_excerpts(workspace, admin_user):
    record = record_make(workspace)
    excerpt_make(record, theme_make(workspace))
    services.qualitative_record_delete(workspace=workspace, record=record, acting_user=admin_user)
    assert not QualitativeRecord.objects.exists() and not CodedExcerpt.objects.exists()
    assert last_audit("qualitativerecord.delete").changes["excerpts"] == [1, None]


@pytest.mark.django_db
def test_viewers_and_non_members_cannot_write(workspace, make_member, outsider):
    viewer = make_member(workspace, "viewer").user
    record = record_make(workspace)
    with pytest.raises(DomainError) as caught:
        services.qualitative_record_delete(workspace=workspace, record=record, acting_user=viewer)
    assert caught.value.code is ErrorCode.PERMISSION_DENIED
    with pytest.raises(DomainError) as caught:
        services.theme_create(workspace=workspace, code="X", name="X", acting_user=outsider)
    assert caught.value.code is ErrorCode.NOT_FOUND
    with pytest.raises(DomainError):
        services.quote_flag(excerpt=excerpt_make(record, theme_make(workspace)), acting_user=viewer)


@pytest.mark.django_db
def test_a_record_of_another_workspace_is_not_found(workspace, outsider):
    from ctip.web.accounts.models import Workspace

    record = record_make(Workspace.objects.get(slug="rwanda"))
    with pytest.raises(DomainError) as caught:
        services.qualitative_record_update(workspace=workspace, record=record, title="x", acting_user=None)
    assert caught.value.code is ErrorCode.NOT_FOUND


# --- Themes -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_themes_are_created_with_normalised_competency_codes_and_a_parent(workspace, admin_user):
    parent = theme_make(workspace, "T02", name="Unclear referral pathway")
    theme = services.theme_create(
        workspace=workspace,
        code="T02.1",
        name=" No feedback after referral ",
        pillar="protection",
        competency_codes=["rf02", " RF02", "cp01"],
        parent=parent,
        acting_user=admin_user,
    )
    assert theme.name == "No feedback after referral"
    assert theme.competency_codes == ["RF02", "CP01"]
    entry = last_audit("theme.create")
    assert entry.changes["parent"] == [None, str(parent.uuid)]
    assert entry.changes["competency_codes"] == [None, ["RF02", "CP01"]]


@pytest.mark.django_db
def test_theme_problems_are_all_reported_and_nothing_is_saved(workspace):
    theme_make(workspace, "T01")
    with pytest.raises(DomainError) as caught:
        services.theme_create(
            workspace=workspace,
            code="t01",
            name="",
            pillar="prosecutions",
            competency_codes=["ID01", "1bad"],
            acting_user=None,
        )
    messages = {problem.location: problem.message for problem in caught.value.problems}
    assert set(messages) == {"code", "name", "pillar", "competency_codes"}
    assert "already has a theme" in messages["code"] and "“1bad”" in messages["competency_codes"]
    assert Theme.objects.count() == 1


@pytest.mark.django_db
def test_a_theme_cannot_become_its_own_ancestor(workspace):
    parent = theme_make(workspace, "A")
    child = theme_make(workspace, "A.1", parent=parent)
    with pytest.raises(DomainError) as caught:
        services.theme_update(workspace=workspace, theme=parent, parent=child, acting_user=None)
    assert caught.value.problems[0].location == "parent"
    with pytest.raises(DomainError):
        services.theme_update(workspace=workspace, theme=parent, parent=parent, acting_user=None)


@pytest.mark.django_db
def test_theme_update_is_audited_and_guarded_by_version(workspace, admin_user):
    theme = theme_make(workspace, "T01")
    updated = services.theme_update(
        workspace=workspace, theme=theme, name="Renamed", expected_version=1, acting_user=admin_user
    )
    assert updated.name == "Renamed" and updated.version == 2
    assert last_audit("theme.update").changes == {"name": ["Theme T01", "Renamed"]}
    with pytest.raises(DomainError) as caught:
        services.theme_update(
            workspace=workspace, theme=theme, name="Again", expected_version=1, acting_user=None
        )
    assert caught.value.code is ErrorCode.CONFLICT


@pytest.mark.django_db
def test_a_theme_with_excerpts_or_sub_themes_cannot_be_deleted(workspace, admin_user):
    theme = theme_make(workspace, "T01")
    excerpt_make(record_make(workspace), theme)
    with pytest.raises(DomainError) as caught:
        services.theme_delete(workspace=workspace, theme=theme, acting_user=admin_user)
    assert caught.value.code is ErrorCode.CONFLICT
    assert "1 excerpt(s) are coded to it" in caught.value.message
    parent = theme_make(workspace, "P")
    theme_make(workspace, "P.1", parent=parent)
    with pytest.raises(DomainError) as caught:
        services.theme_delete(workspace=workspace, theme=parent, acting_user=admin_user)
    assert "sub-theme" in caught.value.message
    assert Theme.objects.count() == 3

    lonely = theme_make(workspace, "L")
    services.theme_delete(workspace=workspace, theme=lonely, acting_user=admin_user)
    assert not Theme.objects.filter(code="L").exists()
    assert last_audit("theme.delete").object_id == str(lonely.uuid)


# --- Excerpts and quotes ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_excerpt_is_coded_and_audited(workspace, admin_user):
    record = record_make(workspace)
    theme = theme_make(workspace)
    excerpt = services.excerpt_add(
        workspace=workspace, record=record, theme=theme, text="  Notice is needed. ", acting_user=admin_user
    )
    assert excerpt.text == "Notice is needed." and not excerpt.is_quote and excerpt.anonymised
    assert last_audit("codedexcerpt.create").changes["theme"] == [None, str(theme.uuid)]
    services.excerpt_delete(workspace=workspace, excerpt=excerpt, acting_user=admin_user)
    assert not CodedExcerpt.objects.exists()
    assert last_audit("codedexcerpt.delete").object_id == str(excerpt.uuid)


@pytest.mark.django_db
def test_excerpt_problems(workspace, outsider):
    from ctip.web.accounts.models import Workspace

    record = record_make(workspace)
    foreign = theme_make(Workspace.objects.get(slug="rwanda"), "F")
    with pytest.raises(DomainError) as caught:
        services.excerpt_add(workspace=workspace, record=record, theme=foreign, text=" ", acting_user=None)
    assert {p.location for p in caught.value.problems} == {"theme", "text"}
    with pytest.raises(DomainError) as caught:
        services.excerpt_add(
            workspace=workspace, record=record, theme=theme_make(workspace), text="x" * 4001, acting_user=None
        )
    assert "at most 4000 characters" in caught.value.problems[0].message
    assert not CodedExcerpt.objects.exists()


@pytest.fixture
def identified(workspace):
    """A record whose quotes must not name the organisation, its focal point or the facilitator."""
    police = organisation_make(workspace, "mpf", name="Mauritius Police Force", acronym="MPF")
    FocalPoint.objects.create(organisation=police, name="Inspector Example Sample")
    return record_make(workspace, organisations=[police], facilitator="Jean-Marc Lebrun")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Write to me at officer@police.gov.mu about it.", "officer@police.gov.mu"),
        ("Call +230 5712 3456 at night.", "+230 5712 3456"),
        ("Call 5712 3456 at night.", "5712 3456"),
        ("Ask inspector example sample, he knows.", "inspector example sample"),
        ("As Jean-Marc Lebrun asked us.", "Jean-Marc Lebrun"),
        ("At the MPF nobody knows.", "MPF"),
        ("The Mauritius Police Force has no SOP.", "Mauritius Police Force"),
        ("As Ada Admin told us.", "Ada Admin"),  # a member of the workspace
    ],
)
def test_quotes_that_may_identify_someone_are_refused_with_the_problems_listed(
    workspace, admin_user, identified, text, found
):
    theme = theme_make(workspace)
    excerpt = excerpt_make(identified, theme, text)
    assert not excerpt.anonymised
    rows = AuditEntry.objects.count()
    with pytest.raises(DomainError) as caught:
        services.quote_flag(excerpt=excerpt, acting_user=admin_user)
    assert caught.value.code is ErrorCode.INVALID_VALUE
    assert "cannot go into the quote bank" in caught.value.message
    assert [f"“{found}”" in p.message for p in caught.value.problems] == [True]
    excerpt.refresh_from_db()
    assert not excerpt.is_quote and AuditEntry.objects.count() == rows
    # Marking it as a quote when coding is refused the same way, and codes nothing.
    with pytest.raises(DomainError):
        excerpt_make(identified, theme, text, is_quote=True)
    assert CodedExcerpt.objects.count() == 1


@pytest.mark.django_db
def test_an_anonymised_quote_enters_the_quote_bank_and_can_leave_it(workspace, admin_user, identified):
    excerpt = excerpt_make(identified, theme_make(workspace), "Each station does it its own way.")
    flagged = services.quote_flag(excerpt=excerpt, acting_user=admin_user)
    assert flagged.is_quote and flagged.anonymised
    assert last_audit("quote.flag").changes == {"is_quote": [False, True]}
    again = services.quote_flag(excerpt=flagged, acting_user=admin_user)
    assert AuditEntry.objects.filter(action="quote.flag").count() == 1 and again.is_quote
    unflagged = services.quote_unflag(excerpt=flagged, acting_user=admin_user)
    assert not unflagged.is_quote and last_audit("quote.unflag").changes == {"is_quote": [True, False]}
    direct = excerpt_make(identified, theme_make(workspace), "Nobody calls the next morning.", is_quote=True)
    assert direct.is_quote and direct.anonymised


@pytest.mark.django_db
def test_a_zip_that_is_not_a_word_document_or_unpacks_too_large_is_refused(workspace, settings):
    import io
    import zipfile

    settings.CTIP_MAX_UPLOAD_MB = 1

    def archive(name, size):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
            zipped.writestr(name, b" " * size)
        return buffer.getvalue()

    with pytest.raises(DomainError) as caught:
        record_make(workspace, transcript=UploadedTranscript("x.docx", archive("xl/workbook.xml", 10)))
    assert "is not a readable Word document" in caught.value.message
    with pytest.raises(DomainError) as caught:
        record_make(
            workspace, transcript=UploadedTranscript("x.docx", archive("word/document.xml", 11 * 1024 * 1024))
        )
    assert caught.value.code is ErrorCode.UPLOAD_TOO_LARGE and "split it" in caught.value.message
    assert not QualitativeRecord.objects.exists()
