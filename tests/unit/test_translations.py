"""Swedish and English catalogs cover every string of the interface, placeholders intact."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.helpers import ROOT

CATALOGS = ROOT / "dropin" / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{n\}")


def _catalog(path: Path):
    with path.open("rb") as fh:
        return read_po(fh)


@pytest.fixture(scope="module")
def source_ids(tmp_path_factory) -> set[str]:
    """The msgids in the code and templates right now, extracted as `make extract-messages` does."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run(
        [
            str(pybabel),
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "--ignore-dirs",
            ".* __pycache__",
            "-o",
            str(pot),
            "--no-location",
            "--omit-header",
            ".",
        ],
        cwd=ROOT,
        check=True,
    )
    return {m.id for m in _catalog(pot) if m.id}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_string_is_translated(source_ids, language):
    catalog = _catalog(CATALOGS / language / "LC_MESSAGES" / "messages.po")
    translated = {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}
    missing = sorted(source_ids - translated.keys())
    assert not missing, f"{len(missing)} untranslated in {language} (run make extract-messages): {missing[:5]}"


@pytest.mark.parametrize("language", ["sv", "en"])
def test_placeholders_survive_translation(language):
    catalog = _catalog(CATALOGS / language / "LC_MESSAGES" / "messages.po")
    for message in catalog:
        if message.id and message.string:
            assert sorted(PLACEHOLDER.findall(message.id)) == sorted(PLACEHOLDER.findall(message.string)), message.id
