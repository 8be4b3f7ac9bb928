"""Pages travel compressed to browsers that accept it, and plain to those that do not."""

import gzip

import pytest

pytestmark = pytest.mark.django_db


def test_the_article_page_is_gzipped_for_browsers_that_accept_it(client, an_article):
    response = client.get(an_article.get_absolute_url(), headers={"Accept-Encoding": "gzip, br"})

    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert b"<h1" in gzip.decompress(response.content)


def test_a_client_that_does_not_accept_gzip_gets_plain_html(client, an_article):
    response = client.get(an_article.get_absolute_url())

    assert not response.has_header("Content-Encoding")
    assert b"<h1" in response.content
