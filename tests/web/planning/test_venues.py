"""Training locations: the map is saved and audited, refused with the place's name when a venue is empty
(nothing changed), used by the demand (segments merged at their venue), offered in the catalogue at the
costs of its places, kept in the backup, and edited from the demand page."""

from __future__ import annotations

import copy

import pytest
from django.urls import reverse

from ctip.core.errors import DomainError
from ctip.web.accounts.models import AuditEntry
from ctip.web.planning import backup, services
from ctip.web.planning.models import DemandRow, PlanSegment, TrainingLocation, TrainingModule
from ctip.web.planning.services.demand import demand_derive_at_venues
from ctip.web.planning.services.venues import venue_map, venue_places, venues_set, venues_suggested
from ctip.web.tna import services as tna_services
from tests.web.planning.factories import planning_registry_make, survey_csv, survey_rows
from tests.web.tna.factories import instrument_make

pytestmark = pytest.mark.django_db

MAP = {"Port Louis": "Mauritius", "Curepipe": "Mauritius", "Rodrigues": "Rodrigues"}


def _survey(workspace, *, officers_in_curepipe=0):
    """The planning survey, with the last ``officers_in_curepipe`` ATU officers working in Curepipe."""
    planning_registry_make(workspace)
    instrument = instrument_make(workspace, codes=("FD01", "FD02", "FD03"))
    rows = survey_rows()
    for index in range(6 - officers_in_curepipe, 6):
        rows[index]["profile/location"] = "curepipe"
    tna_services.survey_import_apply(
        workspace=workspace, instrument=instrument, data=survey_csv(rows), filename="s.csv", acting_user=None
    )
    return instrument


def _segments(workspace):
    return sorted(
        PlanSegment.objects.filter(workspace=workspace).values_list(
            "organisation__key", "role_group", "location", "staff_female", "staff_male"
        )
    )


def _state(workspace):
    return (
        venue_map(workspace),
        _segments(workspace),
        sorted(DemandRow.objects.filter(workspace=workspace).values_list("uuid", "staff_female", "version")),
        AuditEntry.objects.filter(workspace=workspace).count(),
    )


def test_the_map_is_saved_audited_and_only_changes_what_changed(workspace, admin_user):
    venues_set(
        workspace=workspace,
        mapping={"Port Louis": "Mauritius", " Rodrigues ": "Rodrigues"},
        acting_user=admin_user,
    )

    assert venue_map(workspace) == {"Port Louis": "Mauritius", "Rodrigues": "Rodrigues"}
    created = AuditEntry.objects.filter(workspace=workspace, action="traininglocation.create")
    assert created.count() == 2 and created.filter(actor=admin_user).count() == 2

    full = venues_set(
        workspace=workspace,
        mapping={"Port Louis": "Mauritius", "Rodrigues": "Outer islands"},
        acting_user=None,
    )

    assert full == {"Port Louis": "Mauritius", "Rodrigues": "Outer islands"}
    updated = AuditEntry.objects.get(workspace=workspace, action="traininglocation.update")
    assert updated.changes == {"venue": ["Rodrigues", "Outer islands"]}
    assert AuditEntry.objects.filter(workspace=workspace, action__startswith="traininglocation.").count() == 3


def test_an_empty_venue_is_refused_with_its_place_and_nothing_changes(workspace):
    _survey(workspace)
    demand_derive_at_venues(workspace=workspace, venues=MAP, acting_user=None)
    before = _state(workspace)

    with pytest.raises(DomainError) as caught:
        demand_derive_at_venues(
            workspace=workspace,
            venues={"Port Louis": "Rodrigues", "Curepipe": "   ", "Rodrigues": "Rodrigues"},
            acting_user=None,
        )

    assert [problem.location for problem in caught.value.problems] == ["Curepipe"]
    assert "“Curepipe”" in caught.value.problems[0].message
    assert _state(workspace) == before


def test_a_member_without_edit_rights_cannot_change_the_map(workspace, make_member):
    viewer = make_member(workspace, "viewer").user
    with pytest.raises(DomainError):
        venues_set(workspace=workspace, mapping={"Port Louis": "Mauritius"}, acting_user=viewer)
    assert venue_map(workspace) == {}


def test_segments_of_one_organisation_merge_at_their_venue_and_rederiving_rebuilds_them(workspace):
    _survey(workspace, officers_in_curepipe=2)
    services.demand_derive(workspace=workspace, acting_user=None)
    # By place: the ATU frontline pool (30 women, 50 men) shared 4:2 between Port Louis and Curepipe.
    assert ("MPF-ATU", "frontline", "Port Louis", 20, 33) in _segments(workspace)
    assert ("MPF-ATU", "frontline", "Curepipe", 10, 17) in _segments(workspace)

    result = demand_derive_at_venues(workspace=workspace, venues=MAP, acting_user=None)

    assert _segments(workspace) == [
        ("MPF-ATU", "frontline", "Mauritius", 30, 50),
        ("MPF-ATU", "management", "Mauritius", 10, 10),
        ("RRA", "other_staff", "Rodrigues", 50, 50),
        ("SHS", "frontline", "Mauritius", 12, 3),
    ]
    assert result.segments_removed == 4 and result.segments_created == 3 and result.segments_unchanged == 1
    frontline = PlanSegment.objects.get(
        workspace=workspace, organisation__key="MPF-ATU", role_group="frontline"
    )
    rows = {row.competency: row for row in frontline.demand.all()}
    # FD01, fewer than 5 answers at each place → the overall share 9/13:
    # Port Louis (20, 33) → (13.8, 22.8) → (14, 23); Curepipe (10, 17) → (6.9, 11.8) → (7, 12); summed.
    assert (rows["FD01"].staff_female, rows["FD01"].staff_male) == (21, 35)
    assert (rows["FD03"].staff_female, rows["FD03"].staff_male) == (30, 50)
    assert rows["FD03"].weight == pytest.approx(15.0)
    # Deriving again with the same map changes nothing.
    assert not services.demand_derive(workspace=workspace, acting_user=None).changed


def test_a_new_venue_gets_the_costs_of_its_places_in_the_workspace_currency(workspace):
    _survey(workspace)
    services.catalogue_ensure(workspace=workspace, acting_user=None, cost_factor=45.0)
    module = TrainingModule.objects.filter(workspace=workspace).order_by("position").first()
    port_louis = module.costs["Port Louis"]
    rodrigues = module.costs["Rodrigues"]

    demand_derive_at_venues(workspace=workspace, venues=MAP, acting_user=None)

    module.refresh_from_db()
    assert module.costs["Mauritius"] == port_louis  # × 45, like the places it stands for
    assert module.costs["Rodrigues"] == rodrigues
    assert AuditEntry.objects.filter(workspace=workspace, action="trainingmodule.update").exists()


def test_a_venue_none_of_whose_places_is_costed_gets_the_default_costs(workspace):
    _survey(workspace)
    services.catalogue_ensure(workspace=workspace, acting_user=None)

    venues_set(workspace=workspace, mapping={"Somewhere else": "Elsewhere"}, acting_user=None)

    assert "Elsewhere" in services.catalogue_locations(workspace)


def test_places_come_from_the_registry_and_the_survey_and_the_suggestion_keeps_outer_islands(workspace):
    _survey(workspace)
    venues_set(workspace=workspace, mapping={"Flacq": "Mauritius"}, acting_user=None)

    places = venue_places(workspace)

    assert places == ["Curepipe", "Flacq", "Port Louis", "Rodrigues"]
    assert venues_suggested(workspace, places) == {
        "Curepipe": "Mauritius",
        "Flacq": "Mauritius",
        "Port Louis": "Mauritius",
        "Rodrigues": "Rodrigues",
    }


def test_the_map_survives_a_backup_and_restore_of_the_section(workspace, outsider):
    venues_set(workspace=workspace, mapping=MAP, acting_user=None)
    section = copy.deepcopy(backup.section_export(workspace))
    assert sorted((row["place"], row["venue"]) for row in section["venues"]) == sorted(MAP.items())

    TrainingLocation.objects.filter(workspace=workspace).delete()
    backup.section_import(section, workspace)

    assert venue_map(workspace) == MAP
    assert backup.section_export(workspace)["venues"] == section["venues"]


# --- The form on the demand page --------------------------------------------------------------------------


def _url(workspace):
    return reverse("plan-demand", kwargs={"workspace": workspace.slug})


def _form_data(response):
    form = response.context["venues_form"]
    data = {"action": "venues"}
    for index, place in enumerate(form.places):
        data[f"place_{index}"] = place
        data[f"venue_{index}"] = form[f"venue_{index}"].value()
    return data


def test_the_demand_page_lists_each_place_with_its_suggested_venue_and_saves_the_map(admin_client, workspace):
    _survey(workspace, officers_in_curepipe=2)

    page = admin_client.get(_url(workspace))

    assert page.status_code == 200
    content = page.content.decode()
    assert "Training locations" in content and 'value="Mauritius"' in content
    data = _form_data(page)
    assert [data[f"place_{n}"] for n in range(3)] == ["Curepipe", "Port Louis", "Rodrigues"]
    assert [data[f"venue_{n}"] for n in range(3)] == ["Mauritius", "Mauritius", "Rodrigues"]

    saved = admin_client.post(_url(workspace), data, follow=True)

    assert saved.status_code == 200
    assert venue_map(workspace) == MAP
    assert {location for *_rest, location, _f, _m in _segments(workspace)} == {"Mauritius", "Rodrigues"}
    assert "Training locations saved." in saved.content.decode()
    # The map now prefills the form.
    data = _form_data(admin_client.get(_url(workspace)))
    data["venue_2"] = "Outer islands"
    admin_client.post(_url(workspace), data)
    assert venue_map(workspace)["Rodrigues"] == "Outer islands"
    assert ("RRA", "other_staff", "Outer islands", 50, 50) in _segments(workspace)


def test_an_empty_venue_on_the_page_names_the_place_and_changes_nothing(admin_client, workspace):
    _survey(workspace)
    data = _form_data(admin_client.get(_url(workspace)))
    admin_client.post(_url(workspace), data)
    before = _state(workspace)
    data["venue_0"] = ""  # Curepipe

    response = admin_client.post(_url(workspace), data)

    assert response.status_code == 400
    form = response.context["venues_form"]
    assert "“Curepipe”" in " ".join(form.errors["venue_0"])
    assert "Nothing was changed" in response.content.decode()
    assert _state(workspace) == before


def test_a_viewer_sees_the_training_locations_but_cannot_save_them(client, workspace, make_member):
    _survey(workspace)
    client.force_login(make_member(workspace, "viewer").user)

    page = client.get(_url(workspace))

    assert page.status_code == 200 and "Training locations" in page.content.decode()
    assert 'name="venue_0"' not in page.content.decode()
    assert (
        client.post(_url(workspace), {"action": "venues", "place_0": "Curepipe", "venue_0": "X"}).status_code
        == 403
    )
    assert venue_map(workspace) == {}
