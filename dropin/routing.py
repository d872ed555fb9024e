"""URL converters shared by every blueprint."""
from werkzeug.routing import IntegerConverter

# Ids are 32-bit integers in PostgreSQL.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """A database id: a number too large for a 32-bit key is no match (404), not a database error."""

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=MAX_ID)
