"""Qualitative reads: source counts through the core, the quote bank and themes beside a competency."""

import pytest

from ctip.web.qualitative import selectors, services
from tests.web.qualitative.factories import excerpt_make, organisation_make, record_make, theme_make


@pytest.fixture
def coded(workspace):
    police = organisation_make(workspace, "mpf", name="Police", type="law_enforcement")
    ngo = organisation_make(workspace, "shelter", name="Shelter", type="ngo")
    other_police = organisation_make(workspace, "pio", name="Immigration", type="law_enforcement")
    sops = theme_make(workspace, "T01", name="No SOPs", competency_codes=["ID01", "FD02"])
    referral = theme_make(workspace, "T02", name="Referral", competency_codes=["RF01"])
    feedback = theme_make(workspace, "T02.1", name="No feedback", parent=referral, competency_codes=["ID01"])
    unused = theme_make(workspace, "T09", name="Unused", competency_codes=[])
    interview = record_make(workspace, "Interview A", organisations=[police])
    fgd = record_make(workspace, "FGD B", kind="focus_group", organisations=[police, ngo, other_police])
    loose = record_make(workspace, "Interview C")
    excerpt_make(interview, sops, "Each station does it its own way.", is_quote=True)
    excerpt_make(interview, sops, "No checklist.")
    excerpt_make(fgd, sops, "Nobody told us.")
    excerpt_make(loose, sops, "Still no SOP.")
    excerpt_make(fgd, referral, "It works when you know someone.", is_quote=True)
    excerpt_make(fgd, feedback, "Nobody calls back.", is_quote=True)
    return {
        "sops": sops,
        "referral": referral,
        "feedback": feedback,
        "unused": unused,
        "police": police,
        "ngo": ngo,
    }


@pytest.mark.django_db
def test_theme_source_counts_count_records_per_theme_and_organisation_type(workspace, coded):
    counts = {c.theme.code: c for c in selectors.theme_source_counts(workspace)}
    assert [c.theme.code for c in selectors.theme_source_counts(workspace)] == ["T01", "T02", "T02.1", "T09"]
    assert counts["T01"].sources == 3
    assert counts["T01"].by_organisation_type == {"law_enforcement": 2, "ngo": 1}
    assert counts["T02"].sources == 1 and counts["T02"].by_organisation_type == {
        "law_enforcement": 1,
        "ngo": 1,
    }
    assert counts["T09"].sources == 0 and counts["T09"].by_organisation_type == {}
    assert selectors.codebook_order(list(selectors.themes_of(workspace)))[2].depth == 1


@pytest.mark.django_db
def test_the_quote_bank_holds_anonymised_quotes_and_filters_by_theme_with_sub_themes(workspace, coded):
    assert [q.text for q in selectors.quote_bank(workspace)] == [
        "Each station does it its own way.",
        "It works when you know someone.",
        "Nobody calls back.",
    ]
    assert [q.text for q in selectors.quote_bank(workspace, coded["referral"])] == [
        "It works when you know someone.",
        "Nobody calls back.",
    ]
    assert [q.text for q in selectors.quote_bank(workspace, coded["feedback"])] == ["Nobody calls back."]
    assert [(t.code, n) for t, n in selectors.quote_counts(workspace)] == [
        ("T01", 1),
        ("T02", 1),
        ("T02.1", 1),
    ]


@pytest.mark.django_db
def test_themes_for_a_competency_give_sources_organisations_and_a_quote(workspace, coded):
    summaries = selectors.themes_for_competency(workspace, " id01")
    assert [(s.theme.code, s.sources) for s in summaries] == [("T01", 3), ("T02.1", 1)]
    sops = summaries[0]
    assert [o.name for o in sops.organisations] == ["Immigration", "Police", "Shelter"]
    assert sops.quote.text == "Each station does it its own way."
    assert summaries[1].quote.text == "Nobody calls back."
    assert selectors.themes_for_competency(workspace, "PR01") == []
    services.quote_unflag(excerpt=sops.quote, acting_user=None)
    assert selectors.themes_for_competency(workspace, "ID01")[0].quote is None


@pytest.mark.django_db
def test_themes_for_competency_with_no_sources(workspace):
    theme_make(workspace, "T05", competency_codes=["LI01"])
    (summary,) = selectors.themes_for_competency(workspace, "LI01")
    assert summary.sources == 0 and summary.organisations == () and summary.quote is None
