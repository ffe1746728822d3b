"""Inception settings in a workspace backup: export → empty database → restore → the same export."""

import copy

import pytest

from ctip.formats.backup import backup_dumps, backup_loads
from ctip.formats.documents.docx_writer import default_template
from ctip.web.accounts.models import ApiToken, AuditEntry, LoginFailure, Membership, User, Workspace
from ctip.web.inception import selectors, services
from ctip.web.inception.demo import demo_inception
from ctip.web.workspace_backup import workspace_backup, workspace_restore


@pytest.mark.django_db
def test_inception_settings_survive_a_backup_and_restore(workspace, admin_user):
    demo_inception(workspace=workspace, acting_user=admin_user)
    services.report_template_upload(
        workspace=workspace, data=default_template(), filename="letterhead.docx", acting_user=admin_user
    )
    original = backup_loads(backup_dumps(workspace_backup(workspace=workspace, acting_user=admin_user)))
    section = original["sections"]["inception"]
    assert section["sampling_settings"]["confidence"] == "0.950" and len(section["phase_dates"]) == 6

    AuditEntry.objects.all().delete()
    Membership.objects.all().delete()
    ApiToken.objects.all().delete()
    LoginFailure.objects.all().delete()
    Workspace.objects.all().delete()
    User.objects.all().delete()
    restored = workspace_restore(document=copy.deepcopy(original), acting_user=None)
    again = backup_loads(backup_dumps(workspace_backup(workspace=restored, acting_user=None)))

    assert again["sections"]["inception"] == section
    assert selectors.report_template_for(restored, "inception_report") == default_template()
