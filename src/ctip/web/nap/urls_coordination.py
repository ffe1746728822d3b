"""Pages of the NAP's coordination arrangement, mounted under /w/<workspace>/nap/ (see ctip.web.config.urls)."""

from django.urls import path

from ctip.web.nap.views import coordination

urlpatterns = [
    path("<uuid:plan>/coordination/", coordination.coordination_page, name="nap-coordination"),
    path("<uuid:plan>/coordination/diagram.png", coordination.coordination_png, name="nap-coordination-png"),
    path("<uuid:plan>/coordination/bodies/new/", coordination.body_new, name="nap-body-new"),
    path("<uuid:plan>/coordination/bodies/<uuid:body>/", coordination.body_edit, name="nap-body-edit"),
    path("<uuid:plan>/coordination/default/", coordination.default_bodies, name="nap-coordination-default"),
    path("<uuid:plan>/coordination/matrix/", coordination.matrix_cell, name="nap-coordination-cell"),
]
