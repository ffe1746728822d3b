"""Pages of the training events, mounted under /w/<workspace>/trainings/ (see ctip.web.config.urls): the list,
an event's page and its facts, participants (with the sign-in sheet import), attendance and certificates. The
kit, the tests, the imports and the results have their own ``urls_*.py``."""

from django.urls import path

from ctip.web.trainings.views import events, participants

urlpatterns = [
    path("", events.event_list, name="training-list"),
    path("new/", events.event_create, name="training-create"),
    path("<uuid:event>/", events.event_detail, name="training-detail"),
    path("<uuid:event>/edit/", events.event_edit, name="training-edit"),
    path("<uuid:event>/status/", events.event_status, name="training-status"),
    path("<uuid:event>/delete/", events.event_delete, name="training-delete"),
    path("<uuid:event>/participants/", participants.participants, name="training-participants"),
    path(
        "<uuid:event>/participants/import/",
        participants.participants_import,
        name="training-participants-import",
    ),
    path(
        "<uuid:event>/participants/sign-in-sheet.xlsx",
        participants.signin_template,
        name="training-signin-template",
    ),
    path(
        "<uuid:event>/participants/<uuid:participant>/",
        participants.participant_edit,
        name="training-participant-edit",
    ),
    path("<uuid:event>/attendance/", participants.attendance, name="training-attendance"),
    path("<uuid:event>/certificates/", participants.certificates_page, name="training-certificates"),
]
