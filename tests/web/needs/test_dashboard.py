"""The gap-analysis dashboard on the demo survey (400 fictional answers, the demo registry and the demo
interviews): the panel and its filters, sorting, htmx, withheld small groups, empty states, and who may
download the learning profiles."""

from __future__ import annotations

import io
import re
from collections import Counter

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse

from ctip.web.needs import data
from ctip.web.qualitative.demo import demo_qualitative
from ctip.web.stakeholders.demo import demo_stakeholders
from ctip.web.tna.demo import demo_tna
from tests.web.tna.factories import instrument_make, registry_make

pytestmark = pytest.mark.django_db

DASHBOARD = "/w/mauritius/needs/"
PANEL = "/w/mauritius/needs/panel/"
PROFILES = "/w/mauritius/needs/profiles.xlsx"


@pytest.fixture
def demo(workspace, admin_user):
    demo_stakeholders(workspace=workspace, acting_user=admin_user)
    instrument = demo_tna(workspace=workspace, acting_user=admin_user)
    demo_qualitative(workspace=workspace, acting_user=admin_user)
    return instrument


def codes_in_table(html: str) -> list[str]:
    table = html[html.index('class="stack needs-priorities"') :]
    table = table[: table.index("</table>")]
    return re.findall(r"<td data-label=\"Competency\"><strong>(\w+)</strong>", table)


def test_the_dashboard_shows_the_demo_survey_analysed(admin_client, demo):
    response = admin_client.get(DASHBOARD)

    assert response.status_code == 200
    html = response.content.decode()
    analysis = response.context["analysis"]
    assert analysis.n_respondents == response.context["respondents"] > 300
    # The priority table, in rank order, with the top priority in the key figures.
    ranked = [item.code for item in analysis.items]
    assert codes_in_table(html) == ranked
    assert response.context["top"].code == ranked[0]
    # The two charts are inline SVG; the heat map and reliability are tables.
    assert html.count("<svg") == 2 and "Locus for Focus" in html
    assert 'class="needs-heat"' in html and 'class="needs-reliability"' in html
    # The interviews' themes stand beside the competencies they are linked to (demo codebook: T01 → ID01).
    assert "T01" in html and "Lack of SOPs for identification" in html
    assert "Interviews agree" in html or "Survey only" in html or "Interviews only" in html
    # Links to the report and, for an administrator, the learning profiles with the same survey.
    assert reverse("needs-report", kwargs={"workspace": "mauritius"}) in html
    assert f"{PROFILES}?instrument={demo.uuid}" in html


def test_small_organisations_are_marked_not_left_blank_in_the_heat_map(admin_client, demo):
    response = admin_client.get(DASHBOARD)
    rows = response.context["heat_rows"]
    counts = Counter(data.workspace_needs_data(demo.workspace, demo).attributes["organisation"])
    small = {name for name, count in counts.items() if count < 5}
    assert small, "the demo has organisations with fewer than 5 respondents"
    for row in rows:
        texts = {cell["text"] for cell in row["cells"]}
        if row["name"] in small:
            assert texts == {"n<5"}
        assert "" not in texts
    assert "needs-heat-hidden" in response.content.decode()


def test_filtering_by_sex_changes_the_numbers(admin_client, demo):
    women = admin_client.get(DASHBOARD, {"sex": "female"}).context
    men = admin_client.get(DASHBOARD, {"sex": "male"}).context
    everyone = admin_client.get(DASHBOARD).context

    assert (
        women["analysis"].n_respondents + men["analysis"].n_respondents < everyone["analysis"].n_respondents
    )
    assert women["analysis"].n_respondents != men["analysis"].n_respondents
    assert {i.code: i.mwds for i in women["analysis"].items} != {
        i.code: i.mwds for i in men["analysis"].items
    }
    assert women["filters"] == [("Sex", "Women")]


def test_filtering_by_organisation_keeps_its_respondents_only(admin_client, demo):
    counts = Counter(data.workspace_needs_data(demo.workspace, demo).attributes["organisation"])
    name, count = counts.most_common(1)[0]

    context = admin_client.get(DASHBOARD, {"organisation": name}).context

    assert context["analysis"].n_respondents == count
    assert [row["name"] for row in context["heat_rows"]] == [name]


def test_the_htmx_panel_request_returns_only_the_panel_and_keeps_the_address(admin_client, demo):
    response = admin_client.get(PANEL, {"sex": "female", "sort": "-mwds"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<div id="needs-panel"') and "<html" not in html and "<h1>" not in html
    assert "needs-priorities" in html
    pushed = response["HX-Push-Url"]
    assert pushed.startswith(DASHBOARD + "?") and "sex=female" in pushed and "sort=-mwds" in pushed
    assert f"instrument={demo.uuid}" in pushed


def test_the_table_sorts_on_the_server_by_any_column(admin_client, demo):
    by_code = admin_client.get(DASHBOARD, {"sort": "code"})
    codes = codes_in_table(by_code.content.decode())
    assert codes == sorted(codes)
    by_gap = admin_client.get(DASHBOARD, {"sort": "-discrepancy"})
    items = {item.code: item for item in by_gap.context["analysis"].items}
    gaps = [items[code].mean_discrepancy for code in codes_in_table(by_gap.content.decode())]
    assert gaps == sorted(gaps, reverse=True)
    # The heading links toggle: sorted descending now, so the next click sorts ascending.
    assert by_gap.context["sort_links"]["discrepancy"].query.endswith("sort=discrepancy")
    assert 'aria-sort="descending"' in by_gap.content.decode()
    unknown = admin_client.get(DASHBOARD, {"sort": "nonsense"})
    assert unknown.status_code == 200 and unknown.context["sort"] == "rank"


def test_filters_leaving_a_small_group_withhold_the_results(admin_client, demo):
    needs = data.workspace_needs_data(demo.workspace, demo)
    pairs = Counter(zip(needs.attributes["organisation"], needs.attributes["sex"], strict=True))
    (organisation, sex), count = next((pair, n) for pair, n in sorted(pairs.items()) if 0 < n < 5)

    response = admin_client.get(DASHBOARD, {"organisation": organisation, "sex": sex})

    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["analysis"] is None
    assert "Fewer than 5 respondents match these filters" in html
    assert "needs-priorities" not in html and "<svg" not in html
    assert str(count) not in re.sub(r"<[^>]+>", " ", html[html.index("needs-withheld") :])[:400]


def test_an_unknown_filter_value_is_refused_on_the_form_and_left_out(admin_client, demo):
    response = admin_client.get(DASHBOARD, {"organisation": "No such agency"})
    assert response.status_code == 200
    assert response.context["form"].errors["organisation"]
    assert response.context["analysis"].n_respondents == response.context["respondents"]


def test_empty_states_say_what_to_do(admin_client, workspace):
    nothing = admin_client.get(DASHBOARD).content.decode()
    assert "There is no survey instrument yet" in nothing
    registry_make(workspace)
    instrument_make(workspace)
    no_answers = admin_client.get(DASHBOARD).content.decode()
    assert "No survey answers yet for this instrument" in no_answers
    assert reverse("tna-imports", kwargs={"workspace": "mauritius"}) in no_answers


def test_viewers_see_the_dashboard_but_not_the_learning_profiles(client, workspace, make_member, demo):
    viewer = make_member(workspace, "viewer").user
    client.force_login(viewer)
    page = client.get(DASHBOARD)
    assert page.status_code == 200 and page.context["analysis"] is not None
    assert PROFILES not in page.content.decode()
    assert client.get(PROFILES).status_code == 403


def test_analysts_download_each_respondents_top_gaps(client, workspace, make_member, demo):
    analyst = make_member(workspace, "analyst").user
    client.force_login(analyst)
    assert PROFILES in client.get(DASHBOARD).content.decode()

    response = client.get(PROFILES, {"instrument": str(demo.uuid), "sex": "female"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert 'filename="learning-profiles-mauritius.xlsx"' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("respondent", "organisation", "order", "code")
    needs = data.workspace_needs_data(workspace, demo)
    women = {
        key for key, sex in zip(needs.respondents, needs.attributes["sex"], strict=True) if sex == "female"
    }
    assert {row[0] for row in rows[1:]} == women
    gaps = [row for row in rows[1:] if row[3]]
    assert gaps and all(row[7] > 0 and row[7] == row[5] - row[6] for row in gaps)
    assert all(1 <= row[2] <= 5 for row in gaps)


def test_the_dashboard_speaks_the_readers_language(admin_client, demo):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = admin_client.get(DASHBOARD)

    assert response.status_code == 200
    top = response.context["analysis"].items[0]
    assert top.title.fr and top.title.fr != top.title.en
    assert top.title.fr in response.content.decode()
    assert response.context["rows"][0].title == top.title.fr
