"""axe-core finds nothing at WCAG 2.2 AA on the public pages, light and dark."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from public_pages import PUBLIC_PAGES

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    },
    "resultTypes": ["violations"],
}
SCHEMES = ("light", "dark")


@pytest.fixture(scope="module")
def axe():
    """axe-core, read from the package once."""
    return Axe()


def violations(axe, page) -> list[str]:
    found = axe.run(page, options=AXE_OPTIONS).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        f"\n    {v['nodes'][0]['failureSummary']}"
        for v in found
    ]


@pytest.mark.parametrize("public_page", PUBLIC_PAGES, ids=str)
def test_page_has_no_accessibility_violations(
    new_context, watch, axe, approved_comments, public_page
):
    """Visit the page as a reader would, then axe it in light and in dark mode."""
    watch.expect_page_status(public_page.status)
    page = new_context(color_scheme="light").new_page()
    public_page.open(page)
    report = []
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        report += [f"[{scheme}] {line}" for line in violations(axe, page)]
    assert not report, "\n".join(report)


def test_admin_lockout_page_has_no_accessibility_violations(new_context, watch, axe, a_moderator):
    """Five wrong passwords at the admin login lead to the lockout page (429)."""
    watch.expect_page_status(429)
    page = new_context(color_scheme="light").new_page()
    page.goto("/admin/login/")
    for _ in range(5):
        page.get_by_label("Username").fill(a_moderator.username)
        page.get_by_label("Password").fill("not the password")
        page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Too many failed logins")).to_be_visible()
    expect(page.get_by_text("You can try again after")).to_be_visible()
    report = []
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        report += [f"[{scheme}] {line}" for line in violations(axe, page)]
    assert not report, "\n".join(report)
