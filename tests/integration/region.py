"""A region on loopback as deploy/README.md sets it up: Redis, N `dropin serve` processes, and nginx
running deploy/nginx/dropin.conf itself, with only its ports, certificate and log folder swapped.

Shared by tests/integration/test_deploy.py and benchmarks/processes.py.
"""

import gzip
import http.client
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from tests.helpers import ROOT, csrf_token
from tests.integration import _wait_healthy, free_port, server_env, stop_process

SITE_CONF = ROOT / "deploy" / "nginx" / "dropin.conf"
PUBLIC_HOST = "dropin.example.fi"
STARTUP_SECONDS = 15


def binary(name: str) -> str | None:
    """The program's path; nginx lives in /usr/sbin, which a user's PATH may lack."""
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")


def missing_binaries() -> list[str]:
    return [name for name in ("nginx", "redis-server", "openssl") if binary(name) is None]


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-4000:] if log.exists() else "(no log)"


def _wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}:\n{_tail(log)}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.02)  # polling interval while the server binds
    raise RuntimeError(f"nothing listens on port {port} after {STARTUP_SECONDS} s:\n{_tail(log)}")


@dataclass
class RedisServer:
    """redis-server on a port and in a folder of its own, keeping nothing on disk."""

    workdir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        log = self.workdir / "redis.log"
        command = [binary("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        command += ["--appendonly", "no", "--dir", str(self.workdir), "--logfile", str(log)]
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        _wait_for_port(self.port, self.process, log)

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)
            self.process = None

    def stored_keys(self) -> list[str]:
        """The keys Redis holds now, asked with redis-cli: the test reads what the app stored."""
        done = subprocess.run(
            [binary("redis-cli"), "-p", str(self.port), "--raw", "KEYS", "*"],
            capture_output=True,
            text=True,
            check=True,
            stdin=subprocess.DEVNULL,
        )
        return done.stdout.split()


def self_signed_certificate(workdir: Path) -> tuple[Path, Path]:
    """A certificate for PUBLIC_HOST and its key, standing in for Let's Encrypt's."""
    cert, key = workdir / "cert.pem", workdir / "key.pem"
    subprocess.run(
        [binary("openssl"), "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
        + ["-nodes", "-days", "2", "-subj", f"/CN={PUBLIC_HOST}", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
        stdin=subprocess.DEVNULL,
    )
    return cert, key


def render_site(conf: str, app_ports: list[int], https_port: int, http_port: int, workdir: Path) -> str:
    """deploy/nginx/dropin.conf on loopback: these app ports, listen ports, a test certificate and logs
    in `workdir`. Every swap must find its text, so a changed config fails here, not silently."""
    cert, key = self_signed_certificate(workdir)
    upstream = "".join(f"    server 127.0.0.1:{port};\n" for port in app_ports)
    swaps = [
        (r"(    server 127\.0\.0\.1:\d+;\n)+", upstream),
        (r"listen 80;", f"listen 127.0.0.1:{http_port};"),
        (r"listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        (r" *listen \[::\]:\d+[^;]*;\n", ""),  # loopback may have no IPv6 in a container
        (r"/etc/letsencrypt/live/[^/]+/fullchain\.pem", str(cert)),
        (r"/etc/letsencrypt/live/[^/]+/privkey\.pem", str(key)),
        (r"/var/log/nginx/", f"{workdir}/"),
        (r"/var/www/html", str(workdir)),
    ]
    for pattern, replacement in swaps:
        conf, count = re.subn(pattern, lambda _m, r=replacement: r, conf)
        if not count:
            raise ValueError(f"{SITE_CONF.name} has no {pattern!r} to swap for the test")
    return conf


def nginx_main_conf(workdir: Path, site: Path) -> str:
    """The part Debian's /etc/nginx/nginx.conf plays, with every file in `workdir`."""
    # As root the workers would run as nobody, who may not enter a root-only temporary folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "".join(
        f"    {kind}_temp_path {workdir}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}worker_processes 1;\ndaemon off;\npid {workdir}/nginx.pid;\nerror_log {workdir}/error.log warn;\n"
        "events { worker_connections 1024; }\n"
        "http {\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
        f"{temp}    include {site};\n}}\n"
    )


@dataclass
class Nginx:
    https_port: int
    http_port: int
    workdir: Path

    @property
    def access_log(self) -> Path:
        return self.workdir / "dropin-access.log"

    @property
    def error_log(self) -> Path:
        return self.workdir / "error.log"

    def upstreams(self) -> list[str]:
        """The app process (address) of each request so far, from the access log."""
        text = self.access_log.read_text() if self.access_log.exists() else ""
        return re.findall(r"upstream=(\S+)", text)


def nginx_command(workdir: Path) -> list[str]:
    return [binary("nginx"), "-p", str(workdir), "-c", str(workdir / "nginx.conf"), "-e", str(workdir / "error.log")]


@contextmanager
def nginx(workdir: Path, app_ports: list[int]) -> Iterator[Nginx]:
    """nginx with deploy/nginx/dropin.conf in front of the app processes on `app_ports`."""
    workdir.mkdir(parents=True, exist_ok=True)
    server = Nginx(free_port(), free_port(), workdir)
    site = workdir / "dropin.conf"
    site.write_text(render_site(SITE_CONF.read_text(), app_ports, server.https_port, server.http_port, workdir))
    (workdir / "nginx.conf").write_text(nginx_main_conf(workdir, site))
    process = subprocess.Popen(nginx_command(workdir), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    try:
        _wait_for_port(server.https_port, process, server.error_log)
        yield server
    finally:
        stop_process(process)


def region_env(database_url: str, redis_url: str, workdir: Path, env: dict | None = None) -> dict[str, str]:
    """The settings deploy/dropin.env.example gives every process of a region."""
    return server_env(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": secrets.token_hex(16),  # one key for all: a session made by one is read by the others
            "DROPIN_INSTANCE": str(workdir),
            "RATELIMIT_STORAGE_URI": redis_url,
            "DROPIN_TRUSTED_PROXY": "127.0.0.1",
            "DROPIN_ALLOWED_HOSTS": f"{PUBLIC_HOST} 127.0.0.1",
            "DROPIN_PUBLIC_URL": f"https://{PUBLIC_HOST}",
            "DROPIN_SECURE_COOKIES": "1",
            "HOST": "127.0.0.1",
            **(env or {}),
        }
    )


@contextmanager
def dropin_processes(count: int, env: dict[str, str], workdir: Path) -> Iterator[list[int]]:
    """`count` `dropin serve` processes, as dropin@1 ... dropin@N run them; yields their ports."""
    with ExitStack() as stack:
        started = []
        for i in range(count):
            port, log = free_port(), workdir / f"dropin-{i + 1}.log"
            out = stack.enter_context(log.open("wb"))
            process = subprocess.Popen(
                [sys.executable, "-m", "dropin.cli", "serve"],
                env={**env, "PORT": str(port)},
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
            stack.callback(stop_process, process)
            started.append((process, port, log))
        for process, port, log in started:
            _wait_healthy(process, f"http://127.0.0.1:{port}", log)
        yield [port for _, port, _ in started]


@dataclass
class Region:
    nginx: Nginx
    redis: RedisServer
    app_ports: list[int]

    @property
    def base(self) -> str:
        return f"https://127.0.0.1:{self.nginx.https_port}"


@contextmanager
def region(database_url: str, workdir: Path, processes: int = 2, env: dict | None = None) -> Iterator[Region]:
    """Redis, `processes` app processes on `database_url` and nginx in front of them."""
    redis = RedisServer(workdir)
    redis.start()
    try:
        settings = region_env(database_url, redis.url, workdir, env)
        with dropin_processes(processes, settings, workdir) as ports, nginx(workdir / "nginx", ports) as front:
            yield Region(front, redis, ports)
    finally:
        redis.stop()


class Client:
    """One keep-alive HTTPS connection to nginx from a chosen loopback address, as a browser or a
    kiosk would use it: the public host name, gzip accepted, cookies kept."""

    def __init__(self, region: Region, source: str = "127.0.0.1"):
        context = ssl.create_default_context(cafile=region.nginx.workdir / "cert.pem")
        context.check_hostname = False  # nginx is at 127.0.0.1, the certificate names PUBLIC_HOST
        self.conn = http.client.HTTPSConnection(
            "127.0.0.1", region.nginx.https_port, timeout=60, context=context, source_address=(source, 0)
        )
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        """Returns (response, text); the text is unpacked when nginx sent it gzipped."""
        sent = {"Host": PUBLIC_HOST, "Accept-Encoding": "gzip", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.conn.request(method, path, body=body, headers=sent)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            raise
        if response.headers.get("Content-Encoding") == "gzip":
            data = gzip.decompress(data)
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response, data.decode(errors="replace")

    def form(self, path: str, fields: dict, headers: dict | None = None):
        """GET the page at `path`, then POST `fields` to it with the page's CSRF token."""
        token = csrf_token(self.request("GET", path)[1])
        body = urlencode({"csrf_token": token, **fields})
        sent = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        return self.request("POST", path, body, sent)[0]

    def close(self) -> None:
        self.conn.close()
