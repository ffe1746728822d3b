"""Pages of the desk_review app, mounted under /w/<workspace>/ (see ctip.web.config.urls)."""

from django.urls import path

from ctip.web.desk_review.views import legal, library

urlpatterns = [
    path("legal/", legal.legal_review, name="legal-review"),
    path("legal/new/", legal.legal_instrument_create, name="legal-instrument-create"),
    path("legal/<uuid:instrument>/", legal.legal_instrument, name="legal-instrument"),
    path("legal/<uuid:instrument>/edit/", legal.legal_instrument_edit, name="legal-instrument-edit"),
    path("legal/<uuid:instrument>/delete/", legal.legal_instrument_delete, name="legal-instrument-delete"),
    path(
        "legal/<uuid:instrument>/items/<uuid:assessment>/",
        legal.legal_assessment_edit,
        name="legal-assessment-edit",
    ),
    path("library/", library.library_list, name="library-list"),
    path("library/new/", library.library_create, name="library-create"),
    path("library/<uuid:reference>/", library.library_detail, name="library-detail"),
    path("library/<uuid:reference>/edit/", library.library_edit, name="library-edit"),
    path("library/<uuid:reference>/delete/", library.library_delete, name="library-delete"),
    path("library/<uuid:reference>/file", library.library_file, name="library-file"),
    path(
        "library/<uuid:reference>/findings/<uuid:finding>/delete/",
        library.library_finding_delete,
        name="library-finding-delete",
    ),
]
