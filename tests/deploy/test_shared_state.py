"""With REDIS_URL set, everything app servers share lives in Redis, nothing in one process."""

import json
import subprocess
import sys

import pytest

from tests.site.app_servers import ROOT

REDIS_URL = "redis://127.0.0.1:6379/9"
# Deliberately per process (README, "Comments and moderation"): cheap to redraw,
# and made-up tokens must not fill the shared cache.
PER_PROCESS = {"avatars"}
READ = """
import json
from django.conf import settings
print(json.dumps({
    "caches": settings.CACHES,
    "session_engine": settings.SESSION_ENGINE,
    "session_cache": getattr(settings, "SESSION_CACHE_ALIAS", "default"),
    "message_storage": settings.MESSAGE_STORAGE,
    "apps": settings.INSTALLED_APPS,
    "axes_handler": getattr(settings, "AXES_HANDLER", "axes.handlers.database.AxesDatabaseHandler"),
    "axes_cache": getattr(settings, "AXES_CACHE", "default"),
}, default=str))
"""


def production_settings(**environ) -> dict:
    """cramps_site.settings as a production server with this environment reads them."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": "/tmp",
        "DJANGO_SETTINGS_MODULE": "cramps_site.settings",
        "DJANGO_SECRET_KEY": "shared-state-test",
        "SITE_URL": "https://example.org",
        "MODERATION_CONTACT_EMAIL": "moderators@example.org",
        **environ,
    }
    code = f"import django; django.setup(); {READ}"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def redis_settings():
    """The settings of an app server started with REDIS_URL."""
    return production_settings(REDIS_URL=REDIS_URL)


def is_redis(cache: dict) -> bool:
    return cache["BACKEND"].endswith("RedisCache") and cache["LOCATION"] == REDIS_URL


def test_every_shared_cache_is_redis(redis_settings):
    """Pages, fragments and rate limits all go through these caches."""
    shared = {alias: c for alias, c in redis_settings["caches"].items() if alias not in PER_PROCESS}

    assert shared and all(is_redis(cache) for cache in shared.values()), shared


def test_only_the_avatar_cache_is_per_process(redis_settings):
    local = {
        alias
        for alias, cache in redis_settings["caches"].items()
        if cache["BACKEND"].endswith("LocMemCache")
    }

    assert local <= PER_PROCESS


def test_sessions_and_messages_live_in_the_browser_or_in_redis(redis_settings):
    engine = redis_settings["session_engine"]
    caches = redis_settings["caches"]
    if engine.endswith(".cache") or engine.endswith(".cached_db"):
        assert is_redis(caches[redis_settings["session_cache"]])
    else:
        assert engine == "django.contrib.sessions.backends.signed_cookies"
    assert redis_settings["message_storage"].endswith(("CookieStorage", "SessionStorage"))


def test_login_throttling_counts_in_redis_or_the_database(redis_settings):
    """django-axes, when installed: its counts must be seen by every app server."""
    if "axes" not in redis_settings["apps"]:
        return
    handler = redis_settings["axes_handler"]
    if "cache" in handler.lower():
        assert is_redis(redis_settings["caches"][redis_settings["axes_cache"]])
    else:
        assert handler.endswith("AxesDatabaseHandler")


def test_sites_sharing_one_redis_keep_their_keys_apart():
    first = production_settings(REDIS_URL=REDIS_URL)
    second = production_settings(REDIS_URL=REDIS_URL, DJANGO_CACHE_KEY_PREFIX="staging")

    assert first["caches"]["default"]["KEY_PREFIX"] == "cramps"
    assert second["caches"]["default"]["KEY_PREFIX"] == "staging"
