"""Test-only overrides of cramps_site.settings; each says why."""

import os
import tempfile

# The suite runs production settings (DEBUG off), which need a key; this one
# exists only for tests. The test client speaks plain HTTP. Production also
# needs an address readers can write to (the comment form's privacy note).
os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-key-never-used-in-production")
os.environ.setdefault("DJANGO_HTTPS", "0")
os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")
os.environ.setdefault("MODERATION_CONTACT_EMAIL", "moderators@example.org")

from cramps_site.settings import *

# Fast password hashing for user fixtures.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# No collectstatic before tests: serve static files from the source folders.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded files from tests never land in var/media.
MEDIA_ROOT = tempfile.mkdtemp(prefix="cramps-test-media-")
# WhiteNoise serves from the finders in tests; an empty STATIC_ROOT keeps it quiet.
STATIC_ROOT = tempfile.mkdtemp(prefix="cramps-test-static-")
WHITENOISE_USE_FINDERS = True
# Tasks run inline so tests see their effects (emails in mail.outbox) at once.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# Tests set rate limits themselves; a value in the shell must not leak in.
COMMENT_RATE_LIMITS = None
COMMENT_REPORT_RATE_LIMITS = None
