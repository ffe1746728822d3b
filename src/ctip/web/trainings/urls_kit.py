"""Routes of a training event's delivery kit: the page, its edits and its downloads."""

from django.urls import path

from ctip.web.trainings import views_kit

urlpatterns = [
    path("<uuid:event>/kit/", views_kit.kit_page, name="training-kit"),
    path("<uuid:event>/kit/edit/", views_kit.kit_edit, name="training-kit-edit"),
    path("<uuid:event>/kit/reset/", views_kit.kit_reset, name="training-kit-reset"),
    path("<uuid:event>/kit/concept-note.docx", views_kit.kit_concept_note, name="training-kit-concept-note"),
    path("<uuid:event>/kit/agenda.docx", views_kit.kit_agenda, name="training-kit-agenda"),
    path("<uuid:event>/kit/manual.docx", views_kit.kit_manual, name="training-kit-manual"),
    path("<uuid:event>/kit/slides.pptx", views_kit.kit_slides, name="training-kit-slides"),
]
