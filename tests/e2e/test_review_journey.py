"""Review and validation in a browser, three people at once in their own browser contexts: the author (an
analyst) saves version 1 of the National Action Plan and opens a Technical Committee round; the reviewer
comments on an indicator and on the document as a whole; the author changes the indicator's target, saves
version 2 and responds (one comment accepted with the change that resolved it, one not accepted with a
reason); the reviewer reads the responses and follows the link to the change; the coordinator first meets
the validation gate, then validates version 2 at the validation meeting and makes it final. The comment
matrix downloads as Excel and Word with both comments, their responses and decisions."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import expect

from ctip.web.meetings import services as meeting_services
from ctip.web.reviews.models import DeliverableVersion, ReviewComment, ReviewRound
from tests.web.factories import PASSWORD, member_make, user_make, workspace_make
from tests.web.nap.factories import cost_line_make, element_make, indicator_make, plan_make
from tests.web.reviews.factories import reviewer_make, tc_meeting_make, validation_meeting_make

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PLAN_TITLE = "National Action Plan against Trafficking in Persons 2025–2029"
INDICATOR_NAME = "Number of border officers trained in victim identification"
COMMENT_ON_INDICATOR = "The target of 60 officers is too low for 14 border posts: aim for at least 80."
COMMENT_ON_DOCUMENT = "Please add a chapter on the financing of shelters by local government."
RESPONSE_ACCEPTED = "Agreed: the target is now 80 officers by 2029."
RESPONSE_NOT_ACCEPTED = "Shelters are financed under the national budget line of the Ministry."
REASON_NOT_ACCEPTED = (
    "Local governments do not fund shelters in this country; the budget chapter covers them."
)
VALIDATION_DECISION = "Version 2 of the plan is validated by the Technical Committee."
VALIDATION_CONDITIONS = "Translate the plan into French before submission to the Cabinet."


@pytest.fixture
def review_setup(db):
    """A workspace with a NAP (one branch down to an activity, an output indicator and a cost line), an
    analyst who writes it, a coordinator, a reviewer of the Technical Committee, and the two meetings."""
    workspace = workspace_make("rwanda", admin=user_make("admin-eric"), name="Rwanda C-TIP programme (demo)")
    author = user_make("analyst-jean", first_name="Jean", last_name="Habimana")
    coordinator = user_make("coordinator-aline", first_name="Aline", last_name="Uwase")
    member_make(workspace, "analyst", author)
    member_make(workspace, "coordinator", coordinator)
    reviewer = reviewer_make(workspace, "reviewer-rita", first_name="Rita", last_name="Mukamana")
    plan = plan_make(workspace, title=PLAN_TITLE)
    activity = element_make(plan, "activity", title="Train border officers in victim identification")
    cost_line_make(activity)
    indicator = indicator_make(activity.parent, name=INDICATOR_NAME)
    workshop = tc_meeting_make(workspace, "Technical Committee workshop on the NAP")
    validation = validation_meeting_make(workspace, "NAP validation meeting")
    for name, organisation in [
        ("Aline Uwase", "MIGEPROF"),
        ("Rita Mukamana", "IOM"),
        ("Paul Kagame N.", "RIB"),
    ]:
        meeting_services.attendee_add(
            workspace=workspace,
            meeting=validation,
            name=name,
            organisation_name=organisation,
            acting_user=None,
        )
    return {
        "workspace": workspace,
        "plan": plan,
        "indicator": indicator,
        "reviewer": reviewer,
        "workshop": workshop,
        "validation": validation,
    }


@pytest.fixture
def person_page(browser, live_server):
    """A page in a browser context of its own, signed in as the given user; the contexts close at the end."""
    contexts = []

    def open_as(username: str):
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="en-GB", accept_downloads=True
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/**")
        expect(page.get_by_label("Password")).to_have_count(0)
        return page

    yield open_as
    for context in contexts:
        context.close()


def nap_card(page):
    return page.locator("section.review-card").filter(has_text=PLAN_TITLE)


def save_version(page, base: str, note: str) -> None:
    page.goto(f"{base}/w/rwanda/reviews/")
    card = nap_card(page)
    # Every card's note is id="id_note", so its label points at the first card's: find it by name.
    card.locator("textarea[name=note]").fill(note)
    card.get_by_role("button", name="Save a new version").click()
    expect(page.locator("h1")).to_contain_text("version")


def matrix_row(page, number: int):
    return page.locator(f"tr#comment-{number}")


def test_reviewer_comments_author_revises_and_responds_coordinator_validates_and_finalises(
    live_server, review_setup, person_page, screenshot
):
    base = live_server.url
    setup = review_setup
    indicator = setup["indicator"]

    # The author saves version 1 and opens the Technical Committee round with the reviewer.
    author = person_page("analyst-jean")
    save_version(author, base, "First draft for the Technical Committee")
    expect(author.locator("h1")).to_contain_text("version 1")
    author.get_by_role("link", name="Open a review round").click()
    author.get_by_label("Meeting").select_option(value=str(setup["workshop"].pk))
    author.get_by_label("Rita Mukamana").check()
    author.get_by_role("button", name="Open the round").click()
    author.wait_for_url(re.compile(r"/reviews/rounds/[0-9a-f-]+/$"))
    expect(author.locator("main")).to_contain_text("is under review")
    review_round = ReviewRound.objects.get()
    round_url = f"{base}/w/rwanda/reviews/rounds/{review_round.uuid}/"
    version_1 = review_round.deliverable_version
    assert version_1.number == 1 and version_1.status == "under_review"

    # 1. The reviewer comments on the indicator and on the document as a whole, and sees both in the matrix.
    reviewer = person_page("reviewer-rita")
    reviewer.goto(round_url)
    reviewer.get_by_label("On which part").select_option(value=str(indicator.uuid))
    reviewer.get_by_role("textbox", name="Comment", exact=True).fill(COMMENT_ON_INDICATOR)
    reviewer.get_by_label("Your organisation").fill("IOM Rwanda")
    reviewer.get_by_role("button", name="Add the comment").click()
    expect(matrix_row(reviewer, 1)).to_contain_text(COMMENT_ON_INDICATOR)
    reviewer.get_by_label("On which part").select_option(value="")
    reviewer.get_by_role("textbox", name="Comment", exact=True).fill(COMMENT_ON_DOCUMENT)
    reviewer.get_by_role("button", name="Add the comment").click()
    expect(matrix_row(reviewer, 2)).to_contain_text(COMMENT_ON_DOCUMENT)
    expect(matrix_row(reviewer, 1)).to_contain_text(INDICATOR_NAME)
    expect(matrix_row(reviewer, 1)).to_contain_text("IOM Rwanda")
    expect(matrix_row(reviewer, 2)).to_contain_text("The document as a whole")
    expect(matrix_row(reviewer, 2)).to_contain_text("Open")
    screenshot(reviewer, "review-01-reviewer-comments")

    # 2. The author, in the other context, sees the two comments, changes the target and saves version 2.
    author.reload()
    expect(matrix_row(author, 1)).to_contain_text(COMMENT_ON_INDICATOR)
    expect(matrix_row(author, 2)).to_contain_text(COMMENT_ON_DOCUMENT)
    author.goto(f"{base}/w/rwanda/nap/{setup['plan'].uuid}/indicators/{indicator.uuid}/")
    expect(author.get_by_label("Targets")).to_have_value("2029; 60")
    author.get_by_label("Targets").fill("2029; 80")
    author.get_by_role("button", name="Save", exact=True).click()
    author.wait_for_load_state()
    indicator.refresh_from_db()
    assert indicator.targets == [{"year": 2029, "value": "80", "sex": ""}]
    author.goto(f"{base}/w/rwanda/reviews/")
    expect(nap_card(author)).to_contain_text("1 change since version 1")
    save_version(author, base, "Indicator target raised after the Technical Committee workshop")
    expect(author.locator("h1")).to_contain_text("version 2")
    version_2 = DeliverableVersion.objects.get(number=2)
    assert version_2.status == "revised"

    # 4a. The coordinator tries to validate version 2 while the comments on version 1 have no response.
    coordinator = person_page("coordinator-aline")
    coordinator.goto(f"{base}/w/rwanda/reviews/versions/{version_2.uuid}/validate/")
    blockers = coordinator.locator(".review-blockers")
    expect(blockers).to_contain_text("These comments block validation")
    expect(blockers).to_contain_text("2 comments have no decision yet")
    expect(blockers).to_contain_text(COMMENT_ON_INDICATOR[:40])
    expect(blockers).to_contain_text(COMMENT_ON_DOCUMENT[:40])
    expect(coordinator.get_by_role("button", name="Validate version 2")).to_have_count(0)
    screenshot(coordinator, "review-02-validation-blocked")

    # The author responds: comment 1 accepted, resolved by the indicator's change in version 2 ...
    author.goto(round_url)
    author.get_by_role("link", name="Respond to comment 1").click()
    author.get_by_label("Response").fill(RESPONSE_ACCEPTED)
    author.get_by_label("Accepted", exact=True).check()
    author.get_by_label("Resolved by the change in").select_option(value=str(version_2.uuid))
    author.get_by_role("button", name="List the changes of the chosen version").click()
    author.get_by_label("Which change").select_option(value=str(indicator.uuid))
    screenshot(author, "review-03-respond-accepted")
    author.get_by_role("button", name="Save the response").click()
    expect(matrix_row(author, 1)).to_contain_text(RESPONSE_ACCEPTED)
    # ... comment 2 not accepted, with the reason.
    author.get_by_role("link", name="Respond to comment 2").click()
    author.get_by_label("Response").fill(RESPONSE_NOT_ACCEPTED)
    author.get_by_label("Not accepted", exact=True).check()
    author.get_by_label("Reason").fill(REASON_NOT_ACCEPTED)
    author.get_by_role("button", name="Save the response").click()
    expect(matrix_row(author, 2)).to_contain_text(RESPONSE_NOT_ACCEPTED)
    first, second = ReviewComment.objects.order_by("number")
    assert (first.decision, first.resolved_in, first.resolved_element_id) == (
        "accepted",
        version_2,
        str(indicator.uuid),
    )
    assert (second.decision, second.reason) == ("not_accepted", REASON_NOT_ACCEPTED)

    # 3. The reviewer sees the responses and decisions, and follows the link to the change.
    reviewer.reload()
    expect(matrix_row(reviewer, 1)).to_contain_text(RESPONSE_ACCEPTED)
    expect(matrix_row(reviewer, 1)).to_contain_text("Accepted")
    expect(matrix_row(reviewer, 2)).to_contain_text(RESPONSE_NOT_ACCEPTED)
    expect(matrix_row(reviewer, 2)).to_contain_text("Not accepted")
    expect(matrix_row(reviewer, 2)).to_contain_text(REASON_NOT_ACCEPTED)
    expect(reviewer.locator(".review-matrix .review-open")).to_have_count(0)
    screenshot(reviewer, "review-04-reviewer-sees-responses")
    matrix_row(reviewer, 1).get_by_role("link", name="In version 2").click()
    anchor = "change-" + str(indicator.uuid)
    reviewer.wait_for_url(re.compile(rf"/compare/\?from={version_1.uuid}&to={version_2.uuid}#{anchor}$"))
    change = reviewer.locator(f"tr#{anchor}")
    expect(change).to_contain_text(INDICATOR_NAME)
    expect(change).to_contain_text("Targets")
    expect(change.locator("del")).to_have_text("2029: 60")
    expect(change.locator("ins")).to_have_text("2029: 80")
    screenshot(reviewer, "review-05-compare-at-the-change")

    # 4b. The coordinator validates version 2 at the validation meeting, then makes it final.
    coordinator.goto(f"{base}/w/rwanda/reviews/versions/{version_2.uuid}/")
    coordinator.get_by_role("link", name="Validate…").click()
    expect(coordinator.locator(".review-blockers")).to_have_count(0)
    coordinator.get_by_label("Validation meeting").select_option(value=str(setup["validation"].pk))
    coordinator.get_by_label("Decision of the meeting").fill(VALIDATION_DECISION)
    coordinator.get_by_label("Conditions").fill(VALIDATION_CONDITIONS)
    coordinator.get_by_role("button", name="Validate version 2").click()
    expect(coordinator.locator("main")).to_contain_text("Version 2 is validated")
    validation_section = coordinator.locator("section").filter(
        has=coordinator.get_by_role("heading", name="Validation", exact=True)
    )
    expect(validation_section).to_contain_text("NAP validation meeting")
    expect(validation_section).to_contain_text(VALIDATION_CONDITIONS)
    coordinator.get_by_role("link", name="Make final…").click()
    coordinator.get_by_role("button", name="Make version 2 final").click()
    expect(coordinator.locator(".review-final")).to_contain_text("This version is final and frozen.")
    version_2.refresh_from_db()
    assert version_2.status == "final" and version_2.validation_meeting == setup["validation"]
    actions = coordinator.locator(".review-actions")
    for name in ("Open a review round", "Validate…", "Make final…", "Delete this draft…"):
        expect(actions.get_by_role("link", name=name)).to_have_count(0)
    expect(actions.get_by_role("button")).to_have_count(0)
    screenshot(coordinator, "review-06-final-and-frozen")

    # 5. The comment matrix downloads as Excel and Word with both comments, responses and decisions.
    author.goto(round_url)
    with author.expect_download() as xlsx_download:
        author.get_by_role("link", name="Comment matrix (Excel)").click()
    workbook = load_workbook(io.BytesIO(xlsx_download.value.path().read_bytes()))
    cells = " | ".join(
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
    )
    with author.expect_download() as docx_download:
        author.get_by_role("link", name="Comment matrix (Word)").click()
    document = Document(io.BytesIO(docx_download.value.path().read_bytes()))
    words = " | ".join(
        [paragraph.text for paragraph in document.paragraphs]
        + [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    )
    for text in (
        COMMENT_ON_INDICATOR,
        COMMENT_ON_DOCUMENT,
        RESPONSE_ACCEPTED,
        RESPONSE_NOT_ACCEPTED,
        REASON_NOT_ACCEPTED,
        "Accepted",
        "Not accepted",
        "Rita Mukamana",
        INDICATOR_NAME,
    ):
        assert text in cells, f"{text!r} is missing from the Excel comment matrix"
        assert text in words, f"{text!r} is missing from the Word comment matrix"
