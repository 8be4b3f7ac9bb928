"""Settings for a script's throwaway site: production (DEBUG off) on files of its own.

profile_article.py, compare_cold_renders.py, lighthouse.py, bench.py and
screenshots.py each build a site in a temporary folder; this is the one place
that says what production needs to start (a secret key, SITE_URL, the
moderators' address...), so a new required setting is added here once.
"""

from pathlib import Path


def production_env(workdir: Path, *, site_url: str, purpose: str, **overrides: str) -> dict:
    """Environment variables for cramps_site.settings, SQLite and static files in workdir."""
    return {
        "DJANGO_SETTINGS_MODULE": "cramps_site.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "DJANGO_SECRET_KEY": f"{purpose}-only-" + "x" * 40,
        "SITE_URL": site_url,
        "DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1",
        "DATABASE_URL": f"sqlite:///{workdir}/{purpose}.sqlite3",
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
        "DJANGO_LOG_LEVEL": "WARNING",
        "MODERATION_CONTACT_EMAIL": "moderators@example.org",
        "DJANGO_TASKS_BACKEND": "django.tasks.backends.dummy.DummyBackend",
    } | overrides
