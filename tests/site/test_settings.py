"""Settings come from the environment, with loud failures in production."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from cramps_site import env

ROOT = Path(__file__).resolve().parents[2]


def test_sqlite_url_gets_wal_busy_timeout_and_immediate_transactions(tmp_path):
    config = env.database("sqlite:///var/test.sqlite3", tmp_path)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "var" / "test.sqlite3")
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert "busy_timeout" in config["OPTIONS"]["init_command"]
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_absolute_sqlite_url_is_kept(tmp_path):
    config = env.database(f"sqlite:///{tmp_path}/x.db", Path("/elsewhere"))
    assert config["NAME"] == f"{tmp_path}/x.db"


def test_postgres_url_is_parsed_with_persistent_health_checked_connections(tmp_path):
    config = env.database("postgres://user:pw@db.internal:5433/site", tmp_path)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("site", "user", "pw")
    assert (config["HOST"], config["PORT"]) == ("db.internal", 5433)
    assert config["CONN_HEALTH_CHECKS"] is True
    assert "OPTIONS" not in config or "init_command" not in config["OPTIONS"]


def test_unsupported_database_url_is_refused(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env.database("mysql://root@localhost/site", tmp_path)


def test_missing_secret_key_is_refused_when_debug_is_off(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY"):
        env.secret_key({}, debug=False, var_dir=tmp_path)


def test_debug_without_key_uses_a_stable_random_key_kept_out_of_the_code(tmp_path):
    first = env.secret_key({}, debug=True, var_dir=tmp_path)
    assert len(first) > 40
    assert env.secret_key({}, debug=True, var_dir=tmp_path) == first
    assert env.secret_key({"DJANGO_SECRET_KEY": "given"}, debug=False, var_dir=tmp_path) == "given"


def test_cache_is_redis_when_configured_and_shared_database_cache_otherwise():
    assert env.cache("redis://127.0.0.1:6379/1")["BACKEND"].endswith("RedisCache")
    assert env.cache(None)["BACKEND"].endswith("DatabaseCache")


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("on", True), ("0", False), ("", False)]
)
def test_boolean_variables(raw, expected):
    assert env.env_bool({"X": raw}, "X", not expected) is expected


def test_nonsense_boolean_is_refused():
    with pytest.raises(ImproperlyConfigured):
        env.env_bool({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG", False)


def test_allowed_hosts_list():
    assert env.env_list({"H": "a.org, b.org,"}, "H", []) == ["a.org", "b.org"]


def _manage(*args, **environ):
    clean = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", **environ}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_site_refuses_to_start_without_secret_key_in_one_line():
    result = _manage("check", DJANGO_DEBUG="0")
    assert result.returncode != 0
    message = result.stderr.strip()
    assert message.count("\n") == 0
    assert "DJANGO_SECRET_KEY" in message


def test_production_settings_turn_on_https_hardening():
    code = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0)"
    )
    production = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "k" * 50,
        "SITE_URL": "https://a.org",
        "MODERATION_CONTACT_EMAIL": "moderators@a.org",
    }
    result = _manage("shell", "-c", code, **production)
    assert result.stdout.split()[-4:] == ["False", "True", "True", "True"], result.stderr
    result = _manage("shell", "-c", code, **production, DJANGO_HTTPS="0")
    assert result.stdout.split()[-4:] == ["False", "False", "False", "False"], result.stderr


def test_email_goes_to_the_console_unless_smtp_is_configured():
    assert env.mailer({})["BACKEND"].endswith("console.EmailBackend")
    smtp = env.mailer({"EMAIL_HOST": "smtp.example.org", "EMAIL_HOST_USER": "u"})
    assert smtp["BACKEND"].endswith("smtp.EmailBackend")
    assert smtp["OPTIONS"]["host"] == "smtp.example.org" and smtp["OPTIONS"]["use_tls"]


def test_production_needs_a_site_url_for_canonical_links():
    with pytest.raises(ImproperlyConfigured, match="SITE_URL"):
        env.site_url({}, debug=False)
    with pytest.raises(ImproperlyConfigured, match="http"):
        env.site_url({"SITE_URL": "example.org"}, debug=False)
    assert env.site_url({"SITE_URL": "https://example.org/"}, debug=False) == "https://example.org"
    assert env.site_url({}, debug=True) == "http://127.0.0.1:8000"


def test_gunicorn_without_a_secret_key_explains_in_one_line():
    result = subprocess.run(
        [sys.executable, "-c", "import cramps_site.wsgi"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "HOME": "/tmp", "DJANGO_DEBUG": "0"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "given",
    [
        {},
        {"DEFAULT_FROM_EMAIL": "Leg Health Guide <noreply@localhost>"},
        {"DEFAULT_FROM_EMAIL": "no-reply@example.org"},
        {"DEFAULT_FROM_EMAIL": "site@myhost.local"},
    ],
)
def test_production_needs_an_address_readers_can_write_to(given):
    with pytest.raises(ImproperlyConfigured, match="MODERATION_CONTACT_EMAIL"):
        env.moderation_contact(given, debug=False)


def test_a_no_reply_moderation_contact_is_refused_even_when_set_on_purpose():
    with pytest.raises(ImproperlyConfigured, match="noreply@example.org"):
        env.moderation_contact({"MODERATION_CONTACT_EMAIL": "noreply@example.org"}, debug=True)


def test_moderation_contact_comes_from_its_variable_or_a_real_sender_address():
    assert (
        env.moderation_contact(
            {"MODERATION_CONTACT_EMAIL": "mods@example.org", "DEFAULT_FROM_EMAIL": "a@b.org"},
            debug=False,
        )
        == "mods@example.org"
    )
    sender = {"DEFAULT_FROM_EMAIL": "Leg Health <hello@example.org>"}
    assert env.moderation_contact(sender, debug=False) == "hello@example.org"
    assert env.moderation_contact({}, debug=True) == ""


def test_site_refuses_to_start_without_a_moderation_contact_in_one_line():
    production = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "k" * 50, "SITE_URL": "https://a.org"}
    result = _manage("check", **production)
    assert result.returncode != 0
    message = result.stderr.strip()
    assert message.count("\n") == 0
    assert "MODERATION_CONTACT_EMAIL" in message


def test_whole_numbers_come_from_the_environment_or_fail_loudly():
    assert env.env_int({"PAGE_CACHE_SECONDS": "120"}, "PAGE_CACHE_SECONDS", 60) == 120
    assert env.env_int({}, "PAGE_CACHE_SECONDS", 60) == 60
    with pytest.raises(ImproperlyConfigured, match="PAGE_CACHE_SECONDS"):
        env.env_int({"PAGE_CACHE_SECONDS": "a minute"}, "PAGE_CACHE_SECONDS", 60)


def test_sqlite_connections_stay_open_between_requests(tmp_path):
    """A cached page costs one query; reopening the file and its PRAGMAs would cost more."""
    assert env.database("sqlite:///x.db", tmp_path)["CONN_MAX_AGE"] == 60
