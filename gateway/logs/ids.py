"""Record ids: UUIDv7 (RFC 9562), so ids sort by creation time and pages of the log can
be cut by id alone."""

from __future__ import annotations

import os
import time


def uuid7(now_ms: int | None = None) -> str:
    """A version-7 UUID: 48 bits of Unix milliseconds, then 74 random bits.

    Python 3.11's ``uuid`` module has no ``uuid7``; this is the RFC's layout built from
    ``os.urandom``, without the optional sub-millisecond counter (ids from the same
    millisecond are unordered among themselves, which paging by id tolerates).
    """
    ms = time.time_ns() // 1_000_000 if now_ms is None else now_ms
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & 0xFFFF_FFFF_FFFF) << 80 | 0x7 << 76 | (rand >> 68) << 64 | 0b10 << 62 | rand & ((1 << 62) - 1)
    hex_ = f"{value:032x}"
    return f"{hex_[:8]}-{hex_[8:12]}-{hex_[12:16]}-{hex_[16:20]}-{hex_[20:]}"


def uuid7_floor(ms: int) -> str:
    """The smallest UUIDv7 of millisecond ``ms``: a bound for time-range queries by id."""
    hex_ = f"{(ms & 0xFFFF_FFFF_FFFF) << 80 | 0x7 << 76 | 0b10 << 62:032x}"
    return f"{hex_[:8]}-{hex_[8:12]}-{hex_[12:16]}-{hex_[16:20]}-{hex_[20:]}"
