"""TEMPORARY (views helper): screenshots of the review pages; deleted after use."""

import os
import shutil

import pytest

from ctip.web.nap import services as nap_services
from ctip.web.meetings import services as meetings
from ctip.web.nap.models import NapElement
from ctip.web.reviews import services
from tests.web.nap.factories import cost_line_make, element_make, indicator_make
from tests.web.reviews.factories import (
    comment_make, first_element_id, nap_version_make, plan_for_review, reviewer_make, round_make, tc_meeting_make,
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
OUT = "/tmp/views_work/shots"


@pytest.mark.django_db(transaction=True)
def test_screens(live_server, client, admin_user, workspace):
    plan = plan_for_review(workspace, title="National Action Plan against Trafficking in Persons 2025–2029")
    activity = NapElement.objects.get(plan=plan, level="activity")
    cost_line_make(activity)
    indicator_make(activity.parent)
    for title in ("Awareness campaign in schools", "Hotline for victims and witnesses"):
        element_make(plan, "activity", parent=activity.parent, title=title)
    version = nap_version_make(workspace, plan=plan, note="Draft for the Technical Committee workshop", acting_user=admin_user)
    meeting = tc_meeting_make(workspace, "Technical Committee workshop, Port Louis")
    rita = reviewer_make(workspace, "rita", first_name="Rita", last_name="Ramgoolam")
    omar = reviewer_make(workspace, "omar", first_name="Omar", last_name="Osman")
    review = round_make(version, title="Technical Committee review of version 1", meeting=meeting, reviewers=[rita, omar], acting_user=admin_user)
    element = first_element_id(version)
    c1 = comment_make(review, element_id=element, text="Say which border posts: the airport and the port are not the same training audience.", organisation="IOM", acting_user=rita)
    c2 = comment_make(review, text="The plan should cite the 2023 national assessment in the introduction.", organisation="UNODC", acting_user=omar)
    c3 = comment_make(review, element_id=element, text="Budget looks low for 40 officers.", organisation="IOM", acting_user=rita)
    nap_services.element_update(element=activity, values={"title": "Train border officers at the airport and the port", "location": "Port Louis airport; Port Louis harbour"}, acting_user=admin_user)
    nap_services.plan_update(plan=plan, values={"vision": "A country free from trafficking in persons, where every victim is identified early, protected and supported, and where traffickers are prosecuted and convicted."}, acting_user=admin_user) if hasattr(nap_services, "plan_update") else None
    element_make(plan, "activity", parent=activity.parent, title="Train prosecutors on the 2009 Act")
    second = services.version_save(workspace=workspace, deliverable="nap", subject=version.subject, note="Revised after the workshop", acting_user=admin_user)
    services.comment_respond(comment=c1, response="The activity now names both posts.", decision="accepted", resolved_in=second, resolved_element_id=element, acting_user=admin_user)
    services.comment_respond(comment=c3, response="Kept: the unit cost follows the 2024 rates.", decision="not_accepted", reason="The cost follows the government's 2024 per-diem rates.", acting_user=admin_user)
    client.force_login(admin_user)
    session = client.cookies["sessionid"].value

    from playwright.sync_api import sync_playwright

    pages = {
        "round": f"/w/{workspace.slug}/reviews/rounds/{review.uuid}/",
        "compare": f"/w/{workspace.slug}/reviews/compare/?from={version.uuid}&to={second.uuid}",
        "version": f"/w/{workspace.slug}/reviews/versions/{version.uuid}/",
        "home": f"/w/{workspace.slug}/reviews/",
        "respond": f"/w/{workspace.slug}/reviews/comments/{c2.uuid}/respond/",
        "validate": f"/w/{workspace.slug}/reviews/versions/{second.uuid}/validate/",
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), headless=True, args=["--no-sandbox", "--disable-gpu"])
        for width in (1280, 360):
            context = browser.new_context(viewport={"width": width, "height": 900})
            context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
            page = context.new_page()
            for name, path in pages.items():
                page.goto(live_server.url + path)
                page.screenshot(path=f"{OUT}/{name}-{width}.png", full_page=True)
            context.close()
        browser.close()
