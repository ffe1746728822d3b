"""API endpoints of the desk_review app, mounted under /api/v1/ (see ctip.web.api)."""

from ninja import Router

router = Router(tags=["desk_review"])
