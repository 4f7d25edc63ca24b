"""De-obfuscated views of a text, for rescanning with the intent cues.

A *view* is a region of the text (``start``/``end``) and what it says once decoded. Encodings
(base64, hex, escapes...) are decoded by ``obfuscation_decoders``; this module adds the
rewrites that keep the alphabet: rot13, reversed text, leetspeak ("1gn0r3 pr3v10us") and
spaced-out letters ("i g n o r e"). ``changed`` marks where the rewritten text differs from the
original, so a cue that plain text already shows is not blamed on obfuscation.

Finding candidates must be cheap on benign text: the text's byte forms (``TextForms``: one
byte per character, so offsets are shared, and its lower case) go through translate tables to
character classes; a few searches on those decide whether any rewrite runs at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from policies.detectors.obfuscation_decoders import View, decoded, find_all, table, windows
from policies.text_forms import TextForms

# Letters -> "a", leet digits and symbols -> "1", other digits -> "9", separators -> space, rest -> "#".
# "!" and "|" are left out: code is full of "!x" and "||".
_LEET_CHARS = b"013457@$"
_SEPARATORS = b" .-_*/~+\t"
_TO_CLASS = table(
    {
        **{c: 0x61 for c in b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"},
        **{c: 0x39 for c in b"2689"},
        **{c: 0x31 for c in _LEET_CHARS},
        **{c: 0x20 for c in _SEPARATORS},
    },
    0x23,
)
_ROT13 = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", "NOPQRSTUVWXYZABCDEFGHIJKLMnopqrstuvwxyzabcdefghijklm"
)
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_LEET_L = str.maketrans({"1": "l"})
# Words whose leetspeak spelling alone is worth a rescan; otherwise a window needs two leet words.
_LEET_WORDS = frozenset(
    [
        "ignore",
        "disregard",
        "forget",
        "instructions",
        "instruction",
        "previous",
        "prior",
        "system",
        "prompt",
        "jailbreak",
        "jailbroken",
        "bypass",
        "restrictions",
        "unrestricted",
        "uncensored",
        "unfiltered",
        "filters",
        "rules",
        "password",
        "passwords",
        "keylogger",
        "ransomware",
        "malware",
        "exploit",
        "hack",
        "hacking",
        "virus",
        "trojan",
        "payload",
        "shellcode",
        "phishing",
    ]
)

# rot13 and reversed spellings of the words nearly every encoded instruction contains.
_ROT13_NEEDLES = (b"vtaber", b"vafgehpg")
_REVERSED_NEEDLES = (b"erongi", b"snoitcurtsni")
# (They are letters, so the text's distinct words tell whether they occur: see TextForms.)
# Four single letters in a row, each after a separator (in the class bytes). ``in`` is slow
# on a needle that repeats itself; the regex engine's prefix search is not.
_SPACED_HINT = re.compile(rb" a a a a ")

# A leet character between two letters (in the class bytes: "gn0r" is "a1a"); it starts with
# "1", so the scan jumps from one digit to the next.
_LEET_CHAR = re.compile(rb"1(?<=a1)(?=a)")
_LEET_IN_WORD = re.compile(rb"[a-z][013457][a-z]")  # the same, for the leet digits, on lower-cased words
_SPACED_RUN = re.compile(r"(?<![A-Za-z])[A-Za-z](?:[ .\-_*/~+][ .\-_*/~+]?[ .\-_*/~+]?[A-Za-z](?![A-Za-z])){3,}")


def views(text: str, forms: TextForms | None = None) -> Iterator[View]:
    """Every decodable region of ``text`` that a cheap trigger points at; ``forms`` are its
    byte forms, when the caller has them."""
    forms = forms if forms is not None else TextForms(text)
    raw = forms.one_byte
    yield from decoded(text, forms)
    if forms.may_mention(_ROT13_NEEDLES):
        yield from _rewritten(text, _ROT13_NEEDLES, forms.ascii_lower, "rot13", lambda s: s.translate(_ROT13))
    if forms.may_mention(_REVERSED_NEEDLES):
        yield from _rewritten(text, _REVERSED_NEEDLES, forms.ascii_lower, "reversed", lambda s: s[::-1])
    classes = raw.translate(_TO_CLASS)
    if _may_hold_leet(forms) and _LEET_CHAR.search(classes):
        yield from _leet(text, classes)
    if _SPACED_HINT.search(classes) or classes.startswith(b"a a a a "):
        yield from _spaced_letters(text)


def _may_hold_leet(forms: TextForms) -> bool:
    """Whether some leet character sits between two letters, as ``_LEET_CHAR`` asks: a leet
    digit does so inside a word, which the distinct words tell; "@" and "$" are found by
    memchr, and only their neighbours are looked at."""
    if forms.may_match(_LEET_IN_WORD):
        return True
    raw = forms.one_byte
    for symbol in b"@$":
        at = raw.find(symbol)
        while at >= 0:
            if raw[at - 1 : at].isalpha() and raw[at + 1 : at + 2].isalpha():
                return True
            at = raw.find(symbol, at + 1)
    return False


def _rewritten(
    text: str, needles: tuple[bytes, ...], low: bytes, kind: str, rewrite: Callable[[str], str]
) -> Iterator[View]:
    for lo, hi in windows(find_all(low, needles), len(text), 240):
        yield View(lo, hi, rewrite(text[lo:hi]), kind)


def _leet(text: str, classes: bytes) -> Iterator[View]:
    """Windows around words that mix letters with leet digits, with those words spelled out."""
    tokens: dict[int, int] = {}
    for match in _LEET_CHAR.finditer(classes):
        at = match.start()
        # Leet words are short; looking at most 25 bytes either way keeps this linear.
        floor, ceiling = max(0, at - 25), min(len(classes), at + 25)
        lo = max(classes.rfind(b" ", floor, at), classes.rfind(b"#", floor, at), floor - 1) + 1
        if lo in tokens:
            continue
        hi = min(_end_of_token(classes, at, b" ", ceiling), _end_of_token(classes, at, b"#", ceiling))
        if _is_leet(text[lo:hi]):
            tokens[lo] = hi
    ordered = sorted(tokens.items())
    first = 0
    for lo, hi in windows([start for start, _ in ordered], len(text), 160):
        while first < len(ordered) and ordered[first][0] < lo:
            first += 1
        inside = []
        for start, end in ordered[first:]:
            if start >= hi:
                break
            inside.append((start, end))
        spelled = {text[start:end].lower().translate(_LEET) for start, end in inside[:64]}
        if len(inside) < 2 and not spelled & _LEET_WORDS:
            continue
        changed = tuple((start - lo, end - lo) for start, end in inside)
        chunk = text[lo:hi]
        yield View(lo, hi, chunk.translate(_LEET), "leetspeak", changed)
        if "1" in chunk:
            yield View(lo, hi, chunk.translate(_LEET_L).translate(_LEET), "leetspeak", changed)


def _end_of_token(classes: bytes, start: int, stop: bytes, ceiling: int) -> int:
    end = classes.find(stop, start, ceiling)
    return ceiling if end < 0 else end


def _is_leet(token: str) -> bool:
    """A word with letters swapped for leet digits: "1gn0r3", "pr3v10us", "p@ssw0rd".

    Code and data have "md5sum", "utf8", "x86_64", "0x1f", "i18n" and hex ids instead, so a leet
    word has no other digits, is not hex, and has a swap inside it or two swaps in all.
    """
    if not 3 <= len(token) <= 24 or token[:2].lower() == "0x" or any(c in "2689" for c in token):
        return False
    swaps = [i for i, c in enumerate(token) if c in "013457@$"]
    letters = sum(c.isalpha() for c in token)
    if not swaps or letters < 2 or all(c in "0123456789abcdefABCDEF" for c in token):
        return False
    inner = any(0 < i < len(token) - 1 and token[i - 1].isalpha() and token[i + 1].isalpha() for i in swaps)
    return inner or len(swaps) >= 2


def _spaced_letters(text: str) -> Iterator[View]:
    """Windows with each run of single letters ("i g n o r e", "s.y.s.t.e.m") joined into words."""
    for match in _SPACED_RUN.finditer(text):
        run = match.group()
        # Letters are joined by the run's most common separator; a space, when that is something
        # else ("i.g.n.o.r.e a.l.l"), or two or more separators, mark a word break.
        joiner = max(" .-_*/~+", key=run.count)
        if joiner != " ":
            joined = re.sub(r"[ .\-_*/~+]{2,3}| ", " ", run.replace(joiner, "\0")).replace("\0", "")
        else:
            joined = re.sub(r"(?<=[A-Za-z])[ .\-_*/~+](?=[A-Za-z])", "", run)
            joined = re.sub(r"[ .\-_*/~+]{2,3}", " ", joined)
        lo, hi = max(0, match.start() - 120), min(len(text), match.end() + 120)
        view = text[lo : match.start()] + joined + text[match.end() : hi]
        changed = ((match.start() - lo, match.start() - lo + len(joined)),)
        yield View(lo, hi, view, "spaced", changed)
