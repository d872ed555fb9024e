"""Settings from the environment, with safe defaults."""

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = Path(os.environ.get("DROPIN_INSTANCE", ROOT / "instance"))


def _secret_key() -> str:
    """Return SECRET_KEY from the environment, or one generated once into instance/."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = INSTANCE / "secret_key"
    if not path.exists():
        INSTANCE.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip()


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        # Hosting platforms hand out postgres:// URLs; we speak psycopg 3.
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix) :]
        return url
    INSTANCE.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{INSTANCE / 'dropin.sqlite'}"


class Config:
    SECRET_KEY = None  # filled by load()
    SQLALCHEMY_DATABASE_URI = None
    # hide_parameters: a database error in the log never carries a claim's values.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}
    DROPIN_TIMEZONE = "Europe/Helsinki"
    BABEL_DEFAULT_LOCALE = "fi"
    BABEL_DEFAULT_TIMEZONE = "Europe/Helsinki"
    LANGUAGES = ("fi", "sv", "en")
    MAX_CONTENT_LENGTH = 64 * 1024
    # CSRF tokens live as long as the session: a kiosk left on for a week keeps working.
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("DROPIN_SECURE_COOKIES", "0") == "1"
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    KIOSK_COOKIE_NAME = "dropin_kiosk"
    KIOSK_COOKIE_DAYS = 3650
    RECEIPT_SECONDS = 45
    BOARD_REFRESH_SECONDS = 60
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    PUBLIC_URL = os.environ.get("DROPIN_PUBLIC_URL")  # for the phone QR code behind a proxy
    # Counts of people from 1 to this minus one are shown as "<5" in statistics and exports.
    STATS_SMALL_CELL = int(os.environ.get("DROPIN_STATS_SMALL_CELL", "5") or 5)
    FEEDBACK_RATE_LIMIT = os.environ.get("DROPIN_FEEDBACK_RATE_LIMIT", "30 per hour")
    PROPOSAL_RATE_LIMIT = os.environ.get("DROPIN_PROPOSAL_RATE_LIMIT", "10 per hour")
    # How many reverse proxies stand in front (their X-Forwarded-* headers are trusted); 0 = none.
    PROXY_COUNT = int(os.environ.get("DROPIN_PROXY_COUNT", "0") or 0)


def load(given: dict) -> dict:
    """Settings read from the environment at app creation (not import), except those `given`."""
    settings = {}
    if "SECRET_KEY" not in given:
        settings["SECRET_KEY"] = _secret_key()
    if "SQLALCHEMY_DATABASE_URI" not in given:
        settings["SQLALCHEMY_DATABASE_URI"] = _database_url()
    zone = os.environ.get("DROPIN_TIMEZONE")
    if zone:
        settings["DROPIN_TIMEZONE"] = settings["BABEL_DEFAULT_TIMEZONE"] = zone
    return settings
