"""A page gzipped once with fresh parts spliced in decompresses to the same bytes."""

import gzip

import pytest

from cramps_site.gzip_segments import SplicedPage

PAGE = [b"<html>" + b"<p>A comment about cramps.</p>" * 3000, b'"><p>form</p>' * 50, b"</html>"]


@pytest.mark.parametrize("parts", [[b"token-1", b"x"], [b"", b""], [b"\xe2\x80\x9c" * 100, b"y"]])
def test_spliced_gzip_is_the_raw_page_with_the_parts(parts):
    page = SplicedPage.of(PAGE)

    assert gzip.decompress(page.gzip(parts)) == page.raw(parts)
    assert page.raw(parts) == PAGE[0] + parts[0] + PAGE[1] + parts[1] + PAGE[2]


def test_a_page_without_fresh_parts_is_one_gzip_member():
    page = SplicedPage.of([b"<p>static</p>" * 100])

    assert page.fresh_count == 0
    assert gzip.decompress(page.gzip([])) == b"<p>static</p>" * 100


def test_the_compressed_page_is_much_smaller_than_the_raw_one():
    page = SplicedPage.of(PAGE)

    assert len(page.gzip([b"a", b"b"])) < len(page.raw([b"a", b"b"])) / 10
