"""Let a guest see their own pending comments, and nobody else's.

The ids live in a signed cookie: no account, no session table, and a reader
cannot add someone else's id without the signing key.
"""

from django.conf import settings

COOKIE = "comments_mine"
SALT = "comments.mine"
MAX_AGE = 60 * 60 * 24 * 30
KEEP = 20


def own_comment_ids(request) -> list[int]:
    if request is None:
        return []
    raw = request.get_signed_cookie(COOKIE, default="", salt=SALT, max_age=MAX_AGE)
    return [int(part) for part in raw.split(",") if part.isdigit()]


def remember_own_comment(request, response, comment) -> None:
    ids = [*own_comment_ids(request), comment.pk][-KEEP:]
    response.set_signed_cookie(
        COOKIE,
        ",".join(map(str, ids)),
        salt=SALT,
        max_age=MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
