"""Pages of the qualitative app, mounted under /w/<workspace>/qualitative/ (see ctip.web.config.urls)."""

from django.urls import path

from ctip.web.qualitative import views

urlpatterns = [
    path("", views.record_list, name="qualitative-records"),
    path("new/", views.record_create, name="qualitative-record-create"),
    path("codebook/", views.codebook, name="qualitative-codebook"),
    path("codebook/<uuid:theme>/edit/", views.theme_edit, name="qualitative-theme-edit"),
    path("codebook/<uuid:theme>/delete/", views.theme_delete, name="qualitative-theme-delete"),
    path("quotes/", views.quote_list, name="qualitative-quotes"),
    path("<uuid:record>/", views.record_detail, name="qualitative-record"),
    path("<uuid:record>/edit/", views.record_edit, name="qualitative-record-edit"),
    path("<uuid:record>/delete/", views.record_delete, name="qualitative-record-delete"),
    path("<uuid:record>/excerpts/add/", views.excerpt_add, name="qualitative-excerpt-add"),
    path(
        "<uuid:record>/excerpts/<uuid:excerpt>/delete/",
        views.excerpt_delete,
        name="qualitative-excerpt-delete",
    ),
    path(
        "<uuid:record>/excerpts/<uuid:excerpt>/quote/",
        views.excerpt_quote,
        name="qualitative-excerpt-quote",
    ),
]
