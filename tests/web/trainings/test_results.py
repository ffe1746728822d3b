"""The results of a training event (scores, pre/post evaluation, item analysis, pass mark, attendance,
surveys), its page and its API; the programme's aggregation is in test_programme_report.py.

The small class below is worked out by hand: 5 items, pass mark 60 %.

    code  sex  pre right  post right  pre %  post %
    P001  F    1          4           20     80
    P002  M    2          3 (paper)   40     60
    P003  F    2          5           40    100
    P004  M    3          3           60     60
    P005  F    0          2            0     40
    P006  M    4          5           80    100
    P007  F    — (not submitted)  4    —      80     (no attendance recorded)

Matched: P001–P006. Mean pre 40 %, mean post 73.33 %; Hake's class-average gain
(73.33 − 40) / (100 − 40) = 0.5556; individual gains 0.75, 0.3333, 1, 0, 0.4, 1 → mean 0.5806.
Post-test takers 7, reaching 60 %: all but P005 → 6 of 7 (women 3 of 4, men 3 of 3).
"""

from __future__ import annotations

import math

import pytest
from django.test import RequestFactory
from scipy import stats

from ctip.web.trainings import api_results
from ctip.web.trainings.models import Participant
from ctip.web.trainings.services.results import event_results
from tests.web.trainings.results_factories import (
    attempt_build,
    bank_item_build,
    event_build,
    forms_build,
    item_dict,
    items_build,
    organisation_make,
    participants_build,
    right_answers,
    simulated_class,
    surveys_build,
)

pytestmark = pytest.mark.django_db

PRE_RIGHT = [1, 2, 2, 3, 0, 4]
POST_RIGHT = [4, 3, 5, 3, 2, 5, 4]


def small_class(workspace):
    npf = organisation_make(workspace, "NPF", "Police Force")
    event = event_build(workspace, code="TR-2026-01", pass_mark=60)
    pre, post = forms_build(event, items_build(5), items_build(5))
    people = participants_build(event, 6, organisations=[npf, "Shelter X"])
    people += participants_build(event, 1, codes=["P007"], present_days=0)
    for person, right in zip(people, PRE_RIGHT, strict=False):
        attempt_build(pre, person, right_answers(pre, right))
    attempt_build(pre, people[6], right_answers(pre, 5), submitted=False)
    for person, right in zip(people, POST_RIGHT, strict=True):
        attempt_build(
            post, person, right_answers(post, right), channel="paper" if person.code == "P002" else "online"
        )
    return event, people


def test_scores_and_the_pre_post_evaluation_match_the_hand_computation(workspace):
    event, _people = small_class(workspace)
    r = event_results(event)
    by_code = {row.code: row for row in r.participants}
    assert [by_code[f"P00{n}"].pre.correct for n in range(1, 7)] == PRE_RIGHT
    assert by_code["P007"].pre is None  # an attempt not submitted does not count
    assert by_code["P002"].post.channel == "paper" and by_code["P002"].post.percent == 60
    assert (r.pre_items, r.post_items, r.percent_scale, r.max_score) == (5, 5, False, 5.0)
    overall = r.prepost["overall"]
    assert r.prepost["paired"] is True
    assert r.prepost["matching"]["matched"] == 6 and r.prepost["matching"]["missing_pre"] == ["P007"]
    assert overall["pre_mean_pct"] == pytest.approx(40.0)
    assert overall["post_mean_pct"] == pytest.approx(73.3333, abs=1e-3)
    assert overall["hake_g"] == pytest.approx((73.33333 - 40) / 60, abs=1e-4)
    assert overall["individual_gain_mean"] == pytest.approx((0.75 + 1 / 3 + 1 + 0 + 0.4 + 1) / 6, abs=1e-4)
    # The t statistic does not depend on the scale: scipy on the raw counts gives the same.
    expected = stats.ttest_rel(POST_RIGHT[:6], PRE_RIGHT)
    assert overall["t_test"]["t"] == pytest.approx(expected.statistic)
    assert overall["t_test"]["p"] == pytest.approx(expected.pvalue)
    # Groups of fewer than five are withheld: 3 women and 3 men matched.
    female = r.prepost["groups"]["sex"]["female"]
    assert (female["n"], female["suppressed"], female.get("pre_mean_pct")) == (3, True, None)
    assert set(r.prepost["groups"]["organisation"]) == {"NPF", "Shelter X"}


def test_pass_mark_attendance_and_participant_attributes(workspace):
    event, _people = small_class(workspace)
    r = event_results(event)
    assert (r.passing.takers, r.passing.passed) == (7, 6)
    assert r.passing.by_sex == {"female": (4, 3), "male": (3, 3)}
    assert r.passing.share == pytest.approx(6 / 7)
    a = r.attendance
    assert a.registered == {"total": 7, "female": 4, "male": 3}
    assert a.attended == {"total": 6, "female": 3, "male": 3}
    assert [day.present for day in a.days] == [6, 6]
    assert a.rate == pytest.approx(12 / 14)
    rows = {row.code: row for row in r.participants}
    assert rows["P001"].organisation == "NPF" and rows["P002"].organisation == "Shelter X"
    assert rows["P007"].attended is False and rows["P005"].passed is False


def test_items_are_analysed_on_the_post_test_with_mcnemar_before_and_after(workspace):
    event, _people = small_class(workspace)
    r = event_results(event)
    items = {item["code"]: item for item in r.items["items"]}
    assert list(items) == ["Q01", "Q02", "Q03", "Q04", "Q05"]
    # Q01: right before for 5 of 6 pre-takers (all but P005), after for all 7.
    assert items["Q01"]["pre_difficulty"] == pytest.approx(5 / 6)
    assert items["Q01"]["post_difficulty"] == pytest.approx(1.0)
    # Q05 (the last item) was right only for post scores of 5: P003, P006; never before.
    assert items["Q05"]["post_difficulty"] == pytest.approx(2 / 7)
    assert items["Q05"]["mcnemar"]["b"] == 0 and items["Q05"]["mcnemar"]["c"] == 2
    assert items["Q05"]["mcnemar"]["method"] == "exact"
    assert r.items["adjustment"] == "holm"


def test_different_item_counts_are_compared_in_per_cent(workspace):
    event = event_build(workspace)
    pre, post = forms_build(event, items_build(4), items_build(5))
    people = participants_build(event, 2)
    attempt_build(pre, people[0], right_answers(pre, 2))
    attempt_build(post, people[0], right_answers(post, 5))
    attempt_build(pre, people[1], right_answers(pre, 1))
    attempt_build(post, people[1], right_answers(post, 4))
    r = event_results(event)
    assert r.percent_scale is True and r.max_score == 100.0
    assert r.prepost["overall"]["pre_mean_pct"] == pytest.approx((50 + 25) / 2)
    assert r.prepost["overall"]["post_mean_pct"] == pytest.approx((100 + 80) / 2)


def test_parallel_forms_compare_each_b_item_with_its_a_partner(workspace):
    event = event_build(workspace)
    pre_items = [item_dict("A01", group="G1"), item_dict("A02", group="G2"), item_dict("C01")]
    # The post-test's frozen items name no group: the bank says which A item each B item stands for.
    post_items = [item_dict("B01"), item_dict("B02"), item_dict("C01")]
    bank_item_build(workspace, "B01", group="G1", version="B")
    bank_item_build(workspace, "B02", group="G2", version="B")
    pre, post = forms_build(event, pre_items, post_items)
    people = participants_build(event, 3)
    for person in people:
        attempt_build(pre, person, {"A01": ["d"], "A02": ["a"], "C01": ["d"]})
        attempt_build(post, person, {"B01": ["a"], "B02": ["a"], "C01": ["a"]})
    r = event_results(event)
    assert r.parallel_pairs == {"B01": "A01", "B02": "A02"}
    items = {item["code"]: item for item in r.items["items"]}
    assert set(items) == {"A01", "A02", "C01"}
    assert items["A01"]["mcnemar"]["c"] == 3  # wrong on A01 before, right on B01 after
    assert items["A02"]["mcnemar"]["b"] == 0 and items["A02"]["mcnemar"]["c"] == 0
    assert r.item_labels["A01"].post_code == "B01"


def test_tests_that_cannot_be_linked_are_compared_as_two_groups(workspace, admin_client):
    event = event_build(workspace)
    pre, post = forms_build(event, items_build(5), items_build(5))
    people = participants_build(event, 10)
    for index, person in enumerate(people[:5]):
        attempt_build(pre, person, right_answers(pre, index % 3))
    for index, person in enumerate(people[5:]):
        attempt_build(post, person, right_answers(post, 3 + index % 3))
    r = event_results(event)
    assert r.prepost["paired"] is False
    assert r.prepost["independent"]["n_pre"] == 5 and r.prepost["independent"]["n_post"] == 5
    page = admin_client.get(f"/w/{workspace.slug}/trainings/{event.uuid}/results/")
    assert page.status_code == 200
    assert "compared as two separate groups instead" in page.content.decode()


def test_an_event_without_tests_says_what_is_missing(workspace, admin_client):
    event = event_build(workspace, status="planned")
    r = event_results(event)
    assert r.prepost is None and r.items is None
    assert "No test has been submitted yet" in r.prepost_missing
    page = admin_client.get(f"/w/{workspace.slug}/trainings/{event.uuid}/results/")
    assert page.status_code == 200
    assert "No test has been submitted yet" in page.content.decode()


def test_surveys_are_summarised(workspace):
    made = simulated_class(workspace, seed=11, n=8, items=6)
    surveys_build(made.event, made.participants, seed=12)
    r = event_results(made.event)
    assert r.reactions["n"] == 8 and r.reactions["questions"]["satisfaction"]["n"] == 8
    assert r.follow_up["n"] == 4
    assert r.follow_up["applied_count"] == 3  # yes, partly, no, yes: three applied


def test_the_results_page_shows_every_statistic_with_its_definition(workspace, admin_client):
    organisations = [organisation_make(workspace, "NPF"), organisation_make(workspace, "MOL"), "Shelter X"]
    made = simulated_class(workspace, seed=21, n=12, items=8, code="TR-2026-07", organisations=organisations)
    surveys_build(made.event, made.participants, seed=22)
    response = admin_client.get(f"/w/{workspace.slug}/trainings/{made.event.uuid}/results/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Hake g (class average)",
        "Average individual gain",
        "Paired t-test",
        "Wilcoxon method",
        "zeros dropped",
        "McNemar",
        "Discrimination",
        "Item–rest r",
        "KR-20",
        "<svg",
        "report.docx",
    ):
        assert text in html, text
    # Each statistic has its definition at hand (tooltip) and in the definitions list.
    assert 'title="(mean post-test score − mean pre-test score)' in html
    assert "Lakens 2013" in html
    # Groups of fewer than five are shown as n<5: 6 women and 6 men are shown, the three organisations of
    # four participants each are not.
    assert "Organisation: NPF" in html and "n&lt;5" in html
    assert '<td data-label="n" class="number">6</td>' in html


def test_the_results_page_in_french_and_for_a_viewer(workspace, client, make_member):
    made = simulated_class(workspace, seed=31, n=10, items=6)
    viewer = make_member(workspace, "viewer").user
    client.force_login(viewer)
    response = client.get(
        f"/w/{workspace.slug}/trainings/{made.event.uuid}/results/", HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Femmes" in html


def test_another_workspace_event_is_not_found(workspace, admin_client, outsider):
    from ctip.web.accounts.models import Workspace

    other = Workspace.objects.get(slug="rwanda")
    event = event_build(other, code="TR-RW-1")
    assert admin_client.get(f"/w/{workspace.slug}/trainings/{event.uuid}/results/").status_code == 404


def test_the_api_gives_the_same_numbers(workspace, admin_user):
    event, _people = small_class(workspace)
    request = RequestFactory().get("/")
    request.user = admin_user
    data = api_results.event_results_get(request, workspace.slug, event.uuid)
    assert data["event"]["code"] == "TR-2026-01"
    assert data["prepost"]["overall"]["hake_g"] == pytest.approx(
        event_results(event).prepost["overall"]["hake_g"]
    )
    assert data["passing"] == {
        "takers": 7,
        "passed": 6,
        "share": pytest.approx(6 / 7),
        "by_sex": {"female": {"takers": 4, "passed": 3}, "male": {"takers": 3, "passed": 3}},
    }
    p1 = next(row for row in data["participants"] if row["code"] == "P001")
    assert p1["pre"]["percent"] == 20.0 and p1["post"]["correct"] == 4
    assert not any(isinstance(v, float) and math.isnan(v) for v in p1["pre"].values() if isinstance(v, float))
    summary = api_results.programme_get(request, workspace.slug)
    assert summary["events_held"] == 1 and summary["plan"][0]["held"] == 1
    assert Participant.objects.filter(event=event).count() == 7


def test_weekends_inside_the_dates_are_not_training_days(workspace):
    """A Friday-to-Monday training has two training days (as on the attendance page and the certificates):
    a participant present on both was present every day."""
    import datetime as dt

    from tests.web.trainings.factories import attendance_mark, event_make, participant_make

    friday = dt.date(2026, 3, 6)
    event = event_make(
        workspace, modules=("FND_PREV",), start_date=friday, end_date=friday + dt.timedelta(days=3)
    )
    person = participant_make(event)
    attendance_mark(event)
    r = event_results(event)
    assert [day.day for day in r.attendance.days] == [friday, friday + dt.timedelta(days=3)]
    assert r.attendance.all_days["total"] == 1 and r.attendance.rate == pytest.approx(1.0)
    assert next(row for row in r.participants if row.code == person.code).days_present == 2
