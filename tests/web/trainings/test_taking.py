"""Taking the tests on the participants' link, with Django's test client as the phones: the code, one
question per screen with each answer saved at once, a dropped connection and the resume from another
device at the first unanswered question, the review and the one submission per test, closed tests, wrong
links and wrong answers (refused, nothing saved), the surveys, French pages and the page-size budget."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from ctip.core.errors import DomainError
from ctip.core.training.surveys import REACTION
from ctip.web.planning import services as planning_services
from ctip.web.planning.models import TrainingModule
from ctip.web.trainings.models import (
    Answer,
    AssessmentForm,
    Attempt,
    EventModule,
    Participant,
    SurveyResponse,
    TrainingEvent,
)
from ctip.web.trainings.services import feeds, taking
from ctip.web.trainings.services.test_forms import follow_up_set, form_set_open, forms_build

pytestmark = pytest.mark.django_db

PAGE_BUDGET = 200 * 1024


@pytest.fixture(autouse=True)
def _no_feed_recompute(monkeypatch):
    monkeypatch.setattr(feeds, "feeds_recompute", lambda workspace, acting_user=None: 0)


def event_make(workspace, code="TR-2026-01", language="en") -> TrainingEvent:
    planning_services.catalogue_ensure(workspace=workspace, acting_user=None)
    event = TrainingEvent.objects.create(
        workspace=workspace,
        code=code,
        title="Screening presumed victims",
        start_date=dt.date(2026, 3, 2),
        end_date=dt.date(2026, 3, 3),
        location="Mauritius",
        language=language,
        test_token=secrets.token_urlsafe(16),
    )
    module = TrainingModule.objects.get(workspace=workspace, code="SCR")
    EventModule.objects.create(event=event, module=module, position=0)
    return event


@pytest.fixture
def event(workspace, admin_user):
    made = event_make(workspace)
    for code, sex in (("P001", "female"), ("P002", "male")):
        Participant.objects.create(workspace=workspace, event=made, code=code, sex=sex)
    forms = forms_build(event=made, mode="parallel", acting_user=admin_user).forms
    form_set_open(form=forms["pre"], is_open=True, acting_user=admin_user)
    return made


def pre_form(event) -> AssessmentForm:
    return AssessmentForm.objects.get(event=event, phase="pre")


def start_url(event) -> str:
    return reverse("take-start", kwargs={"token": event.test_token})


def item_url(event, participant, phase, number) -> str:
    return reverse(
        "take-item",
        kwargs={"token": event.test_token, "participant": participant.uuid, "phase": phase, "number": number},
    )


def phase_url(name, event, participant, phase) -> str:
    return reverse(name, kwargs={"token": event.test_token, "participant": participant.uuid, "phase": phase})


def enter(client: Client, event, code: str):
    return client.post(start_url(event), {"code": code})


def saved(participant, phase="pre") -> dict[str, list[str]]:
    return {
        code: response
        for code, response in Answer.objects.filter(
            attempt__participant=participant, attempt__form__phase=phase
        ).values_list("item_code", "response")
    }


def right(item) -> list[str]:
    return list(item["correct"])


def test_the_whole_flow_with_a_dropped_connection_and_one_submission(event):
    p001 = Participant.objects.get(event=event, code="P001")
    items = pre_form(event).items
    phone = Client()

    start = phone.get(start_url(event))
    assert start.status_code == 200
    assert "Open now: Pre-test, 6 questions." in start.content.decode()

    entered = enter(phone, event, " p001 ")  # typed in lower case, with spaces
    assert entered.status_code == 302
    assert entered["Location"] == item_url(event, p001, "pre", 1)
    assert phone.cookies["ctip_take"].value == "P001"

    page = phone.get(entered["Location"])
    text = page.content.decode()
    assert page.status_code == 200
    assert "Question 1 of 6" in text and items[0]["stem_en"].replace("'", "&#x27;") in text
    assert 'type="radio"' in text and "<script" not in text

    for number in (1, 2, 3):
        item = items[number - 1]
        response = phone.post(item_url(event, p001, "pre", number), {"answer": right(item), "action": "next"})
        assert response.status_code == 302
        assert response["Location"] == item_url(event, p001, "pre", number + 1)
    assert saved(p001) == {item["code"]: right(item) for item in items[:3]}
    assert (
        'type="checkbox"' in phone.get(item_url(event, p001, "pre", 4)).content.decode()
    )  # SCR-07: multiple

    # The connection drops; the participant comes back on another phone with the same code.
    other_phone = Client()
    back = enter(other_phone, event, "P001")
    assert back["Location"] == item_url(event, p001, "pre", 4)

    # Skip saves nothing; Previous goes back; answers can be changed until submitted.
    skipped = other_phone.post(item_url(event, p001, "pre", 4), {"answer": ["a"], "action": "skip"})
    assert skipped["Location"] == item_url(event, p001, "pre", 5)
    assert items[3]["code"] not in saved(p001)
    previous = other_phone.post(item_url(event, p001, "pre", 5), {"answer": ["true"], "action": "previous"})
    assert previous["Location"] == item_url(event, p001, "pre", 4)
    assert saved(p001)[items[4]["code"]] == ["true"]
    changed = other_phone.post(item_url(event, p001, "pre", 1), {"answer": ["d"], "action": "next"})
    assert changed.status_code == 302
    assert saved(p001)[items[0]["code"]] == ["d"]
    last = other_phone.post(item_url(event, p001, "pre", 6), {"answer": right(items[5]), "action": "next"})
    assert last["Location"] == phase_url("take-review", event, p001, "pre")

    review = other_phone.get(last["Location"]).content.decode()
    assert "5 of 6 questions answered." in review
    assert "1 question is not answered yet" in review
    refused = other_phone.post(last["Location"], {})
    assert refused.status_code == 400
    assert "Tick the box to confirm" in refused.content.decode()
    assert Attempt.objects.get(participant=p001).submitted_at is None

    submitted = other_phone.post(last["Location"], {"confirm": "yes"})
    assert submitted["Location"] == phase_url("take-done", event, p001, "pre")
    done = other_phone.get(submitted["Location"]).content.decode()
    assert "Thank you, your answers are saved" in done
    assert "score" not in done.lower() and "%" not in done and "correct" not in done.lower()
    attempt = Attempt.objects.get(participant=p001)
    assert attempt.submitted_at is not None and attempt.channel == "online"

    # One attempt per test: coming back shows it is already submitted; nothing more is saved.
    again = enter(Client(), event, "P001")
    assert again["Location"] == reverse(
        "take-home", kwargs={"token": event.test_token, "participant": p001.uuid}
    )
    assert "already submitted" in phone.get(again["Location"]).content.decode()
    late = phone.post(item_url(event, p001, "pre", 4), {"answer": right(items[3]), "action": "next"})
    assert late["Location"] == phase_url("take-done", event, p001, "pre")
    assert items[3]["code"] not in saved(p001)
    assert phone.get(item_url(event, p001, "pre", 4))["Location"] == phase_url(
        "take-done", event, p001, "pre"
    )
    assert Attempt.objects.filter(participant=p001).count() == 1


def test_an_unknown_code_or_another_trainings_code_opens_nothing(event, workspace):
    other = event_make(workspace, code="TR-2026-02")
    Participant.objects.create(workspace=workspace, event=other, code="P777")
    phone = Client()
    for code in ("P777", "P999", ""):
        response = enter(phone, event, code)
        assert response.status_code == 400
        text = response.content.decode()
        if code:
            assert (
                "This code is not registered for this training; check your badge or ask the trainer" in text
            )
        else:
            assert "Type the participant code" in text
    assert not Attempt.objects.exists()


def test_wrong_codes_are_limited_per_network(event, monkeypatch):
    monkeypatch.setattr("ctip.web.trainings.take_views.WRONG_CODES_PER_WINDOW", 3)
    phone = Client()
    assert [enter(phone, event, f"X{n}").status_code for n in range(4)] == [400, 400, 400, 429]
    assert enter(phone, event, "P001").status_code == 429  # even a right code waits


def test_a_wrong_token_is_not_found_everywhere(event):
    p001 = Participant.objects.get(event=event, code="P001")
    phone = Client()
    wrong = "not-a-real-token"
    urls = [
        reverse("take-start", kwargs={"token": wrong}),
        reverse("take-home", kwargs={"token": wrong, "participant": p001.uuid}),
        reverse("take-item", kwargs={"token": wrong, "participant": p001.uuid, "phase": "pre", "number": 1}),
        reverse("take-review", kwargs={"token": wrong, "participant": p001.uuid, "phase": "pre"}),
        reverse("take-done", kwargs={"token": wrong, "participant": p001.uuid, "phase": "pre"}),
        reverse("take-survey", kwargs={"token": wrong, "participant": p001.uuid, "kind": "reaction"}),
    ]
    for url in urls:
        assert phone.get(url).status_code == 404, url
    assert phone.post(urls[2], {"answer": ["a"]}).status_code == 404
    assert phone.get(item_url(event, p001, "mid", 1)).status_code == 404
    assert not Answer.objects.exists()


def test_bad_option_keys_are_refused_with_a_clear_message_and_nothing_saved(event):
    p001 = Participant.objects.get(event=event, code="P001")
    phone = Client()
    enter(phone, event, "P001")
    url = item_url(event, p001, "pre", 1)  # single choice a–d
    response = phone.post(url, {"answer": ["z"], "action": "next"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Your answer was not saved: “z” is not an option of this question." in text
    two = phone.post(url, {"answer": ["a", "b"], "action": "next"})
    assert two.status_code == 400
    assert "choose only one option" in two.content.decode()
    none = phone.post(url, {"action": "next"})
    assert none.status_code == 400
    assert "Choose an answer, or press “Skip”" in none.content.decode()
    assert saved(p001) == {}
    # A multiple-response item takes several keys, stored in the options' order.
    assert (
        phone.post(item_url(event, p001, "pre", 4), {"answer": ["e", "a"], "action": "next"}).status_code
        == 302
    )
    assert saved(p001) == {"SCR-07": ["a", "e"]}


def test_a_closed_test_refuses_answers(event, admin_user):
    p001 = Participant.objects.get(event=event, code="P001")
    phone = Client()
    enter(phone, event, "P001")
    form_set_open(form=pre_form(event), is_open=False, acting_user=admin_user)
    response = phone.post(item_url(event, p001, "pre", 1), {"answer": ["a"], "action": "next"})
    assert response.status_code == 410
    assert "Pre-test: closed" in response.content.decode()
    assert saved(p001) == {}
    assert phone.post(phase_url("take-review", event, p001, "pre"), {"confirm": "yes"}).status_code == 410
    assert Attempt.objects.get(participant=p001).submitted_at is None
    start = phone.get(start_url(event)).content.decode()
    assert "No test is open at the moment." in start
    # The post-test was never opened: its pages are closed too.
    p002 = Participant.objects.get(event=event, code="P002")
    assert phone.get(item_url(event, p002, "post", 1)).status_code == 410
    assert not Attempt.objects.filter(participant=p002).exists()


def test_answers_are_upserted_and_never_lost_when_many_phones_answer_at_once(event, workspace):
    people = [
        Participant.objects.create(
            workspace=workspace, event=event, code=f"Q{n:03d}", sex="female" if n % 2 else "male"
        )
        for n in range(100)
    ]
    form = pre_form(event)
    attempts = [taking.attempt_start(form, person) for person in people]
    # Interleaved: every phone answers item 1, then every phone item 2, …; each sends item 2 twice.
    for item in form.items:
        for attempt in attempts:
            taking.answer_save(attempt, item, right(item))
        if item["code"] == form.items[1]["code"]:
            for attempt in attempts:
                taking.answer_save(attempt, item, right(item))
    assert Answer.objects.filter(attempt__form=form).count() == 100 * len(form.items)
    assert all(len(saved(person)) == len(form.items) for person in people[::17])
    # The second start of the same attempt (another phone) finds the first one.
    assert taking.attempt_start(form, people[0]).pk == attempts[0].pk
    assert Attempt.objects.filter(form=form).count() == 100


def test_a_race_to_make_the_attempt_is_retried(event, monkeypatch):
    p001 = Participant.objects.get(event=event, code="P001")
    form = pre_form(event)
    real = Attempt.objects.get_or_create
    calls = []

    def racing(**kwargs):
        calls.append(1)
        if len(calls) == 1:  # another request made it between our read and our insert
            real(**kwargs)
            raise IntegrityError("UNIQUE constraint failed: trainings_attempt.form_id, participant_id")
        return real(**kwargs)

    monkeypatch.setattr(Attempt.objects, "get_or_create", racing)
    attempt = taking.attempt_start(form, p001)
    assert len(calls) == 2
    assert Attempt.objects.filter(form=form, participant=p001).get().pk == attempt.pk


def test_each_answer_costs_a_couple_of_queries(event, django_assert_max_num_queries):
    p001 = Participant.objects.get(event=event, code="P001")
    phone = Client()
    enter(phone, event, "P001")
    with django_assert_max_num_queries(4):  # the attempt with its form, the upsert (and its savepoint)
        response = phone.post(item_url(event, p001, "pre", 2), {"answer": ["true"], "action": "next"})
    assert response.status_code == 302
    with django_assert_max_num_queries(2):  # the attempt with its form, its answers
        assert phone.get(item_url(event, p001, "pre", 3)).status_code == 200


def test_reaction_survey_after_the_post_test_then_the_follow_up(event, admin_user):
    p002 = Participant.objects.get(event=event, code="P002")
    form_set_open(
        form=AssessmentForm.objects.get(event=event, phase="post"), is_open=True, acting_user=admin_user
    )
    phone = Client()
    survey_url = reverse(
        "take-survey", kwargs={"token": event.test_token, "participant": p002.uuid, "kind": "reaction"}
    )
    assert phone.get(survey_url).status_code == 410  # not before the post-test is submitted
    assert enter(phone, event, "P002")["Location"] == item_url(event, p002, "post", 1)
    post = AssessmentForm.objects.get(event=event, phase="post")
    for number, item in enumerate(post.items, start=1):
        phone.post(item_url(event, p002, "post", number), {"answer": right(item), "action": "next"})
    done = phone.post(phase_url("take-review", event, p002, "post"), {"confirm": "yes"})
    page = phone.get(done["Location"]).content.decode()
    assert survey_url in page

    form_page = phone.get(survey_url)
    assert form_page.status_code == 200
    assert REACTION[0].label.en in form_page.content.decode()
    missing = phone.post(survey_url, {"satisfaction": "5", "relevance": "9"})
    assert missing.status_code == 400
    text = missing.content.decode()
    assert "An answer is required." in text and "is not an answer on the scale" in text
    assert not SurveyResponse.objects.exists()

    answers = {"satisfaction": "5", "relevance": "4", "trainers": "5", "materials": "3", "organisation": "4"}
    answers |= {"confidence": "4", "most_useful": "The screening form exercise"}
    assert phone.post(survey_url, answers).status_code == 302
    response = SurveyResponse.objects.get(participant=p002, kind="reaction")
    assert (response.channel, response.answers["satisfaction"], response.answers["most_useful"]) == (
        "online",
        5,
        "The screening form exercise",
    )
    assert "Thank you, your answers are saved" in phone.get(survey_url).content.decode()
    assert phone.post(survey_url, answers).status_code == 200  # already answered: thanks, nothing new
    assert SurveyResponse.objects.filter(participant=p002).count() == 1

    # Months later the trainer opens the follow-up survey on the same link.
    form_set_open(form=post, is_open=False, acting_user=admin_user)
    follow_url = reverse(
        "take-survey", kwargs={"token": event.test_token, "participant": p002.uuid, "kind": "follow_up"}
    )
    assert phone.get(follow_url).status_code == 410
    follow_up_set(event=event, is_open=True, acting_user=admin_user)
    assert enter(Client(), event, "P002")["Location"] == follow_url
    bad = phone.post(
        follow_url, {"screenings": "-2", "referrals": "1", "tools_used": ["none", "sops"], "applied": "yes"}
    )
    assert bad.status_code == 400
    assert "is not a count" in bad.content.decode()
    good = {
        "screenings": "12",
        "referrals": "2",
        "tools_used": ["screening_form", "sops"],
        "applied": "partly",
    }
    assert phone.post(follow_url, good).status_code == 302
    follow = SurveyResponse.objects.get(participant=p002, kind="follow_up")
    assert follow.answers["tools_used"] == ["screening_form", "sops"]
    assert follow.answers["screenings"] == 12


def test_french_pages(workspace, admin_user):
    event = event_make(workspace, language="fr")
    person = Participant.objects.create(workspace=workspace, event=event, code="P001")
    forms = forms_build(event=event, mode="same", acting_user=admin_user).forms
    form_set_open(form=forms["pre"], is_open=True, acting_user=admin_user)
    phone = Client()
    start = phone.get(start_url(event))
    assert '<html lang="fr">' in start.content.decode()
    first = enter(phone, event, "P001")["Location"]
    page = phone.get(first).content.decode()
    item = forms["pre"].items[0]
    assert item["stem_fr"].replace("'", "&#x27;") in page
    assert item["options"][0]["fr"].replace("'", "&#x27;") in page
    # The English link switches, and the choice is remembered on the next pages.
    english = phone.get(first + "?lang=en").content.decode()
    assert '<html lang="en">' in english and item["stem_en"].replace("'", "&#x27;") in english
    assert '<html lang="en">' in phone.get(first).content.decode()
    french = phone.get(first + "?lang=fr").content.decode()
    assert '<html lang="fr">' in french
    review = phone.get(phase_url("take-review", event, person, "pre")).content.decode()
    assert '<html lang="fr">' in review


def test_every_page_fits_the_budget_for_slow_phones(event, admin_user):
    css_bytes = Path(finders.find("trainings/take.css")).stat().st_size
    p001 = Participant.objects.get(event=event, code="P001")
    phone = Client()
    pages = [phone.get(start_url(event))]
    pages.append(phone.get(enter(phone, event, "P001")["Location"]))
    pages.append(phone.post(item_url(event, p001, "pre", 1), {"answer": ["zz"], "action": "next"}))
    pages.append(phone.get(phase_url("take-review", event, p001, "pre")))
    phone.post(phase_url("take-review", event, p001, "pre"), {"confirm": "yes"})
    pages.append(phone.get(phase_url("take-done", event, p001, "pre")))
    pages.append(
        phone.get(reverse("take-home", kwargs={"token": event.test_token, "participant": p001.uuid}))
    )
    Attempt.objects.filter(participant=p001).update(
        form=AssessmentForm.objects.get(event=event, phase="post")
    )
    pages.append(
        phone.get(
            reverse(
                "take-survey",
                kwargs={"token": event.test_token, "participant": p001.uuid, "kind": "reaction"},
            )
        )
    )
    for response in pages:
        text = response.content.decode()
        assert len(response.content) + css_bytes <= PAGE_BUDGET
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in text
        assert "<script" not in text
        stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', text)
        assert stylesheets == ["/static/trainings/take.css"]
        assert "no-cache" in response["Cache-Control"]
    assert pages[-1].status_code == 200  # the survey page was reached


def test_check_answer_rules():
    item = {
        "code": "X",
        "kind": "true_false",
        "options": [{"key": "true"}, {"key": "false"}],
        "correct": ["true"],
    }
    assert taking.check_answer(item, ["false"]) == ["false"]
    for keys in ([], ["maybe"], ["true", "false"]):
        with pytest.raises(DomainError):
            taking.check_answer(item, keys)
