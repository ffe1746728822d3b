"""Pages of the tna app, mounted under /w/<workspace>/tna/ (see ctip.web.config.urls)."""

from django.urls import path

from ctip.web.tna import views

urlpatterns = [
    path("competencies/", views.competency_list, name="tna-competencies"),
    path("competencies/new/", views.competency_create, name="tna-competency-create"),
    path("competencies/import/", views.competencies_import, name="tna-competencies-import"),
    path("competencies/export.xlsx", views.competencies_export, name="tna-competencies-export"),
    path("competencies/<uuid:competency>/edit/", views.competency_edit, name="tna-competency-edit"),
    path("instruments/", views.instrument_list, name="tna-instruments"),
    path("instruments/new/", views.instrument_create, name="tna-instrument-create"),
    path("instruments/<uuid:survey>/", views.instrument_detail, name="tna-instrument"),
    path("instruments/<uuid:survey>/xlsform.xlsx", views.instrument_xlsform, name="tna-instrument-xlsform"),
    path(
        "instruments/<uuid:survey>/questionnaire.docx",
        views.instrument_questionnaire,
        name="tna-instrument-questionnaire",
    ),
    path(
        "instruments/<uuid:survey>/interview-guide.docx",
        views.instrument_interview_guide,
        name="tna-instrument-interview-guide",
    ),
    path(
        "instruments/<uuid:survey>/focus-group-guide.docx",
        views.instrument_fgd_guide,
        name="tna-instrument-fgd-guide",
    ),
    path("instruments/<uuid:survey>/links/", views.form_links, name="tna-form-links"),
    path("instruments/<uuid:survey>/links.xlsx", views.form_links_xlsx, name="tna-form-links-xlsx"),
    path(
        "instruments/<uuid:survey>/links/<uuid:link>/open/", views.form_link_open, name="tna-form-link-open"
    ),
    path("imports/", views.import_list, name="tna-imports"),
    path("imports/mapping/", views.import_mapping, name="tna-import-mapping"),
    path("imports/preview/", views.import_preview, name="tna-import-preview"),
    path("imports/<uuid:batch>/", views.import_result, name="tna-import-result"),
    path("imports/<uuid:batch>/rejected.csv", views.import_rejected, name="tna-import-rejected"),
    path("responses/", views.response_list, name="tna-responses"),
]
