"""One text seen the ways the PII and financial detectors scan it, built once per call.

Python's ``re`` crawls through a character class at ~180 MB/s but finds a leading
literal at 1-3 GB/s, and ``bytes.find`` of one byte is memchr. So every scan here
opens with a literal, and the views turn classes into literals: ``raw`` is the text
as one byte per character, ``lower`` its ASCII lower case (for case-free keywords)
and ``shape`` its character classes (digits -> ``0``, capitals -> ``A``, small
letters -> ``a``, ``$ £ ¥`` -> ``$``), where "three digits, a dash, two digits" is
the literal-led pattern ``000-00``. Offsets in every view are offsets in ``text``.

Numbers are the exception: in a log, a CSV or a JSON dump every other character is
a digit, and any digit-led pattern restarts at each of them. So numbers are read once:
``clusters`` are the *distinct* shapes of the maximal runs of digits and joiners
(``" ./()-"``) with four digits or more: a log of 60,000 numbers has a few dozen. A
detector runs its pattern over those few shapes, and ``find_in_clusters`` maps the
matches back to every place the shape occurs.

Context words are looked up with ``near``: a bounded search of the neighbourhood.
On number-heavy input (logs, CSV, JSON) thousands of candidates would each pay for
that search, so after a few lookups of one cue the view checks once whether any of
the cue's literals occurs in the whole text at all, and if none does, answers
"no" for free from then on.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import cached_property
from typing import NamedTuple, Protocol

from policies.finding import Finding
from policies.text_forms import TextForms

_PUNCTUATION = b"\"'():;=,.[]{}<>*"
_FILLER = frozenset(b"number numbers no nr num # n\xb0 is was are at me on to of de da numero n\xfamero nummer".split())
# Lookups of one cue before the whole-text presence check pays for itself.
_GATE_AFTER = 16


def _shape_table() -> bytes:
    table = bytearray(range(256))
    for lo, hi, cls in (
        (0x30, 0x39, b"0"),
        (0x41, 0x5A, b"A"),
        (0x61, 0x7A, b"a"),
        (0xC0, 0xDE, b"A"),
        (0xDF, 0xFF, b"a"),
    ):
        table[lo : hi + 1] = cls * (hi - lo + 1)
    table[0xD7], table[0xF7] = 0xD7, 0xF7  # the x and / signs sit inside the Latin-1 letter blocks
    for currency in b"$\xa3\xa5":
        table[currency] = ord("$")
    return bytes(table)


_SHAPE = _shape_table()
# Four digits at least (no entry needs fewer) with joiners between.
_CLUSTER = re.compile(rb"0[ ./()-]*0[ ./()-]*0[ ./()-]*0(?:[0 ./()-]*0|)")
_JOINERS = frozenset(b" ./()-")


class Cue(NamedTuple):
    """Context words: ``pattern`` runs on lower-cased bytes; every match of it contains
    one of ``literals``, which is what makes the whole-text presence check sound."""

    pattern: re.Pattern[bytes]
    literals: tuple[bytes, ...]


class TextView:
    """The text and its byte views; cheap to make, each view computed on first use."""

    def __init__(self, text: str, forms: TextForms | None = None) -> None:
        self.text = text
        self.forms = forms if forms is not None else TextForms(text)
        self._cluster_count = 0
        self._cluster_counts: Counter[bytes] = Counter()
        self._located: dict[bytes, list[int]] = {}
        self._labels: dict[int, tuple[bytes, bool]] = {}
        self._lookups: dict[Cue, int] = {}
        self._present: dict[Cue, bool] = {}
        self._mentioned: dict[frozenset[bytes], bool] = {}

    @property
    def raw(self) -> bytes:
        # One byte per character: anything outside Latin-1 becomes "?", so offsets hold.
        return self.forms.one_byte

    @property
    def lower(self) -> bytes:
        return self.forms.ascii_lower

    @cached_property
    def shape(self) -> bytes:
        return self.raw.translate(_SHAPE)

    @cached_property
    def clusters(self) -> tuple[bytes, ...]:
        """The distinct number shapes in the text (four digits or more), sorted."""
        every = _CLUSTER.findall(self.shape)
        self._cluster_count = len(every)
        self._cluster_counts = Counter(every)
        return tuple(sorted(self._cluster_counts))

    def count_in_clusters(self, pattern: re.Pattern[bytes], min_digits: int = 4) -> int:
        """How many spans ``find_in_clusters`` would return, without placing them: enough
        to decide whether a whole-text check for context words is worth it first."""
        return sum(
            self._cluster_counts[key] * len(_spans(pattern, key))
            for key in self.clusters
            if key.count(b"0") >= min_digits
        )

    @cached_property
    def _cluster_starts(self) -> dict[bytes, list[int]]:
        starts: dict[bytes, list[int]] = {}
        for m in _CLUSTER.finditer(self.shape):
            starts.setdefault(m.group(), []).append(m.start())
        return starts

    def find_in_clusters(self, pattern: re.Pattern[bytes], min_digits: int = 4) -> list[tuple[int, int]]:
        """Spans of the text where ``pattern``, run over each distinct number shape with
        at least ``min_digits`` digits, matches; sorted by start. The pattern sees the
        cluster alone: what touches it outside is for the caller to check."""
        hits = [
            (key, spans) for key in self.clusters if key.count(b"0") >= min_digits and (spans := _spans(pattern, key))
        ]
        found: list[tuple[int, int]] = []
        for key, spans in hits:
            for at in self._starts_of(key, len(hits)):
                found.extend((at + a, at + b) for a, b in spans)
        found.sort()
        return found

    def _starts_of(self, key: bytes, wanted: int) -> list[int]:
        # A literal search per shape costs a pass over the text; an index of every cluster
        # costs ~1 us per cluster. Take the index when many shapes are wanted.
        if "_cluster_starts" in self.__dict__ or wanted * len(self.shape) > 2000 * self._cluster_count:
            return self._cluster_starts.get(key, [])
        starts = self._located.get(key)
        if starts is None:
            shape, size, starts = self.shape, len(key), []
            for m in _locator(key).finditer(shape):
                i, k = m.start(), m.start() + size
                # The locator saw three joiners either side; four or more are settled here.
                long_gap = (i >= 4 and shape[i - 1] in _JOINERS and shape[i - 4] in _JOINERS) or (
                    k + 3 < len(shape) and shape[k] in _JOINERS and shape[k + 3] in _JOINERS
                )
                if not long_gap or self._whole(i, size):
                    starts.append(i)
            self._located[key] = starts
        return starts

    def _whole(self, i: int, size: int) -> bool:
        """No digit touches ``[i, i + size)`` through joiners: it is a whole cluster."""
        shape = self.shape
        j, k = i - 1, i + size
        while j >= 0 and shape[j] in _JOINERS:
            j -= 1
        while k < len(shape) and shape[k] in _JOINERS:
            k += 1
        return (j < 0 or shape[j] != 0x30) and (k >= len(shape) or shape[k] != 0x30)

    def near(self, cue: Cue, start: int, end: int, before: int = 60, after: int = 30) -> bool:
        """True when the cue occurs within ``before``/``after`` characters of the span."""
        if not self._may_occur(cue):
            return False
        lo, hi = max(0, start - before), end + after
        # One character more before the window: a "\b" at its start reads it.
        context = max(0, lo - 1)
        window = self.forms.ascii_lower_slice(context, hi)
        if not any(literal in window for literal in cue.literals):
            return False  # a few "in" tests are cheaper than the pattern
        return cue.pattern.search(window, lo - context) is not None

    def mentions(self, words: frozenset[bytes]) -> bool:
        """Whether any of ``words`` occurs anywhere in the lower-cased text. A detector
        with many bare numbers to judge asks this once before asking per number."""
        present = self._mentioned.get(words)
        if present is None:
            present = self._mentioned[words] = self.forms.mentions(words)
        return present

    def label_before(self, start: int) -> tuple[bytes, bool]:
        """The word that labels a value starting at ``start`` ("Account number: 1234",
        "SSN 123456789", "call me at 4155552671"): the last lower-case word before it
        that is not filler such as "number", "no.", "#", "is", "at"; and whether filler
        was skipped. Bare numbers are many in data, so this is a split, not a pattern,
        and it is remembered for the other detectors looking at the same number."""
        known = self._labels.get(start)
        if known is None:
            skipped = False
            label = b""
            for word in reversed(self.forms.ascii_lower_slice(max(0, start - 48), start).split()[-5:]):
                word = word.strip(_PUNCTUATION)
                if word in _FILLER or not word:
                    skipped = skipped or bool(word)
                    continue
                label = word
                break
            known = self._labels[start] = (label, skipped)
        return known

    def _may_occur(self, cue: Cue) -> bool:
        present = self._present.get(cue)
        if present is not None:
            return present
        count = self._lookups[cue] = self._lookups.get(cue, 0) + 1
        if count < _GATE_AFTER:
            return True
        present = self._present[cue] = self.forms.mentions(cue.literals)
        return present


def _locator(key: bytes) -> re.Pattern[bytes]:
    """``key`` as a literal (so the search is fast) that no digit touches through up to
    three joiners on either side. ``re`` caches the compile."""
    body = re.escape(key)
    before = b"".join(rb"(?<!0%s%s)" % (rb"[ ./()\-]" * n, body) for n in range(4))
    return re.compile(body + before + rb"(?![ ./()\-]{0,3}0)")


def _spans(pattern: re.Pattern[bytes], key: bytes) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(key)]


class ViewDetector(Protocol):
    """A detector that can also scan a shared ``TextView``."""

    name: str
    entries: tuple[str, ...]

    def detect(self, text: str) -> list[Finding]: ...

    def scan(self, view: TextView) -> list[Finding]: ...


class DetectorGroup:
    """Several view detectors run as one, sharing a single ``TextView`` per text."""

    name = "group"

    def __init__(self, members: Sequence[ViewDetector], name: str | None = None) -> None:
        if name is not None:
            self.name = name
        self.members = tuple(members)
        self.entries = tuple(dict.fromkeys(entry for member in self.members for entry in member.entries))

    def detect(self, text: str) -> list[Finding]:
        return self.scan(TextView(text))

    def detect_forms(self, forms: TextForms) -> list[Finding]:
        return self.scan(TextView(forms.text, forms))

    def scan(self, view: TextView) -> list[Finding]:
        found: list[Finding] = []
        for member in self.members:
            found.extend(member.scan(view))
        return found


def bounded(view: TextView, start: int, end: int, glue: bytes = b"") -> bool:
    """The span is a whole token: no letter or digit touches it, no number goes on past a
    "." or a "," (a decimal; a thousands group, unlike a CSV field), and no character of
    ``glue`` touches it."""
    shape = view.shape
    before = shape[start - 1] if start > 0 else 0x20
    after = shape[end] if end < len(shape) else 0x20
    if before in b"0Aa" or after in b"0Aa" or before in glue or after in glue:
        return False
    if before == 0x2E and start > 1 and shape[start - 2] == 0x30:
        return False  # the fraction of a decimal
    if after == 0x2E:
        return shape[end + 1 : end + 2] != b"0"  # a decimal goes on
    return not (after == 0x2C and shape[end + 1 : end + 5] in (b"000", b"000 ", b"000.", b"000,", b"000\n"))
