"""Settings: declared in Config with safe defaults, read from the environment by load() at app creation."""

import functools
import os
import secrets
import socket
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent


def make_private_dir(folder: Path) -> None:
    """Create `folder` readable by this user only (0700): it holds the database and the secret key."""
    if not folder.exists():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.chmod(0o700)  # whatever the umask


def _secret_key(instance: Path) -> str:
    """Return SECRET_KEY from the environment, or one generated once into the instance folder."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = instance / "secret_key"
    if not path.exists():
        make_private_dir(instance)
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
    make_private_dir(instance)
    return f"sqlite:///{instance / 'dropin.sqlite'}"


def _proxy(env) -> dict:
    """The trusted proxy's settings. The older DROPIN_PROXY_COUNT means that many proxies on this machine."""
    legacy = int(env.get("DROPIN_PROXY_COUNT") or 0)
    proxy = env.get("DROPIN_TRUSTED_PROXY") or ("127.0.0.1" if legacy else None)
    return {
        "TRUSTED_PROXY": proxy,
        "TRUSTED_PROXY_COUNT": int(env.get("DROPIN_TRUSTED_PROXY_COUNT") or legacy or Config.TRUSTED_PROXY_COUNT),
        "TRUSTED_PROXY_HEADERS": env.get("DROPIN_TRUSTED_PROXY_HEADERS") or Config.TRUSTED_PROXY_HEADERS,
    }


@functools.cache
def machine_names() -> tuple[str, ...]:
    """The names and IPv4 addresses this machine answers to, loopback included (no packet is sent)."""
    names = {"localhost", "127.0.0.1", socket.gethostname()}
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        infos = []
    names.update(info[4][0] for info in infos)
    # The address of the default route: connecting a UDP socket sends nothing.
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            names.add(probe.getsockname()[0])
    except OSError:
        pass
    return tuple(sorted(names))


def _allowed_hosts(env, public_url: str | None) -> list[str] | None:
    """DROPIN_ALLOWED_HOSTS (names separated by commas or spaces, "*" for any), by default this
    machine's own names, the HOST it listens on and DROPIN_PUBLIC_URL's host."""
    given = env.get("DROPIN_ALLOWED_HOSTS", "").replace(",", " ").split()
    if "*" in given:
        return None
    if given:
        return given
    hosts = set(machine_names())
    if env.get("HOST") and env["HOST"] not in ("0.0.0.0", "::"):
        hosts.add(env["HOST"])
    if public_url and urlsplit(public_url).hostname:
        hosts.add(urlsplit(public_url).hostname)
    return sorted(hosts)


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
    # Pages send no Referer (Referrer-Policy: no-referrer), so Flask-WTF's HTTPS-only Referer check
    # would refuse every form behind an HTTPS proxy. The CSRF token and SameSite cookies remain.
    WTF_CSRF_SSL_STRICT = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    # A login ends this long after it began, or after this long without a request.
    LOGIN_MAX_SECONDS = 12 * 3600
    LOGIN_IDLE_SECONDS = 30 * 60
    PERMANENT_SESSION_LIFETIME = LOGIN_MAX_SECONDS
    KIOSK_COOKIE_NAME = "dropin_kiosk"
    KIOSK_COOKIE_DAYS = 3650
    # Seconds a receipt's code and QR stay on the kiosk without a touch ("Lisää aikaa" gives as many more).
    KIOSK_RECEIPT_SECONDS = 30
    # The board swaps in its task list (kiosk.js polls, ETag) every KIOSK_POLL_SECONDS; a whole
    # reload, only now and then and only while the server answers, picks up new scripts and styles.
    KIOSK_POLL_SECONDS = 4
    BOARD_REFRESH_SECONDS = 600
    # How long a kiosk's join form may be sent (again, after a lost answer) for the same claim.
    KIOSK_JOIN_SECONDS = 600
    # A board with more cards than fit turns a page this often, and waits this long after a touch.
    BOARD_PAGE_SECONDS = 14
    BOARD_PAGE_PAUSE_SECONDS = 40
    RATELIMIT_STORAGE_URI = "memory://"
    # While Redis (the storage of several processes) is away, each process counts in its own memory
    # instead of failing every limited request; a second's wait for it at most.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
    RATELIMIT_HEADERS_ENABLED = True
    PUBLIC_URL = None  # for the phone QR code behind a proxy
    # A kiosk's enrollment link works this long after it was made.
    ENROLLMENT_HOURS = 24
    # Counts of people from 1 to this minus one are shown as "<5" in statistics and exports.
    STATS_SMALL_CELL = 5
    FEEDBACK_RATE_LIMIT = "30 per hour"
    # Codes tried in the feedback flow, per kiosk; by default load() makes it FEEDBACK_RATE_LIMIT.
    FEEDBACK_CODE_RATE_LIMIT = None
    FEEDBACK_THANKS_SECONDS = 10
    # Seconds without a touch before the feedback flow on a kiosk gives up and shows the board.
    KIOSK_IDLE_SECONDS = 90
    # Seconds an error page on a kiosk stays before the kiosk returns to its board.
    ERROR_RETURN_SECONDS = 15
    PROPOSAL_RATE_LIMIT = "10 per hour"
    # Requests for a partner's link again, per client address (nothing of it is stored).
    PARTNER_LINK_REQUEST_RATE_LIMIT = "5 per hour"
    # Places one kiosk (its screen and its API token together) may take; a window of a minute at most.
    KIOSK_CLAIM_RATE_LIMIT = "6 per minute"
    # The reverse proxy in front of `dropin serve` (an address, or "*"): waitress trusts its
    # X-Forwarded-* headers, TRUSTED_PROXY_COUNT of them, and drops them from everyone else.
    TRUSTED_PROXY = None
    TRUSTED_PROXY_COUNT = 1
    TRUSTED_PROXY_HEADERS = "x-forwarded-for x-forwarded-proto x-forwarded-host"
    # Host names requests may name; None accepts any. load() fills in this machine's names.
    ALLOWED_HOSTS = None


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
        "KIOSK_RECEIPT_SECONDS": int(env.get("DROPIN_KIOSK_RECEIPT_SECONDS") or Config.KIOSK_RECEIPT_SECONDS),
        "ENROLLMENT_HOURS": float(env.get("DROPIN_ENROLLMENT_HOURS") or Config.ENROLLMENT_HOURS),
        "KIOSK_POLL_SECONDS": int(env.get("DROPIN_KIOSK_POLL_SECONDS") or Config.KIOSK_POLL_SECONDS),
        "PROPOSAL_RATE_LIMIT": env.get("DROPIN_PROPOSAL_RATE_LIMIT", Config.PROPOSAL_RATE_LIMIT),
        "PARTNER_LINK_REQUEST_RATE_LIMIT": env.get(
            "DROPIN_PARTNER_LINK_REQUEST_RATE_LIMIT", Config.PARTNER_LINK_REQUEST_RATE_LIMIT
        ),
        "KIOSK_CLAIM_RATE_LIMIT": env.get("DROPIN_KIOSK_CLAIM_RATE_LIMIT", Config.KIOSK_CLAIM_RATE_LIMIT),
        "LOGIN_MAX_SECONDS": int(float(env.get("DROPIN_LOGIN_MAX_HOURS") or 12) * 3600),
        "LOGIN_IDLE_SECONDS": int(float(env.get("DROPIN_LOGIN_IDLE_MINUTES") or 30) * 60),
        **_proxy(env),
    }
    settings["PERMANENT_SESSION_LIFETIME"] = settings["LOGIN_MAX_SECONDS"]
    settings["ALLOWED_HOSTS"] = _allowed_hosts(env, given.get("PUBLIC_URL", settings["PUBLIC_URL"]))
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
