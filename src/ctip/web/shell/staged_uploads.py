"""Keeping an uploaded file between an import's preview and its "apply" step.

The file is kept in the user's session (base64, with its SHA-256 digest), tied to the workspace; the
apply form sends the digest back so that only the file that was previewed is applied. Larger files are
not kept: the page asks to use the API or the command line instead.
"""

from __future__ import annotations

import base64
import binascii
import hashlib

from django.http import HttpRequest

from ctip.web.accounts.models import Workspace

STAGED_UPLOAD_MAX_BYTES = 2 * 1024 * 1024


def upload_stage(
    request: HttpRequest, *, key: str, workspace: Workspace, name: str, data: bytes
) -> str | None:
    """Keep ``data`` under ``key``; returns its digest, or None when the file is too large to keep."""
    if len(data) > STAGED_UPLOAD_MAX_BYTES:
        return None
    digest = hashlib.sha256(data).hexdigest()
    request.session[key] = {
        "workspace": workspace.slug,
        "name": name,
        "digest": digest,
        "data": base64.b64encode(data).decode("ascii"),
    }
    return digest


def upload_staged(
    request: HttpRequest, *, key: str, workspace: Workspace, digest: str
) -> tuple[str, bytes] | None:
    """The kept file's name and bytes, when it belongs to ``workspace`` and has ``digest``; else None."""
    kept = request.session.get(key)
    if not isinstance(kept, dict) or kept.get("workspace") != workspace.slug or kept.get("digest") != digest:
        return None
    try:
        return str(kept["name"]), base64.b64decode(kept["data"])
    except (binascii.Error, KeyError, TypeError):
        return None


def upload_unstage(request: HttpRequest, *, key: str) -> None:
    request.session.pop(key, None)
