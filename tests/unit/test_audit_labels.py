"""Every action, entity and field the code writes to the audit log has a label in plain Finnish.

The walk reads the source: `audit.record(action, entity, ...)` and `audit.update(obj, values,
fields, action, entity, ...)` calls, the keys of their literal before/after dicts, and every
`*_FIELDS` tuple that snapshots are taken of.
"""

import ast
import importlib
from pathlib import Path
from types import SimpleNamespace

import pytest

from dropin.admin.labels import ACTIONS, ENTITIES, FIELDS
from dropin.auth.accounts import user_snapshot

PACKAGE = Path(__file__).resolve().parents[2] / "dropin"


def _audit_calls():
    """(path, call, module tree) of every audit.record and audit.update call."""
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "audit"
                and node.func.attr in ("record", "update")
            ):
                yield path, node, tree


def _passed_in(tree: ast.Module, name: str) -> set[str]:
    """The literal strings the module's own calls pass for parameter `name` of the function that has it:
    `_add_tasks(site, day, due, "task.post")` for `def _add_tasks(site, day, sources, action)`."""
    found = set()
    for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
        parameters = [arg.arg for arg in function.args.args]
        if name not in parameters:
            continue
        index = parameters.index(name)
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            if isinstance(call.func, ast.Name) and call.func.id == function.name:
                if len(call.args) > index:
                    found |= _strings(call.args[index])
                found |= {s for k in call.keywords if k.arg == name for s in _strings(k.value)}
    return found


def _constant(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _strings(node) -> set[str]:
    """The literal strings an argument can be: a constant, or either side of `a if ... else b`."""
    if isinstance(node, ast.IfExp):
        return _strings(node.body) | _strings(node.orelse)
    return {_constant(node)} if _constant(node) else set()


def written_actions_and_entities() -> tuple[set[str], set[str]]:
    actions, entities = set(), set()
    for path, call, tree in _audit_calls():
        first = 0 if call.func.attr == "record" else 3
        action, entity = (
            _passed_in(tree, arg.id) if isinstance(arg, ast.Name) else _strings(arg)
            for arg in call.args[first : first + 2]
        )
        where = f"{path.name}:{call.lineno}"
        assert action, f"{where}: name the action as a literal string"
        assert entity, f"{where}: name the entity as a literal string"
        actions |= action
        entities |= entity
    return actions, entities


def _dicts(tree: ast.Module, value) -> list[ast.Dict]:
    """The literal dicts an argument is: itself, or what the module assigns to a name it passes."""
    if isinstance(value, ast.Dict):
        return [value]
    if isinstance(value, ast.Name):
        return [
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Dict)
            and any(isinstance(t, ast.Name) and t.id == value.id for t in node.targets)
        ]
    return []


def written_fields() -> set[str]:
    fields = set()
    for _path, call, tree in _audit_calls():
        for keyword in call.keywords:
            if keyword.arg not in ("before", "after"):
                continue
            for value in _dicts(tree, keyword.value):
                fields |= {_constant(key) for key in value.keys if _constant(key)}
    for path in PACKAGE.rglob("*.py"):
        module = importlib.import_module(".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts))
        for name, value in vars(module).items():
            if name.endswith("_FIELDS") and isinstance(value, tuple):
                fields |= {field for field in value if isinstance(field, str)}
    return fields | set(user_snapshot(SimpleNamespace(email="", role="worker", active=True, sites=[], region=None)))


def test_the_walk_finds_the_audit_calls():
    actions, entities = written_actions_and_entities()
    assert {"task.create", "day.close", "user.password", "proposal.approve"} <= actions
    assert {"task", "day", "user", "proposal"} <= entities
    assert {"title_sv", "meals_participants", "weekdays"} <= written_fields()


@pytest.mark.parametrize(("labels", "written"), [("actions", 0), ("entities", 1)])
def test_every_action_and_entity_has_a_label(labels, written):
    table = {"actions": ACTIONS, "entities": ENTITIES}[labels]
    missing = sorted(written_actions_and_entities()[written] - set(table))
    assert not missing, f"no Finnish label in admin/labels.py for {labels}: {missing}"


def test_every_field_has_a_label():
    missing = sorted(written_fields() - set(FIELDS))
    assert not missing, f"no Finnish label in admin/labels.py FIELDS for: {missing}"
