"""Routes of the item bank and of an event's tests (under /w/<workspace>/trainings/)."""

from django.urls import path

from ctip.web.trainings.views import item_bank, test_forms

urlpatterns = [
    path("items/", item_bank.item_bank_page, name="training-item-bank"),
    path("items/new/", item_bank.item_create, name="training-item-create"),
    path("items/<uuid:item>/", item_bank.item_edit, name="training-item-edit"),
    path("<uuid:event>/tests/", test_forms.tests_page, name="training-tests"),
    path("<uuid:event>/tests/key/", test_forms.tests_key, name="training-tests-key"),
    path("<uuid:event>/tests/qr.svg", test_forms.tests_qr, {"kind": "svg"}, name="training-tests-qr-svg"),
    path("<uuid:event>/tests/qr.png", test_forms.tests_qr, {"kind": "png"}, name="training-tests-qr-png"),
]
