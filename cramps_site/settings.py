"""The one settings module: everything that varies comes from the environment.

Every variable is listed in README.md ("Configuration").
"""

import os
from email.utils import parseaddr
from pathlib import Path

from django.utils.csp import CSP

from cramps_site import env

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
ENV = os.environ

DEBUG = env.env_bool(ENV, "DJANGO_DEBUG", False)
SECRET_KEY = env.secret_key(ENV, DEBUG, VAR_DIR)
ALLOWED_HOSTS = env.env_list(ENV, "DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.env_list(ENV, "DJANGO_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env.site_url(ENV, DEBUG)
SITE_NAME = ENV.get("SITE_NAME", "Leg Health Guide")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "articles",
    "comments",
    "operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "cramps_site.hostile_input.DropNulFromQueryMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "cramps_site.urls"
WSGI_APPLICATION = "cramps_site.wsgi.application"
ASGI_APPLICATION = "cramps_site.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "cramps_site.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": env.database(ENV.get("DATABASE_URL", "sqlite:///var/db.sqlite3"), BASE_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": env.cache(ENV.get("REDIS_URL")),
    # Comment avatars: redrawn in a millisecond and cached by browsers for a
    # year, so a small per-process cache; any token can be asked for, and
    # those must not fill the shared cache that holds the rate limits.
    "avatars": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "comment-avatars",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}

SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(ENV.get("DJANGO_STATIC_ROOT", VAR_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(ENV.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
# Uploaded hero images: served by Django unless a web server or CDN does it.
SERVE_MEDIA = env.env_bool(ENV, "DJANGO_SERVE_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# HTTPS: on by default in production; DJANGO_HTTPS=0 serves production
# settings over plain HTTP on loopback or a private network (benchmarks, tests).
HTTPS = env.env_bool(ENV, "DJANGO_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.env_bool(ENV, "DJANGO_BEHIND_PROXY", False) else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Strict CSP: nothing inline, nothing from another host.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

MAILERS = {"default": env.mailer(ENV)}
DEFAULT_FROM_EMAIL = ENV.get("DEFAULT_FROM_EMAIL", "Leg Health Guide <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where readers write to the moderators (the privacy notice under the comment form).
MODERATION_CONTACT_EMAIL = ENV.get("MODERATION_CONTACT_EMAIL") or parseaddr(DEFAULT_FROM_EMAIL)[1]

# Comment rate limits ("5/m,30/d", "off"); unset means the admin's Comment settings.
COMMENT_RATE_LIMITS = ENV.get("COMMENT_RATE_LIMITS")
COMMENT_REPORT_RATE_LIMITS = ENV.get("COMMENT_REPORT_RATE_LIMITS")

# Background work (emails): a thread pool by default, see cramps_site/tasks_backend.py.
TASKS = {
    "default": {
        "BACKEND": ENV.get(
            "DJANGO_TASKS_BACKEND", "cramps_site.tasks_backend.BackgroundThreadBackend"
        )
    }
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": ENV.get("DJANGO_LOG_LEVEL", "INFO")},
}
