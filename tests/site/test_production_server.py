"""gunicorn serves the site on production settings, static files included."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, dict(response.headers), response.read().decode()


@pytest.fixture
def production_env(tmp_path):
    """Production settings on a throwaway SQLite database, migrated and loaded."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "DJANGO_SECRET_KEY": "production-test-" + "k" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"sqlite:///{tmp_path}/site.sqlite3",
    }
    for command in (["migrate", "-v0"], ["createcachetable"], ["collectstatic", "--noinput", "-v0"],
                    ["load_site_content"]):  # fmt: skip
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
    return env


def test_gunicorn_serves_pages_and_hashed_compressed_static_files(production_env):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "cramps_site.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "2"],
        cwd=ROOT, env=production_env, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                status, headers, html = get(base + "/")
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail(server.stderr.read().decode() if server.poll() is not None else "no start")
        assert status == 200
        assert "Couldn't find what you're looking for?" in html
        css = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html)
        assert css, "static files are not served under hashed names"
        status, headers, _ = get(base + css.group(1))
        assert status == 200 and "max-age=315360000" in headers["Cache-Control"]
        assert get(base + "/articles/leg-cramps-at-night/")[0] == 200
    finally:
        server.terminate()
        server.wait(timeout=10)
