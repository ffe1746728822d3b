"""The inception report page: what the report contains and the Word template it is written into (the
workspace's own, uploaded here, or the default one). The report downloads are added next to these views."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ctip.core.access import Permission
from ctip.core.errors import DomainError
from ctip.formats.documents.docx_writer import default_template, template_fields
from ctip.web.accounts.forms import apply_domain_error
from ctip.web.accounts.permissions import may, workspace_view
from ctip.web.inception import selectors, services
from ctip.web.inception.forms import ReportTemplateForm

REPORT_KIND = "inception_report"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _report_page(
    request: HttpRequest, *, form: ReportTemplateForm | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "inception/report.html",
        {
            "form": form or ReportTemplateForm(),
            "can_edit": may(request.membership, Permission.EDIT_CONTENT),
            "custom_template": selectors.report_template_info(request.workspace, REPORT_KIND),
            "template_fields": [
                {"name": field.name, "description": _(field.description), "required": field.required}
                for field in template_fields()
            ],
        },
        status=status,
    )


@workspace_view(Permission.VIEW_WORKSPACE)
def inception_report(request: HttpRequest) -> HttpResponse:
    return _report_page(request)


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def template_upload(request: HttpRequest) -> HttpResponse:
    form = ReportTemplateForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["template"]
        try:
            services.report_template_upload(
                workspace=request.workspace,
                kind=REPORT_KIND,
                data=upload.read(),
                filename=upload.name,
                acting_user=request.user,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request, _("Template “%(file)s” saved: the report will use it.") % {"file": upload.name}
            )
            return redirect("inception-report", workspace=request.workspace.slug)
    return _report_page(request, form=form, status=400)


@workspace_view(Permission.EDIT_CONTENT)
@require_POST
def template_remove(request: HttpRequest) -> HttpResponse:
    try:
        services.report_template_remove(
            workspace=request.workspace, kind=REPORT_KIND, acting_user=request.user
        )
    except DomainError as error:
        messages.error(request, error.render(_))
    else:
        messages.success(
            request, _("The workspace's template was removed; the default template is used again.")
        )
    return redirect("inception-report", workspace=request.workspace.slug)


def _docx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


@workspace_view(Permission.VIEW_WORKSPACE)
def template_default(request: HttpRequest) -> HttpResponse:
    """The default Word template, to start a workspace template from."""
    return _docx_response(default_template(), "ctip-report-template.docx")


@workspace_view(Permission.VIEW_WORKSPACE)
def template_download(request: HttpRequest) -> HttpResponse:
    """The workspace's own template, as uploaded."""
    info = selectors.report_template_info(request.workspace, REPORT_KIND)
    content = selectors.report_template_for(request.workspace, REPORT_KIND)
    if info is None or content is None:
        raise Http404("No template of the workspace's own")
    return _docx_response(content, info.file_name)


PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
REPORT_LANGUAGES = ("en", "fr")


def _language(request: HttpRequest) -> str:
    requested = request.GET.get("language", "")
    return requested if requested in REPORT_LANGUAGES else (request.LANGUAGE_CODE or "en")


@workspace_view(Permission.VIEW_WORKSPACE)
def report_docx(request: HttpRequest) -> HttpResponse:
    """The inception report as a Word file, generated now from the workspace's data."""
    from ctip.web.inception.report import inception_documents

    language = _language(request)
    documents = inception_documents(request.workspace, language=language)
    response = HttpResponse(documents.docx, content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"inception-report-{request.workspace.slug}-{language}.docx"
    )
    return response


@workspace_view(Permission.VIEW_WORKSPACE)
def deck_pptx(request: HttpRequest) -> HttpResponse:
    """The inception meeting deck as a PowerPoint file."""
    from ctip.web.inception.report import inception_documents

    language = _language(request)
    documents = inception_documents(request.workspace, language=language)
    response = HttpResponse(documents.pptx, content_type=PPTX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"inception-deck-{request.workspace.slug}-{language}.pptx"
    )
    return response
