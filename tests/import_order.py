"""Import a package's modules on paper, each one first, as Python would: what a circular import breaks.

Python runs a module's top-level statements in order. `from a import b` while `a` is still half-run
(we are inside a cycle that started in `a`) works only if `a` has bound `b` by then, or `b` is a
submodule of `a`; otherwise it is the "cannot import name ... (most likely due to a circular import)"
ImportError. This walk does the same with the source's syntax tree, in one process and in
milliseconds, where importing every module first for real took a fresh interpreter each time.

It follows top-level statements, including the bodies of `if`, `try`, `with` and class bodies,
and skips `if TYPE_CHECKING:` blocks and function bodies (they run later, when everything is loaded).
Modules outside the package are taken to import fine.
"""

import ast
from pathlib import Path


class ImportWalk:
    def __init__(self, root: Path, package: str):
        """`root` is the directory that holds the package directory `package`."""
        self.root = Path(root)
        self.package = package
        self._trees: dict[str, list[ast.stmt]] = {}

    def modules(self) -> list[str]:
        """Every module of the package, by dotted name."""
        names = []
        for path in sorted((self.root / self.package).rglob("*.py")):
            parts = path.relative_to(self.root).with_suffix("").parts
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
        return names

    def failures(self, first: str) -> list[str]:
        """What breaks when `first` is the first module of the package imported in a fresh interpreter."""
        self._bound: dict[str, set[str]] = {}  # module -> names bound so far (fully or partly run)
        self._failed: list[str] = []
        self._import(first, by=None)
        return self._failed

    def _ours(self, name: str) -> bool:
        return name == self.package or name.startswith(self.package + ".")

    def _path(self, name: str) -> Path | None:
        base = self.root.joinpath(*name.split("."))
        for path in (base / "__init__.py", base.with_suffix(".py")):
            if path.is_file():
                return path
        return None

    def _body(self, name: str, path: Path) -> list[ast.stmt]:
        if name not in self._trees:
            self._trees[name] = ast.parse(path.read_text(), str(path)).body
        return self._trees[name]

    def _import(self, name: str, by: str | None) -> bool:
        """Run module `name` (its parents first) unless it is loaded or loading; False if it does not exist."""
        if not self._ours(name) or name in self._bound:
            return True
        parent, _, child = name.rpartition(".")
        if parent and not self._import(parent, by):
            return False
        if name in self._bound:  # the parent's own code imported it
            return True
        path = self._path(name)
        if path is None:
            return False
        self._bound[name] = set()
        self._run(self._body(name, path), name)
        if parent:
            self._bound[parent].add(child)  # Python binds the submodule on its parent once it has run
        return True

    def _run(self, statements: list[ast.stmt], module: str) -> None:
        for node in statements:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if not self._import(alias.name, module):
                        self._failed.append(f"{module}: no module {alias.name}")
                    self._bound[module].add(alias.asname or alias.name.split(".")[0])
            elif isinstance(node, ast.ImportFrom):
                self._import_from(node, module)
            else:
                for block in _blocks_run_now(node):
                    self._run(block, module)
                self._bound[module].update(_names_bound(node))

    def _import_from(self, node: ast.ImportFrom, module: str) -> None:
        source = node.module or ""
        if node.level:
            package = module if self._path(module).name == "__init__.py" else module.rpartition(".")[0]
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            source = f"{base}.{source}" if source else base
        if not self._import(source, module):
            self._failed.append(f"{module}: no module {source}")
            return
        for alias in node.names:
            name = alias.name
            missing = self._ours(source) and name != "*" and name not in self._bound[source]
            # Python's fallback: a submodule of that name is imported, even from a half-run package.
            if missing and not (self._path(f"{source}.{name}") and self._import(f"{source}.{name}", module)):
                self._failed.append(f"{module}: cannot import {name} from {source}")
            self._bound[module].add(alias.asname or name)


def _blocks_run_now(node: ast.stmt) -> list[list[ast.stmt]]:
    """The statements inside `node` that run when it does (a function's body runs later)."""
    if isinstance(node, ast.If):
        return [node.orelse] if _is_type_checking(node.test) else [node.body, node.orelse]
    if isinstance(node, ast.Try):
        return [node.body, *(handler.body for handler in node.handlers), node.orelse, node.finalbody]
    if isinstance(node, ast.ClassDef | ast.With | ast.For | ast.While):
        return [node.body]
    return []


def _names_bound(node: ast.stmt) -> set[str]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {node.name}
    if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return {name.id for target in targets for name in ast.walk(target) if isinstance(name, ast.Name)}
    return set()


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )
