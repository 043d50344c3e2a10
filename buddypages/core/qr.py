"""QR codes for screens, posters and widgets: one place that decides their error level.

Error level "M" (15 % of the code may be damaged or covered) is what printed posters and
screens seen from a distance need; a higher level makes the modules smaller for the same URL.
"""

import segno

ERROR_LEVEL = "m"


def qr_code(data: str) -> segno.QRCode:
    """The QR code of ``data`` (usually an absolute URL)."""
    return segno.make(data, error=ERROR_LEVEL, micro=False)


def qr_svg(data: str, *, title: str = "", scale: int = 8) -> str:
    """Inline SVG markup (no XML declaration) of ``data``'s code: black on white, with the
    four-module quiet zone scanners need. ``title`` becomes the SVG's accessible name."""
    return qr_code(data).svg_inline(
        scale=scale, dark="#000000", light="#ffffff", title=title or None
    )


def qr_matrix(data: str) -> list[list[bool]]:
    """The code's modules row by row (``True`` is dark), without the quiet zone: for
    drawing it as vector squares, e.g. in a PDF."""
    return [[bool(module) for module in row] for row in qr_code(data).matrix]
