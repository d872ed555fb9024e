"""The <img> tags of icons and task pictograms, built once per app (and language, for a pictogram's
name): a board draws dozens of them, and a template macro with url_for for each costs more than
the rest of a card."""

from flask import current_app, request, url_for
from flask_babel import get_locale
from markupsafe import Markup, escape

from dropin.categories import category

_KEY = "dropin.icons"


def _kept(key: tuple, make) -> Markup:
    kept = current_app.extensions.setdefault(_KEY, {})
    tag = kept.get(key)
    if tag is None:
        tag = kept[key] = make()
    return tag


def icon_img(name: str, cls: str = "icon") -> Markup:
    """An icon of static/img/icons/, decorative (empty alt)."""

    def make() -> Markup:
        src = url_for("static", filename=f"img/icons/{name}.svg")
        return Markup(f'<img class="{escape(cls)}" src="{escape(src)}" alt="" width="48" height="48">')

    return _kept(("icon", request.script_root, name, cls), make)


def pictogram_img(slug: str, cls: str = "pictogram") -> Markup:
    """A task category's pictogram, named in the request's language."""
    locale = str(get_locale())

    def make() -> Markup:
        cat = category(slug)
        src = url_for("static", filename=f"img/pictograms/{cat.pictogram}")
        return Markup(
            f'<img class="{escape(cls)}" src="{escape(src)}" alt="{escape(str(cat.name))}" width="64" height="64">'
        )

    return _kept(("pictogram", request.script_root, locale, slug, cls), make)
