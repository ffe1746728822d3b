"""Routes of an event's imports: paper answer sheets of its tests, and its reaction and follow-up surveys
(mounted under /w/<workspace>/trainings/)."""

from django.urls import path

from ctip.web.trainings.views import imports

urlpatterns = [
    path("<uuid:event>/tests/import/", imports.answers_import, name="training-answers-import"),
    path(
        "<uuid:event>/tests/import/template.xlsx", imports.answers_template, name="training-answers-template"
    ),
    path("<uuid:event>/surveys/", imports.surveys, name="training-surveys"),
    path("<uuid:event>/surveys/xlsform.xlsx", imports.survey_xlsform, name="training-survey-xlsform"),
]
