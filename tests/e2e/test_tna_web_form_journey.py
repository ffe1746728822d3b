"""The built-in web form on a phone: a 360-px screen on a slow connection (throttled through Chromium's
DevTools protocol), a wrong answer corrected, the phone lost half-way, the survey finished on another device
with the resume code, partly in French — and the submission lands in the survey data."""

import re

import pytest
from playwright.sync_api import expect

from ctip.web.tna.models import FormResponse, SurveySubmission
from ctip.web.tna.services import web_form
from tests.web.factories import PASSWORD, user_make, workspace_make
from tests.web.tna.factories import instrument_make, registry_make

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "locale": "en-GB"}
SLOW_LINK = {  # roughly a poor 3G connection
    "offline": False,
    "latency": 400,
    "downloadThroughput": 50_000,  # bytes per second (400 kbit/s)
    "uploadThroughput": 25_000,
}
MAX_PAGE_BYTES = 100_000


@pytest.fixture
def link(db):
    user = user_make("anjali")
    workspace = workspace_make("mauritius", admin=user, name="Mauritius C-TIP programme (demo)")
    registry = registry_make(workspace)
    instrument = instrument_make(workspace, title="Survey of frontline officers")
    return web_form.form_links_create(
        workspace=workspace,
        instrument=instrument,
        kind="organisation",
        organisations=[registry["ATU"]],
        acting_user=None,
    )[0]


@pytest.fixture
def desk(page):
    return page


def phone(browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(30_000)
    context.new_cdp_session(page).send("Network.emulateNetworkConditions", SLOW_LINK)
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


def choose(page, question_name, value):
    page.locator(f"input[name='{question_name}'][value='{value}']").check()


def test_answer_the_web_form_on_a_phone_and_finish_on_another_device(
    browser, desk, live_server, link, screenshot
):
    start = f"{live_server.url}/f/{link.token}/"
    context, page, sizes = phone(browser)
    page.goto(start)
    expect(page.get_by_role("heading", level=1)).to_have_text("Survey of frontline officers")
    fits_the_screen(page)
    screenshot(page, "webform-01-start-360")
    page.get_by_role("button", name="Start the survey").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("About this survey")
    choose(page, "consent", "yes")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("About you")
    expect(page.locator("input[name='organisation'][value='MPF-ATU']")).to_be_checked()  # from the link
    choose(page, "sex", "female")
    choose(page, "age_band", "25_34")
    choose(page, "location", "rodrigues")
    page.get_by_label("How many years have you worked in your current field?").fill("ten")
    choose(page, "prior_training", "no")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("alert")).to_contain_text("1 answer needs your attention.")
    expect(page.locator("#q-years_of_service")).to_contain_text("Enter a whole number, such as 4.")
    fits_the_screen(page)
    screenshot(page, "webform-02-profile-error-360")
    page.get_by_label("How many years have you worked in your current field?").fill("10")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("rating the skills")
    fits_the_screen(page)
    screenshot(page, "webform-03-ratings-360")
    code = re.search(r"Your resume code: (\w{4}-\w{4})", page.locator("footer").inner_text()).group(1)
    heavy = {url: size for url, size in sizes.items() if size > MAX_PAGE_BYTES}
    assert not heavy, f"pages too heavy for a slow phone connection: {heavy}"
    assert not any(url.endswith(".js") for url in sizes), "the form needs no JavaScript"
    context.close()  # the phone is lost half-way through

    saved = FormResponse.objects.get(link=link).answers
    assert saved["years_of_service"] == "10" and saved["sex"] == "female"

    context, page, _sizes = phone(browser)
    page.goto(start + "?lang=fr")
    expect(page.get_by_role("button", name="Commencer l’enquête")).to_be_visible()
    page.get_by_label("Code de reprise").fill(code.lower().replace("-", ""))
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("notation des compétences")
    screenshot(page, "webform-04-resumed-in-french-360")
    while page.locator("input[name^='imp_']").count():
        for name in page.eval_on_selector_all(
            "input[name^='imp_'], input[name^='comp_']", "items => [...new Set(items.map(i => i.name))]"
        ):
            choose(page, name, "4" if name.startswith("imp_") else "2")
        page.get_by_role("button", name=re.compile("^Enregistrer et (continuer|vérifier)$")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Votre organisation")
    for name, value in (
        ("sop_in_place", "no"),
        ("data_system", "dont_know"),
        ("budget_line", "no"),
        ("referral_practice", "sometimes"),
        ("focal_point", "yes"),
    ):
        choose(page, name, value)
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.get_by_label("Quel est le principal obstacle à votre travail contre la traite ?").fill(
        "Pas d’interprète à Rodrigues."
    )
    page.get_by_role("button", name="Enregistrer et vérifier").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifier et envoyer")
    expect(page.locator("main")).to_contain_text("Toutes les questions obligatoires ont une réponse.")
    screenshot(page, "webform-05-review-360")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci : vos réponses ont bien été reçues")
    fits_the_screen(page)
    screenshot(page, "webform-06-done-360")
    context.close()

    submission = SurveySubmission.objects.get()
    assert submission.source == "web_form" and submission.organisation.key == "MPF-ATU"
    assert submission.profile["location"] == "rodrigues"
    assert submission.open_answers == {"obstacle": "Pas d’interprète à Rodrigues."}
    assert {r.competence for r in submission.ratings.all()} == {2}

    # The survey team sees the response arrive on the links page.
    page = desk
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("anjali")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/**")
    page.goto(f"{live_server.url}/w/mauritius/tna/instruments/{link.instrument.uuid}/links/")
    row = page.get_by_role("row", name=re.compile("Anti-Trafficking Unit"))
    expect(row).to_contain_text("1")
    expect(page.locator("input.copy-link")).to_have_value(start)
    screenshot(page, "webform-07-links-page")
