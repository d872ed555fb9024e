"""Which origins may frame a region's listing: https://host[:port], or http://localhost[:port] for trying it out."""

import pytest

from dropin.admin.regions import BadOrigin, parse_origins


def test_origins_are_read_one_a_line_or_by_spaces_and_commas():
    text = "https://www.kunta.fi\n  HTTPS://Kotka.fi:8443/, http://localhost:8080 https://www.kunta.fi"
    assert parse_origins(text) == ["https://www.kunta.fi", "https://kotka.fi:8443", "http://localhost:8080"]


def test_no_text_is_no_origin():
    assert parse_origins("") == []
    assert parse_origins(" \n ") == []


@pytest.mark.parametrize(
    "origin",
    [
        "http://www.kunta.fi",  # plain http only for a local test page
        "https://www.kunta.fi/tapahtumat",  # a path is not an origin
        "https://*.kunta.fi",
        "www.kunta.fi",
        "https://",
        "https://-kunta.fi",
        "https://kunta.fi:0",
        "https://kunta.fi:70000",
        "'self'",
        "'none'",
        "*",
        "https://kunta.fi;script-src",
        "http://localhost.evil.fi",
        "javascript:alert(1)",
    ],
)
def test_what_is_not_an_origin_is_refused(origin):
    with pytest.raises(BadOrigin) as refused:
        parse_origins(f"https://ok.fi {origin}")
    assert refused.value.origin == origin
