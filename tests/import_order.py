"""Import a package's modules on paper, each one first, as Python would: what a circular import breaks.

Python runs a module's top-level statements in order. Inside a cycle, a module can meet another that
is only half run. `from a import b` then works only if `a` has bound `b` by then, or `b` is a submodule
of `a` (the "cannot import name" ImportError otherwise), and `a.b` read while the module runs works
only if `b` is bound by then (the "partially initialized module" AttributeError otherwise). This walk
does the same on the source's syntax tree, in one process and in milliseconds, where importing every
module first for real takes a fresh interpreter each time.

It follows top-level statements, including the bodies of `if`, `try`, `with`, loops and classes, and
the expressions that run when a function is defined (decorators, defaults, and annotations, as Python
3.11 reads them without `from __future__ import annotations`); it skips `if TYPE_CHECKING:` blocks and
function bodies (they run later). Modules outside the package import fine.
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
        self._module_names: dict[str, dict[str, str]] = {}  # module -> its names that are our modules
        self._failed: list[str] = []
        self._import(first)
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

    def _import(self, name: str) -> bool:
        """Run module `name` (its parents first) unless it is loaded or loading; False if it does not exist."""
        if not self._ours(name) or name in self._bound:
            return True
        parent, _, child = name.rpartition(".")
        if parent and not self._import(parent):
            return False
        if name in self._bound:  # the parent's own code imported it
            return True
        path = self._path(name)
        if path is None:
            return False
        self._bound[name], self._module_names[name] = set(), {}
        self._run(self._body(name, path), name)
        if parent:
            self._bound[parent].add(child)  # Python binds the submodule on its parent once it has run
        return True

    def _bind(self, module: str, name: str, target: str | None = None) -> None:
        self._bound[module].add(name)
        if target and self._ours(target) and self._path(target):
            self._module_names[module][name] = target
        else:
            self._module_names[module].pop(name, None)

    def _run(self, statements: list[ast.stmt], module: str) -> None:
        for node in statements:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if not self._import(alias.name):
                        self._failed.append(f"{module}: no module {alias.name}")
                    top = alias.name.split(".")[0]
                    self._bind(module, alias.asname or top, alias.name if alias.asname else top)
            elif isinstance(node, ast.ImportFrom):
                self._import_from(node, module)
            else:
                for expression in _evaluated_now(node):
                    self._read_attributes(expression, module)
                for block in _blocks_run_now(node):
                    self._run(block, module)
                for name in _names_bound(node):
                    self._bind(module, name)

    def _import_from(self, node: ast.ImportFrom, module: str) -> None:
        source = node.module or ""
        if node.level:
            package = module if self._path(module).name == "__init__.py" else module.rpartition(".")[0]
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            source = f"{base}.{source}" if source else base
        if not self._import(source):
            self._failed.append(f"{module}: no module {source}")
            return
        for alias in node.names:
            name = alias.name
            missing = self._ours(source) and name != "*" and name not in self._bound[source]
            # Python's fallback: a submodule of that name is imported, even from a half-run package.
            if missing and not (self._path(f"{source}.{name}") and self._import(f"{source}.{name}")):
                self._failed.append(f"{module}: cannot import {name} from {source}")
            self._bind(module, alias.asname or name, f"{source}.{name}")

    def _read_attributes(self, expression: ast.expr, module: str) -> None:
        """`a.b.c` read now, with `a` one of our modules: each step must be bound on the module by now."""
        for node in _walk_now(expression):
            chain = isinstance(getattr(node, "ctx", None), ast.Load) and _attribute_chain(node)
            target = chain and self._module_names[module].get(chain[0])
            for attribute in chain[1:] if target else ():
                if attribute not in self._bound[target]:
                    self._failed.append(f"{module}: {target} has no {attribute} yet")
                    break
                target = self._module_names[target].get(attribute) or f"{target}.{attribute}"
                if target not in self._bound:
                    break


def _attribute_chain(node: ast.AST) -> list[str] | None:
    """`a.b.c` as ["a", "b", "c"] when `node` is the outermost attribute of a chain on a name."""
    names = []
    while isinstance(node, ast.Attribute):
        names.insert(0, node.attr)
        node = node.value
    return [node.id, *names] if names and isinstance(node, ast.Name) else None


def _walk_now(expression: ast.expr):
    """The nodes of `expression` that are evaluated now (a lambda's body is not); outer attributes first."""
    stack = [expression]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.Attribute):
            continue  # the chain is read as a whole
        children = [node.args] if isinstance(node, ast.Lambda) else ast.iter_child_nodes(node)
        stack.extend(children)


def _evaluated_now(node: ast.stmt) -> list[ast.AST]:
    """The expressions of a statement that run when it does, apart from its nested blocks."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return [*node.decorator_list, node.args, *([node.returns] if node.returns else [])]
    if isinstance(node, ast.ClassDef):
        return [*node.decorator_list, *node.bases, *node.keywords]
    if isinstance(node, ast.If | ast.While):
        return [node.test]
    if isinstance(node, ast.For):
        return [node.iter]
    if isinstance(node, ast.With):
        return [item.context_expr for item in node.items]
    if isinstance(node, ast.Try):
        return []  # an except clause's type is read only when something is raised
    return [node]


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
