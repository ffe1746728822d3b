"""Pages of the monitoring app, mounted under /w/<workspace>/monitoring/ (see ctip.web.config.urls)."""

from django.urls import path

from ctip.web.monitoring import views

urlpatterns = [
    path("", views.framework, name="monitoring-framework"),
    path("tiers/", views.tiers_edit, name="monitoring-tiers"),
    path("results/new/", views.node_create, name="monitoring-node-create"),
    path("results/<uuid:node>/", views.node_edit, name="monitoring-node-edit"),
    path("results/<uuid:node>/indicators/new/", views.indicator_create, name="monitoring-indicator-create"),
    path("indicators/<uuid:indicator>/", views.indicator_detail, name="monitoring-indicator"),
    path("indicators/<uuid:indicator>/edit/", views.indicator_edit, name="monitoring-indicator-edit"),
    path(
        "indicators/<uuid:indicator>/baseline/",
        views.indicator_baseline,
        name="monitoring-indicator-baseline",
    ),
    path("import/", views.values_import, name="monitoring-import"),
    path("import/template.xlsx", views.import_template, name="monitoring-import-template"),
    path("report.xlsx", views.report_xlsx, name="monitoring-report-xlsx"),
]
