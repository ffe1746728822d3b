"""The gap analysis's data from the database: the same numbers as the core computes from the same
submissions, the registry's names and labels as attributes, the interviews' themes per competency, and a
fixed number of queries."""

from __future__ import annotations

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from ctip.core.errors import DomainError
from ctip.core.needs import analyse_needs, needs_data_from_submissions
from ctip.core.needs.model import NeedsOptions
from ctip.formats.survey_exports import read_survey_export, submissions_from_export
from ctip.web.needs import data
from ctip.web.tna import services
from ctip.web.tna.models import SurveySubmission
from tests.web.qualitative.factories import excerpt_make, record_make, theme_make
from tests.web.stakeholders.factories import organisation_make
from tests.web.tna.factories import instrument_make, kobo_csv, kobo_row, registry_make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Labels are read in the active language; an earlier request may have left French active."""
    with translation.override("en"):
        yield


ORGANISATIONS = ("MPF-ATU", "SHS", "RRA", "LAB")
LOCATIONS = ("port_louis", "curepipe", "rodrigues")
SEXES = ("female", "male", "")


def survey_rows(count: int) -> list[dict[str, str]]:
    """Varied answers: four organisations, both sexes and a missing one, three places, a missing rating."""
    rows = []
    for number in range(1, count + 1):
        ratings = {
            "FD01": (str(3 + number % 3), str(1 + number % 4)),
            "FD02": (str(2 + number % 4), str(2 + number % 3)),
            "FD03": (str(5 - number % 2), "" if number == 4 else str(1 + number % 5)),
        }
        rows.append(
            kobo_row(
                number,
                organisation=ORGANISATIONS[number % 4],
                sex=SEXES[number % 3],
                location=LOCATIONS[(number // 2) % 3],
                ratings=ratings,
            )
        )
    return rows


def registry_of_four(workspace) -> None:
    """The tests' registry of three organisations, and a labour inspectorate with a level."""
    registry_make(workspace)
    organisation_make(
        workspace, "LAB", name="Labour Inspectorate", acronym="LI", type="labour_inspection", level="national"
    )


@pytest.fixture
def survey(workspace):
    """A registry of four organisations (one with a level), the default three-competency instrument and 24
    imported answers; returns (instrument, the CSV imported)."""
    registry_of_four(workspace)
    instrument = instrument_make(workspace)
    export = kobo_csv(survey_rows(24))
    services.survey_import_apply(
        workspace=workspace, instrument=instrument, data=export, filename="survey.csv", acting_user=None
    )
    return instrument, export


def by_respondent(needs, keys):
    order = [needs.respondents.index(key) for key in keys]
    return needs.importance[order], needs.competence[order]


def test_needs_data_from_the_database_equals_the_core_on_the_same_submissions(workspace, survey):
    instrument, export = survey
    built = services.instrument_of(instrument)
    parsed = submissions_from_export(
        read_survey_export(export, filename="survey.csv", max_bytes=10_000_000), instrument=built
    )
    assert len(parsed.submissions) == 24
    names = {
        "MPF-ATU": "Anti-Trafficking Unit (ATU)",
        "SHS": "Safe Haven Shelter (SHS)",
        "RRA": "Rodrigues Regional Assembly",
        "LAB": "Labour Inspectorate (LI)",
    }
    types = {
        "MPF-ATU": "Law enforcement",
        "SHS": "Non-governmental organisation",
        "RRA": "Local government",
        "LAB": "Labour inspection",
    }
    places = {"port_louis": "Port Louis", "curepipe": "Curepipe", "rodrigues": "Rodrigues"}
    expected = needs_data_from_submissions(
        built,
        parsed.submissions,
        attributes={
            "organisation": {s.key: names[s.organisation] for s in parsed.submissions},
            "organisation_type": {s.key: types[s.organisation] for s in parsed.submissions},
            "level": {s.key: "National" if s.organisation == "LAB" else "" for s in parsed.submissions},
            "location": {s.key: places[s.profile["location"]] for s in parsed.submissions},
        },
    )

    found = data.workspace_needs_data(workspace, instrument)

    assert sorted(found.respondents) == sorted(expected.respondents)
    assert [item.code for item in found.items] == ["FD01", "FD02", "FD03"]
    assert found.scale_max == expected.scale_max == 5
    keys = sorted(expected.respondents)
    for got, want in zip(by_respondent(found, keys), by_respondent(expected, keys), strict=True):
        np.testing.assert_array_equal(got, want)  # NaN where missing, in the same places
    assert np.isnan(found.competence[found.respondents.index(keys[0])]).sum() in (0, 1)
    for name in ("organisation", "organisation_type", "level", "location", "sex", "prior_training"):
        got = dict(zip(found.respondents, found.attributes[name], strict=True))
        want = dict(zip(expected.respondents, expected.attributes[name], strict=True))
        assert got == want, name
    # And so the analysis is the core's on the same answers.
    options = NeedsOptions()
    assert [(i.code, i.rank, i.mwds) for i in analyse_needs(found, options=options).items] == [
        (i.code, i.rank, i.mwds) for i in analyse_needs(expected, options=options).items
    ]


def test_an_organisation_no_longer_in_the_registry_keeps_the_name_as_given(workspace, survey):
    instrument, _export = survey
    SurveySubmission.objects.filter(organisation__key="SHS").update(organisation=None)

    found = data.workspace_needs_data(workspace, instrument)

    organisations = set(found.attributes["organisation"])
    assert "SHS" in organisations  # the text the respondent gave
    assert "Safe Haven Shelter (SHS)" not in organisations
    types = dict(zip(found.attributes["organisation"], found.attributes["organisation_type"], strict=True))
    assert types["SHS"] == ""


def test_reading_the_answers_takes_the_same_number_of_queries_however_many_there_are(workspace, survey):
    instrument, _export = survey
    with CaptureQueriesContext(connection) as few:
        data.workspace_needs_data(workspace, instrument)
    services.survey_import_apply(
        workspace=workspace,
        instrument=instrument,
        data=kobo_csv(survey_rows(60)),
        filename="more.csv",
        acting_user=None,
    )
    with CaptureQueriesContext(connection) as many:
        more = data.workspace_needs_data(workspace, instrument)
    assert len(more.respondents) == 60
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_default_instrument_is_the_one_with_the_most_answers(workspace, survey):
    instrument, _export = survey
    newer = instrument_make(workspace, title="A newer survey with no answers")
    assert data.default_instrument(workspace) == instrument
    assert data.instrument_for(workspace, None) == instrument
    assert data.instrument_for(workspace, str(newer.uuid)) == newer
    with pytest.raises(DomainError) as error:
        data.instrument_for(workspace, "not-a-uuid")
    assert error.value.code == "not_found"


def test_no_instrument_means_no_default(workspace):
    assert data.default_instrument(workspace) is None


def test_filters_leaving_fewer_than_five_respondents_withhold_the_results(workspace, survey):
    instrument, _export = survey
    kept, analysis = data.analysis_for(workspace, instrument, filters={"sex": {"male"}})
    assert len(kept.respondents) == analysis.n_respondents == 8
    with pytest.raises(DomainError) as error:
        data.analysis_for(
            workspace, instrument, filters={"sex": {"male"}, "organisation": {"Safe Haven Shelter (SHS)"}}
        )
    assert "Fewer than 5 respondents" in error.value.message


def test_a_survey_with_fewer_than_five_answers_is_withheld_too(workspace):
    registry_of_four(workspace)
    instrument = instrument_make(workspace)
    services.survey_import_apply(
        workspace=workspace,
        instrument=instrument,
        data=kobo_csv(survey_rows(3)),
        filename="pilot.csv",
        acting_user=None,
    )
    with pytest.raises(DomainError) as error:
        data.analysis_for(workspace, instrument)
    assert "fewer than 5 respondents" in error.value.message


def test_by_names_one_way_and_two_way_tables():
    assert data.parse_by("sex, organisation,sex+location") == (
        ("sex",),
        ("organisation",),
        ("sex", "location"),
    )
    assert data.parse_by("") == ()
    assert data.parse_by("sex,sex") == (("sex",),)
    with pytest.raises(DomainError) as error:
        data.parse_by("sex+location+organisation")
    assert error.value.problems[0].location == "by"


def test_theme_evidence_counts_sources_names_organisation_types_and_takes_one_quote(workspace):
    police = organisation_make(workspace, "ATU", name="Anti-Trafficking Unit", type="law_enforcement")
    shelter = organisation_make(workspace, "SHS", name="Safe Haven Shelter", type="ngo")
    interview = record_make(workspace, "Interview: police", organisations=[police])
    group = record_make(workspace, "Focus group: shelter staff", kind="focus_group", organisations=[shelter])
    lonely = record_make(workspace, "Interview: no organisation")
    sops = theme_make(workspace, "T01", name="No SOPs for identification", competency_codes=["id01", "FD02"])
    referral = theme_make(workspace, "T02", name="Unclear referral", competency_codes=["ID01"])
    theme_make(workspace, "T03", name="Not linked to a competency", competency_codes=[])
    excerpt_make(interview, sops, "We have no checklist.")
    excerpt_make(interview, sops, "Each officer does it his own way.")  # the same source again
    excerpt_make(group, sops, "Nobody told us what to look for.", is_quote=True)
    excerpt_make(lonely, referral, "We do not know whom to call.", is_quote=True)

    evidence = data.theme_evidence(workspace)

    assert set(evidence) == {"ID01", "FD02"}
    first, second = evidence["ID01"]
    assert (first.theme, first.sources, second.theme, second.sources) == ("T01", 2, "T02", 1)
    assert first.title.en == "No SOPs for identification"
    assert first.organisation_types == ("Law enforcement", "Non-governmental organisation")
    assert first.quote == "Nobody told us what to look for."
    assert second.organisation_types == ()
    assert second.quote == "We do not know whom to call."
    assert evidence["FD02"] == [first]


def test_theme_evidence_of_a_workspace_without_a_codebook_is_empty(workspace):
    assert data.theme_evidence(workspace) == {}


def test_triangulation_follows_the_items_of_the_analysis(workspace, survey):
    instrument, _export = survey
    record = record_make(workspace, "Interview: shelter")
    theme = theme_make(workspace, "T01", name="No SOPs", competency_codes=["FD01"])
    excerpt_make(record, theme, "No checklist.")
    _kept, analysis = data.analysis_for(workspace, instrument)

    triangulated = data.triangulation_for(workspace, analysis)

    assert [row.code for row in triangulated] == [item.code for item in analysis.items]
    by_code = {row.code: row for row in triangulated}
    assert [theme.theme for theme in by_code["FD01"].themes] == ["T01"]
    assert by_code["FD01"].sources == 1
    assert by_code["FD02"].themes == ()


def test_the_dashboard_takes_the_same_number_of_queries_however_many_answers(admin_client, workspace, survey):
    instrument, _export = survey
    admin_client.get("/w/mauritius/needs/")  # the first request of a session does more (session, language)
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get("/w/mauritius/needs/").status_code == 200
    services.survey_import_apply(
        workspace=workspace,
        instrument=instrument,
        data=kobo_csv(survey_rows(60)),
        filename="more.csv",
        acting_user=None,
    )
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get("/w/mauritius/needs/")
    assert response.context["analysis"].n_respondents == 60
    assert len(many.captured_queries) == len(few.captured_queries)
