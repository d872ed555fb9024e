"""Settings: declared in Config with safe defaults, read from the environment by load() at app creation."""

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _secret_key(instance: Path) -> str:
    """Return SECRET_KEY from the environment, or one generated once into the instance folder."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip()


def _database_url(instance: Path) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        # Hosting platforms hand out postgres:// URLs; we speak psycopg 3.
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix) :]
        return url
    instance.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{instance / 'dropin.sqlite'}"


class Config:
    SECRET_KEY = None  # filled by load()
    SQLALCHEMY_DATABASE_URI = None
    # The folder of the SQLite file and the generated secret key; filled by load().
    INSTANCE_PATH = None
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
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    KIOSK_COOKIE_NAME = "dropin_kiosk"
    KIOSK_COOKIE_DAYS = 3650
    RECEIPT_SECONDS = 45
    BOARD_REFRESH_SECONDS = 60
    # A board with more cards than fit turns a page this often, and waits this long after a touch.
    BOARD_PAGE_SECONDS = 14
    BOARD_PAGE_PAUSE_SECONDS = 40
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    PUBLIC_URL = None  # for the phone QR code behind a proxy
    # Counts of people from 1 to this minus one are shown as "<5" in statistics and exports.
    STATS_SMALL_CELL = 5
    FEEDBACK_RATE_LIMIT = "30 per hour"
    # Codes tried in the feedback flow, per kiosk; by default load() makes it FEEDBACK_RATE_LIMIT.
    FEEDBACK_CODE_RATE_LIMIT = None
    FEEDBACK_THANKS_SECONDS = 10
    # Seconds without a touch before the feedback flow on a kiosk gives up and shows the board.
    KIOSK_IDLE_SECONDS = 90
    PROPOSAL_RATE_LIMIT = "10 per hour"
    # How many reverse proxies stand in front (their X-Forwarded-* headers are trusted); 0 = none.
    PROXY_COUNT = 0


def load(given: dict) -> dict:
    """Settings from the environment, read at app creation (not import); create_app() lets `given` win.

    A given SECRET_KEY, database URL or instance folder is not looked up: no file is made for it.
    """
    env = os.environ
    instance = Path(given.get("INSTANCE_PATH") or env.get("DROPIN_INSTANCE", ROOT / "instance"))
    settings = {
        "INSTANCE_PATH": instance,
        "SESSION_COOKIE_SECURE": env.get("DROPIN_SECURE_COOKIES", "0") == "1",
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", Config.RATELIMIT_STORAGE_URI),
        "PUBLIC_URL": env.get("DROPIN_PUBLIC_URL", Config.PUBLIC_URL),
        "STATS_SMALL_CELL": int(env.get("DROPIN_STATS_SMALL_CELL") or Config.STATS_SMALL_CELL),
        "FEEDBACK_RATE_LIMIT": env.get("DROPIN_FEEDBACK_RATE_LIMIT", Config.FEEDBACK_RATE_LIMIT),
        "KIOSK_IDLE_SECONDS": int(env.get("DROPIN_KIOSK_IDLE_SECONDS") or Config.KIOSK_IDLE_SECONDS),
        "PROPOSAL_RATE_LIMIT": env.get("DROPIN_PROPOSAL_RATE_LIMIT", Config.PROPOSAL_RATE_LIMIT),
        "PROXY_COUNT": int(env.get("DROPIN_PROXY_COUNT") or Config.PROXY_COUNT),
    }
    feedback_limit = given.get("FEEDBACK_RATE_LIMIT", settings["FEEDBACK_RATE_LIMIT"])
    settings["FEEDBACK_CODE_RATE_LIMIT"] = env.get("DROPIN_FEEDBACK_CODE_RATE_LIMIT") or feedback_limit
    if "SECRET_KEY" not in given:
        settings["SECRET_KEY"] = _secret_key(instance)
    if "SQLALCHEMY_DATABASE_URI" not in given:
        settings["SQLALCHEMY_DATABASE_URI"] = _database_url(instance)
    zone = env.get("DROPIN_TIMEZONE")
    if zone:
        settings["DROPIN_TIMEZONE"] = settings["BABEL_DEFAULT_TIMEZONE"] = zone
    return settings
