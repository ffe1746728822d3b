"""The TNA backup section (export → delete → restore → export gives the same), and the fictional demo."""

import copy
import io

import docx
import pytest

from ctip.core.errors import DomainError, ErrorCode
from ctip.formats.backup import backup_dumps, backup_loads
from ctip.formats.xlsform import xlsform_problems
from ctip.web.accounts.models import AuditEntry, Membership, User, Workspace
from ctip.web.stakeholders.demo import demo_stakeholders
from ctip.web.tna import demo, demo_web_form, services
from ctip.web.tna.demo import demo_tna, demo_tna_documents
from ctip.web.tna.models import (
    ColumnMapping,
    FormLink,
    FormResponse,
    ImportBatch,
    KoboConnection,
    SurveyInstrument,
    SurveyRating,
    SurveySubmission,
    WorkspaceCompetency,
)
from ctip.web.workspace_backup import workspace_backup, workspace_restore
from tests.web.tna.factories import kobo_csv, kobo_row


def empty_the_database():
    AuditEntry.objects.all().delete()
    Membership.objects.all().delete()
    Workspace.objects.all().delete()
    User.objects.all().delete()


@pytest.fixture
def demo_workspace(workspace, admin_user):
    demo_stakeholders(workspace=workspace, acting_user=admin_user)
    instrument = demo_tna(workspace=workspace, acting_user=admin_user)
    # A batch with rejected rows, a saved mapping and a Kobo connection, so every part is in the backup.
    services.survey_import_apply(
        workspace=workspace,
        instrument=instrument,
        data=kobo_csv(
            [kobo_row(1, organisation="PMO"), kobo_row(2, organisation="Nowhere")], codes=("FD01",)
        ),
        filename="partial.csv",
        valid_rows_only=True,
        acting_user=admin_user,
    )
    services.column_mapping_save(
        workspace=workspace,
        instrument=instrument,
        name="Paper forms",
        mapping={"Sexe": "sex"},
        acting_user=admin_user,
    )
    services.kobo_connection_ensure(
        workspace=workspace,
        server_url="https://kf.kobotoolbox.org",
        asset_uid="aBcD3fGh",
        acting_user=admin_user,
    )
    return workspace


@pytest.mark.django_db
def test_backup_round_trip_gives_the_same_tna(demo_workspace, admin_user):
    original = backup_loads(backup_dumps(workspace_backup(workspace=demo_workspace, acting_user=admin_user)))
    section = original["sections"]["tna"]
    assert len(section["competencies"]) == 48 and len(section["instruments"]) == 1
    assert len(section["submissions"]) == demo.DEMO_RESPONDENTS + demo_web_form.DEMO_SUBMITTED + 1
    assert (
        len(section["form_links"]) == 5 and len(section["form_responses"]) == demo_web_form.DEMO_SUBMITTED + 2
    )
    submitted = next(row for row in section["form_responses"] if row["submission"])
    assert submitted["answers"]["consent"] == "yes" and section["form_links"][0]["token"]
    assert len(section["batches"]) == 2 and section["batches"][0]["uuid"]
    assert any(batch["rejected_csv"] for batch in section["batches"])
    assert (
        section["mappings"][0]["name"] == "Paper forms"
        and section["kobo_connections"][0]["asset_uid"] == "aBcD3fGh"
    )
    assert "id" not in section["submissions"][0] and "token" not in str(section["kobo_connections"])
    ratings = SurveyRating.objects.count()
    empty_the_database()
    assert not SurveySubmission.objects.exists() and not WorkspaceCompetency.objects.exists()

    restored = workspace_restore(document=copy.deepcopy(original), acting_user=None)
    again = backup_loads(backup_dumps(workspace_backup(workspace=restored, acting_user=None)))
    assert again["sections"]["tna"] == section
    assert SurveyRating.objects.count() == ratings
    submission = (
        SurveySubmission.objects.filter(instrument__workspace=restored).exclude(organisation=None).first()
    )
    assert submission.organisation.workspace == restored
    assert bytes(ImportBatch.objects.get(file_name="partial.csv").rejected_csv).startswith(b"\xef\xbb\xbf")
    assert ColumnMapping.objects.count() == 1 and KoboConnection.objects.count() == 1
    response = FormResponse.objects.exclude(submission=None).first()
    assert response.submission.workspace == restored and response.link.workspace == restored


@pytest.mark.django_db
def test_a_backup_naming_an_unknown_instrument_restores_nothing(workspace, admin_user):
    demo_stakeholders(workspace=workspace, acting_user=admin_user)
    demo_tna(workspace=workspace, acting_user=admin_user)
    document = workspace_backup(workspace=workspace, acting_user=admin_user)
    empty_the_database()
    document["sections"]["tna"]["submissions"][0]["instrument"] = "00000000-0000-0000-0000-000000000000"
    with pytest.raises(DomainError) as caught:
        workspace_restore(document=document, acting_user=None)
    assert (
        caught.value.code is ErrorCode.BACKUP_FORMAT and "submissions[0].instrument" in caught.value.message
    )
    assert not Workspace.objects.exists() and not SurveyInstrument.objects.exists()


@pytest.mark.django_db
def test_the_demo_survey_is_fictional_realistic_and_idempotent(workspace, admin_user):
    demo_stakeholders(workspace=workspace, acting_user=admin_user)
    instrument = demo_tna(workspace=workspace, acting_user=admin_user)
    assert "fictional" in (demo.__doc__ or "").lower()
    submissions = SurveySubmission.objects.filter(instrument=instrument, source="demo")
    assert submissions.count() == demo.DEMO_RESPONDENTS
    web = SurveySubmission.objects.filter(instrument=instrument, source="web_form")
    assert web.count() == demo_web_form.DEMO_SUBMITTED and not web.filter(organisation=None).exists()
    statuses = sorted(
        FormResponse.objects.filter(link__instrument=instrument).values_list("status", flat=True)
    )
    assert statuses == ["declined", "in_progress", *["submitted"] * demo_web_form.DEMO_SUBMITTED]
    assert FormLink.objects.filter(instrument=instrument).count() == 5
    batch = ImportBatch.objects.get(instrument=instrument)
    assert (batch.source, batch.created_count, batch.rejected_count) == ("demo", demo.DEMO_RESPONDENTS, 0)
    codes = set(instrument.competencies.values_list("code", flat=True))
    assert {"FD01", "FD08", *demo.DEMO_SPECIALISED} <= codes and len(codes) == 12
    locations = [row.profile.get("location") for row in submissions]
    assert locations.count("rodrigues") >= 10
    trained = [row for row in submissions if row.profile.get("prior_training") == "yes"]
    assert 0.22 < len(trained) / len(locations) < 0.38
    ratings = list(SurveyRating.objects.filter(submission__in=submissions).select_related("submission"))
    important = sum(1 for r in ratings if r.importance >= 4) / len(ratings)
    assert important > 0.7

    def mean_competence(rows):
        return sum(r.competence for r in rows) / len(rows)

    foundational = [r for r in ratings if r.code.startswith("FD")]
    specialised = [r for r in ratings if not r.code.startswith("FD")]
    assert mean_competence(specialised) < mean_competence(foundational)
    with_training = [r for r in ratings if r.submission.profile.get("prior_training") == "yes"]
    without = [r for r in ratings if r.submission.profile.get("prior_training") == "no"]
    assert mean_competence(with_training) > mean_competence(without) + 0.4
    assert submissions.filter(sex="female").count() > 100 and submissions.filter(sex="not_stated").exists()

    audit = AuditEntry.objects.count()
    demo_tna(workspace=workspace, acting_user=admin_user)
    assert AuditEntry.objects.count() == audit
    assert SurveySubmission.objects.count() == demo.DEMO_RESPONDENTS + demo_web_form.DEMO_SUBMITTED


@pytest.mark.django_db
def test_the_demo_documents_are_the_xlsform_and_the_word_documents(workspace, admin_user):
    assert demo_tna_documents(workspace) == {}
    demo_stakeholders(workspace=workspace, acting_user=admin_user)
    demo_tna(workspace=workspace, acting_user=admin_user)
    files = demo_tna_documents(workspace)
    assert sorted(files) == [
        "tna-focus-group-guide-en.docx",
        "tna-focus-group-guide-fr.docx",
        "tna-interview-guide-en.docx",
        "tna-interview-guide-fr.docx",
        "tna-questionnaire-en.docx",
        "tna-questionnaire-fr.docx",
        "tna-survey-xlsform.xlsx",
    ]
    assert xlsform_problems(files["tna-survey-xlsform.xlsx"]) == []
    for name, content in files.items():
        if name.endswith(".docx"):
            assert docx.Document(io.BytesIO(content)).paragraphs
