"""What the tests compile once and share between apps is what each app would compile for itself:
werkzeug's URL builders (tests/url_builders.py) and Jinja's template code (tests/conftest.py)."""

from jinja2 import DictLoader, Environment
from werkzeug.routing import Map, Rule

from dropin import create_app
from tests.conftest import SharedTemplateCode
from tests.url_builders import compile_builder


def test_every_rule_of_the_app_gets_the_code_werkzeug_compiles_for_it():
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    rules = list(app.url_map.iter_rules())
    assert len(rules) > 50
    for rule in rules:
        assert rule._build.__func__.__code__ == compile_builder(rule, False).__code__, rule.rule
        assert rule._build_unknown.__func__.__code__ == compile_builder(rule, True).__code__, rule.rule


def test_rules_that_differ_only_in_a_default_build_their_own_urls():
    urls = Map(
        [Rule("/a/<int:x>", endpoint="one", defaults={"x": 1}), Rule("/a/<int:x>", endpoint="two", defaults={"x": 2})]
    )
    adapter = urls.bind("example.org")
    assert adapter.build("one") == "/a/1"
    assert adapter.build("two") == "/a/2"
    assert adapter.build("one", {"y": "z"}) == "/a/1?y=z"


def test_shared_template_code_is_used_and_an_edited_template_is_compiled_anew():
    shared = SharedTemplateCode()
    first = Environment(loader=DictLoader({"page.html": "Hei {{ name }}"}), bytecode_cache=shared)
    assert first.get_template("page.html").render(name="Aino") == "Hei Aino"
    assert len(shared.code) == 1
    (key,) = shared.code
    shared.code[key] = shared.code[key].replace(b"Hei ", b"Moi ")  # what a second app loads, unparsed
    second = Environment(loader=DictLoader({"page.html": "Hei {{ name }}"}), bytecode_cache=shared)
    assert second.get_template("page.html").render(name="Aino") == "Moi Aino"
    edited = Environment(loader=DictLoader({"page.html": "Hej {{ name }}"}), bytecode_cache=shared)
    assert edited.get_template("page.html").render(name="Aino") == "Hej Aino"
