"""The contract every detector fulfils, and shared helpers for confidence.

A detector is a small class with a ``name``, the ``entries`` it can report, and
``detect(text)`` returning findings over that text. The text it receives is already
normalised (NFKC, zero-width characters removed, look-alikes folded, see
``policies/normalize.py``); detectors never see raw bytes and never do I/O.

Every pattern must run in linear time on hostile input: no nested quantifiers, bounded
repetition, and cheap literal pre-checks (``in``/``find``) before any regex runs.
"""

from __future__ import annotations

import re
from typing import Protocol

from policies.finding import Finding


class Detector(Protocol):
    name: str
    entries: tuple[str, ...]

    def detect(self, text: str) -> list[Finding]: ...


def near(text: str, start: int, end: int, words: re.Pattern[str], window: int = 60) -> bool:
    """True when one of ``words`` occurs within ``window`` characters of the span."""
    return words.search(text, max(0, start - window), min(len(text), end + window)) is not None


def clamp(confidence: float) -> float:
    return 0.0 if confidence < 0.0 else 1.0 if confidence > 1.0 else confidence
