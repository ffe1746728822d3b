"""Pages of the planning app, mounted under /w/<workspace>/plan/ (see ctip.web.config.urls): the module
catalogue and the demand from the TNA. The scenario pages are in ``urls_scenarios.py``."""

from django.urls import path

from ctip.web.planning.views import catalogue, demand

urlpatterns = [
    path("catalogue/", catalogue.catalogue_list, name="plan-catalogue"),
    path("catalogue/add/", catalogue.module_create, name="plan-module-create"),
    path("catalogue/<uuid:module>/", catalogue.module_edit, name="plan-module-edit"),
    path("demand/", demand.demand_page, name="plan-demand"),
    path("demand/export.xlsx", demand.demand_export, name="plan-demand-export"),
    path("demand/rows/<uuid:row>/", demand.demand_row_edit, name="plan-demand-row-edit"),
    path("demand/segments/<uuid:segment>/", demand.segment_edit, name="plan-segment-edit"),
]
