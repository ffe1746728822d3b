"""Pages of the inception app, mounted under /w/<workspace>/inception/ (see ctip.web.config.urls)."""

from django.urls import path

from ctip.web.inception import report_views, views

urlpatterns = [
    path("sampling/", views.sampling, name="inception-sampling"),
    path("timeline/", views.timeline, name="inception-timeline"),
    path("timeline/use-suggestion/", views.timeline_use_suggestion, name="inception-timeline-suggestion"),
    path("timeline/<uuid:phase_dates>/delete/", views.timeline_delete, name="inception-timeline-delete"),
    path("report/", report_views.inception_report, name="inception-report"),
    path("report/inception-report.docx", report_views.report_docx, name="inception-report-docx"),
    path("report/inception-deck.pptx", report_views.deck_pptx, name="inception-deck-pptx"),
    path("report/default-template.docx", report_views.template_default, name="inception-template-default"),
    path("report/template.docx", report_views.template_download, name="inception-template-download"),
    path("report/template/", report_views.template_upload, name="inception-template-upload"),
    path("report/template/remove/", report_views.template_remove, name="inception-template-remove"),
]
