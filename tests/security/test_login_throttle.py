"""Admin logins: 5 failures lock the account and the client network for 15 minutes.

Design: the account's lock holds from every network (guessing one password
from many places gains nothing) and the network's lock holds for every
account (trying many accounts from one place gains nothing). Another account
from another network is never locked by either.
"""

import datetime
import subprocess
import sys
import zoneinfo
from pathlib import Path

import pytest
from axes.exceptions import AxesBackendRequestParameterRequired
from axes.handlers.proxy import AxesProxyHandler
from clocks import TABLE, create_cache_table
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from cramps_site import env
from tests.subprocess_env import subprocess_env

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"
HOME = "203.0.113.5"
HOME_NEIGHBOUR = "203.0.113.99"  # the same /24
ELSEWHERE = "198.51.100.7"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_earlier_failures():
    """Failure counts from other tests (or runs, on Redis) never carry over."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def an_editor(db):
    """A staff account whose password the test knows."""
    return get_user_model().objects.create_user("editor", password=PASSWORD, is_staff=True)


@pytest.fixture
def another_editor(db):
    """A second staff account, for locks that must not spread."""
    return get_user_model().objects.create_user("other", password=PASSWORD, is_staff=True)


@pytest.fixture
def a_clocked_login_cache(settings, a_clock):
    """Axes counting in a database cache whose clock the test moves."""
    create_cache_table()
    settings.CACHES = {
        **settings.CACHES,
        "login-test": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": TABLE},
    }
    settings.AXES_CACHE = "login-test"
    AxesProxyHandler.get_implementation(force=True)
    yield a_clock
    settings.AXES_CACHE = "default"
    AxesProxyHandler.get_implementation(force=True)


def log_in(ip: str, username: str, password: str):
    client = Client(REMOTE_ADDR=ip)
    response = client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
    )
    return response, client


def fail(times: int, ip: str = HOME, username: str = "editor") -> list[int]:
    return [log_in(ip, username, "wrong password")[0].status_code for _ in range(times)]


def test_the_fifth_failure_locks_and_the_sixth_is_refused_with_the_right_password(an_editor):
    assert fail(5) == [200, 200, 200, 200, 429]

    response, client = log_in(HOME, "editor", PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302  # to the login page


def test_before_the_limit_the_right_password_still_works(an_editor):
    assert fail(4) == [200] * 4
    assert log_in(HOME, "editor", PASSWORD)[0].status_code == 302


def test_a_successful_login_clears_the_count(an_editor):
    fail(4)
    log_in(HOME, "editor", PASSWORD)
    assert fail(4) == [200] * 4
    assert log_in(HOME, "editor", PASSWORD)[0].status_code == 302


def test_the_lockout_page_says_when_to_try_again(an_editor, a_clocked_login_cache):
    fail(5)
    response, _ = log_in(HOME, "editor", PASSWORD)
    page = response.content.decode()

    locked_at = datetime.datetime.fromtimestamp(a_clocked_login_cache.now, datetime.UTC)
    opens = (locked_at + datetime.timedelta(minutes=15)).astimezone(
        zoneinfo.ZoneInfo("Europe/London")
    )
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert "admin/login_locked.html" in [t.name for t in response.templates]
    assert "Too many failed logins" in page
    assert f'You can try again after <strong><time datetime="{opens.isoformat()}">' in page
    assert f">{opens:%H:%M}</time>" in page
    assert "in about 15 minutes" in page
    assert 'id="site-name"' in page  # the admin's own header and styles


def test_the_lock_ends_fifteen_minutes_after_the_fifth_failure(an_editor, a_clocked_login_cache):
    """Attempts during the lock are refused but do not move its end."""
    clock = a_clocked_login_cache
    fail(5)
    clock.move(14 * 60)
    assert log_in(HOME, "editor", PASSWORD)[0].status_code == 429
    assert fail(1) == [429]
    clock.move(60 + 1)
    assert log_in(HOME, "editor", PASSWORD)[0].status_code == 302


def test_the_page_counts_down_during_the_lock(an_editor, a_clocked_login_cache):
    fail(5)
    a_clocked_login_cache.move(10 * 60)
    response, _ = log_in(HOME, "editor", PASSWORD)
    assert response["Retry-After"] == "300"
    assert "in about 5 minutes" in response.content.decode()


def test_the_account_lock_holds_from_another_network(an_editor, another_editor):
    fail(5, ip=HOME)
    assert log_in(ELSEWHERE, "editor", PASSWORD)[0].status_code == 429
    assert log_in(ELSEWHERE, "other", PASSWORD)[0].status_code == 302


def test_the_network_lock_holds_for_every_account_and_address_in_it(an_editor, another_editor):
    """Five guesses at five names lock the network, not those accounts elsewhere."""
    for name in ("admin", "root", "staff", "test", "guest"):
        fail(1, ip=HOME, username=name)
    assert log_in(HOME_NEIGHBOUR, "editor", PASSWORD)[0].status_code == 429
    assert log_in(ELSEWHERE, "editor", PASSWORD)[0].status_code == 302


def test_an_ipv6_client_is_its_64(an_editor):
    for n in range(5):
        fail(1, ip=f"2001:db8:1:2::{n + 1}", username=f"guess{n}")
    assert log_in("2001:db8:1:2:ffff::1", "editor", PASSWORD)[0].status_code == 429
    assert log_in("2001:db8:1:3::1", "editor", PASSWORD)[0].status_code == 302


def test_no_address_or_name_is_kept_in_the_cache_keys(an_editor, a_clocked_login_cache):
    from django.db import connection

    fail(5)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {TABLE}")
        keys = " ".join(row[0] for row in cursor.fetchall())
    assert "axes-" in keys
    assert "203.0.113" not in keys and "editor" not in keys


def test_tests_log_in_with_client_login_by_passing_a_request(an_editor):
    """axes needs the request in authenticate(): Client.login() passes one only when given.

    force_login(), which pytest-django's admin_client uses, needs nothing.
    """
    client = Client()
    with pytest.raises(AxesBackendRequestParameterRequired):
        client.login(username="editor", password=PASSWORD)
    assert client.login(request=HttpRequest(), username="editor", password=PASSWORD)
    assert client.get(reverse("admin:index")).status_code == 200


# Where the admin lives.


@pytest.mark.parametrize(
    ("raw", "pattern"),
    [(None, "admin/"), ("staff-door", "staff-door/"), ("/back/office/", "back/office/")],
)
def test_the_admin_path_comes_from_the_environment(raw, pattern):
    environ = {} if raw is None else {"DJANGO_ADMIN_PATH": raw}
    assert env.admin_path(environ) == pattern


@pytest.mark.parametrize("raw", ["", "/", "../etc", "a b", "admin/<x>", "ad%min"])
def test_a_bad_admin_path_is_refused_at_start_up(raw):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_ADMIN_PATH"):
        env.admin_path({"DJANGO_ADMIN_PATH": raw})


def test_the_site_serves_its_admin_at_the_configured_path(tmp_path):
    code = (
        "from django.urls import resolve, reverse, Resolver404\n"
        "print(reverse('admin:index'), reverse('admin:login'))\n"
        "try:\n    resolve('/admin/')\nexcept Resolver404:\n    print('no /admin/')\n"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=subprocess_env(
            tmp_path, f"sqlite:///{tmp_path}/db.sqlite3", DJANGO_ADMIN_PATH="staff-door"
        ),
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == ["/staff-door/", "/staff-door/login/", "no", "/admin/"], (
        result.stderr
    )
