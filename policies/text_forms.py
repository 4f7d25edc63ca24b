"""The forms of one text that several detectors scan, each made once per scan.

Most detectors search bytes rather than ``str`` (``bytes.translate`` turns character
classes into literals the regex engine finds fast), and most start from the same forms:
the text one byte per character, its ASCII lower case, the text lowered, and its words.
On a long input each form is a pass over the text and, worse, megabytes of fresh memory
that the allocator hands back to the system when freed and must fault in again for the
next detector. ``scan_text`` makes one ``TextForms`` per text and hands it to every
detector that takes one (``FormsDetector``); a detector called on its own makes its own.

The distinct words also answer, for the price of a search over them, whether a literal of
word characters occurs anywhere in the text (``mentions``): a detector skips a whole scan
for a cue whose every match holds a word the text lacks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cached_property
from typing import Protocol, runtime_checkable

from policies.finding import Finding

# Lower-cased bytes to words: ASCII letters, digits and "_" stay, everything else splits.
_TO_WORDS = bytes(c if 0x30 <= c <= 0x39 or 0x61 <= c <= 0x7A or c == 0x5F else 0x20 for c in range(256))
_WORD_LITERAL = re.compile(rb"[a-z0-9_]+")
_SPLIT_CHUNK = 16_384
_VOCABULARY_SHARE = 4  # the words are asked when they are at most this share of the text
# Lower case of every Latin-1 character, which is again Latin-1.
_LATIN1_LOWER = bytes(range(256)).decode("latin-1").lower().encode("latin-1")


class TextForms:
    """``text`` and its byte forms, each computed on first use."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def _latin1(self) -> tuple[bytes, bool]:
        try:  # for Latin-1 text (European prose) a copy; the strict try fails at the first other character
            return self.text.encode("latin-1"), True
        except UnicodeEncodeError:
            return self.text.encode("latin-1", "replace"), False

    @property
    def one_byte(self) -> bytes:
        """The text one byte per character, so offsets agree: Latin-1, "?" for the rest."""
        return self._latin1[0]

    @property
    def is_latin1(self) -> bool:
        """Whether ``one_byte`` is the text itself, with nothing replaced by "?"."""
        return self._latin1[1]

    @cached_property
    def ascii_lower(self) -> bytes:
        """``one_byte`` with A-Z lowered (other bytes as they are)."""
        return self.one_byte.lower()

    def ascii_lower_slice(self, start: int, end: int) -> bytes:
        """``ascii_lower[start:end]``, lowered from ``one_byte`` while no scan has needed the
        whole: a few windows then cost their length, not a pass over a long text."""
        whole = self.__dict__.get("ascii_lower")  # where cached_property keeps it
        return whole[start:end] if whole is not None else self.one_byte[start:end].lower()

    @cached_property
    def _lowered(self) -> tuple[str, bytes]:
        if self.is_latin1:  # through a byte table, ~5x faster than str.lower()
            low = self.one_byte.translate(_LATIN1_LOWER)
            return low.decode("latin-1"), low
        text = lowered(self.text)
        return text, text.encode("latin-1", "replace")

    @property
    def lower(self) -> str:
        """The text lowered one character per character (see ``lowered``)."""
        return self._lowered[0]

    @cached_property
    def words(self) -> frozenset[bytes]:
        """The distinct words of ``lower``: runs of ASCII letters, digits and "_"."""
        # Distinct runs between blanks first (a long text repeats most of them), then the
        # words of those few: one translate of a short string instead of the whole text.
        runs = distinct_runs(self._lowered[1])
        return distinct_runs(b" ".join(runs).translate(_TO_WORDS))

    @cached_property
    def vocabulary(self) -> bytes:
        """The words, each between spaces: " word word ... word "."""
        return b" " + b" ".join(self.words) + b" "

    @cached_property
    def small_vocabulary(self) -> bool:
        """Whether asking the words is much cheaper than a search of the text. Words repeat
        in prose and code; in "aaaa..." or a dump of unique ids they hardly do, and a dozen
        questions to the words would then cost a dozen passes over the text."""
        return len(self.vocabulary) <= len(self.text) // _VOCABULARY_SHARE

    def holds(self, pieces: Iterable[bytes]) -> bool:
        """Whether ``vocabulary`` may hold one of ``pieces`` (see ``word_pieces``): False
        means it does not; True when it does, or when it is too large to be worth asking."""
        if not self.small_vocabulary:
            return True
        vocabulary = self.vocabulary
        return any(piece in vocabulary for piece in pieces)

    def may_mention(self, literals: Iterable[bytes]) -> bool:
        """Whether any of ``literals`` (lower case) may occur in ``ascii_lower``: False means
        none does. For a detector to skip a scan whose every match holds one of them.

        A literal of word characters ("passport", "iban") lies inside one word wherever it
        occurs, so the distinct words, a small fraction of a long text, answer for the whole
        of it; of another literal, its word pieces must be there (``word_pieces``). Neither
        question is worth asking when the words are not a small share of the text.
        """
        return any(self.holds(word_pieces(literal)) for literal in literals)

    def mentions(self, literals: Iterable[bytes]) -> bool:
        """Whether any of ``literals`` (lower case) occurs in ``ascii_lower``.

        The words answer first (see ``may_mention``). ``lower``, whose words they are, can
        hold an ASCII letter where ``ascii_lower`` has "?" ("İ" lowers to "i"), so past
        Latin-1 a yes is checked in the text itself; so is a literal with other characters.
        """
        if not self.small_vocabulary:
            return any(literal in self.ascii_lower for literal in literals)
        for literal in literals:
            if not self.holds(word_pieces(literal)):
                continue
            if (self.is_latin1 and _WORD_LITERAL.fullmatch(literal)) or literal in self.ascii_lower:
                return True
        return False

    def may_match(self, pattern: re.Pattern[bytes]) -> bool:
        """Whether ``pattern``, which must match word characters only, may match
        ``ascii_lower``: False means it does not. It is asked of the words, when they are a
        small share of the text (a match lies inside one word)."""
        return not self.small_vocabulary or pattern.search(self.vocabulary) is not None


def word_pieces(literal: bytes) -> tuple[bytes, ...]:
    """What the words of a text holding ``literal`` must hold, in ``vocabulary`` (the words
    between spaces): a run of word characters inside ``literal`` is a whole word there
    (" schedule "), one that starts it ends a word ("daily "), one that ends it starts a word
    (" veloppeur" in "développeur": accented letters split words)."""
    return tuple(
        (b"" if run.start() == 0 else b" ") + run.group() + (b"" if run.end() == len(literal) else b" ")
        for run in _WORD_LITERAL.finditer(literal)
    )


def lowered(text: str) -> str:
    """``text.lower()`` with one character per character, so spans index both strings.

    A few characters lower to two (``İ`` to ``i̇``); keeping the first keeps offsets aligned.
    """
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(ch.lower()[0] for ch in text)


def distinct_runs(data: bytes) -> frozenset[bytes]:
    """The distinct runs of ``data`` between ASCII blanks.

    Split a piece at a time: a megabyte holds ~170,000 runs, and as one list they take
    fresh memory the allocator must fault in; pieces reuse the same few pages.
    """
    runs: set[bytes] = set()
    start = 0
    while start < len(data):
        cut = data.find(b" ", start + _SPLIT_CHUNK)  # a blank: no run is cut in two
        cut = len(data) if cut < 0 else cut
        runs.update(data[start:cut].split())
        start = cut
    return frozenset(runs)


@runtime_checkable
class FormsDetector(Protocol):
    """A detector that can also read a shared ``TextForms``; ``detect_forms(forms)`` returns
    what ``detect(forms.text)`` does."""

    name: str
    entries: tuple[str, ...]

    def detect(self, text: str) -> list[Finding]: ...

    def detect_forms(self, forms: TextForms) -> list[Finding]: ...
