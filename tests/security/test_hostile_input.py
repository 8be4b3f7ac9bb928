"""The inputs the fuzzing found answered with a 500 (cramps_site/hostile_input.py)."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_nul_in_a_search_is_dropped_and_the_words_are_still_found(client, site_content):
    """PostgreSQL refuses NUL in text: this search was a 500 there."""
    response = client.get(reverse("articles:search"), {"q": "magnesium\x00"})
    assert response.status_code == 200
    assert response.context["query"] == "magnesium"
    assert response.context["hits"]


@pytest.mark.django_db
def test_nul_in_an_admin_list_filter_is_dropped_not_a_500(admin_client):
    response = admin_client.get("/admin/comments/comment/?status__exact=pending%00")
    assert response.status_code == 200
    assert response.wsgi_request.GET["status__exact"] == "pending"


def test_a_media_path_too_long_for_the_disk_is_not_found(client):
    assert client.get("/media/" + "a" * 1000).status_code == 404
