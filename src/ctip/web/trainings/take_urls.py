"""The participants' test link, mounted under /t/<token>/ (outside any workspace: the link's random token
opens one training's tests and surveys, and a participant code only that training's participant)."""

from django.urls import path

from ctip.web.trainings import take_views

urlpatterns = [
    path("", take_views.take_start, name="take-start"),
    path("<uuid:participant>/", take_views.take_home, name="take-home"),
    path("<uuid:participant>/continue/", take_views.take_continue, name="take-continue"),
    path("<uuid:participant>/survey/<str:kind>/", take_views.take_survey, name="take-survey"),
    path("<uuid:participant>/<str:phase>/review/", take_views.take_review, name="take-review"),
    path("<uuid:participant>/<str:phase>/done/", take_views.take_done, name="take-done"),
    path("<uuid:participant>/<str:phase>/<int:number>/", take_views.take_item, name="take-item"),
]
