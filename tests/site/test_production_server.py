"""gunicorn serves the site on production settings; several servers share state."""

import os
import re
import secrets
import subprocess
import sys
import time

import pytest

from tests.servers import ROOT, Reader, free_port, get, serving


@pytest.fixture
def production_env(tmp_path):
    """Production settings on a throwaway SQLite database, migrated and loaded."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        # Fresh each run: rate-limit keys in a shared Redis never carry over.
        "DJANGO_SECRET_KEY": "production-test-" + secrets.token_hex(24),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"sqlite:///{tmp_path}/site.sqlite3",
    }
    if os.environ.get("REDIS_URL"):  # CI's second pass: the cache is Redis
        env["REDIS_URL"] = os.environ["REDIS_URL"]
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
                html = html.decode()
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


def test_rate_limits_hold_across_two_app_servers(production_env):
    """Two gunicorn servers, one database and cache: the third post is refused."""
    env = production_env | {"COMMENT_RATE_LIMITS": "2/m"}
    reader = Reader()
    with serving(env) as first, serving(env) as second:
        codes = [
            reader.post_comment(first.base, "leg-cramps-at-night", "Stretching helps me a lot."),
            reader.post_comment(second.base, "leg-cramps-at-night", "Magnesium did nothing."),
            reader.post_comment(first.base, "leg-cramps-at-night", "Warm baths help too."),
        ]
    assert codes == [200, 200, 429]  # 200: the redirect after a post, followed
