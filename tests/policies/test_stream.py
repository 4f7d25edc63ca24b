"""The hold-back window: nothing leaves before the text after it has been seen."""

from __future__ import annotations

import pytest

from config.schema import PolicyRule
from policies.inspector import Inspector
from policies.policy import ANONYMOUS, Context, Policy
from policies.stream import Cut, StreamInspector, release_point, rewrite_span
from tests.policies.fake_detector import FakeDetector

CTX = Context(ANONYMOUS, "default", "openai", "m", "response")


def stream(action: str, holdback: int = 16) -> StreamInspector:
    policy = Policy([PolicyRule("r", action, topics=("credentials",), placeholder="entry")])  # type: ignore[arg-type]
    return StreamInspector(Inspector([FakeDetector()], policy), CTX, holdback)


def test_a_secret_split_across_chunks_is_redacted_before_release() -> None:
    guard = stream("redact")
    released = [guard.feed(piece) for piece in ["the value is KEY-12", "3456 and then ", "a lot more text follows"]]
    final = guard.finish()
    assert released[0] == 13  # everything but the unfinished trailing token "KEY-12"
    assert released[1] == 33 and guard.cuts  # the key's start goes out only once it was seen whole
    assert guard.cuts == [Cut(13, 23, "[REDACTED:FAKE_KEY]")]
    assert (
        rewrite_span(guard.text, 0, final, guard.cuts)
        == "the value is [REDACTED:FAKE_KEY] and then a lot more text follows"
    )


def test_a_block_stops_release() -> None:
    guard = stream("block")
    assert guard.feed("plain words ") == 12
    assert guard.feed("KEY-1") == 12
    guard.feed("23456 and more")
    assert guard.blocked is not None and guard.blocked.finding.entry == "FAKE_KEY"
    assert guard.finish() == 12 == guard.blocked.finding.start  # nothing from the secret on went out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hello world", 6),  # the last word may still grow
        ("hello world ", 12),
        ("card 4111 1111 1111", 4),  # digit groups are held together
        ("x -----BEGIN RSA PRIVATE KEY-----\nMIIB ", 2),  # an open key block is held
        ("x -----BEGIN KEY-----\nAB\n-----END KEY----- ok ", 46),
        ("", 0),
    ],
)
def test_release_point(text: str, expected: int) -> None:
    assert release_point(text, 0) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [(0, 8, "ab[P]"), (8, 12, "gh"), (0, 12, "ab[P]gh"), (2, 4, "[P]")],
)
def test_rewrite_span_places_the_placeholder_once(start: int, end: int, expected: str) -> None:
    assert rewrite_span("abcdefghghgh", start, end, [Cut(2, 10, "[P]")]) == expected
