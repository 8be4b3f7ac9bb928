"""Each moderation rule, firing and not firing, and the order they run in on posting."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from comments import decisions
from comments.models import Comment, CommentSettings, Phrase, Subscriber, email_token_for
from comments.moderation import rules
from comments.moderation.rules import APPROVE, HOLD, SPAM, PostContext

pytestmark = pytest.mark.django_db

CALM = "Stretching my calves before bed helps me."


@pytest.fixture
def new_comment(an_article):
    """Makes an unsaved guest comment, as the form would hand it to the rules."""

    def make(body=CALM, **fields):
        comment = Comment(article=an_article, body=body, **fields)
        comment.email_token = email_token_for(comment.author_email)
        return comment

    return make


@pytest.fixture
def context():
    """Makes a rules context for a form shown a minute ago, from 203.0.113.5."""

    def make(**fields):
        return PostContext(**{"ip": "203.0.113.5", "rendered_at": time.time() - 60, **fields})

    return make


@pytest.fixture
def comment_settings():
    """The settings row, to change before a rule reads it."""
    return CommentSettings.load()


def fired(rule, comment, ctx):
    verdict = rule(comment, ctx)
    return verdict.rule_name if verdict else None


# Spam rules.


def test_honeypot_fires_when_filled(new_comment, context):
    verdict = rules.honeypot_filled(new_comment(), context(honeypot="http://spam.example"))
    assert verdict.action == SPAM
    assert verdict.rule_name == "honeypot_filled"


def test_honeypot_is_quiet_when_empty(new_comment, context):
    assert rules.honeypot_filled(new_comment(), context(honeypot="")) is None


def test_too_fast_fires_under_the_minimum(new_comment, context):
    now = time.time()
    verdict = rules.submitted_too_fast(new_comment(), context(rendered_at=now - 1, now=now))
    assert verdict.action == SPAM
    assert "1.0s" in verdict.reason


def test_too_fast_is_quiet_after_the_minimum(new_comment, context):
    now = time.time()
    assert rules.submitted_too_fast(new_comment(), context(rendered_at=now - 4, now=now)) is None


def test_too_fast_follows_the_setting(new_comment, context, comment_settings):
    comment_settings.min_seconds_to_submit = 0
    comment_settings.save()
    now = time.time()
    assert rules.submitted_too_fast(new_comment(), context(rendered_at=now, now=now)) is None


def test_timing_rules_skip_edits(new_comment, context):
    ctx = context(rendered_at=None, is_edit=True)
    assert rules.submitted_too_fast(new_comment(), ctx) is None
    assert rules.form_too_old(new_comment(), ctx) is None


def test_old_form_fires_after_max_age(new_comment, context):
    now = time.time()
    verdict = rules.form_too_old(new_comment(), context(rendered_at=now - 7 * 3600, now=now))
    assert verdict.rule_name == "form_too_old"
    assert verdict.action == SPAM


def test_old_form_is_quiet_within_max_age(new_comment, context):
    now = time.time()
    assert rules.form_too_old(new_comment(), context(rendered_at=now - 5 * 3600, now=now)) is None


@pytest.mark.parametrize("body", ["Cheap VIAGRA here", "Join our crypto giveaway!"])
def test_block_list_fires_on_listed_words(new_comment, context, body):
    verdict = rules.blocked_phrase(new_comment(body), context())
    assert verdict.action == SPAM
    assert verdict.rule_name == "blocked_phrase"


@pytest.mark.parametrize("body", ["Crypto is not my thing", "Occasional cramps only"])
def test_block_list_is_quiet_on_other_words(new_comment, context, body):
    assert rules.blocked_phrase(new_comment(body), context()) is None


def test_block_list_checks_the_name_too(new_comment, context):
    comment = new_comment(author_name="Casino Bonus")
    assert fired(rules.blocked_phrase, comment, context()) == "blocked_phrase"


@pytest.fixture
def blocked_domain(db):
    """spam.example is on the email-domain block list."""
    return Phrase.objects.create(kind=Phrase.Kind.BLOCK_EMAIL_DOMAIN, text="spam.example")


@pytest.mark.parametrize("email", ["bot@spam.example", "bot@mail.SPAM.example"])
def test_blocked_email_domain_fires(new_comment, context, blocked_domain, email):
    verdict = rules.blocked_email_domain(new_comment(author_email=email), context())
    assert verdict.rule_name == "blocked_email_domain"


@pytest.mark.parametrize("email", ["sam@notspam.example", "", "sam@example.com"])
def test_blocked_email_domain_is_quiet_for_others(new_comment, context, blocked_domain, email):
    assert rules.blocked_email_domain(new_comment(author_email=email), context()) is None


@pytest.fixture
def blocked_ranges(db):
    """An IPv4 /24 and an IPv6 /48 on the block list."""
    Phrase.objects.create(kind=Phrase.Kind.BLOCK_IP_RANGE, text="198.51.100.0/24")
    Phrase.objects.create(kind=Phrase.Kind.BLOCK_IP_RANGE, text="2001:db8:bad::/48")


@pytest.mark.parametrize("ip", ["198.51.100.7", "2001:db8:bad:1::9"])
def test_blocked_ip_range_fires(new_comment, context, blocked_ranges, ip):
    verdict = rules.blocked_ip_range(new_comment(), context(ip=ip))
    assert verdict.rule_name == "blocked_ip_range"
    assert ip not in verdict.reason


@pytest.mark.parametrize("ip", ["198.51.101.7", "2001:db8:600d::1", "", "not-an-ip"])
def test_blocked_ip_range_is_quiet_elsewhere(new_comment, context, blocked_ranges, ip):
    assert rules.blocked_ip_range(new_comment(), context(ip=ip)) is None


def test_duplicate_fires_for_same_author_same_text_same_article(
    new_comment, context, comment_factory, an_article
):
    comment_factory(an_article, CALM, author_email="sam@example.com")
    comment = new_comment(
        "Stretching  my calves\nbefore bed helps me.", author_email="SAM@example.com"
    )
    assert fired(rules.duplicate_comment, comment, context()) == "duplicate_comment"


def test_duplicate_matches_guests_by_address_hash(
    new_comment, context, comment_factory, an_article
):
    comment_factory(an_article, CALM, ip_hash="h1")
    assert (
        fired(rules.duplicate_comment, new_comment(ip_hash="h1"), context()) == "duplicate_comment"
    )
    assert rules.duplicate_comment(new_comment(ip_hash="h2"), context()) is None


def test_duplicate_is_quiet_on_another_article_or_after_the_window(
    new_comment, context, comment_factory, article_factory, an_article
):
    other = article_factory(slug="other", title="Other")
    comment_factory(other, CALM, author_email="sam@example.com")
    comment_factory(
        an_article,
        CALM,
        author_email="sam@example.com",
        created_at=timezone.now() - timedelta(hours=25),
    )
    assert rules.duplicate_comment(new_comment(author_email="sam@example.com"), context()) is None


def test_duplicate_is_quiet_for_another_author(new_comment, context, comment_factory, an_article):
    comment_factory(an_article, CALM, author_email="sam@example.com")
    assert rules.duplicate_comment(new_comment(author_email="kim@example.com"), context()) is None


# Hold rules.


def test_too_many_links_fires_above_the_limit(new_comment, context):
    comment = new_comment("See https://a.example/x and www.b.example and c-shop.com now")
    verdict = rules.too_many_links(comment, context())
    assert verdict.action == HOLD
    assert verdict.reason == "3 links (more than 1)"


def test_one_link_is_fine(new_comment, context):
    assert rules.too_many_links(new_comment("See https://nhs.uk/cramps"), context()) is None


def test_link_limit_follows_the_setting(new_comment, context, comment_settings):
    comment_settings.max_links = 3
    comment_settings.save()
    body = "https://a.example https://b.example https://c.example"
    assert rules.too_many_links(new_comment(body), context()) is None


def test_hold_list_fires_and_is_quiet(new_comment, context):
    Phrase.objects.create(kind=Phrase.Kind.HOLD, text="homeopathy")
    verdict = rules.hold_phrase(new_comment("Try Homeopathy first"), context())
    assert verdict.reason == "Matches the hold list ('Homeopathy')"
    assert rules.hold_phrase(new_comment(CALM), context()) is None


@pytest.mark.parametrize(
    ("rule", "body", "reason"),
    [
        (
            rules.dosing_advice,
            "Just double the dose if it hurts",
            "Medical safety: possible dosing advice: doubling a dose ('double the dose')",
        ),
        (
            rules.dosing_advice,
            "I take 400mg at night",
            "Medical safety: possible dosing advice: an amount of a medicine ('400mg')",
        ),
        (
            rules.dosing_advice,
            "Take 2.5 ml before bed",
            "Medical safety: possible dosing advice: a phrase on the moderators' list ('2.5 ml')",
        ),
        (
            rules.dosing_advice,
            "You should STOP TAKING statins",
            "Medical safety: possible dosing advice: stopping a prescribed medicine "
            "('STOP TAKING statins')",
        ),
        (
            rules.miracle_cure,
            "This miracle cure worked",
            "Medical safety: miracle-cure claim: a certain or permanent cure ('miracle cure')",
        ),
        (
            rules.miracle_cure,
            "A 100% cure!",
            "Medical safety: miracle-cure claim: a certain or permanent cure ('100% cure')",
        ),
        (
            rules.red_flag_symptom,
            "I have chest pain too",
            "Medical safety: red-flag symptom: chest pain ('chest pain')",
        ),
        (
            rules.red_flag_symptom,
            "I can’t breathe at night",
            "Medical safety: red-flag symptom: breathlessness ('can’t breathe')",
        ),
        (
            rules.red_flag_symptom,
            "My swollen calf aches",
            "Medical safety: red-flag symptom: possible clot in the leg ('swollen calf')",
        ),
        (
            rules.self_harm,
            "Some nights I want to die",
            "Medical safety: possible self-harm or suicidal thoughts: "
            "suicidal thoughts ('want to die')",
        ),
    ],
)
def test_medical_safety_rules_fire_with_a_clear_reason(new_comment, context, rule, body, reason):
    verdict = rule(new_comment(body), context())
    assert verdict.action == HOLD
    assert verdict.reason == reason


@pytest.mark.parametrize(
    ("rule", "body"),
    [
        (rules.dosing_advice, "Page 5 of the leaflet explains it"),
        (rules.dosing_advice, "I never stopped taking walks"),
        (rules.miracle_cure, "No miracles, just stretching"),
        (rules.red_flag_symptom, "My chest is fine, only calves"),
        (rules.self_harm, "A skill myself and my GP worked on"),
    ],
)
def test_medical_safety_rules_are_quiet_on_ordinary_text(new_comment, context, rule, body):
    assert rule(new_comment(body), context()) is None


def test_first_comment_fires_without_an_earlier_approved_one(
    new_comment, context, comment_factory, an_article
):
    comment_factory(an_article, "Pending one", author_email="sam@example.com")
    assert fired(rules.first_comment, new_comment(author_email="sam@example.com"), context()) == (
        "first_comment"
    )


def test_first_comment_is_quiet_for_a_returning_author(
    new_comment, context, comment_factory, an_article
):
    comment_factory(
        an_article, "Earlier", author_email="sam@example.com", status=Comment.Status.APPROVED
    )
    assert rules.first_comment(new_comment(author_email="Sam@Example.com"), context()) is None


def test_first_comment_can_be_switched_off(new_comment, context, comment_settings):
    comment_settings.hold_first_comment = False
    comment_settings.save()
    assert rules.first_comment(new_comment(), context()) is None


# The approve rule.


@pytest.fixture
def a_returning_commenter(an_article, comment_factory):
    """sam@example.com has an approved comment and confirmed the address."""
    comment_factory(
        an_article, "Earlier", author_email="sam@example.com", status=Comment.Status.APPROVED
    )
    Subscriber.objects.create(
        email_token=email_token_for("sam@example.com"), confirmed_at=timezone.now()
    )
    return "sam@example.com"


def test_confirmed_returning_commenter_is_approved_when_switched_on(
    new_comment, context, comment_settings, a_returning_commenter
):
    comment_settings.auto_approve_confirmed_returning = True
    comment_settings.save()
    verdict = rules.confirmed_returning_commenter(
        new_comment(author_email=a_returning_commenter), context()
    )
    assert verdict.action == APPROVE


@pytest.mark.parametrize(
    "body",
    [
        "Some nights I hope I don't wake up",
        "my calf is swollen and red since the flight",
        "stopped my blood thinners, you should too",
        "Cured forever, guaranteed",
    ],
)
def test_no_approve_rule_ever_approves_a_safety_hold(
    new_comment, context, comment_settings, a_returning_commenter, body
):
    comment_settings.auto_approve_confirmed_returning = True
    comment_settings.save()
    comment = new_comment(body, author_email=a_returning_commenter)

    verdict = decisions.post(comment, context())

    assert verdict.rule_name in rules.MEDICAL_RULES
    assert comment.status == Comment.Status.PENDING
    assert all(rule(comment, context()).action == APPROVE for rule in rules.APPROVE_RULES)


def test_confirmed_returning_commenter_rule_is_off_by_default(
    new_comment, context, a_returning_commenter
):
    comment = new_comment(author_email=a_returning_commenter)
    assert rules.confirmed_returning_commenter(comment, context()) is None


def test_unconfirmed_or_new_commenters_are_not_auto_approved(
    new_comment, context, comment_settings, an_article, comment_factory
):
    comment_settings.auto_approve_confirmed_returning = True
    comment_settings.save()
    comment_factory(
        an_article, "Earlier", author_email="kim@example.com", status=Comment.Status.APPROVED
    )
    Subscriber.objects.create(
        email_token=email_token_for("new@example.com"), confirmed_at=timezone.now()
    )
    for email in ("kim@example.com", "new@example.com", ""):
        assert (
            rules.confirmed_returning_commenter(new_comment(author_email=email), context()) is None
        )


# Posting through comments.decisions: the verdict becomes the status, in order.


def test_spam_rules_run_before_hold_rules(new_comment, context):
    comment = new_comment("I have chest pain")
    verdict = decisions.post(comment, context(honeypot="x"))
    assert verdict.rule_name == "honeypot_filled"
    assert comment.status == Comment.Status.SPAM


def test_hold_rules_run_before_the_approve_rule(
    new_comment, context, comment_settings, a_returning_commenter
):
    comment_settings.auto_approve_confirmed_returning = True
    comment_settings.save()
    comment = new_comment("Double the dose, it works", author_email=a_returning_commenter)
    decisions.post(comment, context())
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_rule == "dosing_advice"


def test_moderate_records_the_rule_and_its_reason(new_comment, context):
    comment = new_comment("See https://a.example and https://b.example")
    decisions.post(comment, context())
    comment.refresh_from_db()
    assert comment.moderation_rule == "too_many_links"
    assert comment.moderation_reason == "2 links (more than 1)"
    assert comment.status == Comment.Status.PENDING


def test_nothing_fires_so_the_comment_waits_for_a_moderator(new_comment, context, comment_settings):
    comment_settings.hold_first_comment = False
    comment_settings.save()
    comment = new_comment()
    verdict = decisions.post(comment, context())
    assert verdict == rules.PRE_MODERATION
    assert comment.status == Comment.Status.PENDING


def test_staff_skip_the_rules(new_comment, context):
    staff = get_user_model().objects.create_user("mod", is_staff=True)
    comment = new_comment("Casino! https://a.example https://b.example", user=staff)
    verdict = decisions.post(comment, context(honeypot="x"))
    assert verdict.rule_name == "written_by_staff"
    assert comment.status == Comment.Status.APPROVED


def test_every_rule_has_its_own_name():
    assert len(set(rules.RULE_NAMES)) == len(rules.RULES)


# The medical-safety rules are checked whatever else fires.

HELP_ME = "I want to die when the cramps wake me every night"


def test_a_repeated_self_harm_comment_is_held_not_spam(
    new_comment, context, an_article, comment_factory
):
    comment_factory(an_article, HELP_ME, author_email="sam@example.com")
    comment = new_comment(HELP_ME, author_email="sam@example.com")

    verdict = decisions.post(comment, context())

    assert comment.status == Comment.Status.PENDING
    assert verdict.rule_name == "self_harm"
    assert verdict.reason.startswith("Medical safety: possible self-harm")
    assert "Same text by the same author" in verdict.reason
    assert rules.needs_urgent_help(verdict)


@pytest.mark.parametrize("at", [1, 7 * 3600])
def test_a_red_flag_posted_too_fast_or_too_late_is_held(new_comment, context, at):
    now = time.time()
    comment = new_comment("Sudden chest pain and a swollen calf")

    verdict = decisions.post(comment, context(rendered_at=now - at, now=now))

    assert (comment.status, verdict.rule_name) == (Comment.Status.PENDING, "red_flag_symptom")
    assert rules.needs_urgent_help(verdict)


@pytest.mark.parametrize(
    ("fields", "spam_rule"),
    [({"honeypot": "x"}, "honeypot_filled"), ({"ip": "198.51.100.7"}, "blocked_ip_range")],
)
def test_honeypot_and_block_lists_stay_spam_but_still_ask_for_urgent_help(
    new_comment, context, fields, spam_rule
):
    Phrase.objects.create(kind=Phrase.Kind.BLOCK_IP_RANGE, text="198.51.100.0/24")
    comment = new_comment(HELP_ME)

    verdict = decisions.post(comment, context(**fields))

    assert (comment.status, verdict.rule_name) == (Comment.Status.SPAM, spam_rule)
    assert rules.needs_urgent_help(verdict)


def test_dosing_advice_that_repeats_stays_spam_with_the_medicine_note(
    new_comment, context, an_article, comment_factory
):
    """Only self-harm and red flags are worth a moderator's look despite the spam signs."""
    comment_factory(an_article, "Double the dose of quinine", author_email="sam@example.com")
    comment = new_comment("Double the dose of quinine", author_email="sam@example.com")

    verdict = decisions.post(comment, context())

    assert (comment.status, verdict.rule_name) == (Comment.Status.SPAM, "duplicate_comment")
    assert verdict.note == rules.MEDICINE_NOTE
    assert not rules.needs_urgent_help(verdict)


def test_ordinary_spam_gets_no_urgent_note(new_comment, context):
    verdict = decisions.post(new_comment(), context(honeypot="x"))

    assert not rules.needs_urgent_help(verdict)
