"""The watch itself: a sub-resource that fails to load fails the test."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_watch_records_a_missing_image_but_not_an_expected_404_page(new_context, watch):
    watch.expect_page_status(404)
    page = new_context().new_page()
    page.goto("/no-such-page/")
    page.evaluate(
        """() => new Promise((done) => {
          const img = Object.assign(new Image(), {src: "/static/no-such-image.png", alt: ""});
          img.onerror = done;
          document.body.append(img);
        })"""
    )
    expect(page.locator("h1")).to_be_visible()
    assert [line.split(" for ")[1].split(" ")[0] for line in watch.failed_responses] == ["image"]
    watch.failed_responses.clear()  # seen: let the fixture pass
