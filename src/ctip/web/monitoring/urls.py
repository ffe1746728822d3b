"""Pages of the monitoring app, mounted under /w/<workspace>/monitoring/ (see ctip.web.config.urls)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
