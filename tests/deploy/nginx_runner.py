"""nginx for tests, on the templates in deploy/nginx/: rendered, checked, run as a child.

Shared by test_deploy_files.py (nginx -t on the HTTPS front door) and
test_nginx_cluster.py (nginx in front of two app servers).
"""

import contextlib
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.site.app_servers import ROOT, get

RENDER = ROOT / "deploy" / "nginx" / "render"
# .ci/run sets it on PostgreSQL and Redis: a missing tool fails the tests instead of skipping them.
REQUIRED = os.environ.get("REQUIRE_NGINX", "").lower() in {"1", "true", "yes"}


def tool(name: str) -> str | None:
    """A program's path; nginx lives in /usr/sbin, which a user's PATH may lack."""
    return shutil.which(name, path=f"{os.environ.get('PATH', '')}:/usr/sbin:/sbin")


def skip_or_fail(reason: str):
    if REQUIRED:
        pytest.fail(f"REQUIRE_NGINX is set, but this test {reason}")
    pytest.skip(reason)


def needs(name: str) -> str:
    path = tool(name)
    if path is None:
        skip_or_fail(f"needs {name}")
    return path


def render(conf_dir: Path, front_door: str, **variables) -> subprocess.CompletedProcess:
    """deploy/nginx/render, as docs/deploy.md runs it."""
    environment = {"PATH": os.environ["PATH"], "NGINX_CONF_DIR": str(conf_dir)}
    environment |= {"FRONT_DOOR": front_door} | variables
    return subprocess.run([RENDER], env=environment, capture_output=True, text=True)


def main_conf(prefix: Path, site_conf: Path) -> Path:
    """What Debian's /etc/nginx/nginx.conf is in production: paths of our own, no root needed.

    The access log names the app server (upstream) each request went to.
    """
    temp = prefix / "temp"
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (temp / name).mkdir(parents=True, exist_ok=True)
    # As root (CI), nginx would drop its workers to "nobody", who cannot read the temp dirs.
    user = "user root;" if os.geteuid() == 0 else ""
    main = prefix / "nginx.conf"
    main.write_text(f"""
        daemon off;
        {user}
        worker_processes 1;
        pid {prefix}/nginx.pid;
        error_log {prefix}/error.log warn;
        events {{ worker_connections 1024; }}
        http {{
            include /etc/nginx/mime.types;
            default_type application/octet-stream;
            client_body_temp_path {temp}/body;
            proxy_temp_path {temp}/proxy;
            fastcgi_temp_path {temp}/fastcgi;
            uwsgi_temp_path {temp}/uwsgi;
            scgi_temp_path {temp}/scgi;
            log_format upstreams '$remote_addr $request_method $status $request_uri $upstream_addr';
            access_log {prefix}/access.log upstreams;
            include {site_conf};
        }}
    """)
    return main


def nginx(prefix: Path, main: Path, *options: str) -> list[str]:
    """The nginx command line for this prefix: no file outside it is touched."""
    return [
        needs("nginx"),
        "-p",
        str(prefix),
        "-c",
        str(main),
        "-e",
        str(prefix / "error.log"),
        *options,
    ]


@contextlib.contextmanager
def running(prefix: Path, main: Path, probe: str):
    """nginx as a child process until the block ends; probe: a URL to wait for."""
    process = subprocess.Popen(
        nginx(prefix, main), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    try:
        wait_for(probe, process, prefix / "error.log")
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # a worker that outlived its master


def wait_for(url: str, process: subprocess.Popen, error_log: Path):
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and process.poll() is None:
        try:
            get(url)
            return
        except OSError:
            time.sleep(0.1)
    log = error_log.read_text() if error_log.exists() else ""
    pytest.fail(f"nginx did not start (exit code {process.poll()}):\n{log[-3000:]}")
