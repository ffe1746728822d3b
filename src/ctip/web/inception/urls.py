"""Pages of the inception app, mounted under /w/<workspace>/ (see ctip.web.config.urls)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
