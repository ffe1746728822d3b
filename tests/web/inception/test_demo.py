"""The fictional demo settings."""

import pytest

from ctip.web.accounts.models import AuditEntry
from ctip.web.inception import selectors
from ctip.web.inception.demo import demo_inception


@pytest.mark.django_db
def test_demo_sets_parameters_and_six_phases_once(workspace, admin_user):
    demo_inception(workspace=workspace, acting_user=admin_user)
    count = AuditEntry.objects.count()
    demo_inception(workspace=workspace, acting_user=admin_user)
    assert AuditEntry.objects.count() == count
    assert selectors.sampling_settings_for(workspace).minimum_per_organisation == 5
    timeline = selectors.inception_timeline(workspace)
    assert len(timeline) == 6
    assert (
        timeline[0][1].year == workspace.plan_start_year and timeline[-1][2].year == workspace.plan_end_year
    )
