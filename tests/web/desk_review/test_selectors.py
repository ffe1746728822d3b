import pytest

from ctip.web.accounts.models import Workspace
from ctip.web.desk_review import selectors
from tests.web.desk_review.factories import assess, finding_make, instrument_make, reference_make


@pytest.mark.django_db
def test_scores_per_chapter_and_overall_count_partly_met_as_half(workspace):
    act = instrument_make(workspace, title="Act 2009", year=2009)
    assess(act, {"P01": "met", "P02": "partly_met", "P03": "not_met", "P09": "met"})

    [summary] = selectors.legal_review_summary(workspace)

    chapters = {chapter.key: chapter for chapter in summary.chapters}
    assert list(chapters) == [
        "definition_and_criminalisation",
        "protection_of_victims",
        "prevention_and_cooperation",
        "institutions_and_jurisdiction",
    ]
    definition = chapters["definition_and_criminalisation"]
    assert (definition.met, definition.partly_met, definition.not_met, definition.assessed) == (1, 1, 1, 3)
    assert definition.score == pytest.approx(0.5) and definition.percent == 50
    assert chapters["protection_of_victims"].score == 1.0
    assert chapters["prevention_and_cooperation"].score is None  # nothing assessed is not 0 %
    assert summary.score == pytest.approx((2 + 0.5) / 4)
    assert summary.counts == {"met": 2, "partly_met": 1, "not_met": 1, "not_assessed": 16}
    assert summary.overall.total == 20


@pytest.mark.django_db
def test_a_gap_is_an_item_whose_best_status_across_instruments_is_not_or_partly_met(workspace):
    act = instrument_make(workspace, title="Act 2009", year=2009)
    amendment = instrument_make(workspace, title="Amendment 2023", year=2023, kind="amendment")
    assess(act, {"P01": "not_met", "P02": "partly_met", "P09": "not_met", "P10": "met", "P11": "not_met"})
    assess(amendment, {"P01": "partly_met", "P09": "met", "P10": "not_met"})

    gaps = selectors.legal_gaps(workspace)

    by_code = {gap.item_code: gap for gap in gaps}
    # P09 is filled by the amendment and P10 was met by the act: neither is a gap.
    assert [gap.item_code for gap in gaps] == ["P01", "P02", "P11"]
    assert by_code["P01"].best_status == "partly_met"
    assert by_code["P01"].best.instrument == amendment
    assert by_code["P02"].best_status == "partly_met" and by_code["P02"].best.instrument == act
    assert by_code["P11"].best_status == "not_met"
    considered = {row.instrument.title: row.status for row in by_code["P01"].considered}
    assert considered == {"Act 2009": "not_met", "Amendment 2023": "partly_met"}
    assert by_code["P02"].chapter.key == "definition_and_criminalisation"
    assert by_code["P01"].gap.code == "P01"


@pytest.mark.django_db
def test_items_nobody_assessed_and_workspaces_without_instruments_have_no_gaps(workspace):
    assert selectors.legal_gaps(workspace) == []
    instrument_make(workspace)
    assert selectors.legal_gaps(workspace) == []


@pytest.mark.django_db
def test_gap_and_summary_texts_follow_the_language(workspace):
    act = instrument_make(workspace)
    assess(act, {"P01": "not_met"})
    [gap] = selectors.legal_gaps(workspace, "fr")
    assert gap.title == "Les cinq actes"
    assert gap.chapter.title == "Définition et incrimination"
    assert (
        selectors.legal_review_summary(workspace, "fr")[0].chapters[0].title == "Définition et incrimination"
    )


@pytest.mark.django_db
def test_other_workspaces_do_not_count(workspace, outsider):
    foreign = instrument_make(Workspace.objects.get(slug="rwanda"))
    assess(foreign, {"P01": "not_met"})
    assert selectors.legal_gaps(workspace) == [] and selectors.legal_review_summary(workspace) == []


@pytest.mark.django_db
def test_library_entries_filter_by_kind_tag_and_words(workspace, outsider):
    law = reference_make(workspace, title="Trafficking Act", kind="law", tags=["Mauritius", "law"])
    report = reference_make(
        workspace, title="TIP Report", kind="report", tags=["mauritius"], summary="Shelters"
    )
    reference_make(workspace, title="Gender brief", kind="policy", tags=["gender"])
    reference_make(Workspace.objects.get(slug="rwanda"), title="Rwanda law", kind="law", tags=["Mauritius"])

    assert list(selectors.library_entries(workspace, kind="law")) == [law]
    assert set(selectors.library_entries(workspace, tag="MAURITIUS")) == {law, report}
    assert list(selectors.library_entries(workspace, search="shelters")) == [report]
    assert list(selectors.library_entries(workspace, kind="report", tag="mauritius", search="tip")) == [
        report
    ]
    assert selectors.library_entries(workspace).count() == 3
    assert selectors.library_tags(workspace) == ["gender", "law", "Mauritius"]


@pytest.mark.django_db
def test_key_findings_lists_every_finding_of_the_workspace_with_its_source(workspace, outsider):
    first = reference_make(workspace, title="A report")
    second = reference_make(workspace, title="B report")
    finding_make(second, "Second")
    finding_make(first, "First")
    finding_make(reference_make(Workspace.objects.get(slug="rwanda")), "Elsewhere")
    findings = list(selectors.key_findings(workspace))
    assert [(f.reference.title, f.statement) for f in findings] == [
        ("A report", "First"),
        ("B report", "Second"),
    ]
