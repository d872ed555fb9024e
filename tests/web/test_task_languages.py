"""A task's text in the visitor's language, or the Finnish one marked as Finnish when staff typed no other."""

import pytest

from dropin.extensions import db
from dropin.models import Task
from dropin.sites import find_site
from tests.factories import make_site, make_task

MARKS = {"sv": "på finska", "en": "in Finnish"}


@pytest.fixture
def tasks(app):
    with app.app_context():
        site = make_site("satama")
        only_finnish = make_task(site, title="Roskien keruu", description="Kerätään roskia rannalta.")
        translated = make_task(
            site, title="Leivonta", title_sv="Bakning", title_en="Baking", description="Leivotaan pullaa."
        )
        db.session.commit()
        return only_finnish.id, translated.id


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_finnish_text_shown_to_a_swedish_or_english_visitor_says_so(client, tasks, lang):
    only_finnish, translated = tasks
    board = client.get(f"/kiosk/satama?lang={lang}").get_data(as_text=True)
    assert '<span lang="fi">Roskien keruu</span>' in board
    assert MARKS[lang] in board
    assert {"sv": "Bakning", "en": "Baking"}[lang] in board
    details = client.get(f"/kiosk/satama/tasks/{only_finnish}?lang={lang}").get_data(as_text=True)
    assert '<span lang="fi">Kerätään roskia rannalta.</span>' in details
    assert details.count(MARKS[lang]) == 2  # the title and the description


def test_a_translated_title_carries_no_mark(client, tasks):
    _only_finnish, translated = tasks
    html = client.get(f"/kiosk/satama/tasks/{translated}?lang=sv").get_data(as_text=True)
    assert "Bakning" in html
    assert html.count("på finska") == 1  # only the description, which has no Swedish text


def test_finnish_visitors_see_no_marks(client, tasks):
    board = client.get("/kiosk/satama").get_data(as_text=True)
    assert "suomeksi" not in board
    assert 'lang="fi">Roskien' not in board


def test_a_model_knows_which_texts_it_has(app, tasks):
    with app.app_context():
        task = db.session.get(Task, tasks[1])
        assert task.in_language("title", "sv")
        assert not task.in_language("description", "sv")
        assert task.in_language("description", "fi")
        assert find_site("satama") is not None
