"""QR codes as inline SVG, drawn on the server (no script, no outside service): one home for every page that prints one."""
from __future__ import annotations

import segno


def qr_svg(text: str, *, css_class: str | None = None, title: str | None = None, scale: int | None = None) -> str:
    """``text`` as an inline SVG QR code (error correction M); without ``scale`` it fills its box."""
    options: dict[str, object] = {"dark": "#000", "light": "#fff"}
    if scale is None:
        options.update(border=4, omitsize=True)
    else:
        options.update(scale=scale, border=2)
    if css_class:
        options["svgclass"] = css_class
    if title:
        options["title"] = title
    return segno.make_qr(text, error="m").svg_inline(**options)


def qr_png(text: str, *, scale: int = 10) -> bytes:
    """``text`` as a PNG QR code (error correction M), for documents that cannot hold SVG (PDF certificates)."""
    import io

    buffer = io.BytesIO()
    segno.make_qr(text, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()
