"""Generated values posted to every HTML form of the app (every POST rule of the URL map), logged in as
an admin who may use them all and carrying an enrolled kiosk's cookie: the answer is never a 5xx."""

import string

import pytest
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from wtforms.fields.core import UnboundField

from tests.helpers import login, token_of

pytestmark = pytest.mark.slow

EXAMPLES = 4  # per POST rule: ~40 rules on two databases stay well inside a minute
SKIPPED = {"auth.logout"}  # would end the admin's session for every rule after it


def _form_classes(base=FlaskForm):
    for sub in base.__subclasses__():
        yield sub
        yield from _form_classes(sub)


def field_names() -> list[str]:
    """Every field name any form of the app has."""
    names = {
        name
        for form in _form_classes()
        for klass in form.__mro__
        for name, value in vars(klass).items()
        if isinstance(value, UnboundField)
    }
    return sorted(names)


CONTROL = st.sampled_from(["\x00", "\x07", "\x1b", "\x0b", "\x7f", "\u202e", "\u200b", "\r\n", "\t"])
# Values a form would take (so validation passes and the value reaches the database), and nasty ones.
PLAUSIBLE = st.sampled_from(
    ["Haravointi", "admin@example.org", "10:00", "12:00", "cleanup", "light", "outdoor", "4", "1", "0", "y", "3"]
)
VALUES = st.one_of(
    PLAUSIBLE,
    st.text(max_size=40),
    st.text(alphabet=string.printable, max_size=20).flatmap(lambda t: CONTROL.map(lambda c: t + c + t)),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["0001-01-01", "9999-12-31", "24:00", "99:99", "00:00", "-1", "1e400", "y", "on", ""]),
    st.integers(min_value=1, max_value=3_000).map(lambda n: "x" * n),
)
# Every field any form has, each time: the form at hand finds its own among them.
FORMS = st.fixed_dictionaries({name: st.one_of(VALUES, st.lists(VALUES, max_size=3)) for name in field_names()})


# Always tried first: the NUL byte that PostgreSQL refuses, in every field.
NUL_EVERYWHERE = {name: "a\x00b" for name in field_names()}


def post_rules(app):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and rule.endpoint not in SKIPPED and not rule.rule.startswith("/api/")
    ]


def url_of(rule, world) -> str:
    values = {
        "site": world.site,
        "day": world.day,
        "task_id": world.task_id,
        "claim_id": world.claim_id,
        "code": world.code,
        "template_id": world.template_id,
        "proposal_id": world.proposal_id,
        "partner_id": world.partner_id,
        "link_id": world.link_id,
        "site_id": world.site_id,
        "kiosk_id": world.kiosk_id,
        "user_id": world.user_id,
        "region_id": world.region_id,
        "question": "useful",
        "token": world.partner_token if rule.endpoint.startswith("partners.") else world.phone_token,
    }
    path = rule.rule
    for name in rule.arguments:
        path = path.replace(f"<{name}>", str(values[name])).replace(f"<id:{name}>", str(values[name]))
        path = path.replace(f"<any(useful, decide, community):{name}>", str(values[name]))
    assert "<" not in path, path
    return path


def fuzz(client, url: str, csrf: str, answers: set[int]) -> None:
    @settings(
        max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(form=FORMS)
    @example(form=NUL_EVERYWHERE)
    def post(form):
        response = client.post(url, data={**form, "csrf_token": csrf})
        answers.add(response.status_code)
        assert response.status_code < 500, (url, form)

    post()


def test_no_generated_form_gives_a_server_error(app, client, world):
    assert client.get(f"/kiosk/enroll/{world.enroll_token}").status_code == 302
    assert login(client, "admin@example.org").status_code == 302
    csrf = token_of(client, "/admin/users/new")  # one token per session serves every form
    rules = post_rules(app)
    assert len(rules) > 30
    answers: dict[str, set[int]] = {}
    for rule in rules:
        fuzz(client, url_of(rule, world), csrf, answers.setdefault(rule.endpoint, set()))
    assert all(answers.values())
    # Forms that refuse the generated values say so with a 400, none with a 500.
    assert 400 in set().union(*answers.values())


def test_no_generated_public_form_gives_a_server_error(app, client, world):
    """The forms anyone may post (login, a partner's proposal link, a phone's release) without a login."""
    csrf = token_of(client, "/login")
    for endpoint in ("auth.login", "partners.propose", "claims.release"):
        rule = next(r for r in post_rules(app) if r.endpoint == endpoint)
        fuzz(client, url_of(rule, world), csrf, set())
