"""Turn environment variables into settings values.

Kept apart from settings.py so that each rule can be tested with any
environment, without reloading Django's settings.
"""

import ipaddress
import re
import secrets
from collections.abc import Mapping
from email.utils import parseaddr
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

ADMIN_PATH = re.compile(r"[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*")
DEFAULT_ADMIN_PATH = "admin/"
TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}

# Why each SQLite option is there: WAL lets readers and one writer work at
# once; IMMEDIATE takes the write lock at BEGIN so concurrent writers queue on
# the busy timeout instead of failing with "database is locked".
SQLITE_OPTIONS = {
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA busy_timeout=5000;"
        "PRAGMA foreign_keys=ON;"
    ),
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}


def env_bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0, not {raw!r}.")


def env_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(env: Mapping[str, str], name: str, default: list[str]) -> list[str]:
    raw = env.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_seconds(env: Mapping[str, str], name: str, default: list[int]) -> list[int]:
    """A comma-separated list of whole seconds, e.g. "60,300,1800"."""
    raw = env.get(name)
    if raw is None:
        return default
    try:
        seconds = [int(item) for item in raw.split(",") if item.strip()]
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be whole seconds like 60,300, not {raw!r}."
        ) from None
    if any(value < 0 for value in seconds):
        raise ImproperlyConfigured(f"{name} cannot hold negative seconds: {raw!r}.")
    return seconds


# The addresses nginx on the same machine connects from (deploy/nginx/).
LOOPBACK_PROXIES = ["127.0.0.1", "::1"]


def trusted_proxies(env: Mapping[str, str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """DJANGO_TRUSTED_PROXIES: the proxies whose X-Forwarded-For is believed.

    Addresses or networks ("10.0.0.5, 10.0.1.0/24"); a typo fails at start-up
    rather than silently trusting nobody, or everybody.
    """
    networks = []
    for item in env_list(env, "DJANGO_TRUSTED_PROXIES", LOOPBACK_PROXIES):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"DJANGO_TRUSTED_PROXIES: {item!r} is not an address or network."
            ) from None
    return networks


def secret_key(env: Mapping[str, str], debug: bool, var_dir: Path) -> str:
    """The key from the environment; in debug only, a random one kept in var/."""
    key = env.get("DJANGO_SECRET_KEY", "").strip()
    if key:
        return key
    if not debug:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set: set it, or set DJANGO_DEBUG=1 for development."
        )
    key_file = var_dir / "dev-secret-key"
    if not key_file.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


def site_url(env: Mapping[str, str], debug: bool) -> str:
    """The public root for canonical links, feeds and emails; required in production."""
    url = env.get("SITE_URL", "").strip().rstrip("/")
    if url:
        if not url.startswith(("http://", "https://")):
            raise ImproperlyConfigured(
                f"SITE_URL must start with http:// or https://, not {url!r}."
            )
        return url
    if not debug:
        raise ImproperlyConfigured(
            "SITE_URL is not set: set it to the public address, e.g. https://example.org."
        )
    return "http://127.0.0.1:8000"


def is_reachable_address(address: str) -> bool:
    """An address a reader can write to: not a no-reply box, not a local host."""
    local, _, domain = address.rpartition("@")
    if not local or "." not in domain or domain.endswith((".localhost", ".local")):
        return False
    return not local.lower().replace("-", "").replace("_", "").startswith(("noreply", "donotreply"))


def moderation_contact(env: Mapping[str, str], debug: bool) -> str:
    """Where readers write to the moderators (the comment form's privacy note).

    MODERATION_CONTACT_EMAIL, else DEFAULT_FROM_EMAIL when a reader can write
    to it; required in production, so the note never names a no-reply box.
    """
    for name in ("MODERATION_CONTACT_EMAIL", "DEFAULT_FROM_EMAIL"):
        address = parseaddr(env.get(name, "").strip())[1]
        if address and is_reachable_address(address):
            return address
        if address and name == "MODERATION_CONTACT_EMAIL":
            raise ImproperlyConfigured(
                "MODERATION_CONTACT_EMAIL must be an address readers can write to, "
                f"not {address!r}."
            )
    if not debug:
        raise ImproperlyConfigured(
            "MODERATION_CONTACT_EMAIL is not set: set it to the moderators' address, "
            "e.g. moderators@example.org."
        )
    return ""


def admin_path(env: Mapping[str, str]) -> str:
    """Where the admin lives, as a URL pattern: "admin/" unless DJANGO_ADMIN_PATH says."""
    raw = env.get("DJANGO_ADMIN_PATH", DEFAULT_ADMIN_PATH)
    path = raw.strip().strip("/")
    if not ADMIN_PATH.fullmatch(path):
        raise ImproperlyConfigured(
            f"DJANGO_ADMIN_PATH must be like admin/ or staff-door/ (letters, digits, - and _), "
            f"not {raw!r}."
        )
    return f"{path}/"


def database(url: str, base_dir: Path) -> dict:
    """Django's DATABASES["default"] for a sqlite:// or postgres:// URL."""
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        # A relative SQLite path is relative to the project, not the cwd.
        url = f"sqlite:///{base_dir / url.removeprefix('sqlite:///')}"
    try:
        config = dj_database_url.parse(url, conn_max_age=0)
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL is not usable: {error}") from None
    engine = config["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
        config["TEST"] = {"NAME": None}
        # Kept open between requests: a cached page's one query (its version)
        # would otherwise pay for opening the file and its PRAGMAs every time.
        config["CONN_MAX_AGE"] = 60
    elif engine == "django.db.backends.postgresql":
        config["CONN_MAX_AGE"] = 60
        config["CONN_HEALTH_CHECKS"] = True
    else:
        raise ImproperlyConfigured(f"DATABASE_URL must be sqlite:// or postgres://, not {engine}.")
    return config


def cache(
    redis_url: str | None, location_table: str = "django_cache", key_prefix: str = "cramps"
) -> dict:
    """Redis when configured; otherwise the database, which every worker shares.

    The key prefix keeps sites (or a staging copy) that share one Redis apart.
    """
    if redis_url:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": key_prefix,
        }
    return {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": location_table,
        "OPTIONS": {"MAX_ENTRIES": 50_000},
    }


def mailer(env: Mapping[str, str]) -> dict:
    """MAILERS["default"]: SMTP with EMAIL_HOST, files in EMAIL_FILE_PATH, or the console."""
    host = env.get("EMAIL_HOST", "").strip()
    if not host and env.get("EMAIL_FILE_PATH"):
        return {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": env["EMAIL_FILE_PATH"]},
        }
    if not host:
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    options = {
        "host": host,
        "port": int(env.get("EMAIL_PORT", "587")),
        "use_tls": env_bool(env, "EMAIL_USE_TLS", True),
        "timeout": 10,
    }
    if env.get("EMAIL_HOST_USER"):
        options["username"] = env["EMAIL_HOST_USER"]
        options["password"] = env.get("EMAIL_HOST_PASSWORD", "")
    return {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}
