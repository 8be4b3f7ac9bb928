"""What the public pages' cache must know about comments (articles/page_cache.py).

- The comment form's token holds the time the form was shown, for the time
  trap (comments/moderation/rules.py): every copy of a cached article page gets a token
  made at the moment it is served, so the trap stays exact.
- The own-comment cookie makes a reader's article page their own (their
  pending comments, their edit links): such a reader never shares the cache.
"""

from functools import lru_cache

from django.core import signing

from articles.models import Article
from articles.page_cache import fresh_part, private_cookie
from comments.ownership import COOKIE
from comments.readers.forms import TOKEN_SALT, form_token

TOKEN_FIELD = rb'name="token" value="([^"]+)"'


@lru_cache(maxsize=1024)
def _article_of(stored_token: bytes) -> Article:
    return Article(pk=signing.loads(stored_token.decode(), salt=TOKEN_SALT)["article"])


def fresh_form_token(stored_token: bytes) -> bytes:
    """The stored page's form token, remade with this second as the time shown."""
    return form_token(_article_of(stored_token)).encode()


def register() -> None:
    fresh_part(TOKEN_FIELD, fresh_form_token)
    private_cookie(COOKIE)
