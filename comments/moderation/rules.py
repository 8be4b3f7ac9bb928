"""What happens to a new or edited comment before anyone sees it.

Each rule is a small function with a name and a reason: it returns a Verdict
or None. moderate() runs spam rules first, then hold rules, then approve
rules; the first verdict wins and its rule's name and reason are stored on the
comment for the moderator. Spam is kept (status spam), never dropped, and the
poster is told the same "awaiting moderation" either way.

The medical-safety rules are the exception: they are checked whatever else
fires, so the poster always gets the urgent-help note, and a self-harm or
red-flag comment is never lost to spam for a mere repeat or timing.
"""

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import cached_property

from django.utils import timezone

from comments.models import Comment, CommentSettings, Phrase
from comments.moderation.phrases import PhraseBook
from comments.safety import CATEGORIES, PRIORITY, URGENT, ExtraPhrase, Finding, detect
from comments.subscriptions import is_confirmed

SPAM = "spam"
HOLD = "hold"
APPROVE = "approve"
STATUS_FOR = {
    SPAM: Comment.Status.SPAM,
    HOLD: Comment.Status.PENDING,
    APPROVE: Comment.Status.APPROVED,
}

LINK = re.compile(
    r"(?:https?://|www\.)[^\s<>\"]+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|info|biz|io|co|uk|ru|cn|xyz|top|site|online|shop)"
    r"\b(?:/[^\s<>\"]*)?",
    re.IGNORECASE,
)


# The notes a poster is shown when a medical-safety rule fires.
URGENT_NOTE = "urgent"  # red flags: emergency numbers, 111, Samaritans
SELF_HARM_NOTE = "self_harm"  # the same note, Samaritans and 988 first
MEDICINE_NOTE = "medicine"  # dosing, miracle cures: a moderator checks; ask a pharmacist


@dataclass(frozen=True)
class Verdict:
    action: str
    rule_name: str
    reason: str
    # Which note the poster sees ("" for none): a medical-safety rule fired.
    note: str = ""


@dataclass
class PostContext:
    """What the rules know besides the comment.

    ip is the raw address, used in memory for the IP block list and never
    stored. rendered_at is when the form was shown (None for an edit).
    A form given back after an error (given_back) counts its time from when
    the reader first saw it, first_shown_at: None when that is unknown (the
    posted token was refused), so a person posting again is never "too fast".
    """

    ip: str = ""
    honeypot: str = ""
    rendered_at: float | None = None
    given_back: bool = False
    first_shown_at: float | None = None
    now: float = field(default_factory=lambda: time.time())
    is_edit: bool = False

    @cached_property
    def settings(self) -> CommentSettings:
        return CommentSettings.load()

    @cached_property
    def phrases(self) -> PhraseBook:
        return PhraseBook.load()

    @cached_property
    def safety_phrases(self) -> tuple[ExtraPhrase, ...]:
        """The moderators' medical-safety phrases, which the detector reads in context too."""
        return tuple(
            ExtraPhrase(kind, phrase.text, phrase.is_regex)
            for kind in CATEGORIES
            for phrase in self.phrases.by_kind.get(kind, [])
        )

    @property
    def moment(self) -> datetime:
        return datetime.fromtimestamp(self.now, tz=timezone.get_current_timezone())


Rule = Callable[[Comment, PostContext], Verdict | None]


def _author(comment: Comment):
    """The same author: same email if given, else same (hashed) address."""
    if comment.email_token:
        return Comment.objects.filter(email_token=comment.email_token)
    if comment.ip_hash:
        return Comment.objects.filter(email_token="", ip_hash=comment.ip_hash)
    return Comment.objects.none()


def _quote(found: str) -> str:
    return f"('{' '.join(found.split())}')"


# Spam rules.


def honeypot_filled(comment: Comment, context: PostContext) -> Verdict | None:
    if context.honeypot.strip():
        return Verdict(SPAM, "honeypot_filled", "Filled in the hidden field people never see")
    return None


def submitted_too_fast(comment: Comment, context: PostContext) -> Verdict | None:
    started = context.first_shown_at if context.given_back else context.rendered_at
    if started is None:
        return None
    seconds = context.now - started
    if seconds < context.settings.min_seconds_to_submit:
        return Verdict(
            SPAM, "submitted_too_fast", f"Posted {max(seconds, 0):.1f}s after the form was shown"
        )
    return None


def form_too_old(comment: Comment, context: PostContext) -> Verdict | None:
    if context.rendered_at is None:
        return None
    hours = (context.now - context.rendered_at) / 3600
    if hours > context.settings.max_form_age_hours:
        return Verdict(SPAM, "form_too_old", f"Posted from a form shown {hours:.0f} hours earlier")
    return None


def blocked_phrase(comment: Comment, context: PostContext) -> Verdict | None:
    text = f"{comment.author_name}\n{comment.body}"
    if found := context.phrases.first_match(Phrase.Kind.BLOCK, text):
        return Verdict(SPAM, "blocked_phrase", f"Blocked word or phrase {_quote(found)}")
    return None


def blocked_email_domain(comment: Comment, context: PostContext) -> Verdict | None:
    if domain := context.phrases.blocks_email_domain(comment.author_email):
        return Verdict(SPAM, "blocked_email_domain", f"Email domain {domain} is blocked")
    return None


def blocked_ip_range(comment: Comment, context: PostContext) -> Verdict | None:
    if network := context.phrases.blocks_ip(context.ip):
        return Verdict(SPAM, "blocked_ip_range", f"Posted from blocked range {network}")
    return None


def duplicate_comment(comment: Comment, context: PostContext) -> Verdict | None:
    since = context.moment - timedelta(hours=context.settings.duplicate_window_hours)
    body = " ".join(comment.body.split())
    earlier = (
        _author(comment)
        .filter(article_id=comment.article_id, created_at__gte=since)
        .exclude(pk=comment.pk)
        .values_list("body", flat=True)
    )
    if any(" ".join(text.split()) == body for text in earlier):
        hours = context.settings.duplicate_window_hours
        return Verdict(
            SPAM, "duplicate_comment", f"Same text by the same author here within {hours} hours"
        )
    return None


# Hold rules.


def too_many_links(comment: Comment, context: PostContext) -> Verdict | None:
    links = len(LINK.findall(comment.body))
    if links > context.settings.max_links:
        return Verdict(
            HOLD, "too_many_links", f"{links} links (more than {context.settings.max_links})"
        )
    return None


def hold_phrase(comment: Comment, context: PostContext) -> Verdict | None:
    text = f"{comment.author_name}\n{comment.body}"
    if found := context.phrases.first_match(Phrase.Kind.HOLD, text):
        return Verdict(HOLD, "hold_phrase", f"Matches the hold list {_quote(found)}")
    return None


def _medical(kind: str, rule_name: str, what: str) -> Rule:
    if kind == Phrase.Kind.SELF_HARM:
        note = SELF_HARM_NOTE
    else:
        note = URGENT_NOTE if PRIORITY[kind] == URGENT else MEDICINE_NOTE

    def rule(comment: Comment, context: PostContext) -> Verdict | None:
        found = [f for f in detect(comment.body, context.safety_phrases) if f.category == kind]
        if found:
            return Verdict(HOLD, rule_name, f"Medical safety: {what}: {_concepts(found)}", note)
        return None

    rule.__name__ = rule_name
    rule.__doc__ = f"Held so a moderator checks it: {what}."
    return rule


def _concepts(findings: list[Finding]) -> str:
    """ "chest pain ('chest hurts'); breathlessness ('cant breathe')": what and which words."""
    return "; ".join(f"{finding.concept} {_quote(finding.words)}" for finding in findings)


self_harm = _medical(Phrase.Kind.SELF_HARM, "self_harm", "possible self-harm or suicidal thoughts")
red_flag_symptom = _medical(Phrase.Kind.RED_FLAG, "red_flag_symptom", "red-flag symptom")
dosing_advice = _medical(Phrase.Kind.DOSING, "dosing_advice", "possible dosing advice")
miracle_cure = _medical(Phrase.Kind.MIRACLE_CURE, "miracle_cure", "miracle-cure claim")


def first_comment(comment: Comment, context: PostContext) -> Verdict | None:
    if not context.settings.hold_first_comment:
        return None
    if not _author(comment).approved().exclude(pk=comment.pk).exists():
        return Verdict(HOLD, "first_comment", "First comment from this author")
    return None


# Approve rules.


def confirmed_returning_commenter(comment: Comment, context: PostContext) -> Verdict | None:
    if not context.settings.auto_approve_confirmed_returning or not comment.author_email:
        return None
    approved_before = (
        Comment.objects.approved()
        .filter(email_token=comment.email_token)
        .exclude(pk=comment.pk)
        .exists()
    )
    if approved_before and is_confirmed(comment.author_email):
        return Verdict(
            APPROVE,
            "confirmed_returning_commenter",
            "Returning commenter with a confirmed email and an approved comment",
        )
    return None


SPAM_RULES: list[Rule] = [
    honeypot_filled,
    submitted_too_fast,
    form_too_old,
    blocked_ip_range,
    blocked_email_domain,
    blocked_phrase,
    duplicate_comment,
]
HOLD_RULES: list[Rule] = [
    self_harm,
    red_flag_symptom,
    dosing_advice,
    miracle_cure,
    too_many_links,
    hold_phrase,
    first_comment,
]
APPROVE_RULES: list[Rule] = [confirmed_returning_commenter]
RULES: list[Rule] = [*SPAM_RULES, *HOLD_RULES, *APPROVE_RULES]

# Rules after which the poster is shown a note: when to get urgent help, or to
# check with a pharmacist (the verdict's note says which).
MEDICAL_RULES = {"self_harm", "red_flag_symptom", "dosing_advice", "miracle_cure"}
# A person in trouble may well post twice, or quickly, or from a tab left open:
# with these, such "spam" is held for a moderator instead. Honeypot and block
# lists stay spam.
URGENT_RULES = {"self_harm", "red_flag_symptom"}
MISTAKABLE_SPAM_RULES = {"duplicate_comment", "submitted_too_fast", "form_too_old"}
# The message levels that ask the comment section for those notes
# (templates/comments/_urgent_help.html, _medicine_help.html): between WARNING and ERROR.
URGENT_HELP = 35
MEDICINE_HELP = 36
SELF_HARM_HELP = 37  # the urgent-help note, Samaritans first
RULE_NAMES = [rule.__name__ for rule in RULES]

STAFF = Verdict(APPROVE, "written_by_staff", "Written by staff")
# Not a rule run on posting: set when readers' reports send a comment back.
SENT_BACK_RULE = "reported"
PRE_MODERATION = Verdict(HOLD, "pre_moderation", "New comments wait for a moderator")


def moderate(comment: Comment, context: PostContext, rules: list[Rule] = RULES) -> Verdict:
    """The verdict on a new or edited comment: staff write freely, others meet the rules.

    Only judges: comments/decisions.py gives the comment the verdict's status.
    """
    if comment.user_id is not None and comment.user.is_staff:
        return STAFF
    return judge(comment, context, rules)


def judge(comment: Comment, context: PostContext, rules: list[Rule] = RULES) -> Verdict:
    """The first rule that fires, with the medical-safety rules always checked too.

    A medical rule that fires wins over every hold and approve rule, so no
    approve rule ever approves a safety hold, and its note for the poster is
    kept even when the comment is spam (spam reads as pending to the poster, so
    the note tells a bot nothing). A self-harm or red-flag comment that is spam
    only by repetition or timing is held.
    """
    first = next((v for rule in rules if (v := rule(comment, context))), PRE_MODERATION)
    medical = first if first.rule_name in MEDICAL_RULES else None
    if medical is None:
        medical_rules = (rule for rule in rules if rule.__name__ in MEDICAL_RULES)
        medical = next((v for rule in medical_rules if (v := rule(comment, context))), None)
    if medical is None:
        return first
    if first.action != SPAM:
        return medical
    if first.rule_name in MISTAKABLE_SPAM_RULES and medical.rule_name in URGENT_RULES:
        reason = f"{medical.reason}; held, not spam: {first.reason}"
        return replace(medical, reason=reason)
    return replace(first, note=medical.note)


def needs_urgent_help(verdict: Verdict) -> bool:
    return verdict.note in (URGENT_NOTE, SELF_HARM_NOTE)
