"""Sign in, switch language, switch workspace, read the audit log — in a real browser, on desktop and phone."""

import pytest
from playwright.sync_api import expect

from ctip.web.accounts import services
from tests.web.factories import PASSWORD, user_make, workspace_make

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def coordinator_with_two_workspaces(db):
    user = user_make("anjali", first_name="Anjali", last_name="Ramdin")
    mauritius = workspace_make("mauritius", admin=user, name="Mauritius C-TIP programme (demo)")
    workspace_make("rwanda", admin=user, name="Rwanda C-TIP programme (demo)", country="RW", currency="RWF")
    services.workspace_update(workspace=mauritius, acting_user=user, plan_end_year=2028)
    return user


def sign_in(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("anjali")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_sign_in_switch_language_and_workspace_and_read_the_audit_log(
    page, live_server, coordinator_with_two_workspaces, screenshot
):
    page.goto(f"{live_server.url}/accounts/login/")
    screenshot(page, "01-login-en")
    sign_in(page, live_server)
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="Your workspaces").is_visible()

    page.get_by_role("link", name="Mauritius C-TIP programme (demo)").first.click()
    page.wait_for_url("**/w/mauritius/")
    assert page.get_by_role("navigation", name="Programme phases").is_visible()
    screenshot(page, "02-dashboard-en")

    # Language: French, and the choice follows the user from page to page.
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr"
    phases = page.get_by_role("navigation", name="Phases du programme")
    assert phases.get_by_role("link", name="Évaluation des besoins").is_visible()
    assert page.get_by_text("Maurice", exact=True).is_visible()
    screenshot(page, "03-dashboard-fr")

    # Workspace switcher.
    page.locator(".switcher summary").click()
    page.get_by_role("link", name="Rwanda C-TIP programme (demo)").click()
    page.wait_for_url("**/w/rwanda/")
    assert page.get_by_role("heading", name="Rwanda C-TIP programme (demo)").is_visible()

    # Audit log of Rwanda, in French.
    page.get_by_role("link", name="Journal d'audit").click()
    page.wait_for_url("**/w/rwanda/audit/")
    table = page.locator("table.audit")
    assert "workspace.create" in table.inner_text()
    screenshot(page, "04-audit-fr")

    # Back to English; the Mauritius audit log shows the field-level change, and the filter works (HTMX).
    page.get_by_label("Langue").select_option("en")
    page.get_by_role("button", name="Changer").click()
    page.goto(f"{live_server.url}/w/mauritius/audit/")
    assert "2027" in table.inner_text() and "2028" in table.inner_text()
    page.get_by_label("Action").select_option("workspace.update")
    expect(table.locator("tbody tr")).to_have_count(1)
    assert "plan period: last year" in table.inner_text()
    screenshot(page, "05-audit-filtered-en")


def test_the_shell_fits_a_360_pixel_phone(browser, live_server, coordinator_with_two_workspaces, screenshot):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True
    )
    page = context.new_page()
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/w/mauritius/members/")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than a 360px phone"
    screenshot(page, "06-members-phone")
    page.goto(f"{live_server.url}/w/mauritius/")
    screenshot(page, "07-dashboard-phone")
    context.close()


def test_keyboard_users_can_skip_to_the_content(page, live_server, coordinator_with_two_workspaces):
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/w/mauritius/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"


def test_a_wrong_value_in_the_settings_form_is_explained_in_french(
    page, live_server, coordinator_with_two_workspaces, screenshot
):
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/w/mauritius/")
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change").click()
    page.goto(f"{live_server.url}/w/mauritius/settings/")
    page.get_by_label("Devise").fill("QQQ")
    page.get_by_label("Période du plan : dernière année").fill("2040")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()
    screenshot(page, "08-settings-errors-fr")
    assert page.get_by_text("« QQQ » n'est pas un code de devise ISO 4217").is_visible()
    assert page.get_by_text("Une période de plan de 16 ans dépasse 10 ans").is_visible()
    assert page.get_by_label("Pays").locator("option:checked").inner_text() == "Maurice (MU)"
    page.goto(f"{live_server.url}/w/mauritius/")
    assert page.get_by_text("2025–2028").is_visible()  # unchanged by the refused form
