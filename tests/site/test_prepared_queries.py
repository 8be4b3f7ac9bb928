"""A prepared query gives what its queryset gives, converted the same way, rows read anew."""

import datetime

import pytest

from articles.models import Article
from cramps_site.prepared_queries import Prepared

pytestmark = pytest.mark.django_db

COLUMNS = ("pk", "title", "publish_at", "allow_comments", "approved_comment_count")


def test_rows_are_the_querysets_rows_with_the_same_types(article_factory):
    article_factory(slug="one", title="One")
    article_factory(slug="two", title="Two", allow_comments=False)
    queryset = Article.objects.published().values_list(*COLUMNS).order_by("pk")

    rows = Prepared.of(queryset).rows()

    assert rows == list(queryset)
    assert [type(value) for value in rows[0]] == [type(value) for value in list(queryset)[0]]
    assert isinstance(rows[0][2], datetime.datetime) and rows[0][2].tzinfo is not None
    assert rows[1][3] is False


def test_rows_are_read_again_on_every_run(article_factory):
    """The SQL is kept, not the rows."""
    article = article_factory(slug="one", title="One")
    prepared = Prepared.of(Article.objects.filter(pk=article.pk).values_list("title"))
    assert prepared.rows() == [("One",)]

    Article.objects.filter(pk=article.pk).update(title="One, revised")

    assert prepared.rows() == [("One, revised",)]


def test_each_run_is_one_query(article_factory, django_assert_num_queries):
    article_factory(slug="one", title="One")
    prepared = Prepared.of(Article.objects.values_list("pk", "publish_at"))

    with django_assert_num_queries(1):
        prepared.rows()


def test_a_filter_that_matches_nothing_costs_no_query(django_assert_num_queries):
    prepared = Prepared.of(Article.objects.filter(pk__in=[]).values_list("pk"))

    with django_assert_num_queries(0):
        assert prepared.rows() == []
