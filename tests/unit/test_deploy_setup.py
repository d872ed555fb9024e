"""The region set-up in deploy/: the app processes' systemd template unit verifies, and the files
agree with each other. nginx and the processes run for real in tests/integration/test_deploy.py."""

import re

from tests.helpers import ROOT
from tests.integration.region import region_env
from tests.unit.test_kiosk_setup import install_stand_ins, needs_systemd_analyze, unit_settings, verify_complaints

DEPLOY = ROOT / "deploy"
TEMPLATE = DEPLOY / "systemd" / "dropin@.service"
NGINX = DEPLOY / "nginx" / "dropin.conf"


def instance(tmp_path, text: str, name: str = "dropin@8001.service"):
    """The template as systemd loads an instance of it, with stand-ins for the installed programs."""
    source = tmp_path / "source" / name
    source.parent.mkdir()
    source.write_text(text)
    return install_stand_ins(source, tmp_path)


def env_example() -> dict[str, str]:
    lines = (DEPLOY / "dropin.env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


@needs_systemd_analyze
def test_an_instance_of_the_template_passes_systemd_analyze_verify(tmp_path):
    assert verify_complaints(instance(tmp_path, TEMPLATE.read_text())) == []


@needs_systemd_analyze
def test_verify_check_catches_a_broken_template(tmp_path):
    broken = TEMPLATE.read_text().replace("Restart=on-failure", "Restartt=on-failure")
    assert any("Restartt" in line for line in verify_complaints(instance(tmp_path, broken)))


def test_each_instance_serves_on_loopback_at_its_own_port_without_migrating():
    unit = unit_settings(TEMPLATE)
    assert unit["Service.ExecStart"] == ["/opt/dropin/.venv/bin/dropin serve --host 127.0.0.1 --port %i"]
    assert "Service.ExecStartPre" not in unit  # `dropin db upgrade` runs once, not once per process
    assert unit["Service.User"] == ["dropin"]
    assert unit["Service.EnvironmentFile"] == ["/etc/dropin/dropin.env"]
    assert unit["Service.ProtectSystem"] == ["strict"]
    assert unit["Service.UMask"] == ["0077"]


def test_nginx_sends_to_the_instances_the_readme_starts():
    upstream = re.search(r"upstream dropin \{(.*?)\}", NGINX.read_text(), re.S).group(1)
    ports = re.findall(r"server 127\.0\.0\.1:(\d+);", upstream)
    readme = (DEPLOY / "README.md").read_text()
    started = re.search(r"systemctl enable --now ((?:dropin@\d+ ?)+)", readme).group(1).split()
    assert started == [f"dropin@{port}" for port in ports]
    assert len(ports) >= 2


def test_nginx_logs_neither_addresses_nor_paths():
    # Paths carry the secret phone, partner and enrollment links; addresses are the visitors'.
    formats = re.findall(r"log_format\s+\w+\s+(.*?);", NGINX.read_text(), re.S)
    assert formats
    named = re.compile(r"\$(?:remote_addr|binary_remote_addr|http_x_forwarded_for|request|request_uri|uri|args)\b")
    assert not [text for text in formats if named.search(text)]
    access_logs = re.findall(r"access_log\s+(\S+)(?:\s+(\w+))?;", NGINX.read_text())
    assert access_logs
    assert all(name == "dropin" for _, name in access_logs)


def test_the_env_example_sets_what_the_tested_region_sets():
    example = env_example()
    tested = region_env("postgresql://test", "redis://test", ROOT, {})
    for name in ("RATELIMIT_STORAGE_URI", "DROPIN_TRUSTED_PROXY", "DROPIN_PUBLIC_URL", "DROPIN_SECURE_COOKIES"):
        assert name in example, name
        assert example[name].split(":")[0] == tested[name].split(":")[0], name
    assert example["DATABASE_URL"].startswith("postgresql://")
    assert example["DROPIN_TRUSTED_PROXY"] == tested["DROPIN_TRUSTED_PROXY"] == "127.0.0.1"
    assert set(example["DROPIN_ALLOWED_HOSTS"].split()) == set(tested["DROPIN_ALLOWED_HOSTS"].split())
    assert "HOST" not in example
    assert "PORT" not in example
