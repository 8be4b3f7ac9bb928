"""The settings of background work: the queue, the retry delays, where emails go."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from cramps_site import env

ROOT = Path(__file__).resolve().parents[2]


def test_the_default_task_backend_is_the_database_queue():
    """settings_test swaps in the immediate backend; production settings use the queue."""
    code = "from cramps_site import settings; print(settings.TASKS['default']['BACKEND'])"
    environ = {"PATH": os.environ["PATH"], "DJANGO_DEBUG": "1"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ, check=True,
                          capture_output=True, text=True)  # fmt: skip
    assert done.stdout.strip() == "django_tasks_db.DatabaseBackend"
    assert "django_tasks_db" in settings.INSTALLED_APPS


def test_retry_delays_are_whole_seconds_with_five_tries_by_default():
    assert env.env_seconds({}, "EMAIL_RETRY_DELAYS", [60, 300, 1800, 7200]) == [60, 300, 1800, 7200]
    assert env.env_seconds({"EMAIL_RETRY_DELAYS": "30, 90"}, "EMAIL_RETRY_DELAYS", []) == [30, 90]
    assert env.env_seconds({"EMAIL_RETRY_DELAYS": ""}, "EMAIL_RETRY_DELAYS", [60]) == []


@pytest.mark.parametrize("raw", ["1m,5m", "60,-5", "sixty"])
def test_retry_delays_that_are_not_seconds_fail_loudly(raw):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_RETRY_DELAYS"):
        env.env_seconds({"EMAIL_RETRY_DELAYS": raw}, "EMAIL_RETRY_DELAYS", [])


def test_emails_are_written_as_files_when_a_folder_is_given_and_no_smtp_host(tmp_path):
    files = env.mailer({"EMAIL_FILE_PATH": str(tmp_path)})
    assert files["BACKEND"].endswith("filebased.EmailBackend")
    assert files["OPTIONS"]["file_path"] == str(tmp_path)

    smtp = env.mailer({"EMAIL_FILE_PATH": str(tmp_path), "EMAIL_HOST": "smtp.example.org"})
    assert smtp["BACKEND"].endswith("smtp.EmailBackend")
