"""A production-like site for the tests that start real servers (see app_servers.py)."""

import pytest
from app_servers import prepare_site, site_env


@pytest.fixture
def site_database_url(tmp_path):
    """The served site's database: a throwaway SQLite file."""
    return f"sqlite:///{tmp_path}/site.sqlite3"


@pytest.fixture
def production_env(tmp_path, site_database_url):
    """Production settings on a throwaway database, migrated and loaded."""
    env = site_env(tmp_path, site_database_url)
    prepare_site(env)
    return env
