"""Hero images: validated on upload, resized to WebP and JPEG renditions."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.images import validate_hero_image


def png_upload(width, height, name="hero.png"):
    buffer = BytesIO()
    Image.new("RGB", (width, height), (30, 120, 120)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def an_article_with_hero(an_article):
    """The test article with a 2000x1000 hero image."""
    an_article.hero_image = png_upload(2000, 1000)
    an_article.hero_alt = "A runner stretching a calf"
    an_article.save()
    return an_article


def test_renditions_have_the_right_sizes_and_formats(an_article_with_hero, settings):
    renditions = an_article_with_hero.hero_renditions
    for fmt, pil_name in (("webp", "WEBP"), ("jpeg", "JPEG")):
        assert [(r["width"], r["height"]) for r in renditions[fmt]] == [
            (480, 240),
            (960, 480),
            (1440, 720),
        ]
        for rendition in renditions[fmt]:
            with Image.open(f"{settings.MEDIA_ROOT}/{rendition['name']}") as image:
                assert image.format == pil_name
                assert image.size == (rendition["width"], rendition["height"])


def test_small_image_is_never_upscaled(an_article):
    an_article.hero_image = png_upload(600, 400)
    an_article.save()
    assert [r["width"] for r in an_article.hero_renditions["jpeg"]] == [480, 600]


def test_page_uses_srcset_and_fixed_dimensions(client, an_article_with_hero):
    html = client.get(an_article_with_hero.get_absolute_url()).content.decode()
    assert '<source type="image/webp" srcset="' in html
    assert "480w" in html and "1440w" in html
    assert 'width="480" height="240" alt="A runner stretching a calf"' in html


def test_renditions_are_not_remade_when_the_image_is_unchanged(an_article_with_hero):
    before = an_article_with_hero.hero_renditions
    an_article_with_hero.title = "New title"
    an_article_with_hero.save()
    assert an_article_with_hero.hero_renditions == before


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("x.png", b"not an image at all"), "not an image"),
        (png_upload(200, 100), "at least 480"),
    ],
)
def test_bad_uploads_are_refused_with_a_reason(upload, message):
    with pytest.raises(ValidationError, match=message):
        validate_hero_image(upload)


def test_an_image_needs_a_description(an_article):
    an_article.hero_image = png_upload(800, 400)
    an_article.hero_alt = "  "
    with pytest.raises(ValidationError) as error:
        an_article.full_clean()
    assert "hero_alt" in error.value.message_dict


def test_social_cards_use_the_largest_rendition(client, an_article_with_hero):
    html = client.get(an_article_with_hero.get_absolute_url()).content.decode()
    assert '<meta property="og:image:width" content="1440">' in html
    assert "-1440.jpeg" in html.split('property="og:image"', 1)[1].split(">", 1)[0]


def test_replaced_image_removes_the_old_renditions(an_article_with_hero, settings):
    from pathlib import Path

    old = [
        Path(settings.MEDIA_ROOT, r["name"]) for r in an_article_with_hero.hero_renditions["webp"]
    ]
    assert all(path.exists() for path in old)
    an_article_with_hero.hero_image = png_upload(1000, 500, name="other.png")
    an_article_with_hero.save()
    assert not any(path.exists() for path in old)
