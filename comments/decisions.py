"""The one door for every change of a comment's fate.

Views, the admin, management commands and tests all call these functions;
nothing else creates, decides, edits or deletes a comment. Each function runs
its steps in the order they read:

1. save: the row, with its text and its card's head rendered to HTML once
   (comments/text.py, comments/cards.py);
2. counts: the article's count of published comments, recounted;
3. reports: a moderator's approval resolves the comment's open reports;
4. audit: a ModerationEvent for every change of status;
5. pages: when readers can see the change, cached pages are told
   (articles/page_cache.py), so the very next request shows it;
6. notifications: the emails the change calls for are queued
   (comments/notifications.py). They are queued inside the same transaction:
   with the database task queue the emails commit, or roll back, with the
   change itself, so none is lost and none is sent for a change that failed.
"""

from collections.abc import Iterable
from dataclasses import replace

from django.db import transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles import page_cache
from articles.models import Article
from comments import notifications
from comments.cards import card_html
from comments.models import (
    DELETED_TEXT,
    Comment,
    ModerationEvent,
    Report,
    Subscriber,
    email_token_for,
)
from comments.models.event import DELETED, EDITED, REMOVED
from comments.moderation import rules
from comments.moderation.rules import HOLD, SENT_BACK_RULE, STATUS_FOR, PostContext, Verdict
from comments.text import comment_html

S = Comment.Status
# Rejected or spam comments keep their status when edited: an edit is not a
# way out of a moderator's decision.
DECIDED = {S.REJECTED, S.SPAM}
REMOVED_TEXT = "This comment was removed by a moderator."


# Posting.


def post(comment: Comment, context: PostContext) -> Verdict:
    """A new comment from the form: the rules decide its status, then it is stored."""
    comment.email_token = email_token_for(comment.author_email)
    verdict = rules.moderate(comment, context)
    _take_verdict(comment, verdict)
    with transaction.atomic():
        _store(comment)
        notifications.urgent_hold(comment)
    return verdict


def add(comment: Comment, *, by=None, reason: str = "") -> Comment:
    """Store a new comment in the status it already has, such as a moderator's reply."""
    comment.email_token = email_token_for(comment.author_email)
    return _store(comment, by=by, reason=reason)


def _store(comment: Comment, *, by=None, reason: str = "") -> Comment:
    """add() for a comment whose email token is set: post() sets it for the rules."""
    with transaction.atomic():
        comment.body_html = comment_html(comment.body)
        comment.save(force_insert=True)
        _store_card(comment)  # the guest avatar's key is the new row's pk
        event = _event(comment, "", comment.status, by, reason or comment.moderation_reason)
        event.comment = comment  # notifications read the new comment from its event
        _follow_up([comment.article_id], [event])
    return comment


def add_many(comments: list[Comment], *, batch_size: int = 500) -> list[Comment]:
    """Store many new comments at once (demo data, imports): counted and logged.

    No emails: nobody posted these through the site, so nobody is waiting to hear.
    """
    with transaction.atomic():
        for comment in comments:
            comment.email_token = email_token_for(comment.author_email)
            comment.body_html = comment_html(comment.body)
        created = Comment.objects.bulk_create(comments, batch_size=batch_size)
        for comment in created:
            comment.card_html = card_html(comment)
        Comment.objects.bulk_update(created, ["card_html"], batch_size=batch_size)
        events = [
            _event(c, "", c.status, None, c.moderation_reason, at=c.created_at) for c in created
        ]
        ModerationEvent.objects.bulk_create(events, batch_size=batch_size)
        _recount({c.article_id for c in created})
        page_cache.invalidate_articles({c.article_id for c in created})
    return created


def reply_as_moderator(parent: Comment, moderator, text: str) -> Comment:
    """Published at once under parent, with the moderator's name and badge."""
    reason = "Reply by a moderator"
    reply = Comment(
        article=parent.article,
        body=text.strip(),
        user=moderator,
        author_name=moderator.get_full_name() or "Moderator",
        status=S.APPROVED,
        moderation_reason=reason,
        decided_by=moderator,
        decided_at=timezone.now(),
    )
    reply.attach_to(parent)
    return add(reply, by=moderator, reason=reason)


def edit_by_author(comment: Comment, context: PostContext) -> Verdict | None:
    """The author changed the text (comment holds it, unsaved): the rules judge it again.

    A rejected or spam comment keeps its status. An edit is not a moderator's
    decision: a status change it causes is logged as automatic.
    """
    with transaction.atomic():
        before, _ = _locked(comment)
        comment.body_html = comment_html(comment.body)
        if before in DECIDED:
            comment.save(update_fields=["body", "body_html"])
            _follow_up([comment.article_id], [])
            return None
        verdict = rules.moderate(comment, replace(context, is_edit=True))
        _take_verdict(comment, verdict)
        comment.moderation_reason = f"Edited by its author: {verdict.reason}"[:200]
        comment.save()
        events = []
        if comment.status != before:
            events.append(_event(comment, before, comment.status, None, comment.moderation_reason))
        _follow_up([comment.article_id], events, public=before == S.APPROVED)
        notifications.urgent_hold(comment)
    return verdict


def _take_verdict(comment: Comment, verdict: Verdict) -> None:
    comment.status = STATUS_FOR[verdict.action]
    comment.moderation_rule = verdict.rule_name
    comment.moderation_reason = verdict.reason[:200]
    comment.decided_by = None
    comment.decided_at = None if verdict.action == HOLD else timezone.now()


# Moderators' decisions.


def decide(comments: QuerySet, status: str, *, by=None, reason: str = "") -> int:
    """Give any number of comments a status; those already in it are left alone.

    Returns how many changed. by is the moderator (None for an automatic change).
    """
    with transaction.atomic():
        rows = list(_just_ids(comments.exclude(status=status)))
        if not rows:
            return 0
        now = timezone.now()
        fields = {"status": status, "decided_by": by, "decided_at": now}
        if reason:
            fields["moderation_reason"] = reason[:200]
        Comment.objects.filter(pk__in=[row.pk for row in rows]).update(**fields)
        events = [_event(row, row.status, status, by, reason, at=now) for row in rows]
        _follow_up([row.article_id for row in rows], events)
    return len(rows)


def approve(comments: QuerySet, *, by=None, reason: str = "") -> int:
    return decide(comments, S.APPROVED, by=by, reason=reason)


def reject(comments: QuerySet, *, by=None, reason: str = "") -> int:
    return decide(comments, S.REJECTED, by=by, reason=reason)


def mark_spam(comments: QuerySet, *, by=None, reason: str = "") -> int:
    return decide(comments, S.SPAM, by=by, reason=reason)


def save_by_moderator(comment: Comment, *, by, changed: Iterable[str]) -> None:
    """A moderator's edit on the comment's admin page: its text, author or status.

    comment holds the form's values, unsaved; changed names the fields the
    form changed. New text keeps the old in the audit log and shows readers
    an "edited by a moderator" mark. A new status is a decision by this
    moderator, with the reason typed beside it, if any.
    """
    changed = set(changed)
    with transaction.atomic():
        before, old_text = _locked(comment)
        comment.email_token = email_token_for(comment.author_email)
        comment.body_html = comment_html(comment.body)
        comment.card_html = card_html(comment)
        events = []
        if comment.body != old_text:
            comment.edited_by_moderator_at = timezone.now()
            events.append(
                _event(
                    comment,
                    before,
                    EDITED,
                    by,
                    "Text edited by a moderator",
                    text_before=old_text,
                    text_after=comment.body,
                )
            )
        if comment.status != before:
            reason = comment.moderation_reason if "moderation_reason" in changed else ""
            comment.decided_by = by
            comment.decided_at = timezone.now()
            events.append(_event(comment, before, comment.status, by, reason))
        comment.save()
        _follow_up([comment.article_id], events, public=before == S.APPROVED)


def remove(comment: Comment, *, by, reason: str = "") -> None:
    """A moderator takes a comment down: a tombstone stays, and the replies under it.

    The tombstone says a moderator removed it; the author's details go with
    the text. The audit log keeps who removed it and why.
    """
    with transaction.atomic():
        before, _ = _locked(comment)
        _blank(comment.pk, REMOVED_TEXT)
        event = _event(comment, before, REMOVED, by, reason or "Removed by a moderator")
        _follow_up([comment.article_id], [event])


# Readers.


def delete_by_author(comment: Comment) -> None:
    """The author's delete: the row goes, unless replies hang on it.

    Then it stays as a placeholder, so the thread still reads, with the text,
    name, email, hashes and reply-email request removed. Deleting the last
    reply under such a placeholder removes the placeholder too.
    """
    with transaction.atomic():
        events = _delete_keeping_replies(comment, None, "Deleted by its author")
        _follow_up([comment.article_id], events)


def file_report(comment: Comment, reason: str, note: str, reporter: str, threshold: int) -> Report:
    """Keep a reader's report; at threshold different reporters, back to the queue.

    reporter is the hash of the reporter's network (/24 or /64, as rate
    limits use): a second report from it on the same comment is not counted
    again, so one person cannot take a comment down alone. A moderator's
    approval resolves the open reports, so only later reports count again.
    """
    with transaction.atomic():
        report = comment.reports.open().filter(ip_hash=reporter).exclude(ip_hash="").first()
        if report is None:
            report = Report.objects.create(
                comment=comment, reason=reason, note=note, ip_hash=reporter
            )
        hide_if_reported(comment, threshold)
    return report


def hide_if_reported(comment: Comment, threshold: int) -> bool:
    """Send a published comment back to pending once threshold networks reported it."""
    reporters = comment.reports.open().values("ip_hash").distinct().count()
    if reporters < threshold:
        return False
    published = Comment.objects.filter(pk=comment.pk, status=S.APPROVED)
    if not decide(published, S.PENDING, reason=f"Reported {reporters} times"):
        return False
    Comment.objects.filter(pk=comment.pk).update(moderation_rule=SENT_BACK_RULE)
    return True


# Privacy.


def erase_commenter(email: str, *, delete: bool) -> int:
    """Erase a person from the comments (GDPR article 17); returns how many comments.

    By default their comments stay, anonymous. With delete they go, as the
    author's own delete would take them. Their reply-email consent goes too.
    """
    theirs = Comment.objects.by_commenter(email)
    with transaction.atomic():
        count = theirs.count()
        if delete:
            erase_comments(theirs, by=None, reason="Erased at the author's request")
        else:
            # No status changes, so counts and the audit log are unaffected.
            rows = list(theirs.values_list("pk", "article_id"))
            theirs.update(author_name="", author_email="", email_token="", ip_hash="")
            refresh_cards(Comment.objects.filter(pk__in=[pk for pk, _ in rows]))
            page_cache.invalidate_articles({article_id for _, article_id in rows})
        if token := email_token_for(email):
            Subscriber.objects.filter(email_token=token).delete()
    return count


def purge(comments: QuerySet, *, by=None, reason: str = "Purged") -> int:
    """Delete comments for good (old pending, old spam, an admin's delete); returns how many.

    The audit log keeps a tombstone of each: its number, article and status.
    """
    with transaction.atomic():
        doomed = list(_just_ids(comments))
        events = [_event(row, row.status, DELETED, by, reason, gone=True) for row in doomed]
        Comment.objects.filter(pk__in=[row.pk for row in doomed]).delete()
        _follow_up({row.article_id for row in doomed}, events)
    return len(doomed)


def erase_comments(comments: QuerySet, *, by, reason: str = "") -> int:
    """A moderator erases comments found by a search, e.g. a guest with no email who asks.

    Each goes as its author's own delete would take it, so others' replies stay.
    """
    reason = reason or "Erased at the author's request"
    with transaction.atomic():
        chosen = list(comments.select_related(None).order_by("-depth"))  # replies first
        events = [e for comment in chosen for e in _delete_keeping_replies(comment, by, reason)]
        _follow_up({comment.article_id for comment in chosen}, events)
    return len(chosen)


def refresh_cards(comments: QuerySet, *, batch_size: int = 500) -> int:
    """Store each comment's card head again, e.g. after comments/cards.py changed.

    manage.py refresh_comment_cards calls it for every comment; until then a
    card with an older stamp is rendered on the fly (comments/cards.py).
    """
    reads = ("pk", "author_name", "email_token", "deleted_at")
    rows = list(comments.select_related(None).only(*reads))
    for row in rows:
        row.card_html = card_html(row)
    Comment.objects.bulk_update(rows, ["card_html"], batch_size=batch_size)
    return len(rows)


# The steps every change ends with.


def _follow_up(
    article_ids: Iterable[int], events: list[ModerationEvent], *, public: bool = False
) -> None:
    """Counts, reports, audit log, pages, emails: in that order, in the caller's transaction.

    public says readers can see the change without an event saying so (an
    author's edit of a published comment); any event into or out of
    "approved" is public anyway.
    """
    article_ids = {pk for pk in article_ids if pk is not None}
    _recount(article_ids)
    _resolve_reports(events)
    ModerationEvent.objects.bulk_create(events)
    if public or any(S.APPROVED in (e.from_status, e.to_status) for e in events):
        page_cache.invalidate_articles(article_ids)
    notifications.statuses_changed(events)


def _recount(article_ids: set[int]) -> None:
    """Recount Article.approved_comment_count in one UPDATE.

    A recount rather than +1/-1 arithmetic, so it cannot drift. A deleted
    comment's placeholder is not a comment any more, so it is not counted.
    """
    if not article_ids:
        return
    counts = (
        Comment.objects.approved()
        .not_deleted()
        .filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(total=Count("pk"))
        .values("total")
    )
    Article.objects.filter(pk__in=article_ids).update(
        approved_comment_count=Coalesce(Subquery(counts), Value(0))
    )


def _resolve_reports(events: list[ModerationEvent]) -> None:
    """A moderator approved these comments: reports filed before that are dealt with."""
    approved = [e.comment_id for e in events if e.to_status == S.APPROVED and e.actor_id]
    if approved:
        Report.objects.filter(comment_id__in=approved).open().update(resolved=True)


def _event(
    comment: Comment, before, after, by, reason, *, at=None, gone=False, **texts
) -> ModerationEvent:
    """One line of the audit log; gone when the comment's row is deleted with it."""
    return ModerationEvent(
        comment_id=None if gone else comment.pk,
        comment_number=comment.pk,
        article_id=comment.article_id,
        actor=by,
        from_status=before,
        to_status=after,
        reason=reason[:200],
        created_at=at or timezone.now(),
        **texts,
    )


def _just_ids(comments: QuerySet) -> QuerySet:
    """What an event needs of each comment, whatever the queryset was shaped for."""
    return comments.select_related(None).only("pk", "status", "article_id").order_by()


def _locked(comment: Comment) -> tuple[str, str]:
    """The status and text as stored, with the row locked until the change commits."""
    rows = Comment.objects.select_for_update().values_list("status", "body")
    return rows.get(pk=comment.pk)


def _store_card(comment: Comment) -> None:
    comment.card_html = card_html(comment)
    Comment.objects.filter(pk=comment.pk).update(card_html=comment.card_html)


def _blank(pk: int, text: str) -> None:
    """Leave a placeholder: nothing of the author, the text replaced."""
    now = timezone.now()
    Comment.objects.filter(pk=pk).update(
        body=text,
        body_html=comment_html(text),
        author_name="",
        author_email="",
        email_token="",
        ip_hash="",
        user=None,
        notify_replies=False,
        deleted_at=now,
        card_html=card_html(Comment(pk=pk, deleted_at=now)),
    )


def _delete_keeping_replies(comment: Comment, by, reason: str) -> list[ModerationEvent]:
    """Delete the comment, or leave a placeholder when others replied to it.

    A placeholder above it that is left with no replies goes too.
    """
    if not Comment.objects.filter(pk=comment.pk).exists():
        return []  # gone already, with a parent erased in the same call
    if comment.replies.exists():
        _blank(comment.pk, DELETED_TEXT)
        return [_event(comment, comment.status, DELETED, by, reason)]
    events = [_event(comment, comment.status, DELETED, by, reason, gone=True)]
    parent_id = comment.parent_id
    comment.delete()
    while parent_id is not None:
        emptied = (
            Comment.objects.filter(pk=parent_id, deleted_at__isnull=False)
            .exclude(replies__isnull=False)
            .first()
        )
        if emptied is None:
            break
        parent_id = emptied.parent_id
        reason = "Placeholder with no replies"
        events.append(_event(emptied, emptied.status, DELETED, by, reason, gone=True))
        emptied.delete()
    return events
