"""A production-like site for the tests that start real servers (see app_servers.py)."""

import os
import secrets

import pytest
from app_servers import manage


@pytest.fixture
def site_database_url(tmp_path):
    """The served site's database: a throwaway SQLite file."""
    return f"sqlite:///{tmp_path}/site.sqlite3"


@pytest.fixture
def production_env(tmp_path, site_database_url):
    """Production settings on a throwaway database, migrated and loaded."""
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
        "DATABASE_URL": site_database_url,
    }
    if os.environ.get("REDIS_URL"):  # CI's second pass: the cache is Redis
        env["REDIS_URL"] = os.environ["REDIS_URL"]
    for command in (["migrate", "-v0"], ["createcachetable"], ["collectstatic", "--noinput", "-v0"],
                    ["load_site_content"]):  # fmt: skip
        manage(env, *command)
    return env
