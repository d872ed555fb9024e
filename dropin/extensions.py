"""Every extension, unbound: create_app() binds them."""

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_talisman import Talisman
from flask_wtf import CSRFProtect

from dropin.schema import LazyMigrate

# Named constraints, so Alembic batch migrations on SQLite can alter them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(so.DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = LazyMigrate()  # Flask-Migrate, imported when a migration runs
csrf = CSRFProtect()
babel = Babel()
talisman = Talisman()
login_manager = LoginManager()
# The client address is used only in memory for throttling, never stored or logged.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
