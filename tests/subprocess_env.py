"""The environment of a test's subprocess (manage.py, gunicorn, a worker, `python -c`).

A subprocess reads its settings from the environment alone, as a deployment
does. This is the one place that says what the site needs to start on
production settings, so a new required variable is added here once.
"""

import os
import secrets
from pathlib import Path


def subprocess_env(home: Path, database_url: str, **overrides: str) -> dict[str, str]:
    """Production settings over plain HTTP on loopback, on database_url.

    Nothing else of this process's environment is passed on (only PATH): the
    suite's own DATABASE_URL or REDIS_URL reach the subprocess only when given.
    """
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "DJANGO_SETTINGS_MODULE": "cramps_site.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        # Fresh each run: rate-limit keys in a shared Redis never carry over.
        "DJANGO_SECRET_KEY": "subprocess-test-" + secrets.token_hex(24),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        "MODERATION_CONTACT_EMAIL": "moderators@example.org",
        "DATABASE_URL": database_url,
    } | overrides
