"""The pre- and post-test forms of an event: which items (same items or parallel forms, with the fallback
for a pair missing a version), their order and frozen copy, no rebuild once answered, opening and closing
(closing the post-test recomputes the indicator feeds), the follow-up switch, progress by sex, and the
tests page with its link, QR code and printable answer key."""

from __future__ import annotations

import datetime as dt
import secrets

import pytest
from django.urls import reverse

from ctip.core.errors import DomainError
from ctip.formats.qr import qr_matrix
from ctip.web.planning import services as planning_services
from ctip.web.planning.models import TrainingModule
from ctip.web.trainings.models import (
    AssessmentForm,
    AssessmentItem,
    Attempt,
    EventModule,
    Participant,
    TrainingEvent,
)
from ctip.web.trainings.services import feeds
from ctip.web.trainings.services.item_bank import bank_ensure, item_set_active
from ctip.web.trainings.services.test_forms import (
    answer_key,
    follow_up_is_open,
    follow_up_set,
    form_set_open,
    forms_build,
)
from ctip.web.trainings.services.test_forms import (
    tests_progress as progress_of,
)

pytestmark = pytest.mark.django_db

SNAPSHOT_KEYS = {"code", "kind", "stem_en", "stem_fr", "options", "correct", "objective", "competency"}


def event_make(workspace, modules=("SCR",), code="TR-2026-01") -> TrainingEvent:
    planning_services.catalogue_ensure(workspace=workspace, acting_user=None)
    event = TrainingEvent.objects.create(
        workspace=workspace,
        code=code,
        title="Screening presumed victims",
        start_date=dt.date(2026, 3, 2),
        end_date=dt.date(2026, 3, 3),
        location="Mauritius",
        test_token=secrets.token_urlsafe(16),
    )
    for position, module_code in enumerate(modules):
        module = TrainingModule.objects.get(workspace=workspace, code=module_code)
        EventModule.objects.create(event=event, module=module, position=position)
    return event


def codes(form: AssessmentForm) -> list[str]:
    return [item["code"] for item in form.items]


@pytest.fixture
def event(workspace):
    return event_make(workspace)


def test_parallel_forms_ask_version_a_before_and_version_b_after(event, admin_user):
    result = forms_build(event=event, mode="parallel", acting_user=admin_user)
    pre, post = result.forms["pre"], result.forms["post"]
    assert codes(pre) == ["SCR-01", "SCR-03", "SCR-05", "SCR-07", "SCR-09", "SCR-10"]
    assert codes(post) == ["SCR-02", "SCR-04", "SCR-06", "SCR-08", "SCR-09", "SCR-10"]
    assert result.notes == []
    item = post.items[3]
    assert set(item) >= SNAPSHOT_KEYS
    bank = AssessmentItem.objects.get(workspace=event.workspace, code="SCR-08")
    assert (item["kind"], item["stem_en"], item["stem_fr"], item["correct"], item["objective"]) == (
        bank.kind,
        bank.stem_en,
        bank.stem_fr,
        bank.correct,
        bank.objective,
    )
    assert item["options"] == bank.options
    assert (item["competency"], item["module"], item["parallel_group"]) == (bank.competency, "SCR", "SCR-P4")


def test_same_items_ask_the_same_questions_twice(event, admin_user):
    result = forms_build(event=event, mode="same", acting_user=admin_user)
    assert codes(result.forms["pre"]) == codes(result.forms["post"])
    assert codes(result.forms["pre"]) == ["SCR-01", "SCR-03", "SCR-05", "SCR-07", "SCR-09", "SCR-10"]


def test_a_pair_missing_a_version_falls_back_to_the_same_item_and_says_so(event, admin_user):
    bank_ensure(event.workspace)
    for code in ("SCR-04", "SCR-05"):  # version B of pair 2, version A of pair 3
        item_set_active(
            item=AssessmentItem.objects.get(workspace=event.workspace, code=code),
            active=False,
            acting_user=admin_user,
        )
    result = forms_build(event=event, mode="parallel", acting_user=admin_user)
    assert codes(result.forms["pre"]) == ["SCR-01", "SCR-03", "SCR-06", "SCR-07", "SCR-09", "SCR-10"]
    assert codes(result.forms["post"]) == ["SCR-02", "SCR-03", "SCR-06", "SCR-08", "SCR-09", "SCR-10"]
    notes = [note.message for note in result.notes]
    assert notes == [
        "Parallel group SCR-P2 has no version B in use: both tests ask item SCR-03.",
        "Parallel group SCR-P3 has no version A in use: both tests ask item SCR-06.",
    ]


def test_items_follow_the_agenda_order_of_the_modules(workspace, admin_user):
    event = event_make(workspace, modules=("CHILD", "SCR"))
    result = forms_build(event=event, mode="same", acting_user=admin_user)
    modules = [item["module"] for item in result.forms["pre"].items]
    assert modules == ["CHILD"] * 6 + ["SCR"] * 6


def test_the_form_keeps_its_copy_when_the_bank_changes(event, admin_user):
    pre = forms_build(event=event, mode="same", acting_user=admin_user).forms["pre"]
    item = AssessmentItem.objects.get(workspace=event.workspace, code="SCR-01")
    original = item.stem_en
    item.stem_en = "Changed later"
    item.save()
    pre.refresh_from_db()
    assert pre.items[0]["stem_en"] == original


def test_a_form_with_attempts_cannot_be_rebuilt_and_nothing_changes(event, admin_user):
    built = forms_build(event=event, mode="parallel", acting_user=admin_user).forms
    participant = Participant.objects.create(
        workspace=event.workspace, event=event, code="P001", sex="female"
    )
    Attempt.objects.create(workspace=event.workspace, form=built["pre"], participant=participant)
    before = {phase: list(form.items) for phase, form in built.items()}

    with pytest.raises(DomainError) as caught:
        forms_build(event=event, mode="same", acting_user=admin_user)
    assert "cannot be rebuilt" in caught.value.message
    assert [(p.location, p.message) for p in caught.value.problems] == [
        ("pre", "1 participant(s) have answers in this test.")
    ]
    for phase, form in built.items():
        form.refresh_from_db()
        assert form.items == before[phase]

    # The post-test alone can still be rebuilt.
    result = forms_build(event=event, mode="same", phases=["post"], acting_user=admin_user)
    assert list(result.forms) == ["post"]
    assert codes(result.forms["post"]) == [item["code"] for item in before["pre"]]


def test_building_without_modules_or_items_says_what_to_do(workspace, admin_user):
    empty = event_make(workspace, modules=())
    with pytest.raises(DomainError) as caught:
        forms_build(event=empty, mode="same", acting_user=admin_user)
    assert "no module yet" in caught.value.message
    with pytest.raises(DomainError) as caught:
        forms_build(event=empty, mode="sideways", acting_user=admin_user)
    assert caught.value.problems[0].location == "mode"
    assert not AssessmentForm.objects.filter(event=empty).exists()


def test_opening_one_test_closes_the_other_and_closing_the_post_test_recomputes_feeds(
    event, admin_user, monkeypatch
):
    calls = []
    monkeypatch.setattr(feeds, "feeds_recompute", lambda workspace, acting_user=None: calls.append(workspace))
    built = forms_build(event=event, mode="parallel", acting_user=admin_user).forms
    assert form_set_open(form=built["pre"], is_open=True, acting_user=admin_user) == []
    closed = form_set_open(form=built["post"], is_open=True, acting_user=admin_user)
    assert [form.phase for form in closed] == ["pre"]
    assert calls == []  # closing the pre-test computes nothing
    assert dict(AssessmentForm.objects.filter(event=event).values_list("phase", "is_open")) == {
        "pre": False,
        "post": True,
    }
    form_set_open(form=built["post"], is_open=False, acting_user=admin_user)
    assert calls == [event.workspace]
    empty = AssessmentForm.objects.create(
        workspace=event.workspace, event=event_make(event.workspace, code="TR-2"), phase="pre"
    )
    with pytest.raises(DomainError):
        form_set_open(form=empty, is_open=True, acting_user=admin_user)


def test_the_follow_up_switch_keeps_the_rest_of_the_kit(event, admin_user):
    event.kit = {"agenda": {"note": "kept"}}
    event.save()
    follow_up_set(event=event, is_open=True, acting_user=admin_user)
    event.refresh_from_db()
    assert event.kit == {"agenda": {"note": "kept"}, "_settings": {"follow_up_open": True}}
    assert follow_up_is_open(event)
    follow_up_set(event=event, is_open=False, acting_user=admin_user)
    event.refresh_from_db()
    assert not follow_up_is_open(event)
    assert event.kit["agenda"] == {"note": "kept"}


def test_progress_counts_started_and_submitted_by_sex(event, admin_user):
    built = forms_build(event=event, mode="same", acting_user=admin_user).forms
    people = [
        Participant.objects.create(workspace=event.workspace, event=event, code=f"P00{n}", sex=sex)
        for n, sex in enumerate(["female", "female", "male", ""], start=1)
    ]
    for person, submitted in zip(people[:3], [True, False, True], strict=True):
        Attempt.objects.create(
            workspace=event.workspace,
            form=built["pre"],
            participant=person,
            submitted_at=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC) if submitted else None,
        )
    progress = progress_of(event)
    assert progress["registered"] == {"female": 2, "male": 1, "": 1, "total": 4}
    assert progress["phases"]["pre"]["started"] == {"female": 2, "male": 1, "": 0, "total": 3}
    assert progress["phases"]["pre"]["submitted"] == {"female": 1, "male": 1, "": 0, "total": 2}
    assert progress["phases"]["post"]["started"]["total"] == 0


def test_the_answer_key_lists_each_item_with_its_correct_options(event, admin_user):
    post = forms_build(event=event, mode="parallel", acting_user=admin_user).forms["post"]
    rows = answer_key(post, "fr")
    multiple = rows[3]
    assert (multiple["number"], multiple["code"], multiple["correct"]) == (4, "SCR-08", ["a", "b", "d"])
    bank = AssessmentItem.objects.get(workspace=event.workspace, code="SCR-08")
    assert multiple["correct_labels"] == [o["fr"] for o in bank.options if o["key"] in bank.correct]
    assert multiple["stem"] == bank.stem_fr


# --- The page -------------------------------------------------------------------------------------------


def page_url(event) -> str:
    return reverse("training-tests", kwargs={"workspace": event.workspace.slug, "event": event.uuid})


def test_the_tests_page_builds_opens_and_shows_the_link_and_its_qr_code(admin_client, event, monkeypatch):
    monkeypatch.setattr(feeds, "feeds_recompute", lambda workspace, acting_user=None: 0)
    page = admin_client.get(page_url(event))
    assert page.status_code == 200
    text = page.content.decode()
    link = f"http://testserver/t/{event.test_token}/"
    assert link in text
    assert "<svg" in text and "qr-code" in text
    assert "not built yet" in text
    assert f"<title>Pre- and post-tests · {event.code}" in text
    assert text.count("Reaction survey: 0 responses.") == 1
    assert "Open the follow-up survey" in text

    response = admin_client.post(
        page_url(event), {"action": "build", "mode": "parallel", "phase": ""}, follow=True
    )
    assert "Built: Pre-test, Post-test (6 questions)." in response.content.decode()
    admin_client.post(page_url(event), {"action": "open", "phase": "pre"})
    assert AssessmentForm.objects.get(event=event, phase="pre").is_open
    # Rebuilding an answered test: the page says why, nothing changes.
    person = Participant.objects.create(workspace=event.workspace, event=event, code="P001")
    Attempt.objects.create(
        workspace=event.workspace,
        form=AssessmentForm.objects.get(event=event, phase="pre"),
        participant=person,
    )
    response = admin_client.post(page_url(event), {"action": "build", "mode": "same"}, follow=True)
    assert "cannot be rebuilt" in response.content.decode()
    assert codes(AssessmentForm.objects.get(event=event, phase="post"))[0] == "SCR-02"
    admin_client.post(page_url(event), {"action": "follow_up_open"})
    event.refresh_from_db()
    assert follow_up_is_open(event)


def test_qr_downloads_encode_the_link(admin_client, event):
    svg = admin_client.get(
        reverse("training-tests-qr-svg", kwargs={"workspace": event.workspace.slug, "event": event.uuid})
    )
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b"<svg")
    png = admin_client.get(
        reverse("training-tests-qr-png", kwargs={"workspace": event.workspace.slug, "event": event.uuid})
    )
    assert png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")
    # A symbol of version 3 (29 modules) or more for a link of this length, square.
    matrix = qr_matrix(f"http://testserver/t/{event.test_token}/")
    assert len(matrix) >= 29 and all(len(row) == len(matrix) for row in matrix)


def test_the_printable_key_and_question_paper(admin_client, event, admin_user):
    forms_build(event=event, mode="parallel", acting_user=admin_user)
    url = reverse("training-tests-key", kwargs={"workspace": event.workspace.slug, "event": event.uuid})
    key = admin_client.get(url + "?phase=post&lang=en").content.decode()
    assert "Answer key — Post-test" in key
    assert "<strong>a, b, d</strong>" in key  # SCR-08
    paper = admin_client.get(url + "?phase=post&paper=1&lang=fr").content.decode()
    bank = AssessmentItem.objects.get(workspace=event.workspace, code="SCR-08")
    assert bank.stem_fr.replace("'", "&#x27;") in paper
    assert "<strong>a, b, d</strong>" not in paper
    assert admin_client.get(url + "?phase=nope").status_code == 404


def test_viewers_see_progress_but_neither_change_the_tests_nor_see_the_key(
    client, event, make_member, admin_user
):
    forms_build(event=event, mode="same", acting_user=admin_user)
    viewer = make_member(event.workspace, "viewer").user
    client.force_login(viewer)
    assert client.get(page_url(event)).status_code == 200
    assert client.post(page_url(event), {"action": "open", "phase": "pre"}).status_code == 403
    assert not AssessmentForm.objects.get(event=event, phase="pre").is_open
    key = reverse("training-tests-key", kwargs={"workspace": event.workspace.slug, "event": event.uuid})
    assert client.get(key + "?phase=pre").status_code == 403
