from __future__ import annotations

import random
import re

import pytest

from policies.detectors.pii_view import Cue, DetectorGroup, TextView, bounded
from policies.finding import Finding

_JOINERS = " ./()-"


def test_shape_turns_classes_into_literals() -> None:
    view = TextView("Ab9 £5 $1 é€x")
    assert view.shape == b"Aa0 $0 $0 a?a"
    assert len(view.raw) == len(view.text) == len(view.lower) == len(view.shape)
    assert view.lower == b"ab9 \xa35 $1 \xe9?x"


def _reference(text: str, pattern: re.Pattern[bytes], min_digits: int) -> list[tuple[int, int]]:
    """Maximal runs of digits and joiners, trimmed to digits at both ends, scanned slowly."""
    shape = TextView(text).shape
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(text):
        if not text[i].isdigit():
            i += 1
            continue
        j = i
        while j < len(text) and (text[j].isdigit() or text[j] in _JOINERS):
            j += 1
        end = j
        while not text[end - 1].isdigit():
            end -= 1
        key = shape[i:end]
        if key.count(b"0") >= min_digits:
            spans.extend((i + a, i + b) for a, b in (m.span() for m in pattern.finditer(key)))
        i = j
    return sorted(spans)


@pytest.mark.parametrize("seed", range(12))
def test_find_in_clusters_matches_a_slow_scan_either_way_it_places_shapes(seed: int) -> None:
    rng = random.Random(seed)
    alphabet = "0123456789" * (1 + seed % 4) + _JOINERS + "ab,:\n"
    text = "".join(rng.choice(alphabet) for _ in range(3000))
    for pattern, min_digits in ((re.compile(rb"000"), 4), (re.compile(rb"(?<![0-])0000-00(?![0-])"), 6)):
        expected = _reference(text, pattern, min_digits)
        located = TextView(text)
        indexed = TextView(text)
        assert indexed._cluster_starts  # build the index, so the second view takes the other path
        assert located.find_in_clusters(pattern, min_digits) == expected
        assert indexed.find_in_clusters(pattern, min_digits) == expected


def test_a_log_of_thousands_of_numbers_has_few_shapes() -> None:
    log = "".join(f"2024-05-{d % 28 + 1:02d} id={100000 + d * 7} ms={d % 900}.{d % 10}\n" for d in range(3000))
    assert len(TextView(log).clusters) < 10


@pytest.mark.parametrize(
    ("text", "label", "skipped"),
    [
        ("Account number: 12345678", b"account", True),
        ("acct #12345678", b"acct", True),
        ("Bank routing number (ABA): 021000021", b"aba", False),
        ("my SSN is 536221234", b"ssn", True),
        ("call me at 4155552671", b"call", True),
        ('{"id": 4155552671}', b"id", False),
        ("4155552671", b"", False),
    ],
)
def test_label_before(text: str, label: bytes, skipped: bool) -> None:
    start = next(i for i, ch in enumerate(text) if ch.isdigit())
    assert TextView(text).label_before(start) == (label, skipped)


_WORD = Cue(re.compile(rb"\bphone\b"), (b"phone",))


def test_near_answers_the_same_before_and_after_its_whole_text_check() -> None:
    numbers = " ".join(f"n{i}" for i in range(40))
    view = TextView(numbers + " phone 12")
    positions = [m.start() for m in re.finditer(r"n\d+", view.text)]
    assert [view.near(_WORD, p, p + 2, before=10, after=10) for p in positions] == [False] * 39 + [True]
    assert view.near(_WORD, len(view.text) - 2, len(view.text))
    absent = TextView(numbers)
    assert not any(absent.near(_WORD, p, p + 2) for p in positions)


@pytest.mark.parametrize(
    ("text", "span", "glue", "whole"),
    [
        ("id 1234 x", (3, 7), b"", True),
        ("id A1234 x", (4, 8), b"", False),
        ("pi 3.1234", (5, 9), b"", False),  # the fraction of a decimal
        ("1234.5", (0, 4), b"", False),
        ("ends 1234.", (5, 9), b"", True),  # a full stop
        ("1,234,567", (2, 5), b"", False),  # a thousands group
        ("Ann,4111111111111111,06/27", (4, 20), b"", True),  # a CSV field
        ("+1234", (1, 5), b"+", False),
    ],
)
def test_bounded(text: str, span: tuple[int, int], glue: bytes, whole: bool) -> None:
    assert bounded(TextView(text), *span, glue) is whole


class _Recorder:
    name = "recorder"
    entries: tuple[str, ...] = ("A", "B")

    def __init__(self) -> None:
        self.views: list[TextView] = []

    def detect(self, text: str) -> list[Finding]:
        return self.scan(TextView(text))

    def scan(self, view: TextView) -> list[Finding]:
        self.views.append(view)
        return [Finding("A", "pii", 0, 1, 0.5)]


def test_a_group_shares_one_view_and_unions_entries() -> None:
    first, second = _Recorder(), _Recorder()
    group = DetectorGroup([first, second], name="both")
    assert group.name == "both" and group.entries == ("A", "B")
    assert len(group.detect("x")) == 2
    assert first.views[0] is second.views[0]
