"""Pages of the desk_review app, mounted under /w/<workspace>/ (see ctip.web.config.urls)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
