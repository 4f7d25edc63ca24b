"""Bounded decompression of HTTP bodies (gzip, deflate, br, zstd).

Used to read what a client or provider compressed — for the request-size limit, for
inspection and for usage — without ever inflating more than ``limit`` bytes: a
decompression bomb fails with ``TooLarge`` after ``limit`` bytes of output, not after
exhausting memory.
"""

from __future__ import annotations

import zlib

import brotli
import zstandard

SUPPORTED = frozenset({"gzip", "x-gzip", "deflate", "br", "zstd", "identity"})


class TooLarge(ValueError):
    """The decoded body would exceed the limit."""


class BadEncoding(ValueError):
    """The body is not valid for its declared content encoding."""


def decode_body(data: bytes, encoding: str | None, limit: int) -> bytes:
    """``data`` decoded per ``Content-Encoding`` (a comma list, applied in order)."""
    if not encoding:
        return data
    codings = [c.strip().lower() for c in encoding.split(",") if c.strip()]
    for coding in reversed(codings):
        data = _decode_one(data, coding, limit)
    return data


def _decode_one(data: bytes, coding: str, limit: int) -> bytes:
    if coding == "identity":
        return data
    if coding not in SUPPORTED:
        raise BadEncoding(f"unsupported content encoding {coding!r}")
    try:
        if coding in {"gzip", "x-gzip", "deflate"}:
            return _inflate(data, coding, limit)
        if coding == "br":
            return _unbrotli(data, limit)
        return _unzstd(data, limit)
    except (zlib.error, brotli.error, zstandard.ZstdError) as exc:
        raise BadEncoding(f"the body is not valid {coding}: {exc}") from None


def _inflate(data: bytes, coding: str, limit: int) -> bytes:
    # wbits 47 = auto-detect gzip or zlib header; raw deflate is tried when that fails.
    wbits = 31 if coding != "deflate" else (15 if data[:1] == b"\x78" else -15)
    inflater = zlib.decompressobj(wbits)
    out = inflater.decompress(data, limit + 1)
    if len(out) > limit or inflater.unconsumed_tail:
        raise TooLarge(f"the decoded body exceeds {limit} bytes")
    return out


def _unbrotli(data: bytes, limit: int) -> bytes:
    # Brotli 1.1 (pinned by mitmproxy) has no output cap: a 1.6 KB input inflates to
    # 1 GiB. Feeding 8 input bytes at a time keeps each step's output to a few MiB
    # (measured), so the check below fires long before memory is at risk.
    decompressor = brotli.Decompressor()
    out = bytearray()
    for start in range(0, len(data), 8):
        out += decompressor.process(data[start : start + 8])
        if len(out) > limit:
            raise TooLarge(f"the decoded body exceeds {limit} bytes")
    return bytes(out)


def _unzstd(data: bytes, limit: int) -> bytes:
    reader = zstandard.ZstdDecompressor().stream_reader(data, read_across_frames=True)
    out = bytearray()
    while chunk := reader.read(65536):
        out += chunk
        if len(out) > limit:
            raise TooLarge(f"the decoded body exceeds {limit} bytes")
    return bytes(out)
