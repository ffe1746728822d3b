"""API endpoints of the qualitative app, mounted under /api/v1/ (see ctip.web.api)."""

from ninja import Router

router = Router(tags=["qualitative"])
