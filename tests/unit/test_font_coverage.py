"""The bundled font is cut down to the characters dropin's texts use: every one of them must be in it."""

import ast
import unicodedata

import pytest
from babel.messages.pofile import read_po

from tests.helpers import ROOT

FONTS = ROOT / "static" / "fonts"
FACES = ("atkinson-hyperlegible-fi-sv-en-400.woff2", "atkinson-hyperlegible-fi-sv-en-700.woff2")
DEMO = ("dropin/demo/today.py", "dropin/demo/history.py")


def font_characters() -> set[str]:
    """The characters the fonts hold, from the list made with them (static/fonts/README)."""
    lines = (FONTS / "codepoints.txt").read_text().split()
    return {chr(int(line, 16)) for line in lines}


def catalog_texts(language: str) -> list[str]:
    with open(ROOT / "dropin" / "translations" / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalog = read_po(po)
    texts = []
    for message in catalog:
        for part in (message.id, message.string):
            texts.extend(part if isinstance(part, tuple | list) else [part])
    return [text for text in texts if text]


def demo_texts() -> list[str]:
    """Every string in the demo data's modules: task titles, places, partners, descriptions."""
    texts = []
    for path in DEMO:
        tree = ast.parse((ROOT / path).read_text())
        texts.extend(
            node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)
        )
    return texts


def missing(texts: list[str]) -> dict[str, str]:
    """The characters the font lacks (control characters are never drawn), each with a text using it."""
    held = font_characters()
    found = {}
    for text in texts:
        for char in text:
            if char not in held and unicodedata.category(char) != "Cc":
                found.setdefault(char, text)
    return found


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_every_character_of_the_catalog_is_in_the_font(language):
    texts = catalog_texts(language)
    assert len(texts) > 100
    assert missing(texts) == {}


def test_every_character_of_the_demo_data_is_in_the_font():
    texts = demo_texts()
    assert any("Jättipalsamin" in text for text in texts)
    assert missing(texts) == {}


def test_a_character_outside_the_font_is_found():
    assert missing(["Šakkikerho ja café"]) == {"Š": "Šakkikerho ja café"}
    assert {"ä", "Å", "é", "€", "…"} <= font_characters()


@pytest.mark.parametrize("face", FACES)
def test_the_list_is_what_the_fonts_hold(face):
    # Only where fontTools is installed (WeasyPrint brings it): the list must follow a rebuilt font.
    tt_lib = pytest.importorskip("fontTools.ttLib")
    cmap = tt_lib.TTFont(FONTS / face).getBestCmap()
    assert {chr(code) for code in cmap} == font_characters()
