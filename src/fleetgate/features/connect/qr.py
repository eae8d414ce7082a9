"""QR codes as inline SVG: drawn from the code's module matrix, so the page makes no request to show one."""

from __future__ import annotations

from collections.abc import Iterator

import qrcode  # no stubs installed (types-qrcode is not a dependency)
from markupsafe import Markup, escape
from qrcode.constants import ERROR_CORRECT_M

QUIET_ZONE = 4  # modules of white around the code, as the standard asks, so phone cameras find its edges


def qr_svg(data: str, *, label: str) -> Markup:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(data)
    code.make(fit=True)
    matrix: list[list[bool]] = code.get_matrix()
    size = len(matrix)
    path = "".join(f"M{x},{y}h{length}v1h-{length}z" for x, y, length in _dark_runs(matrix))
    return Markup(
        f'<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="img" '
        f'aria-label="{escape(label)}" shape-rendering="crispEdges">'
        f'<rect width="{size}" height="{size}" fill="#fff"/><path d="{path}" fill="#000"/></svg>'
    )


def _dark_runs(matrix: list[list[bool]]) -> Iterator[tuple[int, int, int]]:
    """(x, y, length) of each horizontal run of dark modules: one rectangle each keeps the SVG small."""
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            yield start, y, x - start
