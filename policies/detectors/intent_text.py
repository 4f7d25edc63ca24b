"""The text an intent detector inspects, and where the needles that open its cue sets occur.

A ``TextView`` holds the text lowered (one character per character, so offsets index both)
and the set of its ASCII words, both from the shared ``TextForms``. A ``Needle`` is the
literal that opens a cue set: a whole ASCII word, looked up in that set, or any other
substring (``<|``, ``instruções``, ``忽略``).

Long inputs make every pass over the text count (about 1 ms a megabyte, more for fresh
memory), so word needles are located by a regex that finds their stem as a literal, with
the word-start test in C, and a substring needle is located from its rarest-looking
character (non-ASCII or punctuation), which ``str.find`` finds with memchr.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from policies.text_forms import TextForms, word_pieces

_ASCII_WORD = re.compile(r"[a-z0-9_]+")
_ENDINGS = ("ations", "ation", "ings", "ing", "ies", "ied", "ions", "ion", "ers", "er", "ed", "es", "s", "e", "y")
_MIN_STEM = 5
# An anchor character more frequent than one in this many is no cheaper to start from than
# the substring itself (Cyrillic "и" in Russian prose, say).
_ANCHOR_RARITY = 256
_COMMON_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789 ")  # poor anchors: everywhere in text


@dataclass(frozen=True, slots=True)
class TextView:
    """The text a detector inspects, lowered, and the set of its ASCII words.

    Building the word set is one translate and a split (~30 µs for 4 KB, ~8 ms for 1 MB,
    see ``TextForms.words``); after it, checking any number of needle words costs nothing,
    where each ``in`` check would be another pass over the text.
    """

    text: str
    low: str
    words: frozenset[bytes]
    forms: TextForms
    is_ascii: bool
    # Where each searched literal occurs; filled on demand, for this one text only.
    found: dict[str, list[int]] = field(default_factory=dict)
    # Where single anchor characters occur (None: too often to be worth it), likewise.
    anchors: dict[str, dict[str, list[int]] | None] = field(default_factory=dict)

    @classmethod
    def of(cls, text: str, forms: TextForms | None = None) -> TextView:
        forms = forms if forms is not None else TextForms(text)
        return cls(text, forms.lower, forms.words, forms, text.isascii())

    def has(self, needle: Needle) -> bool:
        if needle.word is not None:
            return needle.word in self.words
        if self.is_ascii and not needle.text.isascii():
            return False
        if not all(self.forms.holds((piece,)) for piece in needle.pieces):
            return False  # a word-character piece of it is in no word: no search of the text
        # One character is found by memchr, dozens of times faster than a substring, so a
        # needle with a character the text lacks ("ç" in English) costs no full search.
        return all(char in self.low for char in needle.chars) and bool(self.positions(needle))

    def positions(self, needle: Needle) -> list[int]:
        """Where the needle's stem occurs; one pass per stem, however many sets ask."""
        found = self.found.get(needle.stem)
        if found is None:
            if needle.at_word_start is not None:
                found = [m.start() for m in needle.at_word_start.finditer(self.low)]
            else:
                found = self._substring_positions(needle.text, needle.anchor)
            self.found[needle.stem] = found
        return found

    def _substring_positions(self, text: str, anchor: int) -> list[int]:
        low = self.low
        if anchor >= 0:
            spots = self._spots(text[anchor])
            if spots is not None:
                # Only occurrences of the anchor followed by the needle's next character.
                after = text[anchor + 1 : anchor + 2]
                candidates = spots.get(after, []) if after else sorted(i for group in spots.values() for i in group)
                return [i - anchor for i in candidates if i >= anchor and low.startswith(text, i - anchor)]
        found = []
        i = low.find(text)
        while i >= 0:
            found.append(i)
            i = low.find(text, i + 1)
        return found

    def _spots(self, char: str) -> dict[str, list[int]] | None:
        """Where ``char`` occurs, by the character after it ("" at the end of the text), or
        None when it is too common to start from."""
        if char in self.anchors:
            return self.anchors[char]
        low, limit = self.low, len(self.low) // _ANCHOR_RARITY + 16
        spots: dict[str, list[int]] | None = {}
        count = 0
        i = low.find(char)
        while i >= 0 and spots is not None:
            spots.setdefault(low[i + 1 : i + 2], []).append(i)
            count += 1
            i = low.find(char, i + 1)
            if count > limit:
                spots = None  # the search so far cost about one pass; the substring costs one
        self.anchors[char] = spots
        return spots


@dataclass(frozen=True, slots=True)
class Needle:
    """A literal that opens a cue set: a whole ASCII word, or any substring (a phrase of
    words, a tag, a word in another script)."""

    text: str
    word: bytes | None
    stem: str
    # A word's stem only counts at the start of a word ("dos" is not in "windows"). The
    # check is a lookbehind *after* the stem, so the regex engine still scans for the stem
    # as a literal prefix; found in C, occurrences inside words cost no Python call.
    at_word_start: re.Pattern[str] | None = field(default=None, compare=False, repr=False)
    chars: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    # Offset of a substring's first character that is no ASCII letter, digit or space (so a
    # rarer one: "<" in "<|", "ç" in "instruções"), from which it is located; -1: none.
    anchor: int = field(default=-1, compare=False, repr=False)
    # Its runs of word characters, as the text's words must hold them (``word_pieces``).
    pieces: tuple[bytes, ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def of(cls, text: str) -> Needle:
        if not _ASCII_WORD.fullmatch(text):
            anchor = next((i for i, char in enumerate(text) if char not in _COMMON_CHARS), -1)
            # Words are made from the text one byte per character, "?" past Latin-1 (a separator).
            pieces = word_pieces(text.encode("latin-1", "replace"))
            return cls(text, None, text, chars=frozenset(text), anchor=anchor, pieces=pieces)
        # Inflections of one word share a stem, so "ignore", "ignored" and "ignoring" are
        # located with one search; the stem is a prefix, so it finds every form.
        stem, shorter = text, True
        while shorter:
            shorter = False
            for ending in _ENDINGS:
                if stem.endswith(ending) and len(stem) - len(ending) >= _MIN_STEM:
                    stem, shorter = stem[: -len(ending)], True
                    break
        return cls(text, text.encode(), stem, _at_word_start(stem))


def _at_word_start(stem: str) -> re.Pattern[str]:
    # "[^\W_]" is what str.isalnum() accepts. Scanning resumes after each match, which
    # misses no word start: an occurrence overlapping the previous one starts inside it,
    # after a letter or digit of the stem, unless that is "_"; those rare stems get a
    # lookahead, which finds overlaps at the cost of the literal prefix.
    if "_" in stem:
        return re.compile(f"(?<![^\\W_])(?={re.escape(stem)})")
    return re.compile(f"{re.escape(stem)}(?<![^\\W_]{re.escape(stem)})")
