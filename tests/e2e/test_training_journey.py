"""A participant takes the pre-test on a 360-px phone over a slow link, loses the connection half-way
(Chromium offline), comes back and resumes at the first question not saved, finishes and submits; the
trainer opens the results, sees the matched pre/post evaluation, and downloads the training report."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from ctip.core.training import simulation
from ctip.web.trainings.models import AssessmentForm, Attempt
from ctip.web.trainings.services import taking, test_forms
from ctip.web.trainings.services.item_bank import bank_ensure
from tests.web.factories import PASSWORD, user_make, workspace_make
from tests.web.trainings.factories import event_make, participants_make

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "locale": "en-GB"}
SLOW_LINK = {"offline": False, "latency": 400, "downloadThroughput": 50_000, "uploadThroughput": 25_000}
MAX_PAGE_BYTES = 200_000


@pytest.fixture
def training(db):
    user = user_make("trainer-ravi")
    workspace = workspace_make("mauritius", admin=user, name="Mauritius C-TIP programme (demo)")
    event = event_make(workspace, modules=("SCR",), title="Screening with the IOM tools")
    bank_ensure(workspace, None)
    people = participants_make(event, 8)
    test_forms.forms_build(event=event, mode=test_forms.SAME, acting_user=None)
    forms = {form.phase: form for form in AssessmentForm.objects.filter(event=event)}
    # Everybody but the first participant (who takes the pre-test in the browser) answered already.
    others = people[1:]
    learners = simulation.learners([person.code for person in people], seed=5, mean_gain=1.5)
    items = [
        simulation.SimulatedItem(
            item["code"], tuple(o["key"] for o in item["options"]), tuple(item["correct"])
        )
        for item in forms["pre"].items
    ]
    pre = simulation.answers(learners, items, post=False, seed=6, skip_rate=0)
    test_forms.form_set_open(form=forms["pre"], is_open=True, acting_user=None)
    for person in others:
        attempt = taking.attempt_start(forms["pre"], person)
        for item in forms["pre"].items:
            taking.answer_save(attempt, item, pre[person.code][item["code"]])
        taking.attempt_submit(attempt)
    return {"user": user, "workspace": workspace, "event": event, "people": people, "forms": forms}


def phone(browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(30_000)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.emulateNetworkConditions", SLOW_LINK)
    context.cdp = cdp  # type: ignore[attr-defined]  # to drop the connection later
    sizes: dict[str, int] = {}

    def weigh(response):
        if response.request.resource_type in ("document", "stylesheet", "script", "image", "font"):
            try:
                sizes[response.url] = len(response.body())
            except Exception:  # a redirect has no body
                sizes[response.url] = 0

    page.on("response", weigh)
    return context, page, sizes


def fits_the_screen(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "sideways scrolling"


def answer_current(page, item):
    page.locator(f"input[name='answer'][value='{item['correct'][0]}']").first.check()


def test_pre_test_on_a_phone_with_a_dropped_connection_then_results_and_report(
    browser, page, live_server, training, screenshot
):
    event, forms, me = training["event"], training["forms"], training["people"][0]
    items = forms["pre"].items
    link = f"{live_server.url}/t/{event.test_token}/"

    context, phone_page, sizes = phone(browser)
    phone_page.goto(link)
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Screening with the IOM tools")
    fits_the_screen(phone_page)
    screenshot(phone_page, "training-01-start-360")
    phone_page.get_by_label("Your participant code (on your badge)").fill(me.code.lower())
    phone_page.get_by_role("button", name="Start").click()

    for number in (1, 2, 3):
        expect(phone_page.locator(".t-progress")).to_contain_text(f"Question {number} of {len(items)}")
        answer_current(phone_page, items[number - 1])
        if number == 2:
            fits_the_screen(phone_page)
            screenshot(phone_page, "training-02-question-360")
        phone_page.get_by_role("button", name="Next").click()

    # The connection drops while the fourth answer is being sent: it never reaches the server.
    expect(phone_page.locator(".t-progress")).to_contain_text(f"Question 4 of {len(items)}")
    answer_current(phone_page, items[3])
    context.cdp.send("Network.emulateNetworkConditions", {**SLOW_LINK, "offline": True})
    try:  # Chromium shows its "no internet" page; the answer never leaves the phone
        phone_page.get_by_role("button", name="Next").click(timeout=5_000)
        phone_page.wait_for_load_state("load", timeout=5_000)
    except PlaywrightError:
        pass
    expect(phone_page.locator("body")).not_to_contain_text(f"Question 5 of {len(items)}")
    attempt = Attempt.objects.get(form=forms["pre"], participant=me)
    assert set(taking.answers_of(attempt)) == {
        item["code"] for item in items[:3]
    }  # three saved, not the fourth
    context.close()

    # Back online, on the same link: the code brings the participant back to the first unanswered question.
    context, phone_page, _sizes = phone(browser)
    phone_page.goto(link)
    phone_page.get_by_label("Your participant code (on your badge)").fill(me.code)
    phone_page.get_by_role("button", name="Start").click()
    expect(phone_page.locator(".t-progress")).to_contain_text(f"Question 4 of {len(items)}")
    screenshot(phone_page, "training-03-resumed-360")
    for number in range(4, len(items) + 1):
        answer_current(phone_page, items[number - 1])
        phone_page.get_by_role("button", name=re.compile("^(Next|Save and review)$")).click()
    expect(phone_page.get_by_role("heading", level=1)).to_contain_text("check and submit")
    phone_page.get_by_label(re.compile("I have finished")).check()
    phone_page.get_by_role("button", name="Submit my answers").click()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Thank you, your answers are saved")
    fits_the_screen(phone_page)
    screenshot(phone_page, "training-04-done-360")
    heavy = {url: size for url, size in sizes.items() if size > MAX_PAGE_BYTES}
    assert not heavy, f"pages too heavy for a slow phone connection: {heavy}"
    assert not any(url.endswith(".js") for url in sizes), "the test needs no JavaScript"
    context.close()

    attempt.refresh_from_db()
    assert attempt.submitted_at is not None and len(taking.answers_of(attempt)) == len(items)

    # The post-test, answered by everyone (seeded), so that pre and post can be matched.
    test_forms.form_set_open(form=forms["post"], is_open=True, acting_user=None)
    for person in training["people"]:
        post_attempt = taking.attempt_start(forms["post"], person)
        for item in forms["post"].items:
            taking.answer_save(post_attempt, item, list(item["correct"]))
        taking.attempt_submit(post_attempt)

    # The trainer signs in, sees the results and downloads the training report.
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("trainer-ravi")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/**")
    page.goto(f"{live_server.url}/w/mauritius/trainings/{event.uuid}/results/")
    main = page.locator("main")
    expect(main).to_contain_text("8")  # eight participants matched
    expect(main).to_contain_text(re.compile("normali[sz]ed gain", re.IGNORECASE))
    expect(main).to_contain_text("Wilcoxon")
    screenshot(page, "training-05-results")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the training report (Word)").click()
    report = Document(io.BytesIO(download_info.value.path().read_bytes()))
    text = "\n".join(paragraph.text for paragraph in report.paragraphs)
    assert "Screening with the IOM tools" in text
    assert re.search("pre-test", text, re.IGNORECASE)
