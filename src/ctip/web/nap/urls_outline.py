"""The plan pages, mounted under /w/<workspace>/nap/ (see ctip.web.config.urls): the plan list and form,
the outline editor, and the element, cost line and indicator forms."""

from django.urls import path

from ctip.web.nap.views import elements, outline

urlpatterns = [
    path("", outline.plan_list, name="nap-home"),
    path("new/", outline.plan_new, name="nap-plan-new"),
    path("<uuid:plan>/", outline.outline, name="nap-outline"),
    path("<uuid:plan>/edit/", outline.plan_edit, name="nap-plan-edit"),
    path("<uuid:plan>/elements/new/", elements.element_new, name="nap-element-new"),
    path("<uuid:plan>/elements/<uuid:element>/", elements.element_edit, name="nap-element-edit"),
    path("<uuid:plan>/elements/<uuid:element>/move/", outline.element_move, name="nap-element-move"),
    path("<uuid:plan>/elements/<uuid:element>/delete/", outline.element_delete, name="nap-element-delete"),
    path("<uuid:plan>/elements/<uuid:element>/title/", outline.element_title, name="nap-element-title"),
    path(
        "<uuid:plan>/elements/<uuid:element>/cost-lines/new/",
        elements.cost_line_new,
        name="nap-cost-line-new",
    ),
    path("<uuid:plan>/cost-lines/<uuid:cost_line>/", elements.cost_line_edit, name="nap-cost-line-edit"),
    path(
        "<uuid:plan>/elements/<uuid:element>/indicators/new/",
        elements.indicator_new,
        name="nap-indicator-new",
    ),
    path("<uuid:plan>/indicators/<uuid:nap_indicator>/", elements.indicator_edit, name="nap-indicator-edit"),
]
