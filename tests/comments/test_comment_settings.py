"""The one settings row: defaults, the shared cache, the singleton admin."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.models import CommentSettings

pytestmark = pytest.mark.django_db

SETTINGS_TABLE = CommentSettings._meta.db_table


def settings_queries(func) -> int:
    with CaptureQueriesContext(connection) as captured:
        func()
    return sum(SETTINGS_TABLE in q["sql"] for q in captured.captured_queries)


def test_load_creates_the_row_with_defaults():
    settings = CommentSettings.load()

    assert settings.pk == 1
    assert (settings.max_links, settings.hold_first_comment) == (1, True)
    assert settings.auto_approve_confirmed_returning is False
    assert (settings.min_seconds_to_submit, settings.max_form_age_hours) == (3, 6)
    assert settings.duplicate_window_hours == 24
    assert (settings.rate_limits, settings.report_rate_limits) == ("5/m,30/d", "10/h")
    assert (settings.report_threshold, settings.edit_window_minutes) == (3, 15)
    assert (settings.purge_pending_after_days, settings.purge_spam_after_days) == (90, 30)
    assert settings.notify_moderators is True
    assert settings.moderator_email_interval_minutes == 15


def test_load_reads_the_table_once_then_the_cache():
    assert settings_queries(CommentSettings.load) >= 1
    assert settings_queries(CommentSettings.load) == 0


def test_saving_refreshes_what_load_returns():
    settings = CommentSettings.load()
    settings.max_links = 4
    settings.save()

    assert CommentSettings.load().max_links == 4


def test_there_is_only_ever_one_row():
    CommentSettings(max_links=9).save()
    CommentSettings(max_links=7).save()

    assert CommentSettings.objects.count() == 1
    assert CommentSettings.load().max_links == 7


def test_delete_keeps_the_row():
    CommentSettings.load().delete()

    assert CommentSettings.objects.filter(pk=1).exists()


def test_article_page_does_not_read_the_settings(client, article_url, monkeypatch):
    """So the page's query count stays fixed whatever cache backend is used."""
    calls = []
    monkeypatch.setattr(CommentSettings, "load", classmethod(lambda cls: calls.append(1)))

    assert client.get(article_url).status_code == 200
    assert calls == []


ADMIN = "/admin/comments/commentsettings/"


def test_admin_list_opens_the_one_row(admin_client):
    response = admin_client.get(ADMIN)

    assert response.status_code == 302
    assert response["Location"] == f"{ADMIN}1/change/"


def test_admin_cannot_add_or_delete(admin_client):
    CommentSettings.load()

    assert admin_client.get(f"{ADMIN}add/").status_code == 403
    assert admin_client.get(f"{ADMIN}1/delete/").status_code == 403


def admin_form(**changes):
    fields = {
        f.name: f.value_from_object(CommentSettings.load()) for f in CommentSettings._meta.fields
    }
    fields.pop("id")
    data = {k: v for k, v in fields.items() if not isinstance(v, bool) or v}
    return data | changes


def test_admin_change_is_seen_at_once(admin_client):
    response = admin_client.post(f"{ADMIN}1/change/", admin_form(max_links=2, rate_limits="3/m"))

    assert response.status_code == 302
    assert CommentSettings.load().max_links == 2
    assert CommentSettings.load().rate_limits == "3/m"


def test_admin_refuses_a_bad_rate_limit(admin_client):
    response = admin_client.post(f"{ADMIN}1/change/", admin_form(rate_limits="five a minute"))

    assert response.status_code == 200
    assert "is not like 5/m or 30/d" in response.content.decode()
    assert CommentSettings.load().rate_limits == "5/m,30/d"


def test_the_form_age_help_says_what_really_happens():
    """An old form is stored as spam (comments/rules.py form_too_old), not refused."""
    help_text = CommentSettings._meta.get_field("max_form_age_hours").help_text

    assert "spam" in help_text
    assert "refused" not in help_text
