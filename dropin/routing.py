"""URL converters shared by every blueprint."""

from flask import current_app, url_for
from werkzeug.routing import IntegerConverter

# Ids are 32-bit integers in PostgreSQL.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """A database id: a number too large for a 32-bit key is no match (404), not a database error."""

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=MAX_ID)


def public_url(endpoint: str, **values) -> str:
    """An absolute link to hand out (QR codes, partner links): DROPIN_PUBLIC_URL wins behind a proxy."""
    base = current_app.config.get("PUBLIC_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, **values, _external=True)
