"""The admin's region form: name, slug and the origins allowed to frame the listing."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from dropin.admin.forms import slug_field
from dropin.admin.regions import BadOrigin, parse_origins
from dropin.forms import Form

MAX_ORIGINS_TEXT = 2000


class RegionForm(Form):
    name = StringField(
        _l("Nimi"),
        validators=[DataRequired(_l("Anna alueen nimi.")), Length(max=120, message=_l("Nimi on liian pitkä."))],
        render_kw={"maxlength": 120},
    )
    slug = slug_field()
    embed_origins = TextAreaField(
        _l("Sivustot, joille listan saa upottaa"),
        validators=[Length(max=MAX_ORIGINS_TEXT, message=_l("Liian pitkä lista."))],
        render_kw={"rows": 3, "autocapitalize": "none", "spellcheck": "false"},
    )

    def validate_embed_origins(self, field):
        try:
            parse_origins(field.data or "")
        except BadOrigin as bad:
            raise ValidationError(
                _l(
                    "%(origin)s ei käy. Kirjoita muodossa https://www.esimerkki.fi, yksi riville.",
                    origin=bad.origin[:80],
                )
            ) from None

    def values(self) -> dict:
        return {
            "slug": self.slug.data.strip(),
            "name": self.name.data.strip(),
            "embed_origins": self.embed_origins.data or "",
        }
