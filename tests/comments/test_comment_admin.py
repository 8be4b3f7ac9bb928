"""The moderators' admin: list, search, bulk decisions and the article inline."""

import pytest
from django.db import connection
from django.forms import FileField, MultiWidget
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from comments.models import Comment

pytestmark = pytest.mark.django_db

S = Comment.Status
CHANGELIST = "/admin/comments/comment/"


def act(admin_client, action, *comments, reason=""):
    """Choose the action, then confirm it on the page that asks for a reason."""
    url = f"{CHANGELIST}?status__exact=all"
    chosen = {"action": action, "_selected_action": [c.pk for c in comments]}
    confirmation = admin_client.post(url, chosen)
    assert confirmation.status_code == 200
    assert 'name="reason"' in confirmation.content.decode()
    return admin_client.post(url, chosen | {"post": "yes", "reason": reason}, follow=True)


def test_changelist_shows_text_article_name_age_and_status(admin_client, a_pending_comment):
    page = admin_client.get(CHANGELIST).content.decode()

    assert "Is magnesium worth trying?" in page
    assert "Night cramps explained" in page
    assert "Guest" in page
    assert "Pending" in page


def test_bulk_action_labels(admin_client, a_pending_comment):
    page = admin_client.get(CHANGELIST).content.decode()

    assert ">Approve selected comments</option>" in page
    assert ">Reject selected comments</option>" in page
    assert ">Mark selected comments as spam</option>" in page


def test_search_box_searches_the_comment_text(admin_client, an_article, comment_factory):
    comment_factory(an_article, "Quinine used to be prescribed")
    comment_factory(an_article, "Bananas every morning")

    page = admin_client.get(CHANGELIST, {"q": "quinine"}).content.decode()

    assert "Quinine used to be prescribed" in page
    assert "Bananas every morning" not in page


def test_search_finds_name_and_email(admin_client, an_approved_comment):
    for query in ("Margaret", "margaret@example.com"):
        page = admin_client.get(CHANGELIST, {"q": query, "status__exact": "all"})
        assert "Drinking water before bed" in page.content.decode()


@pytest.mark.parametrize(
    ("param", "value", "shown"),
    [
        ("status__exact", "pending", True),
        ("status__exact", "approved", False),
        ("article__id__exact", "ARTICLE", True),
        ("created_at__gte", "2000-01-01 00:00:00+00:00", True),
    ],
)
def test_filters_by_status_article_and_date(admin_client, a_pending_comment, param, value, shown):
    value = a_pending_comment.article_id if value == "ARTICLE" else value

    response = admin_client.get(CHANGELIST, {param: value})

    assert response.status_code == 200
    assert ("Is magnesium worth trying?" in response.content.decode()) is shown


def test_approve_in_the_admin_makes_it_public(
    admin_client, admin_user, a_pending_comment, article_url, an_article
):
    assert a_pending_comment.body not in Client().get(article_url).content.decode()

    response = act(admin_client, "approve", a_pending_comment)

    assert "Approved 1 comment." in response.content.decode()
    assert a_pending_comment.body in Client().get(article_url).content.decode()
    a_pending_comment.refresh_from_db()
    assert a_pending_comment.status == S.APPROVED
    assert a_pending_comment.decided_by == admin_user
    assert a_pending_comment.decided_at is not None
    an_article.refresh_from_db()
    assert an_article.approved_comment_count == 1


@pytest.mark.parametrize(("action", "status"), [("reject", S.REJECTED), ("mark_spam", S.SPAM)])
def test_reject_and_spam_hide_the_comment_and_its_replies(
    admin_client, a_thread, article_url, an_article, action, status
):
    top, reply, deep = a_thread

    act(admin_client, action, top)

    page = Client().get(article_url).content.decode()
    for comment in (top, reply, deep):
        assert f'id="comment-{comment.pk}"' not in page
    top.refresh_from_db()
    assert top.status == status
    an_article.refresh_from_db()
    assert an_article.approved_comment_count == 0
    assert "No comments yet." in page


def test_status_change_on_the_comment_page_records_the_moderator(
    admin_client, admin_user, a_pending_comment, an_article
):
    url = reverse("admin:comments_comment_change", args=[a_pending_comment.pk])
    data = {
        "article": an_article.pk,
        "parent": "",
        "body": a_pending_comment.body,
        "author_name": "",
        "author_email": "",
        "user": "",
        "status": S.APPROVED,
        "moderation_reason": "",
    }

    response = admin_client.post(url, data)

    assert response.status_code == 302
    a_pending_comment.refresh_from_db()
    assert (a_pending_comment.status, a_pending_comment.decided_by) == (S.APPROVED, admin_user)
    an_article.refresh_from_db()
    assert an_article.approved_comment_count == 1


def test_admin_delete_keeps_the_count_right(admin_client, an_approved_comment, an_article):
    admin_client.post(
        f"{CHANGELIST}?status__exact=all",
        {"action": "delete_selected", "_selected_action": [an_approved_comment.pk], "post": "yes"},
    )

    an_article.refresh_from_db()
    assert an_article.approved_comment_count == 0


def test_article_change_page_shows_its_comments_inline(
    admin_client, an_article, an_approved_comment, a_pending_comment
):
    url = reverse("admin:articles_article_change", args=[an_article.pk])

    page = admin_client.get(url).content.decode()

    assert "Drinking water before bed helped my cramps." in page
    assert "Is magnesium worth trying?" in page
    assert 'name="comments-0-status"' in page


def form_values(form) -> dict:
    """A bound-form POST body, as the browser would send the rendered form."""
    values = {}
    for name, field in form.fields.items():
        if isinstance(field, FileField):
            continue
        value = form[name].value()
        key = form.add_prefix(name)
        if isinstance(field.widget, MultiWidget):
            for index, part in enumerate(field.widget.decompress(value)):
                values[f"{key}_{index}"] = part
        else:
            values[key] = "" if value is None else value
    return values


def change_page_post_data(response) -> dict:
    data = form_values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data |= form_values(formset.management_form)
        for form in formset.forms:
            data |= form_values(form)
    return data


def test_approving_inline_on_the_article_page_records_the_moderator(
    admin_client, admin_user, an_article, a_pending_comment
):
    url = reverse("admin:articles_article_change", args=[an_article.pk])
    data = change_page_post_data(admin_client.get(url))
    data["comments-0-status"] = S.APPROVED

    response = admin_client.post(url, data)

    assert response.status_code == 302
    a_pending_comment.refresh_from_db()
    assert (a_pending_comment.status, a_pending_comment.decided_by) == (S.APPROVED, admin_user)
    an_article.refresh_from_db()
    assert an_article.approved_comment_count == 1


@pytest.fixture
def comments_on_many_articles(article_factory, comment_factory, admin_user):
    """Makes n comments spread over five articles, some by staff."""

    def make(n):
        articles = [article_factory(slug=f"a{k}", title=f"A{k}") for k in range(5)]
        for k in range(n):
            comment_factory(
                articles[k % 5],
                f"Comment {k}",
                author_name=f"Reader {k}",
                user=admin_user if k % 3 == 0 else None,
            )

    return make


# Session user, the filtered count, the total count, the page of comments with
# their articles and users, the article filter's choices, and the moderators'
# medical-safety phrases (read once, for marking the words the detector finds).
CHANGELIST_QUERIES = 6


@pytest.mark.parametrize("n", [1, 120])
def test_changelist_query_count_does_not_grow_with_comments(
    admin_client, comments_on_many_articles, django_assert_num_queries, n
):
    comments_on_many_articles(n)

    with django_assert_num_queries(CHANGELIST_QUERIES):
        response = admin_client.get(CHANGELIST)

    assert response.status_code == 200


def test_admin_titles_name_the_article_not_its_id(admin_client, an_approved_comment):
    url = reverse("admin:comments_comment_change", args=[an_approved_comment.pk])
    html = admin_client.get(url).content.decode()

    assert f"on “{an_approved_comment.article.title}”" in html
    assert f" on {an_approved_comment.article_id}:" not in html


def test_bulk_confirmation_names_articles_in_a_constant_number_of_queries(
    admin_client, comments_on_many_articles, comment_factory, django_assert_num_queries
):
    """Each comment's title reads its article's title from the list's own query."""

    def confirm_deleting_all():
        selected = list(Comment.objects.values_list("pk", flat=True))
        data = {"action": "delete_selected", "_selected_action": selected}
        return admin_client.post(CHANGELIST, data)

    comments_on_many_articles(1)
    with CaptureQueriesContext(connection) as one:
        confirm_deleting_all()
    for k, article in enumerate(list(Article.objects.all()) * 2):
        comment_factory(article, f"More {k}", author_name=f"Other {k}")
    with django_assert_num_queries(len(one.captured_queries)):
        response = confirm_deleting_all()

    assert "on “A4”" in response.content.decode()
