"""The page shell every page shares: header search, landmarks, footer, errors."""

import pytest
from django.test import Client
from django.urls import reverse


@pytest.mark.django_db
def test_home_page_has_search_box_under_the_seed_heading(client, site_content):
    response = client.get(reverse("articles:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Couldn't find what you're looking for?" in html or (
        "Couldn&#x27;t find what you&#x27;re looking for?" in html
    )
    assert 'role="search"' in html and 'name="q"' in html
    assert html.count("<h1") == 1
    for landmark in ("<header", "<main", "<footer", 'class="skip-link" href="#main"'):
        assert landmark in html
    assert "Medical disclaimer" in html


@pytest.mark.django_db
def test_strict_csp_and_security_headers_on_every_page(client, site_content):
    response = client.get(reverse("articles:home"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_page_uses_only_local_assets(client, site_content):
    html = client.get(reverse("articles:home")).content.decode()
    assert "cdn" not in html.lower()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html
    assert "<script>" not in html and 'style="' not in html


@pytest.mark.django_db
def test_styled_404_in_the_page_shell(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "find that page" in html
    assert 'role="search"' in html


@pytest.mark.django_db
def test_styled_500_page(settings):
    settings.DEBUG = False

    def boom(request):
        raise RuntimeError("boom")

    from django.urls import path

    import cramps_site.urls as site_urls

    settings.ROOT_URLCONF = type(
        "Urls", (), {"urlpatterns": [path("boom/", boom), *site_urls.urlpatterns]}
    )
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert "Sorry, something went wrong" in response.content.decode()
