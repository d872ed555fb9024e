"""Every test builds a fresh app, and werkzeug compiles two small Python functions for each of its
~90 URL rules (`Rule._compile_builder`): 40 ms of a test's 55 ms in create_app(). The functions are
the same for every app (they take the rule as `self` and read its converters at call time), so the
tests compile each once and reuse it. tests/unit/test_shared_compilation.py checks the reuse is exact."""

from werkzeug.routing.rules import Rule

compile_builder = Rule._compile_builder
_compiled: dict[tuple, object] = {}


def _key(rule: Rule, append_unknown: bool) -> tuple:
    # What the compiled code depends on: the parsed rule, and the defaults folded into it as text.
    defaults = tuple(
        (name, type(rule._converters.get(name)), repr(value)) for name, value in sorted((rule.defaults or {}).items())
    )
    return rule.rule, rule.subdomain, rule.host, tuple(rule._trace), defaults, append_unknown


def _shared_builder(self: Rule, append_unknown: bool = True):
    key = _key(self, append_unknown)
    if key not in _compiled:
        _compiled[key] = compile_builder(self, append_unknown)
    return _compiled[key]


def share_compiled_builders() -> None:
    Rule._compile_builder = _shared_builder
