"""Routes of the training results, the training and capacity development reports, and the indicator feeds
(under /w/<workspace>/trainings/)."""

from django.urls import path

from ctip.web.trainings.views import results

urlpatterns = [
    path("<uuid:event>/results/", results.results_page, name="training-results"),
    path("<uuid:event>/report.docx", results.report_docx, name="training-report-docx"),
    path("programme-report/", results.programme_page, name="training-programme-report"),
    path("programme-report/report.docx", results.programme_docx, name="training-programme-report-docx"),
    path("programme-report/deck.pptx", results.programme_pptx, name="training-programme-report-pptx"),
    path("indicator-feeds/", results.feeds_page, name="training-feeds"),
    path("indicator-feeds/<uuid:feed>/", results.feed_page, name="training-feed"),
]
