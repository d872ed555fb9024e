"""Task categories: a fixed list, each with a pictogram and a name in every language."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Category:
    slug: str
    name: object  # a lazy string, rendered in the request's language
    pictogram: str  # file under static/img/pictograms/


CATEGORIES = (
    Category("cleanup", _l("Siivous luonnossa"), "cleanup.svg"),
    Category("invasive", _l("Vieraslajien poisto"), "invasive.svg"),
    Category("gardening", _l("Piha- ja puutarhatyö"), "gardening.svg"),
    Category("cooking", _l("Ruoanlaitto"), "cooking.svg"),
    Category("baking", _l("Leivonta"), "baking.svg"),
    Category("other", _l("Muu tehtävä"), "other.svg"),
)
BY_SLUG = {c.slug: c for c in CATEGORIES}


def category(slug: str) -> Category:
    """The category of that slug; unknown slugs fall back to 'other'."""
    return BY_SLUG.get(slug, BY_SLUG["other"])
