"""Record ids: UUIDv7 (RFC 9562), so ids sort by creation time and pages of the log can
be cut by id alone."""

from __future__ import annotations

import os
import random
import time

# Ids need to be unique, not secret (reading a record takes an admin token): a Mersenne
# Twister seeded from the OS draws the random bits in 0.1 µs where os.urandom, a system
# call per id, took over 1 µs on the request path (measured under load).
_RANDOM = random.Random(os.urandom(32))


def uuid7(now_ms: int | None = None) -> str:
    """A version-7 UUID: 48 bits of Unix milliseconds, then 74 random bits.

    Python 3.11's ``uuid`` module has no ``uuid7``; this is the RFC's layout, without the
    optional sub-millisecond counter (ids from the same millisecond are unordered among
    themselves, which paging by id tolerates).
    """
    ms = time.time_ns() // 1_000_000 if now_ms is None else now_ms
    rand = _RANDOM.getrandbits(80)
    value = (ms & 0xFFFF_FFFF_FFFF) << 80 | 0x7 << 76 | (rand >> 68) << 64 | 0b10 << 62 | rand & ((1 << 62) - 1)
    hex_ = f"{value:032x}"
    return f"{hex_[:8]}-{hex_[8:12]}-{hex_[12:16]}-{hex_[16:20]}-{hex_[20:]}"


def uuid7_floor(ms: int) -> str:
    """The smallest UUIDv7 of millisecond ``ms``: a bound for time-range queries by id."""
    hex_ = f"{(ms & 0xFFFF_FFFF_FFFF) << 80 | 0x7 << 76 | 0b10 << 62:032x}"
    return f"{hex_[:8]}-{hex_[8:12]}-{hex_[12:16]}-{hex_[16:20]}-{hex_[20:]}"
