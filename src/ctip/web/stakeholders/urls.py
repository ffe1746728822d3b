"""Pages of the stakeholders app, mounted under /w/<workspace>/stakeholders/ (see ctip.web.config.urls)."""

from django.urls import path

from ctip.web.stakeholders import views

urlpatterns = [
    path("", views.stakeholder_list, name="stakeholder-list"),
    path("new/", views.stakeholder_create, name="stakeholder-create"),
    path("import/", views.stakeholder_import, name="stakeholder-import"),
    path("template.xlsx", views.stakeholder_template, name="stakeholder-template"),
    path("export.xlsx", views.stakeholder_export, name="stakeholder-export"),
    path("export.csv", views.stakeholder_export_csv, name="stakeholder-export-csv"),
    path("types/", views.stakeholder_types, name="stakeholder-types"),
    path("mapping/", views.stakeholder_mapping, name="stakeholder-mapping"),
    path("<uuid:organisation>/", views.stakeholder_detail, name="stakeholder-detail"),
    path("<uuid:organisation>/edit/", views.stakeholder_edit, name="stakeholder-edit"),
    path("<uuid:organisation>/delete/", views.stakeholder_delete, name="stakeholder-delete"),
    path("<uuid:organisation>/focal-points/add/", views.focal_point_add, name="stakeholder-focal-point-add"),
    path(
        "<uuid:organisation>/focal-points/<uuid:focal_point>/delete/",
        views.focal_point_delete,
        name="stakeholder-focal-point-delete",
    ),
    path("<uuid:organisation>/trainings/add/", views.training_add, name="stakeholder-training-add"),
    path(
        "<uuid:organisation>/trainings/<uuid:training>/delete/",
        views.training_delete,
        name="stakeholder-training-delete",
    ),
    path("<uuid:organisation>/relations/add/", views.relation_add, name="stakeholder-relation-add"),
    path(
        "<uuid:organisation>/relations/<uuid:relation>/delete/",
        views.relation_delete,
        name="stakeholder-relation-delete",
    ),
]
