"""Avatars are drawn here, from a salted hash: no outside request, no email in a URL."""

import io
import re
import secrets

import pytest
from django.core.cache import caches
from django.test import Client
from PIL import Image

from comments.avatars import avatar_png, identicon_png
from comments.models import Comment

pytestmark = pytest.mark.django_db

TOKEN = "0123456789abcdef0123456789abcdef"


def test_identicon_is_a_small_valid_png():
    png = identicon_png(TOKEN)

    image = Image.open(io.BytesIO(png))
    image.verify()
    assert image.format == "PNG"
    assert image.size == (96, 96)
    assert len(png) < 4096


def test_identicon_is_deterministic_and_differs_by_token():
    assert identicon_png(TOKEN) == identicon_png(TOKEN)
    assert identicon_png(TOKEN) != identicon_png("f" * 32)


def test_identicon_is_left_right_symmetric():
    image = Image.open(io.BytesIO(identicon_png(TOKEN))).convert("RGB")

    assert image.transpose(Image.Transpose.FLIP_LEFT_RIGHT).tobytes() == image.tobytes()


def test_avatar_is_served_with_long_cache_headers(client):
    response = client.get(f"/comments/avatar/{TOKEN}.png")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.content == identicon_png(TOKEN)


@pytest.mark.parametrize("token", ["xyz", "0123", TOKEN.upper(), TOKEN + "0"])
def test_malformed_avatar_token_is_404(client, token):
    assert client.get(f"/comments/avatar/{token}.png").status_code == 404


def test_avatar_is_kept_in_the_cache(monkeypatch):
    calls = []
    monkeypatch.setattr(
        "comments.avatars.identicon_png", lambda token: calls.append(token) or b"png"
    )

    avatar_png(TOKEN)
    avatar_png(TOKEN)

    assert calls == [TOKEN]


@pytest.fixture
def default_cache_writes(monkeypatch):
    """Every write to the shared default cache, recorded as (method, key)."""
    writes = []
    shared = caches["default"]
    for method in ("add", "set", "set_many", "incr", "touch"):
        real = getattr(shared, method)

        def record(key, *args, _method=method, _real=real, **kwargs):
            writes.append((_method, key))
            return _real(key, *args, **kwargs)

        monkeypatch.setattr(shared, method, record)
    return writes


def test_any_token_anyone_asks_for_leaves_the_shared_cache_alone(client, default_cache_writes):
    """Made-up tokens must not fill the cache that also holds the rate limits."""
    token = secrets.token_hex(16)

    assert client.get(f"/comments/avatar/{token}.png").status_code == 200

    assert default_cache_writes == []
    assert caches["avatars"].get(f"comments:avatar:v1:{token}") == identicon_png(token)


def test_the_avatar_cache_is_small_and_per_process(settings):
    avatars = settings.CACHES["avatars"]

    assert avatars["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert avatars["OPTIONS"]["MAX_ENTRIES"] == 2000


def test_same_email_gives_the_same_avatar_and_never_appears_in_it(an_article, comment_factory):
    one = comment_factory(an_article, author_email="Ann@Example.com ")
    two = comment_factory(an_article, author_email="ann@example.com")
    other = comment_factory(an_article, author_email="bob@example.com")

    assert one.avatar_token == two.avatar_token != other.avatar_token
    assert "ann" not in one.avatar_token
    assert re.fullmatch(r"[0-9a-f]{32}", one.avatar_token)


def test_anonymous_guests_get_a_stable_avatar_of_their_own(an_article, comment_factory):
    one = comment_factory(an_article)
    two = comment_factory(an_article)

    assert one.avatar_token != two.avatar_token
    assert Comment.objects.get(pk=one.pk).avatar_token == one.avatar_token


def test_page_avatars_are_served_by_this_site(an_article, comment_factory, article_url):
    comment_factory(an_article, author_email="ann@example.com", status=Comment.Status.APPROVED)
    page = Client().get(article_url).content.decode()

    (src,) = re.findall(r'src="(/comments/avatar/[^"]+)"', page)
    response = Client().get(src)

    assert response.status_code == 200
    Image.open(io.BytesIO(response.content)).verify()


def test_silhouette_fallback_is_served_with_alt_text(article_url, client):
    page = client.get(article_url).content.decode()

    (src,) = re.findall(r'src="([^"]*user-avatar\.svg)" alt="User avatar"', page)
    assert client.get(src).status_code == 200
