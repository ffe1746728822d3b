"""Optimistic locking on every editable record: a change made from a stale version is refused with a
conflict that says who saved and when and, for each field that differs, both values; nothing is silently
overwritten. Checked on ``conflict_check`` itself, on a NAP indicator edited by two people at once (web pages
and API), on a meeting (the shared ``record_update``) and on a legal-review assessment (desk review)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from ctip.core.errors import DomainError, ErrorCode
from ctip.web.accounts.conflicts import VersionConflict, conflict_check, conflict_form_refresh
from ctip.web.accounts.forms import apply_domain_error
from ctip.web.accounts.models import AuditEntry
from ctip.web.desk_review import services as desk_review
from ctip.web.desk_review.models import ChecklistAssessment
from ctip.web.meetings import services as meetings
from ctip.web.meetings.forms import MeetingForm
from ctip.web.meetings.models import Meeting
from ctip.web.nap.models import NapCostLine, NapIndicator
from tests.web.desk_review.factories import instrument_make, reference_make
from tests.web.meetings.factories import meeting_make
from tests.web.nap.factories import cost_line_make, element_make, indicator_make, plan_make

pytestmark = pytest.mark.django_db


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _problems(error: DomainError) -> dict[str, str]:
    return {problem.location: problem.message for problem in error.problems}


def _last_saved(record) -> AuditEntry:
    return AuditEntry.objects.filter(object_id=str(record.uuid)).order_by("-at", "-id").first()


@pytest.fixture
def colleague(workspace, make_member):
    """A second editor of the workspace, signed in apart from ada."""
    membership = make_member(workspace, "coordinator")
    user = membership.user
    user.first_name, user.last_name = "Bea", "Colleague"
    user.save()
    return user


# --- conflict_check ---------------------------------------------------------------------------------------


def test_a_stale_version_names_who_saved_when_and_both_values_of_each_changed_field(workspace, admin_user):
    # Given a meeting that ada changed (version 2) while someone else was editing version 1
    meeting = meeting_make(workspace, "Inception meeting", place="Port Louis")
    meetings.meeting_update(
        workspace=workspace, meeting=meeting, acting_user=admin_user, expected_version=1, title="Kick-off"
    )
    current = Meeting.objects.get(pk=meeting.pk)

    # When the other person's values are checked against version 1
    with pytest.raises(VersionConflict) as caught:
        conflict_check(
            current=current,
            expected_version=1,
            submitted={"title": "Opening meeting", "place": "Port Louis", "minutes": ""},
        )

    # Then the error says who saved, when, and both titles; the unchanged place and minutes are not listed
    error = caught.value
    saved = _last_saved(meeting)
    assert error.code is ErrorCode.CONFLICT and error.current_version == 2
    assert f"Ada Admin saved it on {saved.at:%Y-%m-%d %H:%M} (UTC)" in error.message
    assert "you started from version 1; it is now version 2" in error.message
    assert _problems(error) == {"title": "Your value: “Opening meeting”. Value saved now: “Kick-off”."}
    assert error.labels == {"title": "title"}


def test_nothing_is_refused_when_the_version_is_current_or_not_given(workspace):
    meeting = meeting_make(workspace)

    conflict_check(current=meeting, expected_version=1, submitted={"title": "Anything"})
    conflict_check(current=meeting, expected_version=None, submitted={"title": "Anything"})

    assert Meeting.objects.get(pk=meeting.pk).title == "Inception meeting"


def test_values_are_compared_and_shown_as_people_read_them(workspace, admin_user):
    # Given a cost line changed to 12 units at 50.00, from the registry's police, funded by a donor
    activity = element_make(plan_make(workspace), "activity")
    line = cost_line_make(activity, unit_cost=Decimal("50.00"), quantity=Decimal("10"))
    line.quantity, line.funding_source, line.version = Decimal("12"), "donor", 2
    line.save()

    # When the stale values say 50 (the same amount, written otherwise), 10 units, government, no year
    with pytest.raises(VersionConflict) as caught:
        conflict_check(
            current=NapCostLine.objects.get(pk=line.pk),
            expected_version=1,
            submitted={
                "unit_cost": "50",
                "quantity": Decimal("10.000"),
                "funding_source": "government",
                "year": None,
                "description": "Training of labour inspectors\r\n",
                "not_a_field": "ignored",
            },
        )

    # Then the same amount (and the same text, sent with a browser's line end) is not listed; the others
    # show choice labels and numbers, and "—" when empty
    problems = _problems(caught.value)
    assert set(problems) == {"quantity", "funding_source", "year"}
    assert problems["quantity"] == "Your value: “10.000”. Value saved now: “12.000”."
    assert problems["funding_source"] == "Your value: “Government”. Value saved now: “Donor”."
    assert problems["year"] == f"Your value: “—”. Value saved now: “{activity.plan.period_start}”."


def test_related_records_are_named_and_compared_by_identity(workspace, admin_user):
    # Given a legal-review assessment citing one library document, changed by ada
    cited, other = (
        reference_make(workspace, title="OHCHR Principles"),
        reference_make(workspace, title="UNODC"),
    )
    row = instrument_make(workspace).assessments.get(item_code="P01")
    desk_review.assessment_update(
        workspace=workspace,
        assessment=row,
        status="met",
        provision="s. 11",
        evidence="",
        note="",
        reference_uuids=[cited.uuid],
        acting_user=admin_user,
    )
    current = ChecklistAssessment.objects.get(pk=row.pk)

    # When the stale values cite the other document (by UUID, as the API sends it) and the same one
    with pytest.raises(VersionConflict) as caught:
        conflict_check(current=current, expected_version=1, submitted={"references": [str(other.uuid)]})
    with pytest.raises(VersionConflict) as same:
        conflict_check(current=current, expected_version=1, submitted={"references": [cited]})

    # Then the documents are named as the library shows them, and citing the same one is no difference
    assert _problems(caught.value) == {
        "references": "Your value: “IOM (2020) UNODC”. Value saved now: “IOM (2020) OHCHR Principles”."
    }
    assert same.value.problems == []
    assert "Check the values saved now, then make your change again." in same.value.message


def test_a_change_nobody_recorded_is_still_refused_without_naming_anyone(workspace):
    meeting = meeting_make(workspace)
    Meeting.objects.filter(pk=meeting.pk).update(version=5)
    AuditEntry.objects.filter(object_id=str(meeting.uuid)).delete()

    with pytest.raises(VersionConflict) as caught:
        conflict_check(current=Meeting.objects.get(pk=meeting.pk), expected_version=4, submitted={})

    assert caught.value.message.startswith(
        "Someone else changed this meeting while you were editing (you started from version 4; it is now "
        "version 5)."
    )


def test_a_form_keeps_what_was_typed_shows_both_values_and_takes_the_current_version(workspace, admin_user):
    # Given a meeting form bound to version 1 while the meeting is at version 2
    meeting = meeting_make(workspace, "Inception meeting")
    meetings.meeting_update(
        workspace=workspace, meeting=meeting, acting_user=admin_user, expected_version=1, title="Kick-off"
    )
    posted = {"kind": "inception_meeting", "title": "Mine", "date": "2025-03-18", "version": "1"}
    form = MeetingForm(posted)
    assert form.is_valid()

    # When the service refuses it and the error is shown on the form
    with pytest.raises(VersionConflict) as caught:
        meetings.meeting_update(
            workspace=workspace, meeting=meeting, acting_user=admin_user, expected_version=1, title="Mine"
        )
    apply_domain_error(form, caught.value)

    # Then the title shows both values, the typed title stays and the version is the current one
    assert form.errors["title"] == ["Your value: “Mine”. Value saved now: “Kick-off”."]
    assert form["title"].value() == "Mine" and form["version"].value() == "2"
    conflict_form_refresh(form, DomainError(ErrorCode.INVALID_VALUE, "Other error"))
    assert form["version"].value() == "2"


# --- A NAP indicator edited by two people at once ---------------------------------------------------------


def _form_data(form, **changes):
    """What the browser sends for ``form`` as shown, with ``changes``."""
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None or value is False:
            continue
        if isinstance(value, list):
            data[name] = [str(item) for item in value]
        else:
            data[name] = "on" if value is True else str(value)
    return data | changes


def test_two_people_editing_one_indicator_in_the_web_pages(workspace, admin_user, colleague):
    # Given an indicator with a target of 60 in 2029, opened by ada and by bea
    plan = plan_make(workspace)
    indicator = indicator_make(element_make(plan, "output"))
    url = f"/w/{workspace.slug}/nap/{plan.uuid}/indicators/{indicator.uuid}/"
    ada, bea = _signed_in(admin_user), _signed_in(colleague)
    ada_form, bea_form = ada.get(url).context["form"], bea.get(url).context["form"]
    assert ada_form.initial["targets"] == bea_form.initial["targets"] == "2029; 60"

    # When ada saves a target of 80, then bea saves a target of 100 from the same version
    assert ada.post(url, _form_data(ada_form, targets="2029; 80")).status_code == 302
    bea_data = _form_data(bea_form, targets="2029; 100")
    refused = bea.post(url, bea_data)

    # Then bea gets the conflict naming ada, with both targets beside the field, and ada's target is kept
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Someone else changed this NAP indicator while you were editing: Ada Admin saved it on" in page
    assert "Your value: “2029; 100”. Value saved now: “2029; 80”." in page
    form = refused.context["form"]
    assert form.errors["targets"] == ["Your value: “2029; 100”. Value saved now: “2029; 80”."]
    assert "name" not in form.errors
    assert NapIndicator.objects.get(pk=indicator.pk).targets == [{"year": 2029, "value": "80", "sex": ""}]

    # And bea's form keeps her target and now carries version 2
    assert form["targets"].value() == "2029; 100"
    assert 'name="version" value="2"' in page

    # When bea saves again, knowingly, from version 2, her target is stored
    again = bea.post(url, bea_data | {"version": "2"})
    assert again.status_code == 302
    stored = NapIndicator.objects.get(pk=indicator.pk)
    assert stored.targets == [{"year": 2029, "value": "100", "sex": ""}] and stored.version == 3


def test_two_people_editing_one_indicator_through_the_api(workspace, admin_user, colleague):
    # Given an indicator at version 1 that ada changes through the API
    plan = plan_make(workspace)
    indicator = indicator_make(element_make(plan, "output"))
    path = f"/api/v1/w/{workspace.slug}/nap/indicators/{indicator.uuid}"
    ada, bea = _signed_in(admin_user), _signed_in(colleague)
    first = ada.patch(
        path,
        {"values": {"targets": [{"year": 2029, "value": "80"}]}, "expected_version": 1},
        content_type="application/json",
    )
    assert first.status_code == 200 and first.json()["version"] == 2

    # When bea sends her change from version 1
    stale = bea.patch(
        path,
        {"values": {"targets": [{"year": 2029, "value": "100"}], "unit": "number"}, "expected_version": 1},
        content_type="application/json",
    )

    # Then it is a 409 naming ada, with both targets; the unchanged unit is not listed; nothing is stored
    assert stale.status_code == 409
    body = stale.json()
    assert body["code"] == "conflict" and "Ada Admin saved it on" in body["message"]
    assert body["problems"] == [
        {"location": "targets", "message": "Your value: “2029; 100”. Value saved now: “2029; 80”."}
    ]
    stored = NapIndicator.objects.get(pk=indicator.pk)
    assert stored.targets == [{"year": 2029, "value": "80", "sex": ""}] and stored.version == 2


def test_the_cost_line_and_element_forms_show_both_values_beside_the_field_and_the_new_version(
    workspace, admin_user, colleague
):
    # Given an activity with a cost line of 10 units, both opened by ada and by bea
    plan = plan_make(workspace)
    activity = element_make(plan, "activity", title="Train labour inspectors")
    line = cost_line_make(activity, quantity=Decimal("10"))
    ada, bea = _signed_in(admin_user), _signed_in(colleague)
    line_url = f"/w/{workspace.slug}/nap/{plan.uuid}/cost-lines/{line.uuid}/"
    element_url = f"/w/{workspace.slug}/nap/{plan.uuid}/elements/{activity.uuid}/"
    line_data = _form_data(bea.get(line_url).context["form"])
    element_data = _form_data(bea.get(element_url).context["form"])

    # When ada saves 12 units and a new description, then bea saves 15 units and another description
    assert ada.post(line_url, line_data | {"quantity": "12"}).status_code == 302
    assert ada.post(element_url, element_data | {"title": "Train border police"}).status_code == 302
    line_refused = bea.post(line_url, line_data | {"quantity": "15"})
    element_refused = bea.post(element_url, element_data | {"title": "Train prosecutors"})

    # Then each form shows both values beside the field, keeps bea's value and carries the new version
    line_form = line_refused.context["form"]
    assert line_form.errors["quantity"] == ["Your value: “15”. Value saved now: “12.000”."]
    assert line_form["quantity"].value() == "15" and line_form["version"].value() == "2"
    element_form = element_refused.context["form"]
    assert element_form.errors["title"] == [
        "Your value: “Train prosecutors”. Value saved now: “Train border police”."
    ]
    assert element_form["title"].value() == "Train prosecutors" and element_form["version"].value() == "2"
    assert NapCostLine.objects.get(pk=line.pk).quantity == 12
    assert list(element_form.errors) == ["__all__", "title"]


# --- A records-based app: meetings -------------------------------------------------------------------------


def test_two_people_editing_one_meeting(workspace, admin_user, colleague):
    # Given a meeting opened by ada and by bea
    meeting = meeting_make(workspace, "Inception meeting", place="Port Louis")
    url = f"/w/{workspace.slug}/meetings/{meeting.uuid}/edit/"
    ada, bea = _signed_in(admin_user), _signed_in(colleague)
    base = {"kind": "inception_meeting", "title": "Inception meeting", "date": "2025-03-18", "version": "1"}
    assert 'name="version" value="1"' in bea.get(url).content.decode()

    # When ada moves it to Curepipe, then bea (from version 1) sets the place to Mahébourg
    assert ada.post(url, base | {"place": "Curepipe"}).status_code == 302
    refused = bea.post(url, base | {"place": "Mahébourg", "minutes": "Agreed."})

    # Then bea sees both places beside the field (and her minutes, which ada left empty), typed values kept
    page = refused.content.decode()
    assert "Someone else changed this meeting while you were editing: Ada Admin saved it on" in page
    form = refused.context["form"]
    assert form.errors["place"] == ["Your value: “Mahébourg”. Value saved now: “Curepipe”."]
    assert form.errors["minutes"] == ["Your value: “Agreed.”. Value saved now: “—”."]
    assert "title" not in form.errors
    assert form["place"].value() == "Mahébourg" and form["version"].value() == "2"
    assert Meeting.objects.get(pk=meeting.pk).place == "Curepipe"

    # When bea saves again from version 2, her values are stored
    assert (
        bea.post(url, base | {"place": "Mahébourg", "minutes": "Agreed.", "version": "2"}).status_code == 302
    )
    stored = Meeting.objects.get(pk=meeting.pk)
    assert (stored.place, stored.minutes, stored.version) == ("Mahébourg", "Agreed.", 3)


def test_a_stale_meeting_through_the_api_lists_both_values(workspace, admin_user):
    meeting = meeting_make(workspace, "Inception meeting", date=dt.date(2025, 3, 18))
    meetings.meeting_update(
        workspace=workspace,
        meeting=meeting,
        acting_user=admin_user,
        expected_version=1,
        date=dt.date(2025, 4, 2),
    )

    stale = _signed_in(admin_user).patch(
        f"/api/v1/w/{workspace.slug}/meetings/{meeting.uuid}",
        {"date": "2025-05-06", "kind": "validation_workshop", "expected_version": 1},
        content_type="application/json",
    )

    assert stale.status_code == 409
    assert {problem["location"]: problem["message"] for problem in stale.json()["problems"]} == {
        "date": "Your value: “2025-05-06”. Value saved now: “2025-04-02”.",
        "kind": "Your value: “Validation workshop”. Value saved now: “Inception meeting”.",
    }
    assert Meeting.objects.get(pk=meeting.pk).date == dt.date(2025, 4, 2)


# --- Desk review: a checklist assessment (versioned_update) ------------------------------------------------


def test_two_people_assessing_one_checklist_item(workspace, admin_user, colleague):
    # Given an item of an instrument, opened by ada and by bea
    cited = reference_make(workspace, title="OHCHR Principles")
    act = instrument_make(workspace)
    row = act.assessments.get(item_code="P09")
    url = f"/w/{workspace.slug}/legal/{act.uuid}/items/{row.uuid}/"
    ada, bea = _signed_in(admin_user), _signed_in(colleague)
    base = {"provision": "", "evidence": "", "note": "", "version": "1"}

    # When ada records "met" citing a document, then bea (from version 1) records "not met"
    assert ada.post(url, base | {"status": "met", "references": [str(cited.uuid)]}).status_code == 302
    refused = bea.post(url, base | {"status": "not_met", "evidence": "No clause."})

    # Then bea sees both statuses, evidences and documents beside their fields; ada's assessment is kept
    page = refused.content.decode()
    assert "while you were editing: Ada Admin saved it on" in page
    form = refused.context["form"]
    assert form.errors["status"] == ["Your value: “Not met”. Value saved now: “Met”."]
    assert form.errors["evidence"] == ["Your value: “No clause.”. Value saved now: “—”."]
    assert form.errors["references"] == ["Your value: “—”. Value saved now: “IOM (2020) OHCHR Principles”."]
    assert form["version"].value() == "2" and form["evidence"].value() == "No clause."
    stored = ChecklistAssessment.objects.get(pk=row.pk)
    assert (stored.status, stored.version, list(stored.references.all())) == ("met", 2, [cited])

    # When bea saves again from version 2, her assessment is stored
    assert (
        bea.post(url, base | {"status": "not_met", "evidence": "No clause.", "version": "2"}).status_code
        == 302
    )
    stored = ChecklistAssessment.objects.get(pk=row.pk)
    assert (stored.status, stored.evidence, stored.version) == ("not_met", "No clause.", 3)
