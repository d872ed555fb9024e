"""The package's shape: features depend on each other one way, never through another feature's views."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.import_order import ImportWalk

PACKAGE = Path(__file__).resolve().parents[2] / "dropin"
FEATURES = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists() and p.name not in ("models",))
# Modules every feature may use: they must not depend on any feature but the claims rules.
SHARED = ("sites.py", "kiosks.py", "lookup.py", "routing.py", "forms.py", "qr.py", "audit.py", "categories.py")
SHARED_MAY_USE = ("dropin.claims.service", "dropin.claims.refusals")


def imported_modules(path: Path) -> list[str]:
    """Every `dropin...` module a source file imports, spelled out in full."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    return [name for name in found if name.startswith("dropin.")]


def feature_of(path: Path) -> str | None:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else None


def source_files():
    return sorted(PACKAGE.rglob("*.py"))


def test_there_are_features_to_check():
    assert {"kiosk", "staff", "partners", "claims", "api", "stats"} <= set(FEATURES)


@pytest.mark.parametrize("path", source_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_another_features_routes(path):
    own = feature_of(path)
    for name in imported_modules(path):
        parts = name.split(".")
        if len(parts) >= 3 and parts[1] in FEATURES and parts[2] == "routes":
            assert parts[1] == own, f"{path.relative_to(PACKAGE)} imports {name}, another feature's views"
        if len(parts) >= 3 and parts[1] in FEATURES and parts[2].endswith("_routes"):
            assert parts[1] == own, f"{path.relative_to(PACKAGE)} imports {name}, another feature's views"


@pytest.mark.parametrize("name", SHARED)
def test_shared_modules_depend_on_no_feature(name):
    for imported in imported_modules(PACKAGE / name):
        parts = imported.split(".")
        if parts[1] in FEATURES:
            assert imported.startswith(SHARED_MAY_USE), f"{name} imports {imported}"


def test_the_check_catches_a_routes_import(tmp_path):
    """The walk sees both spellings of importing another feature's views."""
    source = tmp_path / "example.py"
    source.write_text("from dropin.kiosk.routes import board\nfrom dropin.staff import day_routes\n")
    assert {"dropin.kiosk.routes", "dropin.staff.day_routes"} <= set(imported_modules(source))


def test_every_module_imports_first_without_a_cycle():
    """Whatever a test, a script or a command imports first, no circular import breaks it."""
    walk = ImportWalk(PACKAGE.parent, "dropin")
    assert len(walk.modules()) == len(source_files())
    failures = {name: walk.failures(name) for name in walk.modules()}
    assert {name: failed for name, failed in failures.items() if failed} == {}


# A package whose modules import each other in a ring, the way dropin's features and blueprints do.
RING = {
    "ring/__init__.py": "bp = 'ring'\n\nfrom ring import views\n",
    "ring/views.py": "from ring import bp\nfrom ring.rules import rule\n\nNAME = bp.upper()\n",
    "ring/rules.py": "import ring.views\nfrom ring import helpers\n\n\ndef rule():\n    return helpers.X\n",
    "ring/helpers.py": "X = 1\n",
}
# Edits that break the ring for some first import, and edits that leave it whole.
BREAKS = {
    "the blueprint is made after its views are imported": (
        "ring/__init__.py",
        "from ring import views\n\nbp = 'ring'\n",
    ),
    "a name taken from a half-run module": ("ring/helpers.py", "from ring.rules import rule\n\nX = 1\n"),
    "an attribute read from a half-run module": ("ring/helpers.py", "from ring import views\n\nNAME = views.NAME\n"),
    "a submodule read before it has run": ("ring/helpers.py", "import ring.views\n\nNAME = ring.views.NAME\n"),
    "a name that is nowhere": ("ring/helpers.py", "from ring.views import nothing\n"),
    "a module that is nowhere": ("ring/helpers.py", "import ring.nothing\n"),
}
HARMLESS = {
    "a type-checking import": (
        "ring/helpers.py",
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from ring.rules import rule\nX = 1\n",
    ),
    "an attribute read inside a function": (
        "ring/helpers.py",
        "from ring import views\n\n\ndef name():\n    return views.NAME\n",
    ),
    "an import inside a function": ("ring/helpers.py", "def later():\n    from ring.rules import rule\n\n\nX = 1\n"),
}
REAL_IMPORT = """
import importlib, sys
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m == "ring" or m.startswith("ring.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except (ImportError, AttributeError):
        print(name)
"""


def broken_first_imports(tmp_path, edit=None) -> tuple[set[str], set[str]]:
    """Which modules of the ring break when imported first: by the walk, and by Python itself."""
    for name, source in {**RING, **dict([edit] if edit else [])}.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(source)
    walk = ImportWalk(tmp_path, "ring")
    walked = {name for name in walk.modules() if walk.failures(name)}
    done = subprocess.run(
        [sys.executable, "-c", REAL_IMPORT, *walk.modules()], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    return walked, set(done.stdout.split())


def test_the_walk_passes_a_ring_that_python_imports(tmp_path):
    assert broken_first_imports(tmp_path) == (set(), set())


@pytest.mark.parametrize("edit", BREAKS.values(), ids=BREAKS.keys())
def test_the_walk_finds_what_breaks_python_too(tmp_path, edit):
    walked, real = broken_first_imports(tmp_path, edit)
    assert walked
    assert walked == real


@pytest.mark.parametrize("edit", HARMLESS.values(), ids=HARMLESS.keys())
def test_the_walk_passes_what_python_imports(tmp_path, edit):
    assert broken_first_imports(tmp_path, edit) == (set(), set())
