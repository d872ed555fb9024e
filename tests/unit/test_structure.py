"""The package's shape: features depend on each other one way, never through another feature's views."""

import ast
from pathlib import Path

import pytest

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


IMPORT_EACH = """
import importlib, sys
failed = []
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m == "dropin" or m.startswith("dropin.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except ImportError as error:
        failed.append(f"{name}: {error}")
print("\\n".join(failed))
"""


def test_every_module_imports_first_without_a_cycle():
    """Whatever a test, a script or a command imports first, no circular import breaks it."""
    import subprocess
    import sys

    names = [
        ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
        for path in source_files()
    ]
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_EACH, *names], capture_output=True, text=True, cwd=PACKAGE.parent, check=True
    )
    assert done.stdout.strip() == ""
