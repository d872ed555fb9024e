"""The `dropin` command: a Flask CLI group with the app's own commands."""

import os
import shutil
import socket
import sys
import time
from datetime import datetime
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask, current_app, url_for
from flask.cli import FlaskGroup, with_appcontext

from dropin.extensions import db
from dropin.models.user import Role

BACKUP_PREFIX = "dropin-"  # dated backups in a folder: dropin-YYYYMMDD-HHMMSS.tar.gz


def _create_app():
    from dropin import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main():
    """dropin: the task board of a drop-in space."""


def _host() -> str:
    return os.environ.get("HOST", "127.0.0.1")


def _port() -> int:
    return int(os.environ.get("PORT", "8080"))


def lan_address() -> str:
    """This machine's own IPv4 address for others on the LAN, from its name (no packet is sent);
    127.0.0.1 when the name resolves to nothing else."""
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return "127.0.0.1"
    found = [info[4][0] for info in infos if not info[4][0].startswith("127.")]
    return found[0] if found else "127.0.0.1"


def served_url(public_url: str | None, host: str, port: int) -> str:
    """Where others reach `dropin serve`: DROPIN_PUBLIC_URL, else its HOST and PORT, with a
    listen-everywhere host (0.0.0.0) turned into this machine's address."""
    if public_url:
        return public_url.rstrip("/")
    if host in ("0.0.0.0", "::", ""):
        host = lan_address()
    return f"http://{host}:{port}"


def runnable(argv0: str, cwd: str, search_path: str) -> str:
    """How to type the command that is running now: its name when PATH finds this very program,
    otherwise its path from the current directory (`.venv/bin/dropin` under `make run`)."""
    name = Path(argv0).name
    found = shutil.which(name, path=search_path)
    if found and Path(found).resolve() == Path(argv0).resolve():
        return name
    return os.path.relpath(argv0, cwd) if os.path.isabs(argv0) else argv0


@click.command("serve")
@click.option("--host", default=_host, show_default="HOST or 127.0.0.1")
@click.option("--port", default=_port, type=int, show_default="PORT or 8080")
@click.option("--threads", default=8, show_default=True)
@with_appcontext
def serve(host: str, port: int, threads: int):
    """Serve the app with waitress."""
    import waitress

    app = current_app._get_current_object()
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    _print_urls(app, f"http://{shown}:{port}")
    from dropin.security import waitress_proxy_options

    # ident="" drops the "Server: waitress" banner.
    waitress.serve(app, host=host, port=port, threads=threads, ident="", **waitress_proxy_options(app.config))


def _print_urls(app: Flask, base: str) -> None:
    from dropin.demo.today import DEMO_PASSWORD, DEMO_USERS
    from dropin.models import Site, User

    sites = db.session.scalars(sa.select(Site).order_by(Site.slug)).all()
    click.echo(f"dropin serving on {base}/")
    with app.test_request_context(base_url=base):
        for site in sites:
            click.echo(f"  kiosk board ({site.name}): {url_for('kiosk.board', site=site.slug, _external=True)}")
        click.echo(f"  phone pages: {base}/c/<token> (from the QR code on a receipt)")
        click.echo(f"  staff login: {base}/login")
    demo = db.session.scalars(sa.select(User.email).where(User.email.in_([e for e, _ in DEMO_USERS]))).all()
    if demo:
        click.echo(f"  demo logins: {', '.join(demo)} / password {DEMO_PASSWORD}")
    example = sites[0].slug if sites else "SITE"
    command = runnable(sys.argv[0], os.getcwd(), os.environ.get("PATH", ""))
    click.echo(
        f"  let a touchscreen take places: {command} enroll-kiosk {example}, then open the printed link on it once"
    )


@click.command("seed-demo")
@click.option(
    "--if-demo",
    is_flag=True,
    help="Only on an empty database or one that already holds the demo site (for `make run`).",
)
@with_appcontext
def seed_demo_command(if_demo: bool):
    """Load the demo site, partners, users and today's tasks (idempotent)."""
    from dropin.demo.today import DEMO_SITE, seed_demo
    from dropin.models import Site

    if if_demo:
        slugs = set(db.session.scalars(sa.select(Site.slug)))
        if slugs and DEMO_SITE not in slugs:
            click.echo("A real site is set up here: demo data not loaded.")
            return
    added = seed_demo()
    db.session.commit()
    click.echo(f"Demo data ready: {added} task(s) added for today.")


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([role.value for role in Role]), required=True)
@click.option("--site", "sites", multiple=True, help="Site slug a staff member works at (repeatable).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_user_command(email: str, role: str, sites: tuple[str, ...], password_stdin: bool):
    """Create a user account (or reset its password and role)."""
    from dropin.auth.accounts import AccountError, save_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user, created = save_user(email, role, password, sites)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"{'Created' if created else 'Updated'} {user.role} {user.email}.")


@click.command("enroll-kiosk")
@click.argument("site")
@click.option("--name", default="Kosketusnäyttö", show_default=True)
@click.option(
    "--base-url",
    default=None,
    help="The address the kiosk opens. Default: DROPIN_PUBLIC_URL, or the HOST and PORT that `dropin serve` uses.",
)
@with_appcontext
def enroll_kiosk_command(site: str, name: str, base_url: str | None):
    """Enroll a kiosk at SITE: prints a one-time enrollment URL and an API token."""
    from dropin.kiosks import enroll_kiosk, enrollment_valid_until
    from dropin.sites import find_site

    found = find_site(site)
    if found is None:
        raise click.ClickException(f"No site with slug {site!r}.")
    enrollment = enroll_kiosk(found, name)
    db.session.commit()
    base_url = base_url or served_url(current_app.config["PUBLIC_URL"], _host(), _port())
    with current_app.test_request_context(base_url=base_url):
        url = url_for("kiosk.enroll", token=enrollment.enroll_token, _external=True)
    click.echo(f"Kiosk {name!r} enrolled at {found.name}.")
    click.echo(f"Open once in the kiosk's browser: {url}")
    until = enrollment_valid_until(enrollment.kiosk).astimezone(found.zone)
    click.echo(f"The link works until {until:%Y-%m-%d %H:%M} ({found.timezone}).")
    click.echo(f"API token (Authorization: Bearer ...): {enrollment.api_token}")


@click.command("backup")
@click.argument("target", type=click.Path(path_type=Path))
@click.option("--keep", type=click.IntRange(min=1), help="With a folder: keep only the newest N dropin backups there.")
@with_appcontext
def backup_command(target: Path, keep: int | None):
    """Back up the database and the secret key into TARGET (a new file, or a folder to put a dated file in)."""
    from dropin import backup

    folder = target if target.is_dir() else None
    if folder is not None:
        target = folder / datetime.now().strftime(f"{BACKUP_PREFIX}%Y%m%d-%H%M%S.tar.gz")
    started = time.monotonic()
    try:
        manifest = backup.create_backup(db.engine, current_app.config["SECRET_KEY"], target)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    except sa.exc.OperationalError as error:
        raise click.ClickException(f"Cannot use the database: {error.orig}") from error
    size = target.stat().st_size
    click.echo(
        f"Backed up the {manifest.database} database (revision {manifest.revision}) and the secret key to {target}: "
        f"{size / 1e6:.1f} MB in {time.monotonic() - started:.1f} s."
    )
    if folder is not None and keep:
        for old in sorted(folder.glob(f"{BACKUP_PREFIX}*.tar.gz"))[:-keep]:
            old.unlink()
            click.echo(f"Removed the old backup {old}.")


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
@with_appcontext
def restore_command(source: Path, force: bool):
    """Restore a backup made by `dropin backup` into this (empty) instance, secret key included."""
    from alembic.script import ScriptDirectory

    from dropin import backup, config

    scripts = ScriptDirectory(str(config.ROOT / "migrations"))
    try:
        revision = backup.read_manifest(source).revision
        if revision and revision not in {script.revision for script in scripts.walk_revisions()}:
            raise backup.BackupError(
                f"The backup's schema ({revision}) is newer than this dropin: update dropin first."
            )
        manifest = backup.restore_backup(db.engine, Path(current_app.instance_path), source, force=force)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    except sa.exc.OperationalError as error:
        raise click.ClickException(f"Cannot use the database: {error.orig}") from error
    click.echo(f"Restored the {manifest.database} database of {manifest.created_at} and the secret key.")
    if os.environ.get("SECRET_KEY"):
        click.echo(
            "SECRET_KEY is set in the environment and wins over the restored key: "
            "kiosks stay enrolled only if the two match."
        )
    if manifest.revision != scripts.get_current_head():
        click.echo("The backup is of an older schema: run `dropin db upgrade` before serving.")


def init_app(app: Flask) -> None:
    from dropin.demo.history import seed_history_command
    from dropin.stats.commands import rollup_stats_command

    commands = (serve, seed_demo_command, create_user_command, enroll_kiosk_command, seed_history_command)
    for command in (*commands, backup_command, restore_command, rollup_stats_command):
        app.cli.add_command(command)


if __name__ == "__main__":
    main()
