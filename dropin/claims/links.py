"""The link a visitor takes home: the phone page of a claim, as a QR code or an API field."""

from dropin.routing import public_url


def phone_url(token: str) -> str:
    """The absolute address of the claim's phone page (DROPIN_PUBLIC_URL wins behind a proxy)."""
    return public_url("claims.show", token=token)
