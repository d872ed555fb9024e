"""The kiosk kit in kiosk/: systemd units that verify, and a launcher that runs Chromium right.

The launcher runs against a fake `chromium` that records its arguments, and a tiny HTTP
server standing in for dropin's /healthz: no browser, no screen, no network.
"""

import http.server
import json
import os
import re
import shlex
import shutil
import socket
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.helpers import ROOT

KIOSK = ROOT / "kiosk"
LAUNCHER = KIOSK / "dropin-kiosk"
ADMIN = KIOSK / "dropin-admin"
HEALTHCHECK = KIOSK / "dropin-healthcheck"
SCRIPTS = (LAUNCHER, ADMIN, KIOSK / "xinitrc", HEALTHCHECK)
UNITS = sorted([*(KIOSK / "systemd").glob("*.service"), *(KIOSK / "systemd").glob("*.timer")])

# Where the units expect things on a kiosk PC, and where the verify test puts stand-ins.
INSTALLED_PATHS = ("/opt/dropin", "/usr/bin/cage")

KIOSK_FLAGS = (
    "--kiosk",
    "--noerrdialogs",
    "--disable-infobars",
    "--disable-session-crashed-bubble",
    "--disable-translate",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-features=Translate,TouchpadOverscrollHistoryNavigation",
    "--enable-features=OverlayScrollbar",
    "--overscroll-history-navigation=0",
    "--check-for-update-interval=31536000",
    "--password-store=basic",
)

CRASHED_PREFERENCES = '{"profile":{"exit_type":"Crashed","exited_cleanly":false,"name":"Kiosk"}}'

needs_http_client = pytest.mark.skipif(
    not (shutil.which("curl") or shutil.which("wget")), reason="the launcher asks /healthz with curl or wget"
)


# --- systemd units ---------------------------------------------------------------------


def unit_settings(path: Path) -> dict[str, list[str]]:
    """Every `Key=value` of a unit file, keyed by "Section.Key"."""
    settings: dict[str, list[str]] = {}
    section = ""
    for line in path.read_text().splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif line and not line.startswith(("#", ";")) and "=" in line:
            key, value = line.split("=", 1)
            settings.setdefault(f"{section}.{key}", []).append(value)
    return settings


def exec_paths(path: Path) -> list[str]:
    """The executables of the Exec*= lines, without systemd's prefixes (-, @, :, +, !)."""
    paths = []
    for key, values in unit_settings(path).items():
        if key.split(".", 1)[1].startswith("Exec"):
            paths += [value.split()[0].lstrip("-@:+!") for value in values if value]
    return paths


def install_stand_ins(unit: Path, root: Path) -> Path:
    """A copy of UNIT in ROOT whose installed paths point into ROOT, with stand-in executables."""
    text = unit.read_text()
    for installed in INSTALLED_PATHS:
        text = text.replace(installed, str(root) + installed)
    copy = root / unit.name
    copy.write_text(text)
    for executable in exec_paths(copy):
        if executable.startswith(str(root)):
            stand_in = Path(executable)
            stand_in.parent.mkdir(parents=True, exist_ok=True)
            stand_in.write_text("#!/bin/sh\nexit 0\n")
            stand_in.chmod(0o755)
    return copy


def verify_complaints(unit: Path) -> list[str]:
    """What `systemd-analyze verify` says about UNIT (nothing, for a good unit)."""
    result = subprocess.run(
        ["systemd-analyze", "verify", str(unit)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "SYSTEMD_LOG_COLOR": "0"},
    )
    output = (result.stdout + result.stderr).splitlines()
    # Lines about other units (the host's own) are the host's business, not ours.
    complaints = [line for line in output if unit.name in line or str(unit.parent) in line]
    if result.returncode != 0:
        complaints.append(f"exit status {result.returncode}: {output}")
    return complaints


needs_systemd_analyze = pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="systemd-analyze (Debian: systemd) not installed"
)


def test_there_are_units_to_check():
    assert {unit.name for unit in UNITS} >= {
        "dropin.service",
        "dropin-kiosk.service",
        "dropin-backup.service",
        "dropin-backup.timer",
        "dropin-health.service",
        "dropin-health.timer",
    }


@needs_systemd_analyze
@pytest.mark.parametrize("unit", UNITS, ids=lambda unit: unit.name)
def test_unit_passes_systemd_analyze_verify(unit, tmp_path):
    if unit.suffix == ".timer":  # a timer verifies only beside the service it starts
        install_stand_ins(unit.with_suffix(".service"), tmp_path)
    assert verify_complaints(install_stand_ins(unit, tmp_path)) == []


@needs_systemd_analyze
def test_verify_check_catches_a_broken_unit(tmp_path):
    unit = tmp_path / "source" / "dropin.service"
    unit.parent.mkdir()
    unit.write_text(
        (KIOSK / "systemd" / "dropin.service").read_text().replace("Restart=on-failure", "Restartt=on-failure")
    )
    complaints = verify_complaints(install_stand_ins(unit, tmp_path))
    assert any("Restartt" in line for line in complaints)


def test_server_unit_runs_migrations_then_waitress_hardened():
    unit = unit_settings(KIOSK / "systemd" / "dropin.service")
    assert unit["Service.User"] == ["dropin"]
    assert unit["Service.EnvironmentFile"] == ["/etc/dropin/dropin.env"]
    assert unit["Service.ExecStartPre"] == ["/opt/dropin/.venv/bin/dropin db upgrade"]
    assert unit["Service.ExecStart"] == ["/opt/dropin/.venv/bin/dropin serve"]
    assert unit["Service.Restart"] == ["on-failure"]
    assert unit["Service.ProtectSystem"] == ["strict"]
    # The instance dir (SQLite, secret key) is the one place the server may write.
    instance = unit["Service.Environment"] == ["DROPIN_INSTANCE=/var/lib/dropin"]
    assert instance
    assert unit["Service.ReadWritePaths"] == ["/var/lib/dropin"]
    for setting in ("NoNewPrivileges", "PrivateTmp", "ProtectHome"):
        assert unit[f"Service.{setting}"] == ["yes"], setting


def test_server_unit_keeps_the_instance_to_its_user():
    unit = unit_settings(KIOSK / "systemd" / "dropin.service")
    assert unit["Service.StateDirectoryMode"] == ["0700"]
    assert unit["Service.UMask"] == ["0077"]


def test_backup_timer_runs_dropin_backup_nightly_as_the_server_user():
    service = unit_settings(KIOSK / "systemd" / "dropin-backup.service")
    timer = unit_settings(KIOSK / "systemd" / "dropin-backup.timer")
    assert service["Service.User"] == ["dropin"]
    assert service["Service.EnvironmentFile"] == ["/etc/dropin/dropin.env"]
    assert service["Service.ExecStart"] == [
        "/opt/dropin/.venv/bin/dropin backup ${DROPIN_BACKUP_DIR} --keep ${DROPIN_BACKUP_KEEP}"
    ]
    assert service["Service.UMask"] == ["0077"]
    assert timer["Timer.OnCalendar"] == ["*-*-* 02:30:00"]
    assert timer["Timer.Persistent"] == ["true"]


def test_health_timer_runs_the_check_every_minute():
    service = unit_settings(KIOSK / "systemd" / "dropin-health.service")
    timer = unit_settings(KIOSK / "systemd" / "dropin-health.timer")
    assert service["Service.ExecStart"] == ["/opt/dropin/kiosk/dropin-healthcheck"]
    assert "User" not in service  # root: it restarts dropin.service
    assert timer["Timer.OnUnitActiveSec"] == ["1min"]
    assert timer["Install.WantedBy"] == ["timers.target"]


def test_kiosk_unit_runs_the_launcher_in_cage_on_tty1():
    unit = unit_settings(KIOSK / "systemd" / "dropin-kiosk.service")
    command = unit["Service.ExecStart"][0].split()
    assert command[0] == "/usr/bin/cage"
    assert command[-2:] == ["--", "/opt/dropin/kiosk/dropin-kiosk"]
    assert unit["Service.User"] == ["kiosk"]
    assert unit["Service.PAMName"] == ["login"]
    assert unit["Service.TTYPath"] == ["/dev/tty1"]
    assert unit["Service.Restart"] == ["always"]
    assert "getty@tty1.service" in unit["Unit.Conflicts"]
    after = " ".join(unit["Unit.After"]).split()
    assert {"systemd-user-sessions.service", "dropin.service"} <= set(after)


# --- the scripts ------------------------------------------------------------------------


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda script: script.name)
@pytest.mark.parametrize("shell", ["sh", "bash"])
def test_script_parses(script, shell):
    assert os.access(script, os.X_OK), f"{script.name} must be executable: the units run it directly"
    result = subprocess.run([shell, "-n", str(script)], capture_output=True, text=True, timeout=10)
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck not installed")
def test_scripts_are_shellcheck_clean():
    result = subprocess.run(
        ["shellcheck", "--shell=sh", *map(str, SCRIPTS)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_chromium_policy_keeps_the_kiosk_cookie_and_no_history():
    policy = json.loads((KIOSK / "chromium-policy.json").read_text())
    assert policy["SavingBrowserHistoryDisabled"] is True
    # Blocking cookies or keeping them for the session only would sign the kiosk out.
    assert policy.get("DefaultCookiesSetting") not in (2, 4)
    assert "cookies_and_other_site_data" not in policy.get("ClearBrowsingDataOnExitList", [])


# --- the launcher -----------------------------------------------------------------------


@pytest.fixture
def kiosk_env(tmp_path) -> dict:
    """An environment for the launcher: its own HOME and state dir, no /etc/dropin/kiosk.env."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DROPIN_") and key not in ("DISPLAY", "WAYLAND_DISPLAY", "XDG_STATE_HOME")
    }
    home = tmp_path / "home"
    home.mkdir()
    env.update(
        HOME=str(home), DROPIN_KIOSK_ENV=str(tmp_path / "no-kiosk.env"), DROPIN_KIOSK_STATE_DIR=str(tmp_path / "state")
    )
    return env


def profile_dir(env: dict) -> Path:
    return Path(env["DROPIN_KIOSK_STATE_DIR"]) / "chromium"


def launcher(*args: str, env: dict, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LAUNCHER), *args], env=env, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL
    )


def printed_command(*args: str, env: dict) -> list[str]:
    result = launcher("--print-command", *args, env=env)
    assert result.returncode == 0, result.stderr
    return shlex.split(result.stdout)


def test_print_command_has_the_kiosk_flags_board_and_persistent_profile(kiosk_env):
    board = "http://127.0.0.1:8080/kiosk/satama"
    del kiosk_env["DROPIN_KIOSK_STATE_DIR"]
    argv = printed_command(board, env=kiosk_env)
    assert argv[0] == "chromium"
    assert argv[-1] == board
    assert set(KIOSK_FLAGS) <= set(argv)
    # In the kiosk user's state dir: the kiosk cookie survives reboots.
    assert f"--user-data-dir={kiosk_env['HOME']}/.local/state/dropin-kiosk/chromium" in argv
    # Chromium honours only the last --enable-features / --disable-features.
    for flag in ("--enable-features=", "--disable-features="):
        assert len([arg for arg in argv if arg.startswith(flag)]) == 1, flag


def test_board_url_from_kiosk_env_and_the_argument_wins(kiosk_env, tmp_path):
    settings = tmp_path / "kiosk.env"
    settings.write_text(
        '# the board\nDROPIN_BOARD_URL="http://192.168.1.10:8080/kiosk/olohuone"\r\n'
        "DROPIN_CHROMIUM_FLAGS=--force-device-scale-factor=1.25\n"
    )
    kiosk_env["DROPIN_KIOSK_ENV"] = str(settings)
    argv = printed_command(env=kiosk_env)
    assert argv[-2:] == ["--force-device-scale-factor=1.25", "http://192.168.1.10:8080/kiosk/olohuone"]
    assert (
        printed_command("http://127.0.0.1:8080/kiosk/satama", env=kiosk_env)[-1] == "http://127.0.0.1:8080/kiosk/satama"
    )


def test_enrollment_opens_on_the_boards_own_server(kiosk_env):
    # enroll-kiosk prints DROPIN_PUBLIC_URL; the cookie must belong to the board's address.
    argv = printed_command(
        "--enroll", "https://dropin.example.fi/kiosk/enroll/t0k3n", "http://127.0.0.1:8080/kiosk/satama", env=kiosk_env
    )
    assert argv[-1] == "http://127.0.0.1:8080/kiosk/enroll/t0k3n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "no board URL"),
        (("ftp://example.fi/kiosk/satama",), "must start with http"),
        (
            ("--enroll", "http://127.0.0.1:8080/kiosk/satama", "http://127.0.0.1:8080/kiosk/satama"),
            "not an enrollment URL",
        ),
        (("--frobnicate",), "unknown option"),
    ],
)
def test_launcher_refuses_bad_input_with_a_message(kiosk_env, args, message):
    result = launcher("--print-command", *args, env=kiosk_env)
    assert result.returncode == 2
    assert message in result.stderr


# --- the health check -------------------------------------------------------------------


@pytest.fixture
def systemctl(tmp_path) -> tuple[dict, Path]:
    """A stand-in `systemctl` first on PATH that records its arguments; the check's environment."""
    bin_dir, log = tmp_path / "bin", tmp_path / "systemctl.log"
    bin_dir.mkdir()
    fake = bin_dir / "systemctl"
    fake.write_text(f'#!/bin/sh\necho "$@" >> {shlex.quote(str(log))}\n')
    fake.chmod(0o755)
    env = {
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "DROPIN_HEALTH_TRIES": "2",
        "DROPIN_HEALTH_WAIT_SECONDS": "0",
    }
    return env, log


def healthcheck(env: dict, port: int) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(HEALTHCHECK)],
        env={**env, "HOST": "0.0.0.0", "PORT": str(port)},
        capture_output=True,
        text=True,
        timeout=60,
    )


@needs_http_client
def test_healthcheck_leaves_a_healthy_server_alone(systemctl, server):
    env, log = systemctl
    result = healthcheck(env, server.server_port)
    assert result.returncode == 0, result.stderr
    assert server.hits == ["/healthz"]
    assert not log.exists()


@needs_http_client
def test_healthcheck_does_not_restart_for_a_database_outage(systemctl, server):
    env, log = systemctl
    server.healthy = False
    result = healthcheck(env, server.server_port)
    assert result.returncode == 1
    assert "503" in result.stderr
    assert not log.exists()


@needs_http_client
def test_healthcheck_restarts_a_server_that_does_not_answer(systemctl):
    env, log = systemctl
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nobody listens there once the socket closes
    result = healthcheck(env, port)
    assert result.returncode == 0, result.stderr
    assert "restarting dropin.service" in result.stderr
    assert log.read_text() == "restart dropin.service\n"


class Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.hits.append(self.path)
        ok = self.path == "/healthz" and self.server.healthy
        self.send_response(200 if ok else 503)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"status": "ok"}' if ok else b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    """dropin's /healthz, answering 200 (or 503 once `healthy` is False)."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Health)
    httpd.hits, httpd.healthy = [], True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


FAKE_CHROMIUM = """#!{python}
# Records each start: its arguments and the profile's Preferences as Chromium would find them.
import json, os, sys, time
from pathlib import Path
profile = Path(next(a for a in sys.argv if a.startswith("--user-data-dir=")).split("=", 1)[1])
prefs = profile / "Default" / "Preferences"
record = {{"argv": sys.argv[1:], "preferences": prefs.read_text() if prefs.exists() else None}}
with open({log!r}, "a") as log:
    log.write(json.dumps(record) + "\\n")
starts = sum(1 for _ in open({log!r}))
prefs.parent.mkdir(parents=True, exist_ok=True)
prefs.write_text({crashed!r})  # as after a power cut
if os.environ.get("FAKE_CHROMIUM_HOLD_FIRST") and starts == 1:
    time.sleep(30)
"""


@pytest.fixture
def chromium(tmp_path, kiosk_env):
    """A fake `chromium` first in PATH; returns a function giving the recorded starts."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "chromium-starts.jsonl"
    fake = bin_dir / "chromium"
    fake.write_text(FAKE_CHROMIUM.format(python=sys.executable, log=str(log), crashed=CRASHED_PREFERENCES))
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    kiosk_env["PATH"] = f"{bin_dir}{os.pathsep}{kiosk_env['PATH']}"
    kiosk_env.update(WAYLAND_DISPLAY="wayland-test", DROPIN_KIOSK_RESTART_DELAY="0")

    def starts() -> list[dict]:
        return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []

    return starts


@needs_http_client
def test_launcher_waits_for_the_server_and_restarts_chromium(kiosk_env, chromium, server):
    board = f"http://127.0.0.1:{server.server_port}/kiosk/satama"
    default = profile_dir(kiosk_env) / "Default"
    default.mkdir(parents=True)
    (default / "Preferences").write_text(CRASHED_PREFERENCES)
    (default / "History").write_text("yesterday's visitors")
    (default / "Cookies").write_text("the kiosk cookie")
    kiosk_env.update(DROPIN_BOARD_URL=board, DROPIN_KIOSK_MAX_STARTS="2")

    result = launcher(env=kiosk_env)

    assert result.returncode == 0, result.stderr
    starts = chromium()
    assert len(starts) == 2
    for start in starts:
        assert start["argv"][-1] == board
        assert set(KIOSK_FLAGS) <= set(start["argv"])
        # Each start finds the "exited uncleanly" marks of the last one cleared.
        assert '"exited_cleanly":true' in start["preferences"]
        assert '"exit_type":"Normal"' in start["preferences"]
    assert server.hits.count("/healthz") >= 2
    assert not (default / "History").exists()
    assert (default / "Cookies").read_text() == "the kiosk cookie"
    assert not list(profile_dir(kiosk_env).parent.glob("*.pid"))


@needs_http_client
def test_launcher_gives_up_when_the_server_never_answers(kiosk_env, chromium, server):
    server.healthy = False
    kiosk_env.update(
        DROPIN_BOARD_URL=f"http://127.0.0.1:{server.server_port}/kiosk/satama",
        DROPIN_KIOSK_WAIT_SECONDS="1",
        DROPIN_KIOSK_MAX_STARTS="1",
    )

    result = launcher(env=kiosk_env)

    assert result.returncode == 1
    assert "no answer from" in result.stderr
    assert chromium() == []


@needs_http_client
def test_enroll_opens_the_enrollment_url_once_then_the_board(kiosk_env, chromium, server):
    base = f"http://127.0.0.1:{server.server_port}"
    kiosk_env.update(DROPIN_BOARD_URL=f"{base}/kiosk/satama", DROPIN_KIOSK_MAX_STARTS="2")

    result = launcher("--enroll", "http://192.168.1.10:8080/kiosk/enroll/t0k3n", env=kiosk_env)

    assert result.returncode == 0, result.stderr
    assert [start["argv"][-1] for start in chromium()] == [f"{base}/kiosk/enroll/t0k3n", f"{base}/kiosk/satama"]
    assert not (profile_dir(kiosk_env).parent / "enroll-url").exists()


@needs_http_client
def test_enroll_hands_the_url_to_the_running_kiosk(kiosk_env, chromium, server):
    base = f"http://127.0.0.1:{server.server_port}"
    kiosk_env.update(DROPIN_BOARD_URL=f"{base}/kiosk/satama", DROPIN_KIOSK_MAX_STARTS="3", FAKE_CHROMIUM_HOLD_FIRST="1")
    running = subprocess.Popen(
        [str(LAUNCHER)],
        env=kiosk_env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 15
        while not chromium() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert chromium(), "the kiosk never started Chromium"

        handed = launcher("--enroll", f"{base}/kiosk/enroll/t0k3n", env=kiosk_env)
        assert handed.returncode == 0, handed.stderr
        assert "now" in handed.stderr
        _, errors = running.communicate(timeout=20)
    finally:
        running.kill()
        running.wait()

    assert running.returncode == 0, errors
    assert [start["argv"][-1] for start in chromium()] == [
        f"{base}/kiosk/satama",
        f"{base}/kiosk/enroll/t0k3n",
        f"{base}/kiosk/satama",
    ]


def test_enroll_without_a_screen_waits_for_the_next_start(kiosk_env):
    result = launcher("--enroll", "http://127.0.0.1:8080/kiosk/enroll/t0k3n", env=kiosk_env)
    assert result.returncode == 0, result.stderr
    assert "next start" in result.stderr
    pending = profile_dir(kiosk_env).parent / "enroll-url"
    assert pending.read_text() == "http://127.0.0.1:8080/kiosk/enroll/t0k3n\n"


# --- dropin-admin -----------------------------------------------------------------------

FAKE_DROPIN = """#!{python}
import json, os, sys
print(json.dumps({{"argv": sys.argv[1:], "cwd": os.getcwd(),
                  "env": {{k: os.environ.get(k) for k in ("DATABASE_URL", "DROPIN_INSTANCE", "PORT", "HOST")}}}}))
"""


def test_dropin_admin_runs_dropin_with_the_servers_settings(tmp_path):
    app = tmp_path / "opt-dropin"
    fake = app / ".venv" / "bin" / "dropin"
    fake.parent.mkdir(parents=True)
    fake.write_text(FAKE_DROPIN.format(python=sys.executable))
    fake.chmod(0o755)
    settings = tmp_path / "dropin.env"
    settings.write_text(
        "# dropin\n\nHOST=0.0.0.0\r\n"
        "DATABASE_URL='postgresql://dropin@/dropin?host=/run/postgresql&sslmode=disable'\n"
        'PORT="8081"\n'
    )
    env = {
        **os.environ,
        "DROPIN_APP_DIR": str(app),
        "DROPIN_ENV_FILE": str(settings),
        "DROPIN_SERVICE_USER": subprocess.run(["id", "-un"], capture_output=True, text=True).stdout.strip(),
        "HOST": "127.0.0.1",
    }

    result = subprocess.run(
        [str(ADMIN), "enroll-kiosk", "satama", "--name", "Olohuoneen näyttö"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert result.returncode == 0, result.stderr
    ran = json.loads(result.stdout)
    assert ran["argv"] == ["enroll-kiosk", "satama", "--name", "Olohuoneen näyttö"]
    assert ran["cwd"] == str(app)
    assert ran["env"] == {
        "DATABASE_URL": "postgresql://dropin@/dropin?host=/run/postgresql&sslmode=disable",
        "DROPIN_INSTANCE": "/var/lib/dropin",
        "PORT": "8081",
        "HOST": "0.0.0.0",
    }


def test_readme_names_the_files_it_installs():
    readme = (KIOSK / "README.md").read_text()
    # kiosk/... and /opt/dropin/kiosk/...; not URLs such as http://…/kiosk/satama.
    paths = re.findall(r"(?:/opt/dropin/|(?<![\w/.-]))(kiosk/[\w.@-]+(?:/[\w.@-]+)*)", readme)
    assert "kiosk/systemd/dropin-kiosk.service" in paths
    for path in {path.rstrip(".") for path in paths}:
        assert (ROOT / path).exists(), f"README mentions {path}, which is not in the repository"


def test_the_settings_example_listens_where_its_phone_links_point():
    """A LAN DROPIN_PUBLIC_URL with HOST=127.0.0.1 gives phones a link nobody answers."""
    settings = dict(
        line.split("=", 1)
        for line in (KIOSK / "dropin.env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    public_host = urlsplit(settings["DROPIN_PUBLIC_URL"]).hostname
    assert public_host not in ("127.0.0.1", "localhost")
    assert settings["HOST"] in ("0.0.0.0", public_host)
    assert urlsplit(settings["DROPIN_PUBLIC_URL"]).port == int(settings["PORT"])
