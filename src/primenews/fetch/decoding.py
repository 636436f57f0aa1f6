"""Content-Encoding decoders whose output is bounded: the defence against compression bombs.

httpx's own decoders turn one network chunk into all of its decompressed output at once
(a 64 KiB chunk of a brotli bomb can become gigabytes). Here every decoder produces at most
``PIECE`` bytes per step and hands them to a :class:`CappedBody`, which stops the transfer as
soon as the decoded total passes its limit.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import IO, cast

import brotli
import zstandard

__all__ = ["PIECE", "BodyFull", "CappedBody", "DecodeFailed", "Decoder", "build_decoder"]

PIECE = 64 * 1024

Write = Callable[[bytes], None]


class BodyFull(Exception):
    """Internal signal: the decoded body passed its limit."""


class DecodeFailed(Exception):
    """Internal signal: the body is not valid for its Content-Encoding."""


class CappedBody:
    """Collects decoded bytes up to ``limit``; raises :class:`BodyFull` past it.

    The bytes up to the limit stay available in :meth:`value` (robots.txt is parsed from a
    truncated body rather than refused).
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> None:
        room = self.limit - self.size
        if len(data) > room:
            self._parts.append(data[:room])
            self.size = self.limit
            raise BodyFull
        self._parts.append(data)
        self.size += len(data)

    def value(self) -> bytes:
        return b"".join(self._parts)


class Decoder:
    """One Content-Encoding: ``feed`` compressed bytes, ``finish`` at the end."""

    def __init__(self, out: Write) -> None:
        self.out = out

    def feed(self, data: bytes) -> None:
        self.out(data)

    def finish(self) -> None:
        return None


class _ZlibDecoder(Decoder):
    def __init__(self, out: Write, wbits: int, *, raw_fallback: bool = False) -> None:
        super().__init__(out)
        self._obj = zlib.decompressobj(wbits)
        self._raw_fallback = raw_fallback  # "deflate" is sometimes sent without zlib header
        self._started = False

    def feed(self, data: bytes) -> None:
        try:
            self._drain(data)
        except zlib.error as exc:
            if not (self._raw_fallback and not self._started):
                raise DecodeFailed(str(exc)) from exc
            self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
            self._raw_fallback = False
            self.feed(data)
        self._started = True

    def _drain(self, data: bytes) -> None:
        while not self._obj.eof:
            chunk = self._obj.decompress(data, PIECE)
            if chunk:
                self._started = True
                self.out(chunk)
            data = self._obj.unconsumed_tail
            if not data and len(chunk) < PIECE:
                return

    def finish(self) -> None:
        try:
            self._drain(b"")
        except zlib.error as exc:
            raise DecodeFailed(str(exc)) from exc


class _BrotliDecoder(Decoder):
    def __init__(self, out: Write) -> None:
        super().__init__(out)
        self._obj = brotli.Decompressor()

    def feed(self, data: bytes) -> None:
        try:
            chunk = self._obj.process(data, output_buffer_limit=PIECE)
            # Drain what the limit held back; brotli 1.2's can_accept_more_data() is not
            # reliable for this, an empty chunk is.
            while chunk:
                self.out(chunk)
                if self._obj.is_finished():
                    return
                chunk = self._obj.process(b"", output_buffer_limit=PIECE)
        except brotli.error as exc:
            raise DecodeFailed(str(exc)) from exc


class _Sink:
    """A file-like object for zstandard's stream writer (output is written as it decodes)."""

    def __init__(self, out: Write) -> None:
        self._out = out

    def write(self, data: bytes) -> int:
        self._out(bytes(data))
        return len(data)


class _ZstdDecoder(Decoder):
    def __init__(self, out: Write) -> None:
        super().__init__(out)
        self._writer = zstandard.ZstdDecompressor().stream_writer(
            cast("IO[bytes]", _Sink(out)), write_size=PIECE, closefd=False
        )

    def feed(self, data: bytes) -> None:
        try:
            self._writer.write(data)
        except zstandard.ZstdError as exc:
            raise DecodeFailed(str(exc)) from exc


def _make(encoding: str, out: Write) -> Decoder:
    if encoding in ("gzip", "x-gzip"):
        return _ZlibDecoder(out, zlib.MAX_WBITS | 16)
    if encoding == "deflate":
        return _ZlibDecoder(out, zlib.MAX_WBITS, raw_fallback=True)
    if encoding == "br":
        return _BrotliDecoder(out)
    if encoding == "zstd":
        return _ZstdDecoder(out)
    raise DecodeFailed(f"unsupported Content-Encoding {encoding!r}")


class _Chain(Decoder):
    def __init__(self, stages: list[Decoder]) -> None:
        super().__init__(stages[-1].out)
        self._stages = stages

    def feed(self, data: bytes) -> None:
        self._stages[0].feed(data)

    def finish(self) -> None:
        for stage in self._stages:
            stage.finish()


def build_decoder(content_encoding: str | None, out: Write) -> Decoder:
    """A decoder for a Content-Encoding header ("gzip", "br, gzip"...), writing to ``out``.

    Encodings are listed in the order they were applied, so they are undone right to left.
    """
    names = [
        name.strip().lower()
        for name in (content_encoding or "").split(",")
        if name.strip() and name.strip().lower() != "identity"
    ]
    if not names:
        return Decoder(out)
    stages: list[Decoder] = []
    target = out
    for name in names:  # the first-applied encoding is undone last: it writes to ``out``
        stage = _make(name, target)
        stages.append(stage)
        target = stage.feed
    stages.reverse()
    return _Chain(stages)
