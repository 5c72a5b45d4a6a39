"""Small generated PNG images: the fake Commons serves these, never the real logos."""

from __future__ import annotations

import hashlib
import struct
import zlib

SIZE = 16  # pixels a side


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def generated_png(name: str) -> bytes:
    """A valid SIZE×SIZE PNG of one colour derived from ``name`` (the same name, the same image)."""
    red, green, blue = hashlib.sha256(name.encode()).digest()[:3]
    row = b"\x00" + bytes((red, green, blue)) * SIZE
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(row * SIZE))
        + _chunk(b"IEND", b"")
    )
