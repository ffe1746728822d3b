"""The NAP's budget page, checks panel and coverage view, on a small hand-made plan whose every figure is
worked out by hand below (amount = unit cost × quantity × frequency, rounded half up once per line to the
currency's minor unit: cents for USD, whole francs for RWF)."""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation

from ctip.web.desk_review.models import ChecklistAssessment, LegalInstrument
from ctip.web.nap.models import ActionPlan, NapCostLine, NapElement
from ctip.web.tna import services as tna_services
from tests.web.factories import member_make, user_make
from tests.web.tna.factories import instrument_make, kobo_csv, kobo_row, registry_make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def element(plan, parent, level, code, title, position=0, **fields):
    return NapElement.objects.create(
        workspace=plan.workspace,
        plan=plan,
        parent=parent,
        level=level,
        code=code,
        title=title,
        position=position,
        **fields,
    )


def chain(plan, pillar, suffix):
    """Objective → priority → outcome → output under ``pillar``; returns the output."""
    objective = element(plan, pillar, "objective", f"SO{suffix}", f"Objective {suffix}")
    priority = element(plan, objective, "priority", f"SP{suffix}", f"Priority {suffix}")
    outcome = element(plan, priority, "outcome", f"OC{suffix}", f"Outcome {suffix}")
    return element(plan, outcome, "output", f"OP{suffix}", f"Output {suffix}")


def line(activity, code, unit_cost, quantity, frequency, year, **fields):
    fields.setdefault("currency", "USD")
    return NapCostLine.objects.create(
        workspace=activity.workspace,
        activity=activity,
        code=code,
        description=f"Line {code}",
        unit="unit",
        unit_cost=Decimal(unit_cost),
        quantity=Decimal(quantity),
        frequency=Decimal(frequency),
        year=year,
        **fields,
    )


@pytest.fixture
def plan(workspace):
    """Two pillars. P1 → … → OP1 holds A1 (RIB, 2025 Q1–Q2, depends on A3, cites legal gap P03) and A3
    (RIB, 2025 Q2, a zero-cost line); P2 → … → OP2 holds A2 (no lead, no timeline, cites the TNA need FD01
    and the checklist item P01, which is no gap). The lines:

    USD  A1/C1  10.05 × 3.333 × 1   = 33.49665   → 33.50   2025 government marker 0
    USD  A1/C2  1250.00 × 12 × 4    = 60000.00             2026 donor      marker 2 (justified, 40 women, 10 girls)
    USD  A1/C3  99.99 × 0.5 × 3     = 149.985    → 149.99  2026 unfunded   marker 0, targets women or girls, no beneficiaries
    USD  A2/C1  0.01 × 0.5 × 1      = 0.005      → 0.01    2027 unfunded   marker 1 without justification
    USD  A3/C1  0 × 1 × 1           = 0.00                 2025 government marker 0
    RWF  A2/C2  1500.50 × 3 × 1     = 4501.5     → 4502    2025 government marker 0
    """
    action_plan = ActionPlan.objects.create(
        workspace=workspace,
        title="National Action Plan against Trafficking",
        period_start=2025,
        period_end=2029,
        currency="USD",
        capacity_per_quarter=1,
    )
    p1 = element(action_plan, None, "pillar", "P1", "Prevention", 0)
    p2 = element(action_plan, None, "pillar", "P2", "Protection", 1)
    op1, op2 = chain(action_plan, p1, "1"), chain(action_plan, p2, "2")
    a1 = element(
        action_plan,
        op1,
        "activity",
        "A1",
        "Train shelter staff",
        0,
        lead_name="RIB",
        timeline=[[2025, 1], [2025, 2]],
        depends_on=["A3"],
        citations=["legal:P03"],
    )
    a3 = element(
        action_plan, op1, "activity", "A3", "Adopt the SOPs", 1, lead_name="RIB", timeline=[[2025, 2]]
    )
    a2 = element(action_plan, op2, "activity", "A2", "Open a hotline", 0, citations=["tna:FD01", "legal:P01"])
    line(a1, "C1", "10.05", "3.333", "1", 2025, funding_source="government", position=0)
    line(
        a1,
        "C2",
        "1250.00",
        "12",
        "4",
        2026,
        funding_source="donor",
        gender_marker=2,
        marker_justification="Shelter places for women survivors.",
        beneficiaries_women=40,
        beneficiaries_girls=10,
        position=1,
    )
    line(
        a1,
        "C3",
        "99.99",
        "0.5",
        "3",
        2026,
        funding_source="unfunded",
        targets_women_or_girls=True,
        position=2,
    )
    line(a2, "C1", "0.01", "0.5", "1", 2027, funding_source="unfunded", gender_marker=1, position=0)
    line(a2, "C2", "1500.50", "3", "1", 2025, currency="RWF", funding_source="government", position=1)
    line(a3, "C1", "0", "1", "1", 2025, funding_source="government")
    return action_plan


def url(name, workspace, plan):
    return reverse(name, kwargs={"workspace": workspace.slug, "plan": plan.uuid})


def edit_url(workspace, plan, code):
    target = NapElement.objects.get(plan=plan, code=code)
    return reverse(
        "nap-element-edit", kwargs={"workspace": workspace.slug, "plan": plan.uuid, "element": target.uuid}
    )


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def table(html: str, table_id: str) -> list[list[str]]:
    """The rows of the table with this id, each a list of its cells' text."""
    found = re.search(rf'<table id="{re.escape(table_id)}">(.*?)</table>', html, re.S)
    assert found, f"no table {table_id}"
    return [
        [text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", found.group(1), re.S)
    ]


def figure(html: str, currency: str, name: str) -> str:
    section = re.search(rf'<dl class="facts" id="budget-{currency}-figures">(.*?)</dl>', html, re.S)
    assert section
    found = re.search(rf'<dd data-figure="{name}">(.*?)</dd>', section.group(1), re.S)
    assert found
    return text(found.group(1))


# --- The budget page ---------------------------------------------------------------------------------------


def test_roll_ups_match_the_hand_computation_to_the_cent(admin_client, workspace, plan):
    response = admin_client.get(url("nap-budget", workspace, plan))
    assert response.status_code == 200
    html = response.content.decode()
    # USD total 33.50 + 60000.00 + 149.99 + 0.01 + 0.00 = 60183.50; gap 149.99 + 0.01 = 150.00.
    assert figure(html, "USD", "total") == "60,183.50 USD"
    assert figure(html, "USD", "funded") == "60,033.50 USD"
    # 150.00 / 60183.50 = 0.0024924… → 0.0025 (four places, as the core rounds shares) = 0.25 per cent.
    assert figure(html, "USD", "gap") == "150.00 USD (0.25%)"
    # Markers 1 and 2: 0.01 + 60000.00 = 60000.01; 60000.01 / 60183.50 = 0.99695… → 99.70 per cent.
    assert figure(html, "USD", "gender") == "60,000.01 USD (99.70%)"
    assert figure(html, "USD", "marker-1") == "0.01 USD (0.00%)"
    assert figure(html, "USD", "marker-2") == "60,000.00 USD (99.70%)"  # 0.996951… → 0.9970
    assert table(html, "budget-USD-pillar") == [
        ["Pillar", "Amount (USD)", "Share"],
        ["P1 Prevention", "60,183.49", "100.00%"],
        ["P2 Protection", "0.01", "0.00%"],
        ["Total", "60,183.50", ""],
    ]
    assert table(html, "budget-USD-year") == [
        ["Year", "Amount (USD)", "Share"],
        ["2025", "33.50", "0.06%"],
        ["2026", "60,149.99", "99.94%"],
        ["2027", "0.01", "0.00%"],
    ]
    assert table(html, "budget-USD-pillar-year") == [
        ["Pillar", "2025", "2026", "2027", "Total"],
        ["P1 Prevention", "33.50", "60,149.99", "0.00", "60,183.49"],
        ["P2 Protection", "0.00", "0.00", "0.01", "0.01"],
        ["Total", "33.50", "60,149.99", "0.01", "60,183.50"],
    ]
    assert table(html, "budget-USD-agency")[1:] == [
        ["RIB", "60,183.49", "100.00%"],
        ["No lead agency", "0.01", "0.00%"],
    ]
    assert [row[:2] for row in table(html, "budget-USD-marker")[1:]] == [
        ["0 — not targeted", "183.49"],
        ["1 — significant objective", "0.01"],
        ["2 — principal objective", "60,000.00"],
    ]
    assert [row[:2] for row in table(html, "budget-USD-funding")[1:]] == [
        ["Government", "33.50"],
        ["Donor", "60,000.00"],
        ["Unfunded", "150.00"],
    ]
    # Rwandan francs are never added to dollars, and carry no decimals: 1500.50 × 3 = 4501.5 → 4502.
    assert figure(html, "RWF", "total") == "4,502 RWF"
    assert table(html, "budget-RWF-pillar")[1:] == [
        ["P1 Prevention", "0", "0.00%"],
        ["P2 Protection", "4,502", "100.00%"],
        ["Total", "4,502", ""],
    ]
    assert html.index('id="budget-USD"') < html.index('id="budget-RWF"')  # the plan's currency first
    assert html.count("<svg") == 10  # five charts per currency


def test_a_warning_links_to_the_activity_of_its_cost_line(admin_client, workspace, plan):
    html = admin_client.get(url("nap-budget", workspace, plan)).content.decode()
    items = dict(re.findall(r'<li data-kind="([a-z_]+)">(.*?)</li>', html, re.S))
    zero = [
        item for kind, item in re.findall(r'<li data-kind="([a-z_]+)">(.*?)</li>', html, re.S) if "C3" in item
    ]
    assert any("targets women or girls but has gender marker 0" in item for item in zero)
    assert all(f'href="{edit_url(workspace, plan, "A1")}"' in item for item in zero)
    assert "marker 1 without a justification" in items["marker_without_justification"]
    assert f'href="{edit_url(workspace, plan, "A2")}"' in items["marker_without_justification"]
    assert "records no beneficiaries by sex" in items["no_sex_disaggregation"]
    assert "2 currencies (RWF, USD)" in text(items["mixed_currencies"])
    assert "href" not in items["mixed_currencies"]  # about the plan as a whole: nothing to link to


def test_the_budget_in_french_keeps_the_minor_units(client, workspace, plan, admin_user):
    client.force_login(admin_user)
    with translation.override("fr"):
        html = client.get(url("nap-budget", workspace, plan), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert re.sub(r"\s", " ", figure(html, "RWF", "total")) == "4 502 RWF"
    assert re.sub(r"\s", " ", figure(html, "USD", "total")) == "60 183,50 USD"


# --- The checks panel --------------------------------------------------------------------------------------


@pytest.fixture
def legal_gaps(workspace):
    """The 2009 Act: P09 not met and P03 partly met (two gaps), P01 met (no gap)."""
    act = LegalInstrument.objects.create(workspace=workspace, title="Combating of Trafficking Act", year=2009)
    for code, status in (("P01", "met"), ("P03", "partly_met"), ("P09", "not_met")):
        ChecklistAssessment.objects.create(instrument=act, item_code=code, status=status)
    return act


def test_checks_list_the_expected_flags_errors_first_each_linked(admin_client, workspace, plan, legal_gaps):
    response = admin_client.get(url("nap-checks", workspace, plan))
    assert response.status_code == 200
    html = response.content.decode()
    kinds = re.findall(r'<section id="check-([a-z_]+)"[^>]*data-severity="([a-z]+)"', html)
    severities = [severity for _kind, severity in kinds]
    assert severities == sorted(severities)  # "error" sorts before "warning": errors first
    found = {kind for kind, _severity in kinds}
    assert {
        "output_without_indicator",
        "activity_without_lead",
        "activity_without_timeline",
        "scheduled_before_dependency",
        "outcome_without_indicator",
        "agency_over_capacity",
        "checklist_item_without_activity",
        "women_or_girls_marked_zero",
        "marker_without_justification",
        "no_sex_disaggregation",
    } <= found
    assert "pillar_without_activity" not in found and "activity_without_cost" not in found
    rows = re.findall(r'<li data-kind="([a-z_]+)">(.*?)</li>', html, re.S)
    by_kind: dict[str, list[str]] = {}
    for kind, item in rows:
        by_kind.setdefault(kind, []).append(item)
    # Only P09 is a gap with no activity: P03 is cited by A1, P01 is met.
    assert len(by_kind["checklist_item_without_activity"]) == 1
    assert "P09" in by_kind["checklist_item_without_activity"][0]
    assert f'href="{edit_url(workspace, plan, "A2")}"' in by_kind["activity_without_lead"][0]
    assert f'href="{edit_url(workspace, plan, "A1")}"' in by_kind["scheduled_before_dependency"][0]
    # RIB leads A1 and A3 in 2025-Q2, more than the plan's capacity of 1.
    assert "2025-Q2" in by_kind["agency_over_capacity"][0]
    assert {edit_url(workspace, plan, code) for code in ("OP1", "OP2")} == {
        re.search(r'href="([^"]+)"', item).group(1) for item in by_kind["output_without_indicator"]
    }
    errors = len([1 for kind, item in rows if kind in {k for k, s in kinds if s == "error"}])
    assert f'<dd data-count="error">{errors}</dd>' in html
    assert f'<dd data-count="warning">{len(rows) - errors}</dd>' in html


# --- The coverage view -------------------------------------------------------------------------------------


@pytest.fixture
def survey(workspace):
    """Twelve answers: FD01 importance 5, competence 2 (MWDS 15); FD02 4 and 3 (MWDS 4); FD03 3 and 3
    (MWDS 0, no need). The top needs are FD01 then FD02."""
    registry_make(workspace)
    instrument = instrument_make(workspace)
    rows = [
        kobo_row(
            number,
            sex=("female", "male")[number % 2],
            ratings={"FD01": ("5", "2"), "FD02": ("4", "3"), "FD03": ("3", "3")},
        )
        for number in range(1, 13)
    ]
    tna_services.survey_import_apply(
        workspace=workspace,
        instrument=instrument,
        data=kobo_csv(rows),
        filename="survey.csv",
        acting_user=None,
    )
    return instrument


def test_coverage_lists_gaps_and_needs_no_element_cites_and_elements_citing_nothing(
    admin_client, workspace, plan, legal_gaps, survey
):
    response = admin_client.get(url("nap-coverage", workspace, plan))
    assert response.status_code == 200
    html = response.content.decode()

    def codes(list_id: str) -> list[str]:
        found = re.search(rf'<ul id="{list_id}">(.*?)</ul>', html, re.S)
        return re.findall(r'data-code="([^"]+)"', found.group(1)) if found else []

    assert codes("coverage-open-gaps") == ["P09"]
    assert codes("coverage-covered-gaps") == ["P03"]
    assert codes("coverage-open-needs") == ["FD02"]
    assert codes("coverage-covered-needs") == ["FD01"]
    covered = re.search(r'<ul id="coverage-covered-gaps">(.*?)</ul>', html, re.S).group(1)
    assert f'href="{edit_url(workspace, plan, "A1")}"' in covered
    # A3 sits under OP1, which cites nothing; nothing above or below it does either.
    assert codes("coverage-ungrounded-list") == ["A3"]
    assert f'href="{edit_url(workspace, plan, "A3")}"' in html
    # A2 cites P01, which the 2009 Act meets: the citation no longer points at a gap.
    assert "legal:P01" in text(re.search(r'<section id="coverage-stale"(.*?)</section>', html, re.S).group(1))
    assert '<dd data-count="gaps">1 of 2</dd>' in html
    assert '<dd data-count="needs">1 of 2</dd>' in html


def test_coverage_without_legal_review_or_survey_says_so(admin_client, workspace, plan):
    html = admin_client.get(url("nap-coverage", workspace, plan)).content.decode()
    assert "The legal review shows no gap yet" in html
    assert "The needs assessment has no results yet" in html
    # Without gaps or needs to cite, only A1's and A2's citations ground elements.
    assert '<dd data-count="ungrounded">1 of 13</dd>' in html


# --- Who may read ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["nap-budget", "nap-checks", "nap-coverage"])
def test_a_viewer_can_read(client, workspace, plan, name):
    viewer = user_make("vera")
    member_make(workspace, "viewer", viewer)
    client.force_login(viewer)
    assert client.get(url(name, workspace, plan)).status_code == 200


@pytest.mark.parametrize("name", ["nap-budget", "nap-checks", "nap-coverage"])
def test_another_workspace_gets_404(client, workspace, plan, outsider, name):
    client.force_login(outsider)
    assert client.get(url(name, workspace, plan)).status_code == 404
    # Nor can the outsider reach this plan through their own workspace's address.
    response = client.get(reverse(name, kwargs={"workspace": "rwanda", "plan": plan.uuid}))
    assert response.status_code == 404


def test_an_anonymous_visitor_is_asked_to_sign_in(client, workspace, plan):
    response = client.get(url("nap-budget", workspace, plan))
    assert response.status_code == 302
    assert "login" in response["Location"] or "sign" in response["Location"]
