"""The rules seen from the form: what a poster is told, and what is stored."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.test import Client

from comments.models import Comment, Phrase
from comments.readers.forms import form_token

pytestmark = pytest.mark.django_db

AWAITING = "Thanks! Your comment is awaiting moderation."
URGENT_NOTE = "When to get urgent help"


def note_in(page: str, anchor: str) -> str:
    """The note where the poster lands, from its anchor to the end of its aside."""
    start = page.index(f'id="{anchor}"')
    return page[start : page.index("</aside>", start)]


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_honeypot_post_is_kept_as_spam_with_the_usual_answer(client, post_url, form_data):
    response = client.post(post_url, form_data | {"homepage": "http://buy.example"})

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.SPAM
    assert comment.moderation_rule == "honeypot_filled"
    assert response.status_code == 303
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    assert messages_of(response) == [AWAITING]


def test_spam_looks_pending_to_its_author_and_is_hidden_from_others(
    client, post_url, form_data, article_url
):
    client.post(post_url, form_data | {"homepage": "x"})

    own_page = client.get(article_url).content.decode()
    assert "Calf stretches before bed" in own_page
    assert "Awaiting moderation" in own_page
    assert "Calf stretches before bed" not in Client().get(article_url).content.decode()


def test_a_form_posted_at_once_is_spam(client, post_url, form_data, an_article):
    response = client.post(post_url, form_data | {"token": form_token(an_article)})

    assert Comment.objects.get().moderation_rule == "submitted_too_fast"
    assert messages_of(response) == [AWAITING]


def test_the_rendered_form_has_a_hidden_honeypot(client, article_url):
    page = client.get(article_url).content.decode()

    assert 'name="homepage"' in page
    assert 'class="comment-hp"' in page
    assert 'aria-hidden="true"' in page
    assert 'tabindex="-1"' in page


def test_a_blocked_address_is_spam_and_the_address_is_not_stored(post_url, form_data):
    Phrase.objects.create(kind=Phrase.Kind.BLOCK_IP_RANGE, text="198.51.100.0/24")

    Client(REMOTE_ADDR="198.51.100.9").post(post_url, form_data)

    comment = Comment.objects.get()
    assert comment.moderation_rule == "blocked_ip_range"
    stored = " ".join(str(getattr(comment, f.attname)) for f in Comment._meta.concrete_fields)
    assert "198.51.100.9" not in stored


@pytest.mark.parametrize(
    ("body", "rule"),
    [
        ("My swollen calf is hot and hurts", "red_flag_symptom"),
        ("Honestly I want to die when the cramps come", "self_harm"),
        ("i cant breath and my lips look blue", "red_flag_symptom"),
        ("ive been saving up my tablets, i know how many it would take", "self_harm"),
    ],
)
def test_urgent_post_is_held_and_the_poster_sees_urgent_help(
    client, post_url, form_data, body, rule
):
    response = client.post(post_url, form_data | {"body": body})

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_rule == rule
    assert comment.moderation_reason.startswith("Medical safety: ")
    assert response["Location"].endswith("#urgent-help")

    page = client.get(response["Location"]).content.decode()
    assert URGENT_NOTE in page
    assert 'id="urgent-help"' in page
    assert "call <strong>999</strong>" in page
    assert "Samaritans" in page and "116&nbsp;123" in page
    assert "NHS 111" in page and "<strong>988</strong>" in page
    assert "awaiting moderation" in page
    assert body not in note_in(page, "urgent-help"), "the note never quotes the comment back"


@pytest.mark.parametrize(
    ("body", "first"),
    [
        ("Honestly I want to die when the cramps come", "Samaritans"),
        ("I'd rather die than go on like this", "Samaritans"),
        ("i cant breath and my lips look blue", "chest pain"),
        ("my calf is swollen and hot since the flight", "chest pain"),
    ],
)
def test_the_urgent_note_leads_with_where_to_talk_for_self_harm_and_with_999_for_red_flags(
    client, post_url, form_data, body, first
):
    response = client.post(post_url, form_data | {"body": body})

    note = note_in(client.get(response["Location"]).content.decode(), "urgent-help")
    items = note.split("<li>")[1:]
    assert len(items) == 4, "each line of the note is shown once"
    assert first in items[0]
    assert sum("Samaritans" in item for item in items) == 1


@pytest.mark.parametrize(
    ("body", "rule"),
    [
        ("Just double the dose of quinine", "dosing_advice"),
        ("stopped my statins myself, you should too", "dosing_advice"),
        ("This oil cured my cramps forever, guaranteed", "miracle_cure"),
    ],
)
def test_dosing_or_miracle_post_is_held_and_the_poster_sees_the_medicine_note(
    client, post_url, form_data, body, rule
):
    response = client.post(post_url, form_data | {"body": body})

    comment = Comment.objects.get()
    assert (comment.status, comment.moderation_rule) == (Comment.Status.PENDING, rule)
    assert response["Location"].endswith("#medicine-help")

    page = client.get(response["Location"]).content.decode()
    assert 'id="medicine-help"' in page
    assert "A moderator will check the advice" in page
    assert "doctor or pharmacist" in page
    assert "taken too much of a medicine" in page and "NHS 111" in page
    assert URGENT_NOTE not in page
    assert body not in note_in(page, "medicine-help"), "the note never quotes the comment back"


def test_an_urgent_reason_names_the_category_the_concept_and_the_words(client, post_url, form_data):
    client.post(post_url, form_data | {"body": "My left calf is swollen and hot after my flight"})

    reason = Comment.objects.get().moderation_reason
    assert reason.startswith("Medical safety: red-flag symptom: possible clot in the leg (")
    assert "'calf is swollen" in reason


def test_negated_or_advice_posts_get_no_note(client, post_url, form_data):
    for body in ("No chest pain, no swelling, just cramps", "If you ever get chest pain call 999"):
        response = client.post(post_url, form_data | {"body": body})
        assert not response["Location"].endswith(("#urgent-help", "#medicine-help"))


def test_the_urgent_note_is_shown_once(client, post_url, form_data, article_url):
    response = client.post(post_url, form_data | {"body": "I get chest pain with it"})
    client.get(response["Location"])

    assert URGENT_NOTE not in client.get(article_url).content.decode()


def test_an_ordinary_post_gets_no_urgent_note(client, post_url, form_data):
    response = client.post(post_url, form_data, follow=True)

    assert URGENT_NOTE not in response.content.decode()
    assert Comment.objects.get().moderation_rule == "first_comment"


def test_staff_posts_skip_the_rules(client, post_url, form_data):
    staff = get_user_model().objects.create_user("mod", password="pw", is_staff=True)
    client.force_login(staff)

    client.post(post_url, form_data | {"homepage": "x", "body": "Casino chest pain"})

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.APPROVED
    assert comment.moderation_rule == "written_by_staff"


def test_the_admin_list_shows_the_rule_that_fired(admin_client, post_url, form_data, client):
    client.post(post_url, form_data | {"body": "See https://a.example and https://b.example"})

    page = admin_client.get("/admin/comments/comment/?status__exact=pending").content.decode()

    assert "too_many_links" in page
    assert "2 links (more than 1)" in page


@pytest.mark.parametrize(
    "url",
    [
        "/comments/99999999999999999999999/report/",
        "/comments/99999999999999999999999/edit/?token=x",
        "/comments/99999999999999999999999/delete/?token=x",
    ],
)
def test_absurd_ids_are_not_found_not_crashed(client, url):
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "spam", "token": "x"}).status_code == 404


def test_a_huge_honeypot_is_still_just_spam(client, post_url, form_data):
    client.post(post_url, form_data | {"homepage": "x" * 10_000})

    assert Comment.objects.get().moderation_rule == "honeypot_filled"


def test_garbage_forwarded_for_behind_a_proxy_is_not_a_crash(post_url, form_data, settings):
    settings.BEHIND_PROXY = True  # the test client's 127.0.0.1 is a trusted proxy
    client = Client(HTTP_X_FORWARDED_FOR="<script>, ::::, 999.1.1.1")

    assert client.post(post_url, form_data).status_code == 303


def test_the_admin_list_filters_by_rule(admin_client, an_article, comment_factory):
    comment_factory(an_article, "Linky", moderation_rule="too_many_links")
    comment_factory(an_article, "Firsty", moderation_rule="first_comment")

    page = admin_client.get("/admin/comments/comment/?rule=too_many_links").content.decode()

    assert "Linky" in page
    assert "Firsty" not in page


def test_posting_the_same_self_harm_comment_twice_holds_both_and_shows_help_each_time(
    client, post_url, form_data
):
    """A person in distress may well post twice; a duplicate must not bury it as spam."""
    data = form_data | {"body": "Honestly I want to die when the cramps come"}
    for _ in range(2):
        response = client.post(post_url, data)
        assert response["Location"].endswith("#urgent-help")
        assert URGENT_NOTE in client.get(response["Location"]).content.decode()

    assert [c.status for c in Comment.objects.all()] == [Comment.Status.PENDING] * 2
    assert Comment.objects.latest("pk").moderation_rule == "self_harm"


def test_a_bot_tripping_the_honeypot_with_a_red_flag_is_spam_but_sees_the_same_help(
    client, post_url, form_data
):
    response = client.post(post_url, form_data | {"homepage": "x", "body": "I get chest pain"})

    assert Comment.objects.get().status == Comment.Status.SPAM
    assert response["Location"].endswith("#urgent-help")
    page = client.get(response["Location"]).content.decode()
    assert URGENT_NOTE in page
    assert "awaiting moderation" in page
