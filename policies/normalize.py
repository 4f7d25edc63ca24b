"""The form of text that detectors match, and the map back to the original offsets.

Owns normalisation: Unicode NFKC per character (full-width "ＡＫＩＡ" and ligatures like
"ﬁ" become ASCII), removal of invisible characters (zero-width, bidi controls, soft
hyphen, variation selectors, Unicode tags), removal of combining marks that sit on an
ASCII-like letter (strike-through overlays, NFD accents), and folding of look-alikes:
dashes, quotes and a few separators always; Cyrillic/Greek/Latin-extended letters that
look Latin only inside words that could be hiding ASCII (see ``_FOLDABLE_WORD``).

NFKC runs per character, not over the whole string, so every output character comes
from a known input character; canonical composition across characters (``e`` + U+0301
becoming ``é``) therefore does not happen, which matching ASCII forms does not need.

Pure-ASCII text, the common case, costs one ``str.isascii()``. Other text is handled
per *distinct* character, then by C-level regex passes, so the work stays linear.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from policies.text_forms import TextForms

# Characters that render as nothing (or only steer rendering) and so can split a secret
# without the reader, or the model, noticing.
_INVISIBLE_RANGES = (
    (0x00AD, 0x00AD),  # soft hyphen
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x061C, 0x061C),  # Arabic letter mark
    (0x115F, 0x1160),  # Hangul fillers
    (0x17B4, 0x17B5),  # Khmer inherent vowels
    (0x180B, 0x180F),  # Mongolian variation selectors and vowel separator
    (0x200B, 0x200F),  # zero-width space, non-joiner, joiner; LRM, RLM
    (0x202A, 0x202E),  # bidi embeddings and overrides ("Trojan Source")
    (0x2060, 0x2064),  # word joiner, invisible operators
    (0x2066, 0x2069),  # bidi isolates
    (0x3164, 0x3164),  # Hangul filler
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFEFF, 0xFEFF),  # zero-width no-break space (BOM)
    (0xFFA0, 0xFFA0),  # half-width Hangul filler
    (0xE0000, 0xE007F),  # tag characters ("ASCII smuggling")
    (0xE0100, 0xE01EF),  # variation selectors supplement
)
_INVISIBLE = frozenset(chr(c) for lo, hi in _INVISIBLE_RANGES for c in range(lo, hi + 1))

# Punctuation that NFKC leaves alone but that reads as its ASCII twin; folded everywhere.
_PUNCTUATION = {
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u02d7\u2796\ufe58", "-"),
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u2035\u02bc\u02b9", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2036\u02ba", '"'),
    **dict.fromkeys("\u2044\u2215\u29f8", "/"),
    **dict.fromkeys("\u2236\u0589\ua789", ":"),
    "\u3002": ".",  # ideographic full stop, read as a dot in domains
}

# Letters from other scripts that look like Latin ones (after Unicode's confusables.txt).
_LETTERS = {
    # Cyrillic
    **dict(zip("аеорсухѕіјһԁԛԝӏү", "aeopcyxsijhdqwly", strict=True)),
    **dict(zip("АВЕКМНОРСТУХЅІЈҮҺӀԚԜ", "ABEKMHOPCTYXSIJYHIQW", strict=True)),
    # Greek
    **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧϹ", "ABEZHIKMNOPTYXC", strict=True)),
    **dict(zip("αγικνορυχϲϳ", "ayikvopuxcj", strict=True)),
    # Latin extensions and Armenian
    **dict(zip("ıȷɑɡօսհո", "ijagouhn", strict=True)),
}
_LETTER_TABLE = str.maketrans(_LETTERS)
_LETTER_CLASS = "".join(sorted(_LETTERS))

# A word whose look-alikes get folded: it contains one, and either an ASCII letter or
# digit (mixed script, as in "раѕѕword" or "АКІА1234") or nothing but look-alikes and
# ASCII (whole-script, as in "АКІА"). Genuine Russian or Greek words keep their letters,
# so detectors that match those languages still can. Every step is possessive and
# starts only at a word boundary, so the scan is linear.
_FOLDABLE_WORD = re.compile(
    rf"(?<!\w)(?=[^\W{_LETTER_CLASS}]*+[{_LETTER_CLASS}])"
    rf"(?:(?=[^\WA-Za-z0-9]*+[A-Za-z0-9])|(?=[A-Za-z0-9_{_LETTER_CLASS}]*+(?!\w)))\w++"
)
_WORD_TAIL = re.compile(r"\w*")
_LETTER_RUN = re.compile(f"[{_LETTER_CLASS}][{_LETTER_CLASS}]*")
_WORD_REACH = 64  # a look-alike further than this into a word sends the text to the full pass
_MARK_CATEGORIES = frozenset({"Mn", "Me"})
_ASCII_BYTES = bytes(range(0x80))


@dataclass(frozen=True, slots=True)
class Normalized:
    """Normalised ``text`` and the map from its offsets to those of the original.

    The map is piecewise: piece ``k`` starts at normalised offset ``piece_starts[k]``
    and comes from original offset ``source_starts[k]``. A piece with
    ``source_widths[k] == 0`` is linear (one character each side); a piece with width
    ``w > 0`` came as a whole from the original's ``[start, start + w)`` (an expansion
    such as "ﬁ" → "fi"). No pieces means the identity map.
    """

    text: str
    source_length: int
    piece_starts: tuple[int, ...] = ()
    source_starts: tuple[int, ...] = ()
    source_widths: tuple[int, ...] = ()

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that ``text[start:end]`` came from.

        Removed characters inside the span, and those right after its last character,
        are covered; a span ending inside an expansion covers the whole source character.
        """
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span ({start}, {end}) is outside the normalised text of length {len(self.text)}")
        if not self.piece_starts:
            return start, end
        if start == end:
            position = self.source_length if start == len(self.text) else self._source_start(start)
            return position, position
        return self._source_start(start), self._source_end(end - 1)

    def _source_start(self, index: int) -> int:
        k = bisect_right(self.piece_starts, index) - 1
        if self.source_widths[k]:
            return self.source_starts[k]
        return self.source_starts[k] + index - self.piece_starts[k]

    def _source_end(self, index: int) -> int:
        """Where the source of ``text[index]`` ends, taking in what was removed right
        after it (the marks drawn on it, the zero-width characters that trail it)."""
        k = bisect_right(self.piece_starts, index) - 1
        if k + 1 < len(self.piece_starts):
            if index + 1 == self.piece_starts[k + 1]:
                return self.source_starts[k + 1]
        elif index + 1 == len(self.text):
            return self.source_length
        if self.source_widths[k]:
            return self.source_starts[k] + self.source_widths[k]
        return self.source_starts[k] + index - self.piece_starts[k] + 1


def normalize(text: str, forms: TextForms | None = None) -> Normalized:
    """The matchable form of ``text`` and the map back to it; ``forms`` are the byte forms
    of ``text``, when the caller has them (and will reuse them)."""
    if text.isascii():
        return Normalized(text, len(text))
    folds: dict[str, str] = {}  # one character to one other: offsets unchanged
    resized: dict[str, str] = {}  # to none or to several: the offset map changes
    marks: list[str] = []  # combining marks as they stand once folds are applied
    has_letters = False
    for char in _non_ascii_chars(text, forms):
        out, is_mark = _fold_char(char)
        if len(out) != 1:
            resized[char] = out
            continue
        if out != char:
            folds[char] = out
        if is_mark:
            marks.append(out)
        has_letters = has_letters or out in _LETTERS
    if folds:
        table = str.maketrans(folds)
        chars = _class(folds)
        text = re.sub(f"[{chars}][{chars}]*", lambda m: m.group().translate(table), text)
    normalized = _resize(text, resized, marks) if resized or marks else Normalized(text, len(text))
    if has_letters:  # one-to-one, so the map stays as it is
        return replace(normalized, text=_fold_words(normalized.text))
    return normalized


def _non_ascii_chars(text: str, forms: TextForms | None) -> set[str]:
    """The distinct non-ASCII characters of ``text``.

    ``set(text)`` hashes every character (~7 ns each). Text within Latin-1, the usual
    case for European prose, is one byte per character, so deleting the ASCII bytes in C
    first leaves a few thousand characters to hash.
    """
    forms = forms if forms is not None else TextForms(text)
    if not forms.is_latin1:
        return {char for char in set(text) if char >= "\x80"}
    return set(forms.one_byte.translate(None, _ASCII_BYTES).decode("latin-1"))


def _fold_words(text: str) -> str:
    """Fold look-alike letters in the words ``_FOLDABLE_WORD`` picks.

    That regex tries every position of the text (about 40 MB/s). A few look-alikes in
    English text are found much faster from the letters themselves; Russian or Greek
    prose, with look-alikes everywhere, goes to the full pass after a bounded attempt.
    """
    attempts = 16 + len(text) // 256
    pieces: list[str] = []
    copied = 0  # text before this is in pieces
    examined = 0  # words before this have been looked at
    for run in _LETTER_RUN.finditer(text):
        if run.start() < examined:
            continue
        attempts -= 1
        start = run.start()
        lowest = max(examined, start - _WORD_REACH)
        while start > lowest and _is_word_char(text[start - 1]):
            start -= 1
        if attempts < 0 or (start == lowest and start and _is_word_char(text[start - 1])):
            return _FOLDABLE_WORD.sub(_fold_letters, text)
        match = _FOLDABLE_WORD.match(text, start)
        if match is None:
            tail = _WORD_TAIL.match(text, run.end())
            examined = tail.end() if tail else run.end()
            continue
        pieces += (text[copied:start], _fold_letters(match))
        copied = examined = match.end()
    return "".join(pieces) + text[copied:] if pieces else text


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"  # what \w matches


def _fold_letters(match: re.Match[str]) -> str:
    return match.group().translate(_LETTER_TABLE)


# Patterns below start with a character class (``[x][x]*`` rather than ``[x]+``) so that
# the regex engine can skip ahead with its fast prefix scan.


def _resize(text: str, resized: dict[str, str], marks: list[str]) -> Normalized:
    """Apply deletions and expansions, recording where each piece of output came from.

    ``text`` already has its one-to-one folds applied (they keep offsets), so ASCII-like
    bases are plain ASCII or look-alike letters by now.
    """
    edits = _mark_edits(text, marks) if marks else []
    if resized:
        edits.extend(_resize_edits(text, resized))
        if marks:
            edits.sort()
    pieces: list[str] = []
    piece_starts: list[int] = []
    source_starts: list[int] = []
    source_widths: list[int] = []
    produced = 0  # length of the output so far
    position = 0  # where the unconsumed input starts
    for start, end, out in edits:
        if start > position:
            piece_starts.append(produced)
            source_starts.append(position)
            source_widths.append(0)
            pieces.append(text[position:start])
            produced += start - position
        if out:
            piece_starts.append(produced)
            source_starts.append(start)
            source_widths.append(end - start)
            pieces.append(out)
            produced += len(out)
        position = end
    if position < len(text):
        piece_starts.append(produced)
        source_starts.append(position)
        source_widths.append(0)
        pieces.append(text[position:])
    if not piece_starts:  # everything was invisible
        piece_starts, source_starts, source_widths = [0], [len(text)], [0]
    return Normalized("".join(pieces), len(text), tuple(piece_starts), tuple(source_starts), tuple(source_widths))


def _mark_edits(text: str, marks: list[str]) -> list[tuple[int, int, str]]:
    """Remove the combining marks drawn on an ASCII-like letter: A with U+0336 reads
    as a struck-through A, and NFD e with U+0301 as an accented e."""
    chars = _class(marks)
    pattern = f"[\\x00-\\x7f{_LETTER_CLASS}][{chars}][{chars}]*"
    return [(match.start() + 1, match.end(), "") for match in re.finditer(pattern, text)]


def _resize_edits(text: str, resized: dict[str, str]) -> Iterator[tuple[int, int, str]]:
    chars = _class(resized)
    gone = "".join(char for char, out in resized.items() if not out)
    for match in re.finditer(f"[{chars}][{chars}]*", text):
        start, run = match.start(), match.group()
        if not run.strip(gone):  # only invisible characters: one deletion
            yield start, match.end(), ""
            continue
        for offset, char in enumerate(run):
            yield start + offset, start + offset + 1, resized[char]


def _class(chars: Iterable[str]) -> str:
    """Characters for a regex class; all are non-ASCII, so none needs escaping."""
    return "".join(sorted(chars))


# A memo of a pure function of one character, bounded; it holds no request data beyond
# which characters have been seen.
@lru_cache(maxsize=8192)
def _fold_char(char: str) -> tuple[str, bool]:
    """What one non-ASCII character becomes (before word-level letter folding), and
    whether it is a combining mark."""
    if char in _INVISIBLE:
        return "", False
    out = unicodedata.normalize("NFKC", char)
    out = "".join(_PUNCTUATION.get(c, c) for c in out if c not in _INVISIBLE)
    return out, unicodedata.category(char) in _MARK_CATEGORIES
