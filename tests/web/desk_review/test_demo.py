import pytest

from ctip.web.desk_review import selectors
from ctip.web.desk_review.demo import ACT_TITLE, DEMO_NOTE, demo_desk_review
from ctip.web.desk_review.models import ChecklistAssessment, KeyFinding, LegalInstrument, Reference


@pytest.mark.django_db
def test_the_demo_fills_the_library_and_the_review_once(workspace, admin_user):
    demo_desk_review(workspace=workspace, acting_user=admin_user)
    counts = (Reference.objects.count(), KeyFinding.objects.count(), LegalInstrument.objects.count())
    assert counts[0] >= 10 and counts[1] >= 20 and counts[2] == 2

    demo_desk_review(workspace=workspace, acting_user=admin_user)
    assert (Reference.objects.count(), KeyFinding.objects.count(), LegalInstrument.objects.count()) == counts

    assert all("demo" in reference.tags for reference in Reference.objects.all())
    assert all("demo" in finding.tags for finding in KeyFinding.objects.all())
    act_rows = ChecklistAssessment.objects.filter(instrument__title=ACT_TITLE)
    assert act_rows.count() == 20 and not act_rows.filter(status="not_assessed").exists()
    assert all("fictional" in row.note for row in act_rows)
    assert all(row.note == DEMO_NOTE for row in ChecklistAssessment.objects.exclude(status="not_assessed"))

    gaps = {gap.item_code: gap for gap in selectors.legal_gaps(workspace)}
    assert "P09" not in gaps  # the amendment fills the non-punishment gap of the 2009 Act
    assert gaps["P20"].best_status == "partly_met"
    assert all(summary.score is not None for summary in selectors.legal_review_summary(workspace))


@pytest.mark.django_db
def test_the_demo_runs_from_the_command_line_too(workspace):
    demo_desk_review(workspace=workspace, acting_user=None)
    assert Reference.objects.filter(workspace=workspace).exists()
