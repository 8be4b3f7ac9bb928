"""Headers that tell browsers what the site will never do."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

# Features a health article and a comment form have no use for.
NEVER_USED = ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics")


def policy_of(response) -> dict[str, str]:
    return dict(item.strip().split("=", 1) for item in response["Permissions-Policy"].split(","))


@pytest.mark.parametrize(
    "path", ["/", "/articles/leg-cramps-at-night/", "/search/?q=cramp", "/no-such-page/"]
)
def test_every_page_turns_off_browser_features_the_site_does_not_use(client, site_content, path):
    policy = policy_of(client.get(path))
    for feature in NEVER_USED:
        assert policy[feature] == "()", feature


def test_the_permissions_policy_allows_nothing_to_anyone(client, site_content):
    """Every listed feature is off for the site itself as well as for any frame."""
    policy = policy_of(client.get("/"))
    assert set(policy) == set(settings.PERMISSIONS_POLICY)
    assert set(policy.values()) == {"()"}


def test_the_admin_and_refusals_carry_the_policy_too(client):
    assert policy_of(client.get("/admin/login/"))["camera"] == "()"
    refused = client.post("/comments/post/", {"body": "x"})
    assert refused.status_code >= 400
    assert policy_of(refused)["geolocation"] == "()"


def test_hsts_preload_header_when_https_is_on(client, settings):
    """With HTTPS (production's default) the HSTS header is long, covers subdomains and
    may be preloaded."""
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
