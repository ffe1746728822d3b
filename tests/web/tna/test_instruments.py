"""Survey instruments: built from the framework and the registry, stored with what was built, refused when
the choice of competencies, segment or scale is wrong; their XLSForm converts with pyxform and their Word
documents open."""

import io

import docx
import openpyxl
import pytest

from ctip.core.errors import DomainError, ErrorCode
from ctip.formats.xlsform import xlsform_problems
from ctip.web.accounts.models import AuditEntry
from ctip.web.tna import documents, services
from ctip.web.tna.models import SurveyInstrument, WorkspaceCompetency
from tests.web.stakeholders.factories import organisation_make
from tests.web.tna.factories import instrument_make, registry_make


@pytest.mark.django_db
def test_an_instrument_is_built_from_the_framework_and_the_registry(workspace, admin_user):
    registry_make(workspace)
    organisation_make(
        workspace, "LAB INSP", name="Labour inspectorate", type="labour_inspection", location="Port Louis"
    )
    instrument = services.instrument_create(
        workspace=workspace,
        title="Labour inspectors' survey",
        segment="labour_inspection",
        competency_codes=["fd01", "LI01", "FD02"],
        scale_max=7,
        acting_user=admin_user,
    )
    assert instrument.form_id == "ctip_tna_mauritius_1" and len(instrument.form_version) == 12
    assert sorted(instrument.competencies.values_list("code", flat=True)) == ["FD01", "FD02", "LI01"]
    built = services.instrument_of(instrument)
    assert [c.code for c in built.competencies] == ["FD01", "FD02", "LI01"] and built.scale_max == 7
    organisation = next(q for q in built.profile_questions if q.name == "organisation")
    # Only the segment's organisations; a key with a space becomes a valid choice name.
    assert [c.name for c in organisation.choices] == ["LAB_INSP", "other"]
    location = next(q for q in built.profile_questions if q.name == "location")
    assert [c.label.en for c in location.choices] == ["Curepipe", "Port Louis", "Rodrigues"]
    entry = AuditEntry.objects.get(action="surveyinstrument.create")
    assert entry.changes["segment"] == [None, "labour_inspection"] and entry.actor == admin_user
    second = instrument_make(workspace, title="Everyone")
    assert second.form_id == "ctip_tna_mauritius_2"
    everyone = next(q for q in services.instrument_of(second).profile_questions if q.name == "organisation")
    assert len(everyone.choices) == 5  # every organisation of the registry, and "other"


@pytest.mark.django_db
def test_a_wrong_instrument_is_refused_with_every_problem_and_nothing_saved(workspace, admin_user):
    services.framework_ensure(workspace=workspace, acting_user=admin_user)
    retired = WorkspaceCompetency.objects.get(workspace=workspace, code="FD03")
    services.competency_retire(workspace=workspace, competency=retired, acting_user=admin_user)
    audit = AuditEntry.objects.count()
    with pytest.raises(DomainError) as caught:
        services.instrument_create(
            workspace=workspace,
            title="Survey",
            segment="astronauts",
            competency_codes=["FD01", "ZZ99", "FD03"],
            scale_max=5,
            acting_user=admin_user,
        )
    assert caught.value.code is ErrorCode.INVALID_VALUE
    messages = [p.render() for p in caught.value.problems]
    assert [p.location for p in caught.value.problems] == ["segment", "competencies", "competencies"]
    assert "ZZ99" in messages[1] and "FD03" in messages[2]
    with pytest.raises(DomainError) as caught:
        services.instrument_create(
            workspace=workspace,
            title="",
            segment="",
            competency_codes=[],
            scale_max=6,
            acting_user=admin_user,
        )
    assert {p.location for p in caught.value.problems} == {"scale_max", "title", "competencies"}
    assert not SurveyInstrument.objects.exists() and AuditEntry.objects.count() == audit


@pytest.mark.django_db
def test_viewers_cannot_create_instruments(workspace, make_member):
    viewer = make_member(workspace, "viewer").user
    with pytest.raises(DomainError) as caught:
        services.instrument_create(
            workspace=workspace,
            title="x",
            segment="",
            competency_codes=["FD01"],
            scale_max=5,
            acting_user=viewer,
        )
    assert caught.value.code is ErrorCode.PERMISSION_DENIED


@pytest.mark.django_db
def test_the_xlsform_download_converts_with_pyxform(admin_client, workspace):
    registry_make(workspace)
    instrument = instrument_make(workspace, codes=("FD01", "ID01", "PR01"))
    response = admin_client.get(f"/w/mauritius/tna/instruments/{instrument.uuid}/xlsform.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{instrument.form_id}.xlsx"'
    data = response.content
    assert xlsform_problems(data, validate=False) == []
    survey = openpyxl.load_workbook(io.BytesIO(data))["survey"]
    names = {row[1] for row in survey.iter_rows(min_row=2, values_only=True)}
    assert {"imp_FD01", "comp_FD01", "imp_PR01", "comp_PR01", "organisation", "sex"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["questionnaire", "interview-guide", "focus-group-guide"])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_word_documents_download_and_open(admin_client, workspace, kind, language):
    instrument = instrument_make(workspace)
    response = admin_client.get(
        f"/w/mauritius/tna/instruments/{instrument.uuid}/{kind}.docx?language={language}"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'-{kind}-{language}.docx"')
    opened = docx.Document(io.BytesIO(response.content))
    text = "\n".join(paragraph.text for paragraph in opened.paragraphs)
    cells = " ".join(cell.text for table in opened.tables for row in table.rows for cell in row.cells)
    title = "Définir la traite des personnes" if language == "fr" else "Defining trafficking in persons"
    assert title in text + cells
    assert opened.core_properties.language == language
    assert documents.document_filename(instrument, kind=kind, language="xx").endswith("-en.docx")
