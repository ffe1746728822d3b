"""Pages of the qualitative app, mounted under /w/<workspace>/qualitative/ (see ctip.web.config.urls)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
