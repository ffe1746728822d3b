"""Services of the stakeholder registry: each change is validated, audited, and a refused change saves
nothing."""

import datetime as dt

import pytest

from ctip.core.errors import DomainError, ErrorCode
from ctip.web.accounts.models import AuditEntry
from ctip.web.stakeholders import services
from ctip.web.stakeholders.models import (
    FocalPoint,
    Organisation,
    OrganisationRelation,
    OrganisationType,
    PriorTraining,
)
from tests.web.factories import workspace_make
from tests.web.stakeholders.factories import (
    focal_point_make,
    organisation_make,
    prior_training_make,
    relation_make,
)


def audit(workspace, action):
    return list(AuditEntry.objects.filter(workspace=workspace, action=action).order_by("at", "id"))


def problem_locations(error: DomainError) -> list[str]:
    return [problem.location for problem in error.problems]


@pytest.mark.django_db
def test_types_are_seeded_once_from_the_default_list(workspace, admin_user):
    services.organisation_types_ensure(workspace=workspace, acting_user=admin_user)
    codes = set(OrganisationType.objects.filter(workspace=workspace).values_list("code", flat=True))
    assert {"ngo", "law_enforcement", "corporate_business", "academia"} <= codes
    seeded = len(audit(workspace, "organisationtype.create"))
    assert seeded == len(codes) == 14
    services.organisation_types_ensure(workspace=workspace, acting_user=admin_user)
    assert OrganisationType.objects.filter(workspace=workspace).count() == 14
    assert len(audit(workspace, "organisationtype.create")) == seeded


@pytest.mark.django_db
def test_a_type_can_be_added_renamed_and_deactivated_but_its_code_is_fixed_once_used(workspace, admin_user):
    added = services.organisation_type_create(
        workspace=workspace, code="faith_based", label="Faith-based organisation", acting_user=admin_user
    )
    with pytest.raises(DomainError) as duplicate:
        services.organisation_type_create(
            workspace=workspace, code="Faith_Based", label="x", acting_user=admin_user
        )
    assert problem_locations(duplicate.value) == ["code"]
    organisation_make(workspace, "CHURCH", type="faith_based")
    with pytest.raises(DomainError) as used:
        services.organisation_type_update(
            workspace=workspace, organisation_type=added, code="religious", acting_user=admin_user
        )
    assert "1 organisation(s) use it" in used.value.problems[0].message
    changed = services.organisation_type_update(
        workspace=workspace,
        organisation_type=added,
        label="Faith group",
        is_active=False,
        acting_user=admin_user,
    )
    assert (changed.code, changed.label, changed.is_active) == ("faith_based", "Faith group", False)
    assert audit(workspace, "organisationtype.update")[-1].changes == {
        "is_active": [True, False],
        "label": ["Faith-based organisation", "Faith group"],
    }
    # An organisation keeps its deactivated type, but a new one cannot take it.
    church = Organisation.objects.get(key="CHURCH")
    services.organisation_update(
        workspace=workspace, organisation=church, name="Church", acting_user=admin_user
    )
    with pytest.raises(DomainError) as inactive:
        organisation_make(workspace, "TEMPLE", type="faith_based")
    assert problem_locations(inactive.value) == ["type"]


@pytest.mark.django_db
def test_organisation_create_is_audited_with_every_field(workspace, admin_user):
    created = services.organisation_create(
        workspace=workspace,
        name="  Anti-Trafficking   Unit ",
        acronym="ATU",
        type="law_enforcement",
        sector="government",
        pillars=["protection", "prosecution", "protection"],
        chain_stages=["investigation", "identification"],
        staff_women=8,
        staff_men=16,
        staff_as_of=dt.date(2024, 6, 30),
        influence=4,
        interest=5,
        acting_user=admin_user,
    )
    assert created.key == "ATU"  # the acronym, when no key is given
    assert created.name == "Anti-Trafficking Unit"
    assert created.staff_total == 24  # women + men
    assert created.pillars == ["protection", "prosecution"]  # code-list order, once each
    assert created.chain_stages == ["identification", "investigation"]
    entry = audit(workspace, "organisation.create")[-1]
    assert entry.object_id == str(created.uuid) and entry.actor == admin_user
    assert entry.changes["staff_total"] == [None, 24]
    assert entry.changes["staff_as_of"] == [None, "2024-06-30"]


@pytest.mark.django_db
def test_refused_organisations_name_every_problem_and_save_nothing(workspace, admin_user):
    organisation_make(workspace, "ATU")
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as error:
        services.organisation_create(
            workspace=workspace,
            key="atu",
            name="Another",
            type="spaceship",
            pillars=["protection", "magic"],
            staff_women=5,
            staff_men=5,
            staff_total=8,
            frontline_women=7,
            influence=9,
            acting_user=admin_user,
        )
    locations = problem_locations(error.value)
    assert {"type", "pillars", "staff_total", "frontline_women", "influence"} <= set(locations)
    with pytest.raises(DomainError) as duplicate:
        organisation_make(workspace, "atu")
    assert duplicate.value.code == ErrorCode.ALREADY_EXISTS
    assert problem_locations(duplicate.value) == ["key"]
    assert Organisation.objects.filter(workspace=workspace).count() == 1
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_a_parent_from_another_workspace_is_refused(workspace, admin_user):
    elsewhere = organisation_make(workspace_make("seychelles"), "POL")
    with pytest.raises(DomainError) as error:
        organisation_make(workspace, "UNIT", parent=elsewhere)
    assert error.value.code == ErrorCode.NOT_FOUND
    assert not Organisation.objects.filter(workspace=workspace).exists()


@pytest.mark.django_db
def test_update_is_audited_and_refuses_parent_loops(workspace, admin_user):
    police = organisation_make(workspace, "MPF", name="Police")
    unit = organisation_make(workspace, "ATU", name="Unit", parent=police)
    team = organisation_make(workspace, "TEAM", name="Team", parent=unit)
    changed = services.organisation_update(
        workspace=workspace, organisation=police, location="Port Louis", influence=5, acting_user=admin_user
    )
    assert changed.version == 2
    assert audit(workspace, "organisation.update")[-1].changes == {
        "influence": [None, 5],
        "location": ["", "Port Louis"],
    }
    for parent in (team, police):
        with pytest.raises(DomainError) as loop:
            services.organisation_update(
                workspace=workspace, organisation=police, parent=parent, acting_user=admin_user
            )
        assert problem_locations(loop.value) == ["parent"]
    police.refresh_from_db()
    assert police.parent is None and police.version == 2


@pytest.mark.django_db
def test_an_edit_from_an_old_version_is_a_conflict(workspace, admin_user):
    shelter = organisation_make(workspace, "SHS", name="Shelter")
    services.organisation_update(
        workspace=workspace, organisation=shelter, name="Shelter (renamed)", acting_user=admin_user
    )
    with pytest.raises(DomainError) as error:
        services.organisation_update(
            workspace=workspace,
            organisation=shelter,
            name="My edit",
            expected_version=1,
            acting_user=admin_user,
        )
    assert error.value.code == ErrorCode.CONFLICT
    shelter.refresh_from_db()
    assert shelter.name == "Shelter (renamed)"


@pytest.mark.django_db
def test_an_unchanged_update_writes_no_audit_row(workspace, admin_user):
    shelter = organisation_make(workspace, "SHS", name="Shelter", pillars=["protection"])
    before = AuditEntry.objects.count()
    services.organisation_update(
        workspace=workspace,
        organisation=shelter,
        name="Shelter",
        pillars=["protection"],
        acting_user=admin_user,
    )
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_delete_audits_what_goes_with_the_organisation_and_keeps_its_children(workspace, admin_user):
    police = organisation_make(workspace, "MPF")
    unit = organisation_make(workspace, "ATU", parent=police)
    shelter = organisation_make(workspace, "SHS")
    focal_point_make(police, "Demo Person")
    prior_training_make(police)
    relation_make(police, shelter)
    relation_make(shelter, police, "coordinates_with")
    services.organisation_delete(workspace=workspace, organisation=police, acting_user=admin_user)
    assert not Organisation.objects.filter(pk=police.pk).exists()
    unit.refresh_from_db()
    assert unit.parent is None
    assert not FocalPoint.objects.exists() and not PriorTraining.objects.exists()
    assert not OrganisationRelation.objects.exists()
    actions = [e.action for e in AuditEntry.objects.filter(workspace=workspace).order_by("-id")[:6]]
    assert sorted(actions) == sorted(
        [
            "organisation.delete",
            "organisation.update",
            "focalpoint.delete",
            "priortraining.delete",
            "organisationrelation.delete",
            "organisationrelation.delete",
        ]
    )


@pytest.mark.django_db
def test_viewers_cannot_change_the_registry(workspace, make_member):
    viewer = make_member(workspace, "viewer").user
    shelter = organisation_make(workspace, "SHS")
    with pytest.raises(DomainError) as error:
        services.organisation_update(workspace=workspace, organisation=shelter, name="x", acting_user=viewer)
    assert error.value.code == ErrorCode.PERMISSION_DENIED
    with pytest.raises(DomainError):
        services.organisation_create(workspace=workspace, name="X", type="ngo", key="X", acting_user=viewer)
    with pytest.raises(DomainError):
        services.stakeholder_import_preview(
            workspace=workspace, data=b"", filename="x.csv", acting_user=viewer
        )


@pytest.mark.django_db
def test_focal_points_trainings_and_relations_are_checked_and_audited(workspace, admin_user):
    police = organisation_make(workspace, "ATU")
    shelter = organisation_make(workspace, "SHS")
    person = focal_point_make(police, "Demo Person", email="demo@example.org", sex="female")
    assert audit(workspace, "focalpoint.create")[-1].changes["organisation"] == [None, str(police.uuid)]
    with pytest.raises(DomainError) as bad_person:
        focal_point_make(police, " ", email="not-an-address", sex="robot")
    assert set(problem_locations(bad_person.value)) == {"name", "email", "sex"}
    services.focal_point_update(
        workspace=workspace, focal_point=person, title="Inspector", acting_user=admin_user
    )
    assert audit(workspace, "focalpoint.update")[-1].changes == {"title": ["", "Inspector"]}

    with pytest.raises(DomainError) as bad_training:
        prior_training_make(police, year=1850, topic="", participants_men=-1)
    assert set(problem_locations(bad_training.value)) == {"year", "topic", "participants_men"}
    training = prior_training_make(police)
    services.prior_training_delete(workspace=workspace, prior_training=training, acting_user=admin_user)
    assert audit(workspace, "priortraining.delete")

    relation_make(police, shelter)
    with pytest.raises(DomainError) as again:
        relation_make(police, shelter)
    assert again.value.code == ErrorCode.ALREADY_EXISTS
    with pytest.raises(DomainError) as itself:
        relation_make(police, police)
    assert problem_locations(itself.value) == ["target"]
    with pytest.raises(DomainError) as unknown:
        relation_make(police, shelter, "likes")
    assert problem_locations(unknown.value) == ["kind"]
    elsewhere = organisation_make(workspace_make("seychelles"), "POL")
    with pytest.raises(DomainError) as foreign:
        relation_make(police, elsewhere)
    assert foreign.value.code == ErrorCode.NOT_FOUND
    assert OrganisationRelation.objects.count() == 1
