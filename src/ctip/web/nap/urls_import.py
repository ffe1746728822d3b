"""Routes of the NAP import wizard (an existing draft's implementation matrix → a plan)."""

from django.urls import path

from ctip.web.nap.views import imports

urlpatterns = [path("import/", imports.nap_import, name="nap-import")]
