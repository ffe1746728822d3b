"""The registry's pages: they render, change data through the services, refuse viewers, and keep the
list at a fixed number of queries."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ctip.web.accounts.models import AuditEntry
from ctip.web.stakeholders import services
from ctip.web.stakeholders.models import (
    FocalPoint,
    Organisation,
    OrganisationRelation,
    OrganisationType,
    PriorTraining,
)
from tests.web.stakeholders.factories import (
    focal_point_make,
    organisation_make,
    prior_training_make,
    relation_make,
)

BASE = "/w/mauritius/stakeholders/"


def organisation_form(**changes):
    data = {
        "name": "Safe Haven Shelter",
        "acronym": "SHS",
        "key": "",
        "type": "ngo",
        "sector": "civil_society",
        "level": "local",
        "location": "Curepipe",
        "parent": "",
        "pillars": ["protection"],
        "chain_stages": ["protection_assistance", "referral"],
        "mandate": "Shelter for women and girls.",
        "staff_women": "6",
        "staff_men": "2",
        "staff_total": "",
        "frontline_women": "",
        "frontline_men": "",
        "staff_as_of": "2024-06-30",
        "influence": "2",
        "interest": "5",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_list_shows_the_registry_and_filters_it(admin_client, workspace):
    organisation_make(
        workspace, "ATU", name="Anti-Trafficking Unit", type="law_enforcement", pillars=["prosecution"]
    )
    organisation_make(workspace, "SHS", name="Safe Haven Shelter", type="ngo", location="Curepipe")
    page = admin_client.get(BASE)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Anti-Trafficking Unit" in text and "Safe Haven Shelter" in text and "2 organisations" in text
    filtered = admin_client.get(BASE, {"type": "ngo", "q": ""}).content.decode()
    assert "Safe Haven Shelter" in filtered and "Anti-Trafficking Unit" not in filtered
    assert "1 organisation shown of 2" in filtered
    assert "Anti-Trafficking Unit" in admin_client.get(BASE, {"pillar": "prosecution"}).content.decode()
    assert "Safe Haven" in admin_client.get(BASE, {"location": "Curepipe"}).content.decode()
    assert "No organisation matches" in admin_client.get(BASE, {"q": "nothing like it"}).content.decode()


@pytest.mark.django_db
def test_list_and_detail_pages_use_a_fixed_number_of_queries(admin_client, workspace):
    parent = organisation_make(workspace, "MPF")

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(url).status_code == 200
        return len(captured)

    detail = f"{BASE}{parent.uuid}/"
    small = (queries(BASE), queries(detail), queries(f"{BASE}mapping/"))
    for index in range(6):
        child = organisation_make(workspace, f"UNIT{index}", parent=parent, pillars=["protection"])
        focal_point_make(parent, f"Person {index}")
        prior_training_make(parent, topic=f"Topic {index}")
        relation_make(parent, child)
        focal_point_make(child, f"Child person {index}")
    assert (queries(BASE), queries(detail), queries(f"{BASE}mapping/")) == small


@pytest.mark.django_db
def test_create_edit_and_delete_an_organisation(admin_client, workspace):
    parent = organisation_make(workspace, "MGEFW", name="Ministry of Gender Equality")
    response = admin_client.post(f"{BASE}new/", organisation_form(parent=str(parent.uuid)))
    assert response.status_code == 302
    shelter = Organisation.objects.get(workspace=workspace, key="SHS")
    assert response["Location"] == f"{BASE}{shelter.uuid}/"
    assert (shelter.parent, shelter.staff_total, shelter.chain_stages) == (
        parent,
        8,
        ["referral", "protection_assistance"],
    )
    edit = admin_client.get(f"{BASE}{shelter.uuid}/edit/")
    assert edit.status_code == 200 and 'name="version"' in edit.content.decode()
    response = admin_client.post(
        f"{BASE}{shelter.uuid}/edit/", organisation_form(name="Shelter (renamed)", version=1)
    )
    assert response.status_code == 302
    shelter.refresh_from_db()
    assert shelter.name == "Shelter (renamed)" and shelter.parent is None and shelter.version == 2
    response = admin_client.post(f"{BASE}{shelter.uuid}/delete/")
    assert response.status_code == 302 and response["Location"] == BASE
    assert not Organisation.objects.filter(pk=shelter.pk).exists()
    assert AuditEntry.objects.filter(action="organisation.delete", object_id=shelter.uuid).exists()


@pytest.mark.django_db
def test_a_refused_form_shows_the_problems_on_their_fields_and_saves_nothing(admin_client, workspace):
    response = admin_client.post(
        f"{BASE}new/", organisation_form(staff_total="5", frontline_women="9", influence="7", name="")
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert {"name", "influence"} <= set(form.errors)
    response = admin_client.post(f"{BASE}new/", organisation_form(staff_total="5", frontline_women="9"))
    assert response.status_code == 400
    assert {"staff_total", "frontline_women"} <= set(response.context["form"].errors)
    assert not Organisation.objects.filter(workspace=workspace).exists()


@pytest.mark.django_db
def test_an_edit_from_an_old_version_shows_a_conflict(admin_client, workspace, admin_user):
    shelter = organisation_make(workspace, "SHS", name="Safe Haven Shelter")
    services.organisation_update(
        workspace=workspace, organisation=shelter, mandate="Changed elsewhere", acting_user=admin_user
    )
    response = admin_client.post(f"{BASE}{shelter.uuid}/edit/", organisation_form(version=1))
    assert response.status_code == 400
    assert "Someone else changed this organisation" in response.content.decode()
    shelter.refresh_from_db()
    assert shelter.mandate == "Changed elsewhere"


@pytest.mark.django_db
def test_focal_points_trainings_and_relations_are_added_and_removed_on_the_detail_page(
    admin_client, workspace
):
    unit = organisation_make(workspace, "ATU", name="Anti-Trafficking Unit")
    shelter = organisation_make(workspace, "SHS", name="Safe Haven Shelter")
    detail = f"{BASE}{unit.uuid}/"
    assert (
        admin_client.post(
            f"{detail}focal-points/add/", {"name": "Demo Person", "email": "demo@example.org"}
        ).status_code
        == 302
    )
    assert (
        admin_client.post(
            f"{detail}trainings/add/",
            {
                "year": 2023,
                "topic": "Victim identification",
                "provider": "IOM",
                "participants_women": 3,
                "participants_men": 5,
            },
        ).status_code
        == 302
    )
    response = admin_client.post(
        f"{detail}relations/add/",
        {"direction": "incoming", "kind": "refers_cases_to", "other": str(shelter.uuid)},
    )
    assert response.status_code == 302
    relation = OrganisationRelation.objects.get()
    assert (relation.source, relation.target) == (shelter, unit)
    again = admin_client.post(
        f"{detail}relations/add/",
        {"direction": "incoming", "kind": "refers_cases_to", "other": str(shelter.uuid)},
    )
    assert again.status_code == 400 and "already recorded" in again.content.decode()
    page = admin_client.get(detail).content.decode()
    assert "Demo Person" in page and "Victim identification" in page and "Safe Haven Shelter" in page
    person, training = FocalPoint.objects.get(), PriorTraining.objects.get()
    assert admin_client.post(f"{detail}focal-points/{person.uuid}/delete/").status_code == 302
    assert admin_client.post(f"{detail}trainings/{training.uuid}/delete/").status_code == 302
    assert admin_client.post(f"{detail}relations/{relation.uuid}/delete/").status_code == 302
    assert not FocalPoint.objects.exists() and not PriorTraining.objects.exists()
    assert not OrganisationRelation.objects.exists()
    bad = admin_client.post(f"{detail}focal-points/add/", {"name": "", "email": "nope"})
    assert bad.status_code == 400 and {"name", "email"} <= set(bad.context["focal_point_form"].errors)


@pytest.mark.django_db
def test_objects_of_another_organisation_are_not_found(admin_client, workspace):
    unit = organisation_make(workspace, "ATU")
    other = organisation_make(workspace, "SHS")
    person = focal_point_make(other, "Demo Person")
    assert admin_client.post(f"{BASE}{unit.uuid}/focal-points/{person.uuid}/delete/").status_code == 404
    assert FocalPoint.objects.exists()


@pytest.mark.django_db
def test_viewers_read_but_cannot_change(client, workspace, make_member):
    viewer = make_member(workspace, "viewer").user
    client.force_login(viewer)
    shelter = organisation_make(workspace, "SHS", name="Safe Haven Shelter")
    assert client.get(BASE).status_code == 200
    page = client.get(f"{BASE}{shelter.uuid}/")
    assert page.status_code == 200 and "Add a focal point" not in page.content.decode()
    assert client.get(f"{BASE}mapping/").status_code == 200
    assert client.get(f"{BASE}export.csv").status_code == 200
    assert client.get(f"{BASE}new/").status_code == 403
    assert client.get(f"{BASE}{shelter.uuid}/edit/").status_code == 403
    assert client.post(f"{BASE}{shelter.uuid}/delete/").status_code == 403
    assert client.get(f"{BASE}import/").status_code == 403
    assert client.get(f"{BASE}types/").status_code == 200
    assert client.post(f"{BASE}types/", {"code": "x", "label": "X"}).status_code == 403
    assert Organisation.objects.filter(pk=shelter.pk).exists()


@pytest.mark.django_db
def test_import_page_previews_then_applies_the_uploaded_file(admin_client, workspace):
    organisation_make(workspace, "ATU", name="Anti-Trafficking Unit", type="law_enforcement", influence=4)
    data = b"id,name,type,influence\r\nATU,Anti-Trafficking Unit,law_enforcement,5\r\nSHS,Shelter,ngo,2\r\n"
    upload = io.BytesIO(data)
    upload.name = "registry.csv"
    preview = admin_client.post(f"{BASE}import/", {"file": upload})
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "1 to add, 1 to update, 0 unchanged" in text and "Apply the import" in text
    assert Organisation.objects.filter(workspace=workspace).count() == 1
    wrong = admin_client.post(f"{BASE}import/", {"apply": "1", "digest": "not-the-file"})
    assert wrong.status_code == 302
    assert Organisation.objects.filter(workspace=workspace).count() == 1
    result = admin_client.post(f"{BASE}import/", {"apply": "1", "digest": preview.context["digest"]})
    assert result.status_code == 200 and "Import done" in result.content.decode()
    assert Organisation.objects.get(key="ATU").influence == 5
    assert Organisation.objects.filter(workspace=workspace).count() == 2
    replay = admin_client.post(f"{BASE}import/", {"apply": "1", "digest": preview.context["digest"]})
    assert replay.status_code == 302  # the kept file is used once


@pytest.mark.django_db
def test_import_page_lists_the_problems_by_row_and_column(admin_client, workspace):
    upload = io.BytesIO(b"id,name,type,staff_women\r\nA,Alpha,ngo,-3\r\nA,Beta,spaceship,1\r\n")
    upload.name = "registry.csv"
    response = admin_client.post(f"{BASE}import/", {"file": upload})
    assert response.status_code == 400
    problems = response.context["problems"]
    assert {(p["row"], p["column"]) for p in problems} >= {("2", "staff_women"), ("3", "id"), ("3", "type")}
    assert "Nothing was saved" in response.content.decode()
    assert not Organisation.objects.filter(workspace=workspace).exists()
    workbook = openpyxl.Workbook()
    workbook.active.append(["id", "name", "type"])
    workbook.active.append(["A", "=1+1", "ngo"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "registry.xlsx"
    response = admin_client.post(f"{BASE}import/", {"file": upload})
    assert [(p["row"], p["column"]) for p in response.context["problems"]] == [("2", "name (B)")]


@pytest.mark.django_db
def test_downloads_template_and_exports(admin_client, workspace):
    organisation_make(workspace, "SHS", name="=cmd|' /C calc'!A0")
    template = admin_client.get(f"{BASE}template.xlsx")
    assert template.status_code == 200 and template["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    assert "attachment" in template["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(admin_client.get(f"{BASE}export.xlsx").content))
    assert workbook.worksheets[0]["B2"].value == "'=cmd|' /C calc'!A0"
    csv_text = admin_client.get(f"{BASE}export.csv").content.decode("utf-8")
    assert "'=cmd|' /C calc'!A0" in csv_text


@pytest.mark.django_db
def test_types_page_adds_and_edits_types(admin_client, workspace):
    assert admin_client.get(f"{BASE}types/").status_code == 200
    response = admin_client.post(
        f"{BASE}types/", {"code": "faith_based", "label": "Faith-based organisation"}
    )
    assert response.status_code == 302
    added = OrganisationType.objects.get(workspace=workspace, code="faith_based")
    response = admin_client.post(f"{BASE}types/", {"type": str(added.uuid), "label": "Faith group"})
    assert response.status_code == 302
    added.refresh_from_db()
    assert (added.label, added.is_active) == ("Faith group", False)
    duplicate = admin_client.post(f"{BASE}types/", {"code": "faith_based", "label": "Again"})
    assert duplicate.status_code == 400 and "already in the list" in duplicate.content.decode()


@pytest.mark.django_db
def test_mapping_page_shows_the_matrix_and_inline_charts(admin_client, workspace):
    unit = organisation_make(
        workspace,
        "ATU",
        name="Anti-Trafficking Unit",
        acronym="ATU",
        pillars=["prosecution"],
        chain_stages=["investigation"],
        influence=5,
        interest=5,
    )
    shelter = organisation_make(
        workspace, "SHS", name="<b>Shelter</b>", acronym="<i>SHS</i>", influence=2, interest=5
    )
    relation_make(unit, shelter)
    response = admin_client.get(f"{BASE}mapping/")
    assert response.status_code == 200
    text = response.content.decode()
    assert text.count("<svg") == 7
    assert "<i>SHS</i>" not in text and "&lt;i&gt;SHS&lt;/i&gt;" in text
    assert "Manage closely (1)" in text and "Keep informed (1)" in text
