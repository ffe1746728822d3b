"""QR codes of links (e.g. a training's test link, shown on the trainer's screen and printed on the
participants' handout), as SVG for pages and print and as PNG for slides and messaging apps.

Made with segno (pure Python, ISO/IEC 18004). Error correction level M (about 15 per cent of the symbol can
be damaged or covered) is asked for; segno raises it when the same symbol size allows. The quiet zone is
the 4 modules the standard requires, so that phone cameras find the code on any background.
"""

from __future__ import annotations

import io

import segno

QUIET_ZONE = 4
"""Modules of white border around the symbol (ISO/IEC 18004 requires 4)."""


def _symbol(text: str) -> segno.QRCode:
    if not text:
        raise ValueError("A QR code needs a text to encode.")
    return segno.make_qr(text, error="m", boost_error=True)


def qr_svg(text: str, *, scale: int = 4, title: str = "") -> str:
    """The QR code of ``text`` as a standalone SVG document (no XML declaration, so that it can also be
    put inside an HTML page). ``scale`` is the size of one module in pixels; ``title`` the accessible
    name (an SVG ``<title>``)."""
    buffer = io.BytesIO()
    _symbol(text).save(
        buffer,
        kind="svg",
        scale=scale,
        border=QUIET_ZONE,
        xmldecl=False,
        svgns=True,
        title=title or None,
        dark="#000",
        light="#fff",
        svgclass="qr-code",
        lineclass=None,
    )
    return buffer.getvalue().decode("utf-8")


def qr_png(text: str, *, scale: int = 10) -> bytes:
    """The QR code of ``text`` as a black-on-white PNG image, ``scale`` pixels per module."""
    buffer = io.BytesIO()
    _symbol(text).save(buffer, kind="png", scale=scale, border=QUIET_ZONE, dark="#000", light="#fff")
    return buffer.getvalue()


def qr_matrix(text: str) -> list[list[bool]]:
    """The modules of the symbol (``True`` = dark), quiet zone excluded: for tests and other renderers."""
    return [[bool(module) for module in row] for row in _symbol(text).matrix]
