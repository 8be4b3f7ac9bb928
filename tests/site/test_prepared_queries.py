"""A prepared query gives what its queryset gives, converted the same way, rows read anew."""

import datetime

import pytest

from articles.models import Article
from cramps_site.prepared_queries import Prepared, Slot

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


ANY_ARTICLE = Slot("article")


def test_a_query_built_with_a_slot_gives_each_bound_rows_its_own(article_factory):
    one = article_factory(slug="one", title="One")
    two = article_factory(slug="two", title="Two")
    prepared = Prepared.of(
        Article.objects.published().filter(pk=ANY_ARTICLE).values_list("title"), ANY_ARTICLE
    )

    assert prepared.bind(article=one.pk).rows() == [("One",)]
    assert prepared.bind(article=two.pk).rows() == [("Two",)]


def test_a_slot_stands_wherever_the_queryset_used_it(article_factory):
    """Bound in every place: were one left as the stand-in, no row would match."""
    one = article_factory(slug="one", title="One")
    article_factory(slug="two", title="Two")
    queryset = Article.objects.filter(pk__gte=ANY_ARTICLE, pk__lte=ANY_ARTICLE)

    prepared = Prepared.of(queryset.values_list("title"), ANY_ARTICLE)

    assert [name for name, _ in prepared.slots] == ["article"]
    assert len(prepared.slots[0][1]) == 2
    assert prepared.bind(article=one.pk).rows() == [("One",)]


def test_a_query_with_an_unbound_slot_does_not_run(article_factory):
    prepared = Prepared.of(Article.objects.filter(pk=ANY_ARTICLE).values_list("title"), ANY_ARTICLE)

    with pytest.raises(TypeError):
        prepared.rows()
    with pytest.raises(TypeError):
        prepared.bind(article=1, page=2)


def test_a_slot_the_queryset_does_not_use_is_an_error():
    with pytest.raises(ValueError, match="article"):
        Prepared.of(Article.objects.filter(pk=1).values_list("title"), ANY_ARTICLE)
