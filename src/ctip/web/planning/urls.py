"""Pages of the planning app, mounted under /w/<workspace>/plan/ (see ctip.web.config.urls)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
