"""Gzip a page once, then splice small fresh parts into it on every response.

A cached page is the same for every reader except a few bytes, such as the
comment form's signed render time (articles/page_cache.py). Compressing the
whole page again on every hit would cost more than serving it, so the page is
split at those parts: each fixed segment is deflated once and ends with a full
flush (byte-aligned, no back-references across it), and each response deflates
only its fresh parts and stitches the pieces into one valid gzip stream. The
CRC-32 up to the first fresh part is kept; only what follows it is summed again.
"""

import struct
import zlib
from dataclasses import dataclass

# No file name, no modification time, "unknown" OS: the same bytes every time.
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
LEVEL = 6


def stored(data: bytes) -> bytes:
    """Deflate "stored" blocks: the bytes as they are, framed; nothing to set up.

    A fresh part is a few dozen bytes, so compressing it would save nothing and
    cost a compressor's setup on every response.
    """
    blocks = []
    for start in range(0, len(data), 0xFFFF):
        chunk = data[start : start + 0xFFFF]
        blocks.append(struct.pack("<BHH", 0, len(chunk), len(chunk) ^ 0xFFFF) + chunk)
    return b"".join(blocks)


def deflate(data: bytes, final: bool, level: int = LEVEL) -> bytes:
    """Raw deflate blocks; a non-final piece ends byte-aligned with a full flush."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush(
        zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH
    )


@dataclass(frozen=True)
class SplicedPage:
    """Fixed segments, compressed once; the fresh parts go between them."""

    segments: tuple[bytes, ...]
    deflated: tuple[bytes, ...]
    first_crc: int

    @classmethod
    def of(cls, segments: list[bytes]) -> "SplicedPage":
        last = len(segments) - 1
        deflated = tuple(deflate(s, final=i == last) for i, s in enumerate(segments))
        return cls(tuple(segments), deflated, zlib.crc32(segments[0]))

    @property
    def fresh_count(self) -> int:
        return len(self.segments) - 1

    def raw(self, parts: list[bytes]) -> bytes:
        pieces = [self.segments[0]]
        for part, segment in zip(parts, self.segments[1:], strict=True):
            pieces += [part, segment]
        return b"".join(pieces)

    def gzip(self, parts: list[bytes]) -> bytes:
        crc, size = self.first_crc, len(self.segments[0])
        pieces = [GZIP_HEADER, self.deflated[0]]
        for part, segment, packed in zip(parts, self.segments[1:], self.deflated[1:], strict=True):
            pieces += [stored(part), packed]
            crc = zlib.crc32(segment, zlib.crc32(part, crc))
            size += len(part) + len(segment)
        pieces.append(struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF))
        return b"".join(pieces)
