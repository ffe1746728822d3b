"""Pages of the needs analysis, mounted under /w/<workspace>/needs/ (see ctip.web.config.urls)."""

from django.urls import path

from ctip.web.needs import report_views, views

urlpatterns = [
    path("", views.dashboard, name="needs-dashboard"),
    path("panel/", views.dashboard_panel, name="needs-panel"),
    path("profiles.xlsx", views.profiles_xlsx, name="needs-profiles-xlsx"),
    path("report/", report_views.report_page, name="needs-report"),
    path("report.docx", report_views.report_docx, name="needs-report-docx"),
    path("annex.xlsx", report_views.annex_xlsx, name="needs-annex-xlsx"),
    path("deck.pptx", report_views.deck_pptx, name="needs-deck-pptx"),
]
