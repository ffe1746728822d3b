"""The built-in web form for respondents, mounted under /f/<token>/ (outside any workspace: the link's
token is the only key, and it opens one instrument's form and the answers saved through it)."""

from django.urls import path

from ctip.web.tna.views import respond

urlpatterns = [
    path("", respond.respond_start, name="respond-start"),
    path("<str:code>/<int:page>/", respond.respond_page, name="respond-page"),
    path("<str:code>/saved/", respond.respond_saved, name="respond-saved"),
    path("<str:code>/review/", respond.respond_review, name="respond-review"),
    path("<str:code>/done/", respond.respond_done, name="respond-done"),
]
