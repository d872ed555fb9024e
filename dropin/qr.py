"""QR codes as SVG, made here: nothing is fetched from outside."""

import io


def qr_svg(data: str) -> bytes:
    import qrcode  # imported on first use: a server that shows no QR code never loads it
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def qr_data_uri(data: str) -> str:
    """The QR code as a data: URI, for a page that shows a secret once (the CSP allows data: images)."""
    import base64

    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(data)).decode()
