"""Let a guest see, edit and delete their own comments, and nobody else's.

The ids live in a signed cookie: no account, no session table, and a reader
cannot add someone else's id without the signing key. Edit and delete links
carry their own signed token, so they also work from an email.

Deleting itself is comments.decisions.delete_by_author().
"""

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

COOKIE = "comments_mine"
SALT = "comments.mine"
MAX_AGE = 60 * 60 * 24 * 30
KEEP = 20
OWNER_SALT = "comments.owner"


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


def owner_token(comment) -> str:
    """Signed id and posting time: the token cannot outlive its comment's id."""
    return signing.dumps([comment.pk, int(comment.created_at.timestamp())], salt=OWNER_SALT)


def holds_token(comment, token: str) -> bool:
    try:
        pk, posted = signing.loads(token, salt=OWNER_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return False
    return pk == comment.pk and posted == int(comment.created_at.timestamp())


def _url(name: str, comment, absolute: bool) -> str:
    path = f"{reverse(name, args=[comment.pk])}?token={owner_token(comment)}"
    return f"{settings.SITE_URL}{path}" if absolute else path


def edit_url(comment, absolute: bool = False) -> str:
    """The author's link to edit the comment; absolute=True for emails."""
    return _url("comments:edit", comment, absolute)


def delete_url(comment, absolute: bool = False) -> str:
    """The author's link to delete the comment, valid for as long as it exists."""
    return _url("comments:delete", comment, absolute)


def edit_deadline(comment, minutes: int) -> datetime.datetime:
    return comment.created_at + datetime.timedelta(minutes=minutes)


def can_still_edit(comment, minutes: int) -> bool:
    return timezone.now() <= edit_deadline(comment, minutes)
