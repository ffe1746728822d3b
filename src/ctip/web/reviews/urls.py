"""Pages of review and validation, mounted under /w/<workspace>/reviews/ (see ctip.web.config.urls). The
invitation link (``invitations/<token>/``, no workspace in it) is mounted at the top level."""

from django.urls import path

from ctip.web.reviews import views, views_comments, views_compare, views_rounds, views_versions

urlpatterns = [
    path("", views.home, name="reviews-home"),
    path("versions/save/", views.version_save, name="reviews-version-save"),
    path("versions/<uuid:review_version>/", views_versions.version_detail, name="reviews-version"),
    path(
        "versions/<uuid:review_version>/status/", views_versions.version_status, name="reviews-version-status"
    ),
    path(
        "versions/<uuid:review_version>/validate/",
        views_versions.version_validate,
        name="reviews-version-validate",
    ),
    path(
        "versions/<uuid:review_version>/finalise/",
        views_versions.version_finalise,
        name="reviews-version-finalise",
    ),
    path(
        "versions/<uuid:review_version>/delete/", views_versions.version_delete, name="reviews-version-delete"
    ),
    path("versions/<uuid:review_version>/rounds/new/", views_rounds.round_open, name="reviews-round-open"),
    path("compare/", views_compare.compare, name="reviews-compare"),
    path("compare/diff.docx", views_compare.compare_docx, name="reviews-compare-docx"),
    path("compare/diff.xlsx", views_compare.compare_xlsx, name="reviews-compare-xlsx"),
    path("rounds/<uuid:review_round>/", views_rounds.round_detail, name="reviews-round"),
    path("rounds/<uuid:review_round>/close/", views_rounds.round_close, name="reviews-round-close"),
    path("rounds/<uuid:review_round>/invite/", views_rounds.round_invite, name="reviews-round-invite"),
    path("rounds/<uuid:review_round>/comments/add/", views_comments.comment_add, name="reviews-comment-add"),
    path("comments/<uuid:review_comment>/edit/", views_comments.comment_edit, name="reviews-comment-edit"),
    path(
        "comments/<uuid:review_comment>/respond/",
        views_comments.comment_respond,
        name="reviews-comment-respond",
    ),
    path(
        "rounds/<uuid:review_round>/comment-matrix.docx",
        views_compare.matrix_docx,
        name="reviews-matrix-docx",
    ),
    path(
        "rounds/<uuid:review_round>/comment-matrix.xlsx",
        views_compare.matrix_xlsx,
        name="reviews-matrix-xlsx",
    ),
]
