"""Participants registered one by one: codes (made or typed), what sex and age band accept, registry or
free-text organisations, edits, removal (refused, with the reason, once they took a test), and the pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ctip.core.errors import DomainError, ErrorCode
from ctip.web.accounts.models import AuditEntry
from ctip.web.trainings import services
from ctip.web.trainings.models import AssessmentForm, Attempt, Attendance, Participant
from tests.web.factories import workspace_make
from tests.web.stakeholders.factories import organisation_make
from tests.web.trainings.factories import attendance_mark, event_make, participant_make

pytestmark = pytest.mark.django_db


def _url(name, workspace, **kwargs):
    return reverse(name, kwargs={"workspace": workspace.slug, **kwargs})


def _state(event):
    return (
        sorted(
            Participant.objects.filter(event=event).values_list(
                "code",
                "sex",
                "age_band",
                "organisation_id",
                "organisation_name",
                "role",
                "location",
                "version",
            )
        ),
        Attendance.objects.filter(participant__event=event).count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("F", "female"),
        ("femme", "female"),
        ("Woman.", "female"),
        ("Féminin", "female"),
        ("M", "male"),
        ("H", "male"),
        ("Homme", "male"),
        ("men", "male"),
        ("", ""),
        ("prefer not to say", ""),
        ("xyz", None),
    ],
)
def test_what_sex_answers_are_understood(text, expected):
    assert services.sex_from_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25-34", "25-34"),
        ("25–34", "25-34"),
        ("25 à 34 ans", "25-34"),
        ("18 to 24", "18-24"),
        ("55+", "55+"),
        ("55 and over", "55+"),
        ("55 ans et plus", "55+"),
        ("", ""),
        ("20-30", None),
        ("old", None),
    ],
)
def test_what_age_bands_are_understood(text, expected):
    assert services.age_band_from_text(text) == expected


def test_ages_fall_into_their_band():
    assert [services.age_band_for_age(age) for age in (18, 24, 25, 44, 54, 55, 80)] == [
        "18-24",
        "18-24",
        "25-34",
        "35-44",
        "45-54",
        "55+",
        "55+",
    ]
    assert services.age_band_for_age(17) is None and services.age_band_for_age(120) is None


def test_codes_are_made_in_order_filling_no_gaps_twice(workspace):
    event = event_make(workspace)
    first, second = participant_make(event), participant_make(event)
    typed = participant_make(event, code="p004")
    fourth = participant_make(event)
    assert [first.code, second.code, typed.code, fourth.code] == ["P001", "P002", "P004", "P003"]
    assert services.participant_code_next(event) == "P005"
    entry = AuditEntry.objects.get(action="participant.create", object_id=str(first.uuid))
    assert entry.changes["event"] == [None, event.code] and entry.changes["code"] == [None, "P001"]


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"code": "P001"}, "code", "Another participant of this training has the code P001"),
        ({"code": "Jean Dupont!"}, "code", "cannot be a participant code"),
        ({"sex": "unknown"}, "sex", "is not a sex"),
        ({"age_band": "20-30"}, "age_band", "is not an age band"),
        ({"role": "x" * 151}, "role", "at most 150"),
    ],
)
def test_bad_values_are_refused_naming_the_field_and_nothing_changes(workspace, values, field, words):
    event = event_make(workspace)
    participant_make(event)
    before = _state(event)
    with pytest.raises(DomainError) as caught:
        participant_make(event, **values)
    assert caught.value.code == ErrorCode.INVALID_VALUE
    assert words in {problem.location: problem.message for problem in caught.value.problems}[field]
    assert _state(event) == before


def test_an_organisation_comes_from_this_workspace_s_registry_or_is_kept_as_written(workspace):
    event = event_make(workspace)
    police = organisation_make(workspace, "MPF", name="Police Force", acronym="MPF")
    registered = participant_make(event, organisation=police, organisation_name="ignored")
    assert registered.organisation == police and registered.organisation_name == ""
    free = participant_make(event, organisation_name="  Red  Cross ")
    assert free.organisation is None and free.organisation_name == "Red Cross"
    elsewhere = organisation_make(workspace_make("other"), "X")
    with pytest.raises(DomainError) as caught:
        participant_make(event, organisation=elsewhere)
    assert caught.value.problems[0].location == "organisation"


def test_an_update_changes_only_what_is_given_and_is_audited(workspace):
    event = event_make(workspace)
    participant = participant_make(event, role="Inspector", location="Curepipe")
    changed = services.participant_update(
        participant=participant, values={"sex": "M", "role": "Chief inspector"}, acting_user=None
    )
    assert (changed.sex, changed.role, changed.location, changed.version) == (
        "male",
        "Chief inspector",
        "Curepipe",
        2,
    )
    entry = AuditEntry.objects.get(action="participant.update", object_id=str(participant.uuid))
    assert entry.changes == {"role": ["Inspector", "Chief inspector"], "sex": ["female", "male"]}
    with pytest.raises(DomainError) as caught:
        services.participant_update(
            participant=participant, values={"role": "x"}, acting_user=None, expected_version=1
        )
    assert caught.value.code == ErrorCode.CONFLICT


def test_a_participant_without_a_test_is_removed_with_their_attendance(workspace):
    event = event_make(workspace)
    participant = participant_make(event)
    attendance_mark(event)
    services.participant_delete(participant=participant, acting_user=None)
    assert not Participant.objects.exists() and not Attendance.objects.exists()
    entry = AuditEntry.objects.get(action="participant.delete")
    assert entry.changes["days_present"] == [["2026-03-02", "2026-03-03"], None]


def test_a_participant_who_took_a_test_cannot_be_removed_and_is_told_why(workspace):
    event = event_make(workspace)
    participant = participant_make(event)
    form = AssessmentForm.objects.create(workspace=workspace, event=event, phase="pre", items=[])
    Attempt.objects.create(workspace=workspace, form=form, participant=participant)
    before = _state(event)
    with pytest.raises(DomainError) as caught:
        services.participant_delete(participant=participant, acting_user=None)
    assert caught.value.code == ErrorCode.CONFLICT
    assert "P001 has taken a test of this training" in caught.value.message
    assert _state(event) == before


def test_the_participants_page_lists_them_and_registers_one_more(admin_client, workspace):
    event = event_make(workspace)
    participant_make(event, role="Labour inspector")
    url = _url("training-participants", workspace, event=event.uuid)
    page = admin_client.get(url)
    assert "Labour inspector" in page.content.decode()
    assert page.context["form"].initial["code"] == "P002"
    assert "name" not in page.context["form"].fields  # no names are asked for

    response = admin_client.post(url, {"code": "", "sex": "male", "age_band": "35-44", "name": "Jean Dupont"})
    assert response.status_code == 302
    added = Participant.objects.get(code="P002")
    assert (added.sex, added.age_band) == ("male", "35-44")
    assert "Jean Dupont" not in str(list(Participant.objects.values()))

    bad = admin_client.post(url, {"code": "P001"})
    assert bad.status_code == 400 and "has the code P001" in " ".join(bad.context["form"].errors["code"])


def test_the_participant_page_edits_removes_or_explains_why_not(admin_client, workspace):
    event = event_make(workspace)
    kept, removed = participant_make(event), participant_make(event)
    form = AssessmentForm.objects.create(workspace=workspace, event=event, phase="post", items=[])
    Attempt.objects.create(workspace=workspace, form=form, participant=kept)

    url = _url("training-participant-edit", workspace, event=event.uuid, participant=kept.uuid)
    page = admin_client.get(url).content.decode()
    assert "P001 has taken a test of this training" in page and 'value="delete"' not in page
    response = admin_client.post(url, {"code": "P001", "sex": "male", "version": "1"})
    assert response.status_code == 302
    kept.refresh_from_db()
    assert kept.sex == "male"

    delete_url = _url("training-participant-edit", workspace, event=event.uuid, participant=removed.uuid)
    assert 'value="delete"' in admin_client.get(delete_url).content.decode()
    assert admin_client.post(delete_url, {"action": "delete"}).status_code == 302
    assert list(Participant.objects.values_list("code", flat=True)) == ["P001"]


def test_viewers_see_participants_but_cannot_register_or_edit(client, workspace, make_member):
    event = event_make(workspace)
    participant = participant_make(event)
    client.force_login(make_member(workspace, "viewer").user)
    url = _url("training-participants", workspace, event=event.uuid)
    assert client.get(url).status_code == 200
    assert client.post(url, {"code": "P009"}).status_code == 403
    edit = _url("training-participant-edit", workspace, event=event.uuid, participant=participant.uuid)
    assert client.get(edit).status_code == 403
    assert list(Participant.objects.values_list("code", flat=True)) == ["P001"]
