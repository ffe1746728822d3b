"""The built-in web form: links made by the survey team, answered by respondents without an account."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from ctip.core.errors import DomainError
from ctip.web.accounts.models import AuditEntry
from ctip.web.tna.models import FormLink, FormResponse, SurveyRating, SurveySubmission
from ctip.web.tna.services import web_form
from tests.web.tna.factories import instrument_make, registry_make

PROFILE = {
    "sex": "female",
    "organisation": "MPF-ATU",
    "age_band": "35_44",
    "role_rank": "Inspector",
    "location": "rodrigues",
    "years_of_service": "12",
    "prior_training": "yes",
    "prior_training_year": "2024",
    "prior_training_topic": "Victim identification",
}
INSTITUTION = {
    "sop_in_place": "no",
    "data_system": "dont_know",
    "budget_line": "no",
    "referral_practice": "sometimes",
    "focal_point": "yes",
}


@pytest.fixture
def registry(workspace):
    return registry_make(workspace)


@pytest.fixture
def instrument(workspace, registry):
    return instrument_make(workspace)


@pytest.fixture
def org_link(workspace, instrument, registry):
    return web_form.form_links_create(
        workspace=workspace,
        instrument=instrument,
        kind="organisation",
        organisations=[registry["ATU"]],
        acting_user=None,
    )[0]


def start_url(link):
    return reverse("respond-start", kwargs={"token": link.token})


def pages_of(link):
    return web_form.link_pages(link)[1]


def begin(client, link):
    """Start a response; returns its code (the URL of page 0 holds it)."""
    answer = client.post(start_url(link), {"action": "start"})
    assert answer.status_code == 302
    match = re.fullmatch(rf"/f/{re.escape(link.token)}/(\w+)/0/", answer["Location"])
    assert match, answer["Location"]
    return match.group(1)


def page_url(link, code, index):
    return reverse("respond-page", kwargs={"token": link.token, "code": code, "page": index})


def ratings_for(page, value_imp="5", value_comp="2"):
    return {name: (value_imp if name.startswith("imp_") else value_comp) for name in page.names}


def answer_everything(client, link, code):
    pages = pages_of(link)
    for index, page in enumerate(pages):
        if page.key == "consent":
            data = {"consent": "yes"}
        elif page.key == "profile":
            data = dict(PROFILE)
        elif page.competency_codes:
            data = ratings_for(page)
        elif page.key == "institutional":
            data = dict(INSTITUTION)
        else:
            data = {"obstacle": "No interpreters on Rodrigues."}
        answer = client.post(page_url(link, code, index), {**data, "action": "next"})
        assert answer.status_code == 302, (page.key, answer.content.decode()[:2000])
    return pages


@pytest.mark.django_db
def test_the_team_makes_links_per_organisation_and_per_respondent_with_audit_rows(
    workspace, instrument, registry, admin_user
):
    made = web_form.form_links_create(
        workspace=workspace,
        instrument=instrument,
        kind="respondent",
        count=3,
        label_prefix="Labour inspector",
        language="fr",
        acting_user=admin_user,
    )
    assert [link.label for link in made] == [
        "Labour inspector 001",
        "Labour inspector 002",
        "Labour inspector 003",
    ]
    assert len({link.token for link in made}) == 3 and all(len(link.token) >= 32 for link in made)
    assert AuditEntry.objects.filter(action="formlink.create").count() == 3
    with pytest.raises(DomainError) as refused:
        web_form.form_links_create(
            workspace=workspace, instrument=instrument, kind="organisation", acting_user=admin_user
        )
    assert [p.location for p in refused.value.problems] == ["organisations"]
    with pytest.raises(DomainError) as too_many:
        web_form.form_links_create(
            workspace=workspace, instrument=instrument, kind="respondent", count=501, acting_user=admin_user
        )
    assert "501" in too_many.value.problems[0].message
    assert FormLink.objects.filter(workspace=workspace).count() == 3  # nothing made by the refused calls


@pytest.mark.django_db
def test_the_links_page_makes_links_lists_them_and_closes_one(admin_client, workspace, instrument, registry):
    url = reverse("tna-form-links", kwargs={"workspace": workspace.slug, "survey": instrument.uuid})
    refused = admin_client.post(url, {"kind": "respondent", "count": "0", "language": "en"})
    assert refused.status_code == 400 and FormLink.objects.count() == 0
    made = admin_client.post(
        url,
        {"kind": "organisation", "organisations": [str(registry["SHS"].uuid)], "language": "en"},
    )
    assert made.status_code == 302
    link = FormLink.objects.get()
    page = admin_client.get(url).content.decode()
    assert f"/f/{link.token}/" in page and "Safe Haven Shelter" in page
    admin_client.post(
        reverse(
            "tna-form-link-open",
            kwargs={"workspace": workspace.slug, "survey": instrument.uuid, "link": link.uuid},
        )
    )
    link.refresh_from_db()
    assert not link.is_open
    assert AuditEntry.objects.get(action="formlink.update").changes["is_open"] == [True, False]
    sheet = admin_client.get(
        reverse("tna-form-links-xlsx", kwargs={"workspace": workspace.slug, "survey": instrument.uuid})
    )
    assert sheet.status_code == 200 and sheet.content[:2] == b"PK"


@pytest.mark.django_db
def test_viewers_see_the_links_but_cannot_make_or_close_them(
    client, workspace, instrument, make_member, org_link
):
    viewer = make_member(workspace, "viewer")
    client.force_login(viewer.user)
    url = reverse("tna-form-links", kwargs={"workspace": workspace.slug, "survey": instrument.uuid})
    assert client.get(url).status_code == 200
    assert client.post(url, {"kind": "respondent", "count": "2", "language": "en"}).status_code == 403
    close = reverse(
        "tna-form-link-open",
        kwargs={"workspace": workspace.slug, "survey": instrument.uuid, "link": org_link.uuid},
    )
    assert client.post(close).status_code == 403
    assert FormLink.objects.count() == 1 and FormLink.objects.get().is_open


@pytest.mark.django_db
def test_a_respondent_answers_page_by_page_and_the_submission_joins_the_survey_data(org_link, registry):
    client = Client()
    welcome = client.get(start_url(org_link))
    assert welcome.status_code == 200 and b"Start the survey" in welcome.content
    code = begin(client, org_link)
    response = FormResponse.objects.get(link=org_link)
    assert response.answers == {"organisation": "MPF-ATU"}  # the organisation link answers it in advance
    pages = answer_everything(client, org_link, code)
    review_url = reverse("respond-review", kwargs={"token": org_link.token, "code": code})
    review = client.get(review_url)
    assert review.status_code == 200 and b"Every required question is answered." in review.content
    done = client.post(review_url)
    assert done["Location"] == reverse("respond-done", kwargs={"token": org_link.token, "code": code})
    assert b"your answers were received" in client.get(done["Location"]).content
    submission = SurveySubmission.objects.get()
    assert submission.key == f"web:{response.uuid}" and submission.source == "web_form"
    assert submission.organisation == registry["ATU"] and submission.sex == "female"
    assert (
        submission.profile["location"] == "rodrigues" and submission.profile["prior_training_year"] == "2024"
    )
    assert submission.institutional == INSTITUTION
    assert submission.open_answers == {"obstacle": "No interpreters on Rodrigues."}
    codes = [code for page in pages for code in page.competency_codes]
    assert {(r.code, r.importance, r.competence) for r in SurveyRating.objects.all()} == {
        (c, 5, 2) for c in codes
    }
    entry = AuditEntry.objects.get(action="surveysubmission.create")
    assert entry.actor_label == "respondent (web form)" and entry.object_id == str(submission.uuid)
    # Submitted answers can no longer be changed.
    again = client.post(page_url(org_link, code, 1), {**PROFILE, "sex": "male", "action": "next"})
    assert again.status_code == 302 and SurveySubmission.objects.get().sex == "female"


@pytest.mark.django_db
def test_wrong_answers_are_named_and_the_valid_ones_on_the_page_are_kept(org_link):
    client = Client()
    code = begin(client, org_link)
    client.post(page_url(org_link, code, 0), {"consent": "yes", "action": "next"})
    answer = client.post(
        page_url(org_link, code, 1),
        {**PROFILE, "years_of_service": "sixty", "age_band": "", "action": "next"},
    )
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "2 answers need your attention." in text
    assert "Enter a whole number, such as 4." in text and "Please answer this question." in text
    assert 'value="sixty"' in text  # what was typed is shown again to correct it
    saved = FormResponse.objects.get().answers
    assert saved["sex"] == "female" and saved["role_rank"] == "Inspector"
    assert "years_of_service" not in saved and saved["consent"] == "yes"
    # Going back does not insist on required answers, and still saves what is valid.
    back = client.post(page_url(org_link, code, 1), {"age_band": "25_34", "action": "back"})
    assert back.status_code == 302 and back["Location"] == page_url(org_link, code, 0)
    assert FormResponse.objects.get().answers["age_band"] == "25_34"


@pytest.mark.django_db
def test_answers_are_found_again_with_the_cookie_or_the_resume_code_on_another_device(org_link):
    phone = Client()
    code = begin(phone, org_link)
    phone.post(page_url(org_link, code, 0), {"consent": "yes", "action": "next"})
    later = phone.post(page_url(org_link, code, 1), {**PROFILE, "action": "later"})
    saved = phone.get(later["Location"]).content.decode()
    shown = f"{code[:4]}-{code[4:]}"
    assert shown in saved and f"/f/{org_link.token}/" in saved
    # The same phone, later: the welcome page offers to continue at the furthest page reached.
    welcome = phone.get(start_url(org_link)).content.decode()
    assert "Continue where you stopped" in welcome and page_url(org_link, code, 1) in welcome
    # Another device, with the code typed in lower case and without the dash.
    laptop = Client()
    wrong = laptop.post(start_url(org_link), {"action": "resume", "code": "ZZZZ-ZZZZ"})
    assert wrong.status_code == 400 and b"No answers were saved with this code" in wrong.content
    found = laptop.post(start_url(org_link), {"action": "resume", "code": code.lower()})
    assert found.status_code == 302 and found["Location"] == page_url(org_link, code, 1)
    assert 'value="Inspector"' in laptop.get(found["Location"]).content.decode()


@pytest.mark.django_db
def test_declining_ends_the_survey_and_keeps_no_answer(org_link):
    client = Client()
    code = begin(client, org_link)
    declined = client.post(page_url(org_link, code, 0), {"consent": "no", "action": "next"})
    assert declined["Location"].endswith("/done/")
    assert b"Thank you for your time" in client.get(declined["Location"]).content
    response = FormResponse.objects.get()
    assert response.status == "declined" and response.answers == {"consent": "no"}
    assert client.get(page_url(org_link, code, 1))["Location"] == page_url(org_link, code, 0)
    review = reverse("respond-review", kwargs={"token": org_link.token, "code": code})
    assert client.post(review).status_code == 302 and not SurveySubmission.objects.exists()


@pytest.mark.django_db
def test_submitting_with_unanswered_questions_lists_them_and_saves_nothing(org_link):
    client = Client()
    code = begin(client, org_link)
    client.post(page_url(org_link, code, 0), {"consent": "yes", "action": "next"})
    review_url = reverse("respond-review", kwargs={"token": org_link.token, "code": code})
    assert b"required questions are still unanswered" in client.get(review_url).content
    refused = client.post(review_url)
    assert refused.status_code == 400 and b"question(s) still need an answer" in refused.content
    assert not SurveySubmission.objects.exists()


@pytest.mark.django_db
def test_a_single_respondent_link_holds_one_response(workspace, instrument):
    link = web_form.form_links_create(
        workspace=workspace, instrument=instrument, kind="respondent", count=1, acting_user=None
    )[0]
    first = begin(Client(), link)
    other_device = Client().post(start_url(link), {"action": "start"})
    assert other_device["Location"] == page_url(link, first, 0)
    assert FormResponse.objects.filter(link=link).count() == 1


@pytest.mark.django_db
def test_a_closed_link_accepts_no_answer_but_keeps_the_saved_ones(workspace, org_link):
    client = Client()
    code = begin(client, org_link)
    client.post(page_url(org_link, code, 0), {"consent": "yes", "action": "next"})
    web_form.form_link_set_open(workspace=workspace, link=org_link, is_open=False, acting_user=None)
    assert client.get(start_url(org_link)).status_code == 410
    refused = client.post(page_url(org_link, code, 1), {**PROFILE, "action": "next"})
    assert refused.status_code == 410 and b"This survey is closed" in refused.content
    assert FormResponse.objects.get().answers == {"organisation": "MPF-ATU", "consent": "yes"}
    web_form.form_link_set_open(workspace=workspace, link=org_link, is_open=True, acting_user=None)
    assert client.post(page_url(org_link, code, 1), {**PROFILE, "action": "next"}).status_code == 302


@pytest.mark.django_db
def test_a_token_opens_only_its_own_link_and_codes_only_their_own_answers(workspace, instrument, org_link):
    other = web_form.form_links_create(
        workspace=workspace, instrument=instrument, kind="respondent", count=1, acting_user=None
    )[0]
    code = begin(Client(), org_link)
    client = Client()
    assert client.get("/f/not-a-token/").status_code == 404
    assert client.get(page_url(other, code, 0)).status_code == 404  # the code belongs to the other link
    assert client.get(page_url(org_link, "AAAAAAAA", 0)).status_code == 404
    assert client.post(start_url(other), {"action": "resume", "code": code}).status_code == 400


@pytest.mark.django_db
def test_the_form_speaks_french_and_pages_stay_small_without_javascript(org_link):
    client = Client()
    code = begin(client, org_link)
    client.post(page_url(org_link, code, 0), {"consent": "yes", "action": "next"})
    client.post(page_url(org_link, code, 1), {**PROFILE, "action": "next"})
    french = client.get(page_url(org_link, code, 2) + "?lang=fr")
    text = french.content.decode()
    assert french["Content-Language"] == "fr" and '<html lang="fr">' in text
    assert "notation des compétences" in text and "Enregistrer et continuer" in text
    assert FormResponse.objects.get().language == "fr"  # the next pages stay in French
    assert "<script" not in text and len(french.content) < 60_000
    english = client.get(page_url(org_link, code, 2) + "?lang=en").content.decode()
    assert "rating the skills" in english and "Save and continue" in english


@pytest.mark.django_db
def test_the_api_makes_and_lists_links(client, workspace, instrument, registry, admin_user, make_member):
    from ctip.web.accounts.services import api_token_create

    token = api_token_create(user=admin_user, name="t", acting_user=admin_user)[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    url = f"/api/v1/w/{workspace.slug}/instruments/{instrument.uuid}/form-links"
    made = client.post(
        url,
        data={"kind": "organisation", "organisations": [str(registry["RRA"].uuid)], "language": "fr"},
        content_type="application/json",
        **headers,
    )
    assert made.status_code == 201
    [link] = made.json()
    assert link["label"] == "Rodrigues Regional Assembly" and link["language"] == "fr"
    assert link["url"].startswith("http://testserver/f/") and link["started"] == 0
    bad = client.post(
        url, data={"kind": "respondent", "count": 0}, content_type="application/json", **headers
    )
    assert bad.status_code == 400 and bad.json()["problems"][0]["location"] == "count"
    foreign = client.post(
        url,
        data={"kind": "organisation", "organisations": [str(instrument.uuid)]},
        content_type="application/json",
        **headers,
    )
    assert foreign.status_code == 400
    listed = client.get(url, **headers).json()
    assert [row["id"] for row in listed] == [link["id"]]
