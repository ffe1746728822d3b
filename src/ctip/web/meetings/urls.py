"""Pages of the meetings app, mounted under /w/<workspace>/meetings/ (see ctip.web.config.urls)."""

from django.urls import path

from ctip.web.meetings import views

urlpatterns = [
    path("", views.meeting_list, name="meeting-list"),
    path("new/", views.meeting_create, name="meeting-create"),
    path("sign-in-sheet.xlsx", views.attendance_template, name="meeting-attendance-template"),
    path("<uuid:meeting>/", views.meeting_detail, name="meeting-detail"),
    path("<uuid:meeting>/edit/", views.meeting_edit, name="meeting-edit"),
    path("<uuid:meeting>/delete/", views.meeting_delete, name="meeting-delete"),
    path("<uuid:meeting>/attendance/import/", views.attendance_import, name="meeting-attendance-import"),
    path("<uuid:meeting>/attendees/add/", views.attendee_add, name="meeting-attendee-add"),
    path(
        "<uuid:meeting>/attendees/<uuid:attendee>/delete/",
        views.attendee_delete,
        name="meeting-attendee-delete",
    ),
    path("<uuid:meeting>/decisions/add/", views.decision_add, name="meeting-decision-add"),
    path(
        "<uuid:meeting>/decisions/<uuid:decision>/delete/",
        views.decision_delete,
        name="meeting-decision-delete",
    ),
    path("<uuid:meeting>/actions/add/", views.action_add, name="meeting-action-add"),
    path("<uuid:meeting>/actions/<uuid:action>/", views.action_update, name="meeting-action-update"),
    path("<uuid:meeting>/actions/<uuid:action>/delete/", views.action_delete, name="meeting-action-delete"),
]
