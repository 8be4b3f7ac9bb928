"""The files in deploy/ are valid for the tools that read them, and documented."""

import os
import re
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from gunicorn.config import Config

from tests.deploy.nginx_runner import main_conf, needs, nginx, render
from tests.site.app_servers import GUNICORN_CONFIG, ROOT

DEPLOY = ROOT / "deploy"
UNITS = [
    DEPLOY / "systemd" / name
    for name in ("cramps@.service", "cramps-worker.service", "cramps-backup.service")
]
TIMER = DEPLOY / "systemd" / "cramps-backup.timer"
SANDBOX = {
    "User": "cramps",
    "NoNewPrivileges": "yes",
    "ProtectSystem": "strict",
    "ReadWritePaths": "/srv/cramps/var",
    "PrivateTmp": "yes",
    "ProtectHome": "yes",
    "EnvironmentFile": "/etc/cramps/cramps.env",
}


def unit_settings(path: Path) -> dict[str, list[str]]:
    settings: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            settings.setdefault(key, []).append(value)
    return settings


def gunicorn_settings(**environ) -> dict:
    """deploy/gunicorn.conf.py's names and values, read as gunicorn reads the file."""
    saved = dict(os.environ)
    for name in ("GUNICORN_WORKERS", "GUNICORN_BIND"):  # only what the test gives
        os.environ.pop(name, None)
    os.environ.update(environ)
    try:
        names = runpy.run_path(str(GUNICORN_CONFIG))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return {k: v for k, v in names.items() if not k.startswith("_") and k not in {"os", "cpus"}}


def test_every_name_in_the_gunicorn_config_is_a_gunicorn_setting():
    """gunicorn ignores a misspelt setting silently."""
    known = Config().settings

    assert set(gunicorn_settings()) - set(known) == set()


def test_gunicorn_workers_follow_the_cpu_count_unless_set():
    cpus = getattr(os, "process_cpu_count", os.cpu_count)()

    assert gunicorn_settings()["workers"] == 2 * cpus + 1
    assert gunicorn_settings(GUNICORN_WORKERS="3")["workers"] == 3


def test_gunicorn_restarts_gracefully_and_logs_to_the_journal():
    config = gunicorn_settings()

    assert config["timeout"] and config["graceful_timeout"]
    assert config["max_requests"] and 0 < config["max_requests_jitter"] < config["max_requests"]
    assert (config["accesslog"], config["errorlog"]) == ("-", "-")
    assert config["preload_app"] is False  # a reload (SIGHUP) loads the new code


def test_gunicorn_accepts_the_config(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DJANGO_SECRET_KEY": "check-config",
        "SITE_URL": "https://example.org",
        "MODERATION_CONTACT_EMAIL": "moderators@example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
    }
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONFIG), "--check-config",
         "cramps_site.wsgi"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("unit", UNITS, ids=lambda path: path.name)
def test_units_run_in_a_hardened_sandbox_as_their_own_user(unit):
    settings = unit_settings(unit)

    for key, value in SANDBOX.items():
        assert value in settings.get(key, []), f"{unit.name}: {key}={value}"
    assert settings["CapabilityBoundingSet"] == [""]


def test_the_app_server_unit_runs_gunicorn_with_the_deploy_config():
    exec_start = unit_settings(UNITS[0])["ExecStart"][0]

    assert "gunicorn --config /srv/cramps/deploy/gunicorn.conf.py" in exec_start
    assert exec_start.endswith("cramps_site.wsgi")
    assert unit_settings(UNITS[0])["ExecReload"] == ["/bin/kill -HUP $MAINPID"]


def test_the_worker_unit_runs_the_database_task_worker():
    assert unit_settings(UNITS[1])["ExecStart"] == [
        "/srv/cramps/.venv/bin/python manage.py db_worker --interval 1"
    ]


def test_the_backup_unit_copies_the_database_with_manage_py_backup():
    assert (
        'manage.py backup "/srv/cramps/var/backups/db-' in unit_settings(UNITS[2])["ExecStart"][0]
    )


def test_systemd_accepts_the_units(tmp_path):
    """systemd-analyze verify, with /srv/cramps pointing at this checkout."""
    if shutil.which("systemd-analyze") is None:
        pytest.skip("needs systemd-analyze")
    venv = Path(sys.executable).parent.parent
    user = subprocess.run(["id", "-un"], capture_output=True, text=True).stdout.strip()
    group = subprocess.run(["id", "-gn"], capture_output=True, text=True).stdout.strip()
    paths = [str(tmp_path / TIMER.name)]
    (tmp_path / TIMER.name).write_text(TIMER.read_text())
    for unit in UNITS:
        text = unit.read_text().replace("/srv/cramps/.venv", str(venv))
        text = text.replace("/srv/cramps", str(ROOT))
        text = text.replace("User=cramps", f"User={user}").replace("Group=cramps", f"Group={group}")
        name = unit.name.replace("@.", "@8001.")
        (tmp_path / unit.name).write_text(text)
        if name != unit.name:
            (tmp_path / name).symlink_to(tmp_path / unit.name)
        paths.append(str(tmp_path / name))

    result = subprocess.run(
        ["systemd-analyze", "verify", *paths], capture_output=True, text=True, cwd=tmp_path
    )

    assert result.returncode == 0, result.stderr
    assert "Unknown" not in result.stderr, result.stderr


APP_SERVERS = {
    "SERVER_NAME": "example.org",
    "APP_SERVER_1": "10.0.0.11:8000",
    "APP_SERVER_2": "10.0.0.12:8000",
    "STATIC_ROOT": "/srv/cramps/static",
}


def test_render_refuses_to_leave_a_variable_empty(tmp_path):
    needs("envsubst")
    result = render(tmp_path / "conf", "https", **APP_SERVERS)

    assert result.returncode == 2
    assert "TLS_CERTIFICATE is not set" in result.stderr


def test_the_https_front_door_passes_nginx_t(tmp_path):
    """What production runs: TLS on 443, port 80 redirected; checked, not started."""
    needs("envsubst")
    openssl = needs("openssl")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=example.org", "-keyout", key, "-out", cert],
        check=True, capture_output=True,
    )  # fmt: skip
    certificates = {"TLS_CERTIFICATE": str(cert), "TLS_CERTIFICATE_KEY": str(key)}
    assert render(tmp_path / "conf", "https", **APP_SERVERS, **certificates).returncode == 0
    main = main_conf(tmp_path, tmp_path / "conf" / "cramps.conf")

    result = subprocess.run(nginx(tmp_path, main, "-t"), capture_output=True, text=True)

    assert result.returncode == 0, result.stderr
    rendered = (tmp_path / "conf" / "https.conf").read_text()
    assert "return 301 https://$host$request_uri;" in rendered
    assert "listen 443 ssl" in rendered


def test_every_template_variable_is_documented():
    """docs/deploy.md explains each ${VARIABLE} the nginx templates take."""
    guide = (ROOT / "docs" / "deploy.md").read_text()
    templates = " ".join(path.read_text() for path in (DEPLOY / "nginx").glob("*.template"))
    variables = set(re.findall(r"\$\{([A-Z_0-9]+)\}", templates))

    assert variables and {name for name in variables if f"`{name}`" not in guide} == set()


def test_every_variable_in_the_example_environment_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    example = (DEPLOY / "systemd" / "cramps.env.example").read_text()
    names = set(re.findall(r"^#?([A-Z_]+)=", example, re.MULTILINE))

    assert names and {name for name in names if f"`{name}`" not in readme} == set()
