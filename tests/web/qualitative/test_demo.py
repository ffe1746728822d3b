"""The fictional demo interviews, focus groups, codebook and quotes."""

import pytest

from ctip.core.tna.framework import default_framework
from ctip.core.tna.themes import anonymisation_problems
from ctip.web.qualitative import selectors
from ctip.web.qualitative.demo import RECORDS, THEMES, demo_qualitative
from ctip.web.qualitative.models import CodedExcerpt, QualitativeRecord, Theme
from tests.web.qualitative.factories import organisation_make


def test_demo_excerpts_are_passages_of_the_notes_and_themes_use_framework_codes():
    known = {competency.code for competency in default_framework()}
    assert {code for theme in THEMES for code in theme[4]} <= known
    codes = {theme[0] for theme in THEMES}
    for record in RECORDS:
        for paragraph in record.paragraphs:
            for theme, excerpt, is_quote in paragraph.codes:
                assert theme in codes and excerpt in paragraph.text
                if is_quote:
                    assert anonymisation_problems(excerpt, names=list(record.organisations)) == []


@pytest.mark.django_db
def test_demo_builds_once_and_links_registry_organisations(workspace, admin_user):
    police = organisation_make(workspace, "MPF", name="Mauritius Police Force", type="law_enforcement")
    organisation_make(
        workspace, "MOL-SMWU", name="Special Migrant Workers Unit", acronym="SMWU", type="labour_inspection"
    )
    demo_qualitative(workspace=workspace, acting_user=admin_user)
    demo_qualitative(workspace=workspace, acting_user=admin_user)

    assert QualitativeRecord.objects.filter(kind="interview").count() == 12
    assert QualitativeRecord.objects.filter(kind="focus_group").count() == 4
    assert Theme.objects.count() == len(THEMES) == 11
    assert 40 <= CodedExcerpt.objects.count() <= 60
    assert 10 <= CodedExcerpt.objects.filter(is_quote=True).count() <= 12
    assert all("Fictional" in record.notes for record in QualitativeRecord.objects.all())
    assert police.qualitative_records.count() == 2
    counts = {c.theme.code: c.sources for c in selectors.theme_source_counts(workspace)}
    assert counts["T02"] >= 5 and all(value >= 1 for value in counts.values())
    assert selectors.themes_for_competency(workspace, "LI01")[0].theme.code == "T05"
