"""Hero image renditions: resized WebP and JPEG files for srcset.

Made once when an image is uploaded; the article stores their URLs and sizes
so the page renders width/height (no layout shift) without touching files.
"""

from io import BytesIO
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

WIDTHS = (480, 960, 1440)
FORMATS = {
    "webp": ("WEBP", {"quality": 80, "method": 4}),
    "jpeg": ("JPEG", {"quality": 82, "optimize": True, "progressive": True}),
}
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MIN_WIDTH = 480
MAX_PIXELS = 40_000_000


def validate_hero_image(file) -> None:
    """Refuse files too big, too small or not really images, with a clear reason."""
    if file.size > MAX_UPLOAD_BYTES:
        raise ValidationError("The image is larger than 10 MB; please upload a smaller one.")
    try:
        file.seek(0)
        with Image.open(file) as image:
            width, height = image.size
            image.verify()
    except Exception:
        raise ValidationError("This file is not an image Pillow can read.") from None
    finally:
        file.seek(0)
    if width < MIN_WIDTH:
        raise ValidationError(f"The image must be at least {MIN_WIDTH} pixels wide.")
    if width * height > MAX_PIXELS:
        raise ValidationError("The image has too many pixels (over 40 megapixels).")


def make_renditions(name: str, storage=default_storage) -> dict:
    with storage.open(name, "rb") as source, Image.open(source) as opened:
        image = ImageOps.exif_transpose(opened).convert("RGB")
    stem = PurePosixPath(name).stem
    renditions = {"source": name, "webp": [], "jpeg": []}
    widths = [w for w in WIDTHS if w < image.width] + [min(image.width, WIDTHS[-1])]
    for width in sorted(set(widths)):
        height = round(image.height * width / image.width)
        resized = image.resize((width, height), Image.Resampling.LANCZOS)
        for extension, (pil_format, options) in FORMATS.items():
            buffer = BytesIO()
            resized.save(buffer, pil_format, **options)
            path = f"articles/renditions/{stem}-{width}.{extension}"
            if storage.exists(path):
                storage.delete(path)
            saved = storage.save(path, ContentFile(buffer.getvalue()))
            renditions[extension].append(
                {"url": storage.url(saved), "width": width, "height": height, "name": saved}
            )
    return renditions


def delete_renditions(renditions: dict, storage=default_storage) -> None:
    """Remove the files of renditions a new image replaces."""
    for extension in FORMATS:
        for rendition in renditions.get(extension, []):
            storage.delete(rendition["name"])
