"""The one settings module: everything that varies comes from the environment.

Every variable is listed in README.md ("Configuration").
"""

import datetime
import os
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
ADMIN_PATH = env.admin_path(ENV)

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
    "django_tasks_db",
    "axes",
    "articles",
    "comments",
    "operations",
    "outbox",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML compressed, with Django's BREACH padding; static files come pre-compressed.
    "django.middleware.gzip.GZipMiddleware",
    # Whole anonymous pages from memory, before sessions and CSRF (articles/page_cache.py).
    "articles.page_cache.PageCacheMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "cramps_site.hostile_input.DropNulFromQueryMiddleware",
    # Guest forms: Fetch metadata and Origin, no token cookie (cramps_site/origin_csrf.py).
    "cramps_site.origin_csrf.OriginCsrfMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cramps_site.request_limits.RequestBodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cramps_site.urls"
# What other apps add under an article (articles/pages.py): the discussion.
ARTICLE_PAGE_SECTIONS = ["comments.readers.section.discussion"]
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
    "default": env.cache(
        ENV.get("REDIS_URL"), key_prefix=ENV.get("DJANGO_CACHE_KEY_PREFIX", "cramps")
    ),
    # Comment avatars: redrawn in a millisecond and cached by browsers for a
    # year, so a small per-process cache; any token can be asked for, and
    # those must not fill the shared cache that holds the rate limits.
    "avatars": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "comment-avatars",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}

# The public pages' cache (articles/page_cache.py): how long a stored page may be
# served (relative dates like "5 minutes ago" move on; 0 turns the cache off), and
# how many pages each process keeps.
PAGE_CACHE_SECONDS = env.env_int(ENV, "PAGE_CACHE_SECONDS", 60)
PAGE_CACHE_ENTRIES = env.env_int(ENV, "PAGE_CACHE_ENTRIES", 300)

SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
MESSAGE_STORAGE = "cramps_site.messages.QuietCookieStorage"

# Admin login throttling (django-axes, cramps_site/login_throttle.py): 5 failed
# logins lock the account, from anywhere, and the client network (an IPv4 /24
# or IPv6 /64, hashed as for comments) for 15 minutes from the 5th failure.
# Counts live in the shared default cache, so every worker and server agrees.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out login
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_CACHE = "default"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "cramps_site.login_throttle.client_network"
AXES_LOCKOUT_CALLABLE = "cramps_site.login_throttle.lockout_response"
# Attempts while locked out do not push the end further, so the page can say when.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
# The cache handler keeps no database records, so the admin would list nothing.
AXES_ENABLE_ADMIN = False
# No start-up banner on every manage.py command; failures are still logged.
AXES_VERBOSE = False

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

# Request limits (docs/security.md). A body over its limit is refused with 413
# from its Content-Length, unread: 1 MB for everything public (a comment is a
# few kB); 12 MB for staff in the admin, a 10 MB hero image (articles/images.py)
# and the article's text. Django's checks then apply to what is read:
REQUEST_BODY_LIMIT = 1024 * 1024
STAFF_REQUEST_BODY_LIMIT = 12 * 1024 * 1024
# form fields (not files) at most 1 MB, as above;
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# Django's 1,000 fields: the largest form, an article with its inlines, has a few hundred;
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# one hero image per form, so a handful of files at most;
DATA_UPLOAD_MAX_NUMBER_FILES = 5
# uploads over 2.5 MB are streamed to a temporary file, not held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# HTTPS: on by default in production; DJANGO_HTTPS=0 serves production
# settings over plain HTTP on loopback or a private network (benchmarks, tests).
HTTPS = env.env_bool(ENV, "DJANGO_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
# Load balancers probe over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# On with HTTPS: subdomains are already covered for a year, so the preload flag
# asks nothing more and protects first visits once the domain is submitted
# (README, "DJANGO_HSTS_PRELOAD", says why one might turn it off).
SECURE_HSTS_PRELOAD = env.env_bool(ENV, "DJANGO_HSTS_PRELOAD", HTTPS)
# Behind a reverse proxy (deploy/nginx/): its X-Forwarded-Proto says HTTPS, and
# X-Forwarded-For names the client when the request came from a trusted proxy
# (cramps_site/client_address.py).
BEHIND_PROXY = env.env_bool(ENV, "DJANGO_BEHIND_PROXY", False)
TRUSTED_PROXIES = env.trusted_proxies(ENV)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
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

# Browser features the site never uses, off for it and anything it might frame.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

MAILERS = {"default": env.mailer(ENV)}
DEFAULT_FROM_EMAIL = ENV.get("DEFAULT_FROM_EMAIL", "Leg Health Guide <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where readers write to the moderators (the privacy notice under the comment
# form): required in production; empty in development words the note without it.
MODERATION_CONTACT_EMAIL = env.moderation_contact(ENV, DEBUG)

# Comment rate limits ("5/m,30/d", "off"); unset means the admin's Comment settings.
COMMENT_RATE_LIMITS = ENV.get("COMMENT_RATE_LIMITS")
COMMENT_REPORT_RATE_LIMITS = ENV.get("COMMENT_REPORT_RATE_LIMITS")

# Background work (emails): a queue in the database, run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": ENV.get("DJANGO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# Seconds to wait before each retry of a failed email; after the last, staff are shown it.
EMAIL_RETRY_DELAYS = env.env_seconds(ENV, "EMAIL_RETRY_DELAYS", [60, 300, 1800, 7200])
# /healthz answers 503 when a ready task has waited longer than this (seconds).
HEALTHZ_MAX_QUEUE_AGE = int(ENV.get("HEALTHZ_MAX_QUEUE_AGE", "300"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": ENV.get("DJANGO_LOG_LEVEL", "INFO")},
}
