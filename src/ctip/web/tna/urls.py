"""Pages of the tna app, mounted under /w/<workspace>/tna/ (see ctip.web.config.urls)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
