"""Decompress gzip data under a size cap, so that a gzip bomb cannot eat the memory."""

from __future__ import annotations

import zlib

__all__ = ["gunzip_capped"]


def gunzip_capped(body: bytes, *, max_bytes: int) -> tuple[bytes, bool]:
    """The decompressed data and whether the gzip stream was complete (not cut short).

    Raises ``ValueError`` when the data is not gzip or decompresses past ``max_bytes``.
    """
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, max_bytes + 1)
    except zlib.error as exc:
        raise ValueError(f"cannot be decompressed ({exc})") from exc
    if len(data) > max_bytes:
        raise ValueError(f"decompresses to more than {max_bytes} bytes")
    if not data and not inflater.eof:
        raise ValueError("cannot be decompressed (the gzip data ends before any content)")
    return data, inflater.eof
