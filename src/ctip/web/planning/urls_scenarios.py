"""Pages of the plan scenarios, mounted under /w/<workspace>/plan/ next to the catalogue and demand pages
(see ctip.web.config.urls)."""

from django.urls import path

from ctip.web.planning import report_views
from ctip.web.planning import views_scenarios as views

urlpatterns = [
    path("scenarios/", views.scenario_list, name="plan-scenarios"),
    path("scenarios/compare/", views.scenario_compare, name="plan-compare"),
    path("scenarios/<uuid:scenario>/", views.scenario_detail, name="plan-scenario"),
    path("scenarios/<uuid:scenario>/edit/", views.scenario_edit, name="plan-scenario-edit"),
    path("scenarios/<uuid:scenario>/solve/", views.scenario_solve, name="plan-scenario-solve"),
    path("scenarios/<uuid:scenario>/copy/", views.scenario_copy, name="plan-scenario-copy"),
    path("scenarios/<uuid:scenario>/adopt/", views.scenario_adopt, name="plan-scenario-adopt"),
    path("scenarios/<uuid:scenario>/delete/", views.scenario_delete, name="plan-scenario-delete"),
    path("scenarios/<uuid:scenario>/sessions/add/", views.session_edit, name="plan-session-add"),
    path("scenarios/<uuid:scenario>/sessions/<uuid:session>/", views.session_edit, name="plan-session-edit"),
    path(
        "scenarios/<uuid:scenario>/sessions/<uuid:session>/lock/",
        views.session_lock,
        name="plan-session-lock",
    ),
    path(
        "scenarios/<uuid:scenario>/sessions/<uuid:session>/delete/",
        views.session_delete,
        name="plan-session-delete",
    ),
    path("scenarios/<uuid:scenario>/documents/", report_views.report_page, name="plan-report"),
    path("scenarios/<uuid:scenario>/capacity-plan.docx", report_views.report_docx, name="plan-report-docx"),
    path("scenarios/<uuid:scenario>/capacity-plan.xlsx", report_views.report_xlsx, name="plan-report-xlsx"),
    path(
        "scenarios/<uuid:scenario>/capacity-plan-deck.pptx", report_views.report_pptx, name="plan-report-pptx"
    ),
]
