"""The emails that follow a decision, sent by background tasks, never in the request.

- Moderators hear that comments wait, at most once per
  CommentSettings.moderator_email_interval_minutes (a shared cache key is the lock).
- A comment held for self-harm or a red-flag symptom is emailed to moderators at
  once, outside that interval: once per comment and address, however often
  its author edits it.
- A commenter who asked to be told (the one box, notify_replies), and
  confirmed the address, hears when their comment is published (once per
  comment) and when a reply to it is approved: never before, once per reply.
- Asking for replies sends one confirmation email (double opt-in), at most
  one a day per address.
- A commenter whose address is confirmed gets their new comment's signed edit
  and delete links; unconfirmed addresses never get them (no mail to strangers).

Tasks take ids and look everything up when they run, so a comment rejected
in the meantime is not announced.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db.models import Count, Min, Q
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from comments import ownership, subscriptions
from comments.models import Comment, CommentSettings, ModerationEvent, email_token_for
from comments.moderation.moderators import moderator_emails
from comments.moderation.safety_holds import (
    category_label,
    findings_for,
    is_urgent_hold,
    moderators_phrases,
)
from comments.threads import comment_url
from outbox import delivery
from outbox.messages import UnfoldedHeader

MODERATOR_EMAIL_LOCK = "comments:moderator-email-sent"
S = Comment.Status


def statuses_changed(events: list[ModerationEvent]) -> None:
    """Called by comments.decisions with the audit events it has just written."""
    if any(event.to_status == S.PENDING and event.actor_id is None for event in events):
        email_moderators.enqueue()
    approved = [e.comment_id for e in events if e.to_status == S.APPROVED and _may_be_reply(e)]
    if approved:
        email_reply_notifications.enqueue(approved)
    published = [e.comment_id for e in events if e.to_status == S.APPROVED and _may_ask(e)]
    if published:
        email_published_notices.enqueue(published)
    for event in events:
        if not event.from_status and ModerationEvent.comment.is_cached(event):
            ask_to_confirm_email(event.comment)
            send_own_links(event.comment)


def _may_be_reply(event: ModerationEvent) -> bool:
    # Saved comments come with their event; bulk decisions only give ids.
    return not ModerationEvent.comment.is_cached(event) or event.comment.parent_id is not None


def _may_ask(event: ModerationEvent) -> bool:
    """Whether the poster may have asked to hear of publication (the task checks the rest)."""
    if not ModerationEvent.comment.is_cached(event):
        return True
    return event.comment.notify_replies and bool(event.comment.author_email)


def ask_to_confirm_email(comment: Comment) -> None:
    """A just-posted comment asked for replies: confirm the address first."""
    wanted = comment.notify_replies and comment.author_email and comment.status != S.SPAM
    if wanted and subscriptions.claim_confirmation(comment.author_email):
        email_confirmation_link.enqueue(comment.author_email)


def send_own_links(comment: Comment) -> None:
    """A just-posted comment with a confirmed email: send its author the edit and delete links."""
    wanted = comment.author_email and comment.status != S.SPAM
    if wanted and subscriptions.is_confirmed(comment.author_email):
        email_own_comment_links.enqueue(comment.pk)


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def send(messages: dict[str, EmailMessage]) -> int:
    """Hand keyed messages to the outbox, which sends each key once (outbox/delivery.py)."""
    return delivery.queue(messages)


@task
def email_moderators() -> int:
    """Tell every moderator how many comments wait, unless told recently."""
    config = CommentSettings.load()
    if not config.notify_moderators:
        return 0
    queue = Comment.objects.pending().aggregate(waiting=Count("pk"), oldest=Min("created_at"))
    addresses = moderator_emails()
    if not queue["waiting"] or not addresses:
        return 0
    # The lock only when an email goes: with nobody to tell yet, the first
    # moderator must not wait out an interval nobody was emailed in.
    interval = config.moderator_email_interval_minutes * 60
    if not cache.add(MODERATOR_EMAIL_LOCK, True, timeout=interval):
        return 0
    context = {
        **queue,
        "site_name": settings.SITE_NAME,
        "queue_url": absolute(reverse("admin:comments_comment_changelist")),
        "dashboard_url": absolute(reverse("admin:comments_dashboard_changelist")),
        "interval_minutes": config.moderator_email_interval_minutes,
    }
    waiting = queue["waiting"]
    subject = f"{waiting} comment{'s wait' if waiting != 1 else ' waits'} for moderation"
    body = render_to_string("comments/emails/held_comments.txt", context)
    # The lock above already makes this once per interval: the key only names the email.
    sent_at = timezone.now().isoformat()
    return send(
        {
            f"held-comments:{sent_at}:{address}": EmailMessage(subject, body, to=[address])
            for address in addresses
        }
    )


def urgent_hold(comment: Comment) -> None:
    """Called by comments.decisions when a post or an edit is held as urgent."""
    if is_urgent_hold(comment):
        email_urgent_hold.enqueue(comment.pk)


@task
def email_urgent_hold(comment_id: int) -> int:
    """Tell every moderator now that a comment held for self-harm or a red flag waits.

    The outbox sends each key once, and the key is the comment and the address:
    an edit, or a retried task, never sends it twice. Says what was found and
    links to the comment; the comment's words stay in the admin.
    """
    if not CommentSettings.load().notify_moderators:
        return 0
    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None or not is_urgent_hold(comment):
        return 0  # decided, deleted or edited to something else in the meantime
    found = findings_for(comment, moderators_phrases())
    context = {
        "comment": comment,
        "findings": [(category_label(f.category), f.concept) for f in found],
        "reason": comment.moderation_reason,
        "comment_url": absolute(reverse("admin:comments_comment_change", args=[comment.pk])),
        "queue_url": absolute(reverse("admin:comments_comment_changelist")),
        "site_name": settings.SITE_NAME,
    }
    what = "possible self-harm" if comment.moderation_rule == "self_harm" else "red-flag symptom"
    subject = f"Urgent: a held comment needs a moderator now ({what})"
    body = render_to_string("comments/emails/urgent_hold.txt", context)
    return send(
        {
            f"urgent-hold:{comment.pk}:{address}": EmailMessage(subject, body, to=[address])
            for address in moderator_emails()
        }
    )


@task
def email_reply_notifications(comment_ids: list[int]) -> int:
    """Email each subscribed author whose comment got a newly approved reply.

    A reply to a deepest-level comment sits beside it, under its parent: the
    email goes to the comment it answered (replying_to), not to the parent.
    """
    asked = Q(replying_to__isnull=True, parent__notify_replies=True) | Q(
        replying_to__notify_replies=True
    )
    replies = list(
        Comment.objects.published()
        .filter(asked, pk__in=comment_ids)
        .select_related("parent", "replying_to", "article")
        .annotate(approvals=Count("events", filter=Q(events__to_status=S.APPROVED)))
    )
    subscribed = subscriptions.wanting_replies(answered(reply).email_token for reply in replies)
    return send(
        {
            f"reply-notification:{reply.pk}:{answered(reply).email_token}": reply_email(reply)
            for reply in replies
            if reply.approvals == 1
            and answered(reply).author_email
            and answered(reply).email_token in subscribed
            and reply.email_token != answered(reply).email_token
        }
    )


def answered(reply: Comment) -> Comment:
    """The comment a reply answers: its parent, or the deepest-level one beside it."""
    return reply.replying_to or reply.parent


def reply_email(reply: Comment) -> EmailMessage:
    parent = answered(reply)
    context = {
        "reply": reply,
        "parent": parent,
        "article": reply.article,
        "reply_url": absolute(comment_url(reply)),
    }
    subject = f"New reply to your comment on “{reply.article.title}”"
    return notice(subject, "comments/emails/reply.txt", context, parent)


@task
def email_published_notices(comment_ids: list[int]) -> int:
    """Tell each poster who asked that their comment is now published: once per comment.

    Never for spam or rejected comments: only what published() lets readers see.
    """
    comments = list(
        Comment.objects.published()
        .not_deleted()
        .filter(pk__in=comment_ids, notify_replies=True)
        .exclude(author_email="")
        .select_related("article")
        .annotate(approvals=Count("events", filter=Q(events__to_status=S.APPROVED)))
    )
    subscribed = subscriptions.wanting_replies(comment.email_token for comment in comments)
    return send(
        {
            f"published:{comment.pk}": published_email(comment)
            for comment in comments
            if comment.approvals == 1 and comment.email_token in subscribed
        }
    )


def published_email(comment: Comment) -> EmailMessage:
    context = {
        "comment": comment,
        "article": comment.article,
        "comment_url": absolute(comment_url(comment)),
    }
    subject = f"Your comment on “{comment.article.title}” is published"
    return notice(subject, "comments/emails/published.txt", context, comment)


def notice(subject: str, template: str, context: dict, to: Comment) -> EmailMessage:
    """An email about a comment to its poster, with a one-click unsubscribe link."""
    token = subscriptions.unsubscribe_link_token(to.email_token)
    unsubscribe_url = absolute(reverse("comments:unsubscribe", args=[token]))
    context = context | {"unsubscribe_url": unsubscribe_url, "site_name": settings.SITE_NAME}
    return EmailMessage(
        subject,
        render_to_string(template, context),
        to=[to.author_email],
        headers={
            # RFC 2369 and RFC 8058: mail apps show an unsubscribe button that POSTs.
            "List-Unsubscribe": UnfoldedHeader("List-Unsubscribe", f"<{unsubscribe_url}>"),
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


@task
def email_confirmation_link(email: str) -> int:
    token = subscriptions.confirm_link_token(email_token_for(email))
    context = {
        "confirm_url": absolute(reverse("comments:confirm", args=[token])),
        "site_name": settings.SITE_NAME,
        "days": subscriptions.CONFIRM_MAX_AGE.days,
    }
    body = render_to_string("comments/emails/confirm.txt", context)
    subject = f"Confirm emails about your comments on {settings.SITE_NAME}"
    # One per claim: subscriptions.claim_confirmation() stamps the time it allowed one.
    email_token = email_token_for(email)
    claimed = subscriptions.Subscriber.objects.filter(email_token=email_token)
    claimed_at = claimed.values_list("confirmation_sent_at", flat=True).first()
    key = f"confirm-email:{email_token}:{claimed_at and claimed_at.isoformat()}"
    return send({key: EmailMessage(subject, body, to=[email])})


@task
def email_own_comment_links(comment_id: int) -> int:
    """The author's own signed links, for editing their comment and deleting it."""
    comment = Comment.objects.not_deleted().select_related("article").filter(pk=comment_id).first()
    if comment is None or not comment.author_email:
        return 0
    if comment.status == S.SPAM or not subscriptions.is_confirmed(comment.author_email):
        return 0
    config = CommentSettings.load()
    context = {
        "comment": comment,
        "article": comment.article,
        "edit_url": ownership.edit_url(comment, absolute=True),
        "delete_url": ownership.delete_url(comment, absolute=True),
        "edit_minutes": config.edit_window_minutes,
        "site_name": settings.SITE_NAME,
    }
    body = render_to_string("comments/emails/own_comment.txt", context)
    subject = f"Your comment on “{comment.article.title}”"
    return send({f"own-links:{comment.pk}": EmailMessage(subject, body, to=[comment.author_email])})
