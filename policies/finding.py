"""What a detector reports: an entry of a topic, a span, and how sure it is.

Topics follow Cloudflare's AI prompt protection. *Content* topics say what the text
contains; *intent* topics say what the text asks for. Confidence is a number from 0 to
1; its level (low/medium/high) is what policies usually match on.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import get_args

from config.schema import Topic

# The topic vocabulary is defined next to the config schema that validates policies.
TOPICS: tuple[Topic, ...] = get_args(Topic)


class Level(IntEnum):
    LOW = 1
    MEDIUM = 2
    HIGH = 3

    @classmethod
    def of(cls, confidence: float) -> Level:
        if confidence >= 0.8:
            return cls.HIGH
        if confidence >= 0.5:
            return cls.MEDIUM
        return cls.LOW


@dataclass(frozen=True, slots=True)
class Finding:
    """One match. ``start``/``end`` index the text the detector was given.

    ``entry`` is an upper-snake name (``AWS_ACCESS_KEY``, ``CREDIT_CARD``, ``JAILBREAK``);
    it appears in policies, logs and redaction placeholders. The matched text itself is
    never stored in a finding that leaves the inspector.
    """

    entry: str
    topic: Topic
    start: int
    end: int
    confidence: float

    @property
    def level(self) -> Level:
        return Level.of(self.confidence)


__all__ = ["TOPICS", "Finding", "Level", "Topic"]
