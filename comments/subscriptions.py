"""Reply notifications by email, with double opt-in and one-click unsubscribe.

An address is known only by its email_token (the comment's salted hash), so
this table holds no email addresses: the emails go to the address on the
comment that was answered. Links carry the token signed, so they cannot be
made up for someone else's address.
"""

import datetime

from django.core import signing
from django.db.models import Q
from django.utils import timezone

from comments.models import Subscriber, email_token_for

CONFIRM_SALT = "comments.subscriptions.confirm"
UNSUBSCRIBE_SALT = "comments.subscriptions.unsubscribe"
CONFIRM_MAX_AGE = datetime.timedelta(days=7)
# At most one confirmation email per address in this window, however often
# the form is posted with it: the form must not be a way to mail strangers.
CONFIRMATION_WINDOW = datetime.timedelta(days=1)


def is_confirmed(email: str) -> bool:
    """Whether the owner of this address has clicked a confirmation link."""
    token = email_token_for(email)
    return (
        bool(token)
        and Subscriber.objects.filter(email_token=token, confirmed_at__isnull=False).exists()
    )


def wanting_replies(email_tokens) -> set[str]:
    """Which of these addresses confirmed and have not unsubscribed since."""
    return set(
        Subscriber.objects.filter(
            email_token__in=set(email_tokens),
            confirmed_at__isnull=False,
            unsubscribed_at__isnull=True,
        ).values_list("email_token", flat=True)
    )


def claim_confirmation(email: str) -> bool:
    """True if a confirmation email should go to this address now.

    False when the address already gets reply emails, or was sent a
    confirmation within CONFIRMATION_WINDOW. The claim is one conditional
    UPDATE, so two posts at the same moment cannot both send.
    """
    token = email_token_for(email)
    if not token:
        return False
    subscriber, _ = Subscriber.objects.get_or_create(email_token=token)
    if subscriber.wants_replies:
        return False
    now = timezone.now()
    due = Q(confirmation_sent_at__isnull=True) | Q(
        confirmation_sent_at__lt=now - CONFIRMATION_WINDOW
    )
    return bool(Subscriber.objects.filter(due, pk=subscriber.pk).update(confirmation_sent_at=now))


def confirm_link_token(email_token: str) -> str:
    return signing.dumps(email_token, salt=CONFIRM_SALT)


def unsubscribe_link_token(email_token: str) -> str:
    return signing.dumps(email_token, salt=UNSUBSCRIBE_SALT)


def email_token_from_confirm_link(token: str) -> str | None:
    try:
        return signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None


def email_token_from_unsubscribe_link(token: str) -> str | None:
    """Unsubscribe links never expire: an old email must still stop the next."""
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None


def confirm(email_token: str) -> None:
    Subscriber.objects.update_or_create(
        email_token=email_token,
        defaults={"confirmed_at": timezone.now(), "unsubscribed_at": None},
    )


def unsubscribe(email_token: str) -> None:
    Subscriber.objects.update_or_create(
        email_token=email_token, defaults={"unsubscribed_at": timezone.now()}
    )
