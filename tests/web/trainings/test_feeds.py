"""The M&E link: actuals computed from the training data (people trained, pass rate, application rate) per
year × sex × location, their trace back to the events, hand-typed values never overwritten, stale values
removed, units checked; the feeds pages.

The trainings below (the year of an event is that of its last day):

    event       status     location   year  participants (present ≥ 1 day)          post-test (pass mark 70 %)
    TR-A        delivered  Mauritius  2026  P001 F, P002 M, P003 F present; P004 M absent  P001 80, P002 60, P003 100
    TR-B        reported   Rodrigues  2026  P001 F, P002 F present                       —
    TR-C        delivered  Mauritius  2025  P001 M, P002 M present                       —
    TR-D        planned    Mauritius  2026  P001 F present                               (not counted: not held)
"""

from __future__ import annotations

import datetime as dt
import decimal

import pytest

from ctip.core.errors import DomainError
from ctip.web.accounts.models import AuditEntry
from ctip.web.monitoring import services as monitoring
from ctip.web.monitoring.models import IndicatorValue
from ctip.web.monitoring.services import ValueInput
from ctip.web.trainings.models import FeedTrace, IndicatorFeed, SurveyResponse, TrainingEvent
from ctip.web.trainings.services.feeds import (
    TRAINING_SOURCE,
    feed_remove,
    feed_set,
    feeds_recompute,
    feeds_recompute_report,
)
from tests.web.monitoring.factories import framework_make, indicator_make
from tests.web.trainings.results_factories import (
    attempt_build,
    event_build,
    forms_build,
    items_build,
    participants_build,
    right_answers,
)

pytestmark = pytest.mark.django_db


def trainings(workspace):
    a = event_build(workspace, code="TR-A", start=dt.date(2026, 3, 2))
    participants = participants_build(a, 3, sexes=("female", "male"))
    participants += participants_build(a, 1, codes=["P004"], sexes=("male",), present_days=0)
    _pre, post = forms_build(a, None, items_build(5))
    for person, right in zip(participants, (4, 3, 5), strict=False):
        attempt_build(post, person, right_answers(post, right))
    b = event_build(
        workspace, code="TR-B", status="reported", location="Rodrigues", start=dt.date(2026, 5, 4)
    )
    participants_build(b, 2, sexes=("female",))
    c = event_build(workspace, code="TR-C", start=dt.date(2025, 11, 3))
    participants_build(c, 2, sexes=("male",))
    d = event_build(workspace, code="TR-D", status="planned", start=dt.date(2026, 9, 7))
    participants_build(d, 1)
    return {"A": a, "B": b, "C": c, "D": d, "people": participants}


def actuals(indicator) -> dict[tuple[str, str, str], float]:
    return {
        (value.period, value.sex, value.location): float(value.value)
        for value in IndicatorValue.objects.filter(indicator=indicator, kind="actual")
    }


def test_people_trained_by_year_sex_and_location_with_the_trace(workspace, admin_user):
    framework = framework_make(workspace)
    events = trainings(workspace)
    feed, report = feed_set(
        workspace=workspace, indicator=framework["trained"], metric="people_trained", acting_user=admin_user
    )
    assert feed is not None and report.conflicts == []
    assert actuals(framework["trained"]) == {
        ("2025", "", ""): 2.0,
        ("2025", "female", ""): 0.0,
        ("2025", "male", ""): 2.0,
        ("2025", "", "Mauritius"): 2.0,
        ("2025", "female", "Mauritius"): 0.0,
        ("2025", "male", "Mauritius"): 2.0,
        ("2026", "", ""): 5.0,
        ("2026", "female", ""): 4.0,
        ("2026", "male", ""): 1.0,
        ("2026", "", "Mauritius"): 3.0,
        ("2026", "female", "Mauritius"): 2.0,
        ("2026", "male", "Mauritius"): 1.0,
        ("2026", "", "Rodrigues"): 2.0,
        ("2026", "female", "Rodrigues"): 2.0,
        ("2026", "male", "Rodrigues"): 0.0,
    }
    total = IndicatorValue.objects.get(indicator=framework["trained"], period="2026", sex="", location="")
    assert total.source == TRAINING_SOURCE and total.note == "Events: TR-A, TR-B"
    traces = {trace.event.code: (trace.numerator, trace.denominator) for trace in total.training_traces.all()}
    assert traces == {
        "TR-A": (decimal.Decimal(3), decimal.Decimal(4)),
        "TR-B": (decimal.Decimal(2), decimal.Decimal(2)),
    }
    assert not FeedTrace.objects.filter(event=events["D"]).exists()
    assert AuditEntry.objects.filter(action="indicatorvalue.create", workspace=workspace).count() == 15
    assert IndicatorFeed.objects.get().updated_at_values is not None


def test_recomputing_is_idempotent_and_removes_values_that_no_longer_apply(workspace):
    framework = framework_make(workspace)
    events = trainings(workspace)
    feed_set(workspace=workspace, indicator=framework["trained"], metric="people_trained", acting_user=None)
    assert feeds_recompute(workspace) == 0  # nothing changed
    TrainingEvent.objects.filter(pk=events["C"].pk).update(status="cancelled")
    assert feeds_recompute(workspace) == 6  # the six 2025 cells are removed
    assert not IndicatorValue.objects.filter(indicator=framework["trained"], period="2025").exists()
    TrainingEvent.objects.filter(pk=events["D"].pk).update(status="delivered")
    report = feeds_recompute_report(workspace)
    assert (report.written, report.removed) == (6, 0)  # 2026 totals and Mauritius cells change
    assert actuals(framework["trained"])[("2026", "", "")] == 6.0


def test_hand_typed_values_are_never_overwritten_but_reported(workspace, admin_user):
    framework = framework_make(workspace)
    trainings(workspace)
    monitoring.indicator_value_set(
        indicator=framework["trained"],
        item=ValueInput("actual", "2026", "female", "", 9, "Police registry", "counted by hand"),
        acting_user=admin_user,
    )
    _feed, report = feed_set(
        workspace=workspace, indicator=framework["trained"], metric="people_trained", acting_user=admin_user
    )
    typed = IndicatorValue.objects.get(
        indicator=framework["trained"], period="2026", sex="female", location=""
    )
    assert (float(typed.value), typed.source, typed.note) == (9.0, "Police registry", "counted by hand")
    assert len(report.conflicts) == 1
    conflict = report.conflicts[0]
    assert (conflict.period, conflict.sex, conflict.typed, conflict.computed) == ("2026", "female", 9.0, 4.0)
    # Removing the feed removes what the trainings wrote, never what was typed.
    removed = feed_remove(feed=IndicatorFeed.objects.get(), acting_user=admin_user)
    assert removed == 14
    assert list(
        IndicatorValue.objects.filter(indicator=framework["trained"]).values_list("source", flat=True)
    ) == ["Police registry"]


def test_pass_rate_and_application_rate(workspace):
    framework = framework_make(workspace)
    events = trainings(workspace)
    feed_set(workspace=workspace, indicator=framework["percent"], metric="pass_rate", acting_user=None)
    # TR-A: 80 % and 100 % reach 70 %, 60 % does not: 2 of 3; women 2 of 2, men 0 of 1.
    assert actuals(framework["percent"]) == {
        ("2026", "", ""): 66.67,
        ("2026", "female", ""): 100.0,
        ("2026", "male", ""): 0.0,
        ("2026", "", "Mauritius"): 66.67,
        ("2026", "female", "Mauritius"): 100.0,
        ("2026", "male", "Mauritius"): 0.0,
    }
    applied = indicator_make(
        workspace,
        framework["outcome"],
        "OC2",
        name_en="Share applying the training",
        unit="percent",
        cumulative_rule="non_cumulative",
    )
    for person, answer in zip(events["people"], ("yes", "no", "partly"), strict=False):
        SurveyResponse.objects.create(
            workspace=workspace,
            event=events["A"],
            participant=person,
            kind="follow_up",
            answers={"applied": answer},
        )
    feed_set(workspace=workspace, indicator=applied, metric="application_rate", acting_user=None)
    values = actuals(applied)
    assert values[("2026", "", "")] == 66.67 and values[("2026", "female", "Mauritius")] == 100.0
    assert values[("2026", "male", "")] == 0.0
    assert ("2026", "", "Rodrigues") not in values  # nobody answered there: no rate


def test_totals_to_date_for_an_indicator_that_does_not_sum(workspace):
    framework = framework_make(workspace)
    trainings(workspace)
    stock = indicator_make(
        workspace,
        framework["output"],
        "OUT2",
        name_en="People trained to date",
        cumulative_rule="cumulative_non_summing",
    )
    feed_set(workspace=workspace, indicator=stock, metric="people_trained", acting_user=None)
    values = actuals(stock)
    assert values[("2025", "", "")] == 2.0 and values[("2026", "", "")] == 7.0
    assert values[("2026", "male", "Mauritius")] == 3.0
    note = IndicatorValue.objects.get(indicator=stock, period="2026", sex="", location="").note
    assert note == "Events: TR-C, TR-A, TR-B"


def test_a_metric_whose_unit_does_not_fit_is_refused_and_nothing_changes(workspace, admin_user):
    framework = framework_make(workspace)
    trainings(workspace)
    before = list(IndicatorValue.objects.values_list("pk", flat=True))
    with pytest.raises(DomainError) as caught:
        feed_set(
            workspace=workspace, indicator=framework["trained"], metric="pass_rate", acting_user=admin_user
        )
    assert caught.value.problems[0].location == "metric"
    assert "counts a number" in caught.value.problems[0].render()
    with pytest.raises(DomainError) as caught:
        feed_set(
            workspace=workspace,
            indicator=framework["percent"],
            metric="people_trained",
            acting_user=admin_user,
        )
    assert "is a percentage" in caught.value.problems[0].render()
    assert not IndicatorFeed.objects.exists()
    assert list(IndicatorValue.objects.values_list("pk", flat=True)) == before


def test_only_editors_choose_metrics(workspace, make_member):
    framework = framework_make(workspace)
    trainer = make_member(workspace, "trainer").user
    with pytest.raises(DomainError):
        feed_set(
            workspace=workspace, indicator=framework["trained"], metric="people_trained", acting_user=trainer
        )
    assert not IndicatorFeed.objects.exists()


def test_the_feeds_pages(workspace, admin_client, client, make_member):
    framework = framework_make(workspace)
    trainings(workspace)
    base = f"/w/{workspace.slug}/trainings/indicator-feeds/"
    page = admin_client.get(base)
    assert page.status_code == 200
    assert "OUT1" in page.content.decode() and "Recompute now" in page.content.decode()
    response = admin_client.post(
        base,
        {"action": "set", "indicator": str(framework["trained"].uuid), "metric": "people_trained"},
        follow=True,
    )
    assert "OUT1 is now computed from the training data: 15 values written." in response.content.decode()
    wrong = admin_client.post(
        base,
        {"action": "set", "indicator": str(framework["percent"].uuid), "metric": "people_trained"},
        follow=True,
    )
    assert "People trained is a number, but the indicator “OC1” is a percentage." in wrong.content.decode()
    assert IndicatorFeed.objects.count() == 1
    feed = IndicatorFeed.objects.get()
    detail = admin_client.get(f"{base}{feed.uuid}/")
    html = detail.content.decode()
    assert detail.status_code == 200
    assert "TR-A" in html and "TR-B" in html and "3 / 4" in html
    trainer = make_member(workspace, "trainer").user
    client.force_login(trainer)
    refused = client.post(
        base, {"action": "set", "indicator": str(framework["trained"].uuid), "metric": ""}, follow=True
    )
    assert "Your role cannot change which indicators" in refused.content.decode()
    assert IndicatorFeed.objects.exists()
    recomputed = client.post(base, {"action": "recompute"}, follow=True)
    assert "Actuals recomputed: 0 written, 0 removed, 15 unchanged." in recomputed.content.decode()
    viewer = make_member(workspace, "viewer").user
    client.force_login(viewer)
    assert (
        "Your role cannot recompute"
        in client.post(base, {"action": "recompute"}, follow=True).content.decode()
    )


def test_a_feed_whose_indicator_changed_unit_is_skipped_and_said_so(workspace):
    framework = framework_make(workspace)
    trainings(workspace)
    feed_set(workspace=workspace, indicator=framework["trained"], metric="people_trained", acting_user=None)
    before = actuals(framework["trained"])
    type(framework["trained"]).objects.filter(pk=framework["trained"].pk).update(unit="percent")
    report = feeds_recompute_report(workspace)
    assert [code for code, _problem in report.skipped] == ["OUT1"]
    assert "is a percentage" in report.skipped[0][1].render()
    assert actuals(framework["trained"]) == before  # left as they were
