"""Avatars drawn locally: a symmetric 5x5 identicon from a salted hash.

No Gravatar or any other outside request: the token in the URL is a salted
HMAC, so neither the image nor its address reveals an email.

Drawn images are kept in the "avatars" cache: small, per process and bounded
(settings.CACHES), because anyone can ask for any 32-hex token and the shared
cache also holds the rate limits. Browsers keep each image for a year anyway.
"""

import colorsys
import io
import re

from django.core.cache import caches
from django.utils.crypto import salted_hmac
from PIL import Image, ImageDraw

TOKEN_PATTERN = re.compile(r"^[0-9a-f]{32}$")
GRID = 5
CELL = 16
MARGIN = 8
SIZE = GRID * CELL + 2 * MARGIN  # 96 px: sharp at 48 CSS px on 2x screens
BACKGROUND = (240, 242, 245)
CACHE = "avatars"
CACHE_PREFIX = "comments:avatar:v1:"
CACHE_SECONDS = 60 * 60 * 24 * 30


def hash_for_avatar(seed: str) -> str:
    """Salted with SECRET_KEY, so a token cannot be traced back to its seed."""
    return salted_hmac("comments.avatar", seed, algorithm="sha256").hexdigest()[:32]


def is_token(value: str) -> bool:
    return bool(TOKEN_PATTERN.match(value))


def _colour(digest: bytes) -> tuple[int, int, int]:
    """A mid-dark hue, so the pattern contrasts with the light background."""
    hue = digest[0] / 255
    red, green, blue = colorsys.hls_to_rgb(hue, 0.42, 0.55)
    return round(red * 255), round(green * 255), round(blue * 255)


def identicon_png(token: str) -> bytes:
    """The same token always gives the same bytes."""
    digest = bytes.fromhex(token)
    colour = _colour(digest)
    image = Image.new("RGB", (SIZE, SIZE), BACKGROUND)
    draw = ImageDraw.Draw(image)
    half = (GRID + 1) // 2
    for row in range(GRID):
        for col in range(half):
            bit = row * half + col
            if digest[1 + bit // 8] >> (bit % 8) & 1:
                for x in {col, GRID - 1 - col}:
                    left = MARGIN + x * CELL
                    top = MARGIN + row * CELL
                    draw.rectangle((left, top, left + CELL - 1, top + CELL - 1), fill=colour)
    out = io.BytesIO()
    image.convert("P", palette=Image.Palette.ADAPTIVE, colors=2).save(
        out, format="PNG", optimize=True
    )
    return out.getvalue()


def avatar_png(token: str) -> bytes:
    """The identicon, from this process's avatar cache when a request drew it before."""
    cache = caches[CACHE]
    key = CACHE_PREFIX + token
    png = cache.get(key)
    if png is None:
        png = identicon_png(token)
        cache.set(key, png, CACHE_SECONDS)
    return png
