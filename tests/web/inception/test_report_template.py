"""The workspace's own Word template for the inception report: checked on upload, used instead of the
default, removable."""

import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ctip.core.errors import DomainError
from ctip.formats.documents.docx_writer import default_template
from ctip.web.accounts.models import AuditEntry
from ctip.web.inception import selectors, services
from ctip.web.inception.models import ReportTemplate


def docx_without_body() -> bytes:
    document = docx.Document()
    document.add_paragraph("{{ title }}")
    document.add_paragraph("Our letterhead")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upload(workspace, user, data, filename):
    return services.report_template_upload(
        workspace=workspace, data=data, filename=filename, acting_user=user
    )


@pytest.mark.django_db
def test_the_default_template_is_accepted_and_replaces_nothing_twice(workspace, admin_user):
    assert selectors.report_template_for(workspace, "inception_report") is None
    upload(workspace, admin_user, default_template(), "letterhead.docx")
    assert selectors.report_template_for(workspace, "inception_report") == default_template()
    upload(workspace, admin_user, default_template(), "letterhead-v2.docx")
    assert ReportTemplate.objects.get().file_name == "letterhead-v2.docx"
    entries = AuditEntry.objects.filter(action="reporttemplate.upload").order_by("at", "id")
    assert [e.changes.get("file_name") for e in entries] == [
        [None, "letterhead.docx"],
        ["letterhead.docx", "letterhead-v2.docx"],
    ]
    services.report_template_remove(workspace=workspace, acting_user=admin_user)
    assert selectors.report_template_for(workspace, "inception_report") is None


@pytest.mark.django_db
def test_a_file_that_is_not_a_docx_is_refused_clearly(workspace, admin_user):
    with pytest.raises(DomainError) as caught:
        upload(workspace, admin_user, b"%PDF-1.7", "letterhead.pdf")
    assert "“letterhead.pdf” is not a Word document (.docx)" in caught.value.message
    with pytest.raises(DomainError) as caught:
        upload(workspace, admin_user, b"not a zip", "renamed.docx")
    assert "not a Word document" in str(caught.value)
    assert not ReportTemplate.objects.exists()


@pytest.mark.django_db
def test_a_docx_without_the_body_field_is_refused_clearly(workspace, admin_user):
    with pytest.raises(DomainError) as caught:
        upload(workspace, admin_user, docx_without_body(), "letterhead.docx")
    assert "{{p body }}" in str(caught.value)
    assert not ReportTemplate.objects.exists()


@pytest.mark.django_db
def test_a_template_over_the_upload_limit_is_refused(workspace, admin_user, settings):
    settings.CTIP_MAX_UPLOAD_MB = 0
    with pytest.raises(DomainError) as caught:
        upload(workspace, admin_user, default_template(), "letterhead.docx")
    assert caught.value.code == "upload_too_large"


@pytest.mark.django_db
def test_report_page_lists_the_contents_the_fields_and_the_default_template(admin_client, workspace):
    page = admin_client.get(f"/w/{workspace.slug}/inception/report/").content.decode()
    assert "What the report contains" in page and "{{p body }}" in page and "{{ organisation }}" in page
    assert f"/w/{workspace.slug}/inception/report/default-template.docx" in page
    response = admin_client.get(f"/w/{workspace.slug}/inception/report/default-template.docx")
    assert response.content == default_template()
    assert "ctip-report-template.docx" in response["Content-Disposition"]


@pytest.mark.django_db
def test_report_page_upload_shows_problems_then_accepts_a_good_template(admin_client, workspace):
    url = f"/w/{workspace.slug}/inception/report/template/"
    refused = admin_client.post(url, {"template": SimpleUploadedFile("mine.docx", docx_without_body())})
    assert refused.status_code == 400 and "body" in refused.content.decode()
    accepted = admin_client.post(
        url, {"template": SimpleUploadedFile("Lettre à en-tête.docx", default_template())}
    )
    assert accepted.status_code == 302
    page = admin_client.get(f"/w/{workspace.slug}/inception/report/").content.decode()
    assert "Lettre à en-tête.docx" in page
    download = admin_client.get(f"/w/{workspace.slug}/inception/report/template.docx")
    assert download.content == default_template()
    assert admin_client.post(f"/w/{workspace.slug}/inception/report/template/remove/").status_code == 302
    assert not ReportTemplate.objects.exists()
    assert admin_client.get(f"/w/{workspace.slug}/inception/report/template.docx").status_code == 404


@pytest.mark.django_db
def test_viewers_cannot_upload_a_template(client, workspace, make_member):
    client.force_login(make_member(workspace, "viewer").user)
    assert client.get(f"/w/{workspace.slug}/inception/report/").status_code == 200
    response = client.post(
        f"/w/{workspace.slug}/inception/report/template/",
        {"template": SimpleUploadedFile("mine.docx", default_template())},
    )
    assert response.status_code == 403 and not ReportTemplate.objects.exists()
