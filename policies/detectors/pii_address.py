"""Postal addresses (topic ``pii``).

The strongest evidence is the tail of an address, which has a format: ", City, ST
12345" in the US, "City SW1A 1AA" in the UK, ", 12345 City" in most of Europe. A tail
is reported on its own (medium) or together with the street segment before it
(high). A street with a number and a known suffix ("221B Baker Street", "12 Oak
Ave") is reported without a tail at medium, or low when the suffix is a weak one
("Way", "Place") that ordinary phrases also end in.
"""

from __future__ import annotations

import re

from policies.detectors.pii_view import TextView
from policies.finding import Finding


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH"
    "|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC|AS|GU|MP|PR|VI|AA|AE|AP|FM|MH|PW"
)
_CITY = r"[A-Z][a-z]{1,20}(?:[ \t-][A-Z][a-z]{1,20}){0,3}"
_US_TAIL = re.compile(
    rf"(?:,[ \t]{{1,2}}|\b)({_CITY}),?[ \t]{{1,2}}(?:{_STATES})[ \t]{{1,2}}\d{{5}}(?:-\d{{4}})?(?![\w-])"
)
_UK_POSTCODE = re.compile(r"(?<![\w-])[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?[ \t]\d[ABD-HJLNP-UW-Z]{2}(?![\w-])")
_CITY_BEFORE = re.compile(rf"(?:,[ \t]{{1,2}}|\b)({_CITY}),?[ \t]{{1,2}}\Z")
_EU_TAIL = re.compile(
    r",[ \t](?:\d{5}(?:-\d{3})?|\d{8}|\d{4})[ \t][^\W\d_][\w'-]{1,30}(?:[ \t-][^\W\d_][\w'-]{1,30}){0,2}"
)

_STRONG_SUFFIX = (
    r"Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Parkway|Pkwy|Highway|Hwy|Court|Ct|Terrace"
    r"|Circle|Cir|Crescent|Alley|Trail|Trl"
)
_WEAK_SUFFIX = r"Way|Place|Pl|Square|Sq|Close|Loop|Row|Plaza|Mews|Grove|Gardens|Walk"
# Two passes over the shape, led by capitals (rare in number-heavy text). A street name
# after a house number ("12 Oak", "221B Baker"): a capitalised word right after "0 ", "0A "
# or "0aa ", whose two letters the engine finds as a literal before any lookbehind runs. A
# UK postcode ("SW1A 1AA") or a US state and ZIP ("IL 62704"): a capital not right after a
# letter or digit (checked on each match: no match can start inside one so rejected), and
# every alternative opens with a literal, so the engine turns most capitals away with one
# comparison. European postcodes come from the number shapes.
_STREET_HINT = re.compile(rb"Aa(?:(?<=0 Aa)|(?<=0A Aa)|(?<=0aa Aa))")
_CODE_HINT = re.compile(rb"A(?:A0[A0]? 0AA|0[A0]? 0AA|A[ \t]{1,2}00000(?:-0000)?)(?![Aa0-])")
# "12 ", "221B ", "350 5th " right before the street's name.
_HOUSE_NUMBER = re.compile(r"(?<![\w.-])\d{1,6}[A-Za-z]?(?:-\d{1,5})?[ \t](?:\d{1,3}(?:st|nd|rd|th)[ \t])?\Z")
_EU_POSTCODE = re.compile(rb", 0000(?:0-000|0000|0)? A")
_STREET = re.compile(
    r"\d{1,6}[A-Za-z]?(?:-\d{1,5})?[ \t](?:(?:N|S|E|W|North|South|East|West)\.?[ \t])?"
    r"(?:(?:\d{1,3}(?:st|nd|rd|th)|[A-Z][a-z'-]{1,20})[ \t]){1,4}"
    rf"(?:(?P<strong>{_STRONG_SUFFIX})|(?P<weak>{_WEAK_SUFFIX}))\b\.?"
    r"(?:[ \t](?:N|S|E|W|NE|NW|SE|SW)\b)?"
    r"(?:,?[ \t](?:Apt|Apartment|Suite|Ste|Unit|Fl|Floor|Rm|Room|#)\.?[ \t]?#?[A-Za-z0-9-]{1,6}\b)?"
)
# Lower-case words that belong to street names in European addresses.
_STREET_WORDS = _words(
    """
    rue avenue boulevard chemin place impasse allee allée quai route via viale piazza corso strada calle avenida
    plaza paseo camino rua travessa de del la le les des di da do dos das du von van der den am an im zum zur
    """
)
_SEGMENT_STOPS = "\n;:(<[|"


class AddressDetector:
    """POSTAL_ADDRESS: street + city/state/ZIP (or UK/European tail) -> high; a tail or
    a street with a strong suffix alone -> medium; a weak suffix alone -> low."""

    name = "postal_address"
    entries: tuple[str, ...] = ("POSTAL_ADDRESS",)

    def detect(self, text: str) -> list[Finding]:
        return self.scan(TextView(text))

    def scan(self, view: TextView) -> list[Finding]:
        shape = view.shape
        streets = [hint.start() for hint in _STREET_HINT.finditer(shape)]  # the capital of the street's name
        postcodes: list[tuple[int, int]] = []
        zips: list[tuple[int, int]] = []
        for hint in _CODE_HINT.finditer(shape):
            if hint.start() and shape[hint.start() - 1] in b"Aa0":
                continue
            # A ZIP ends in a digit, a UK postcode in a letter.
            (zips if shape[hint.end() - 1] == 0x30 else postcodes).append(hint.span())
        spans = [*self._tails(view, postcodes, zips), *self._streets(view, streets)]
        spans.sort(key=lambda span: (span[0], -span[2]))
        found: list[Finding] = []
        for start, end, confidence in spans:
            if found and start < found[-1].end:
                continue  # a street already covered by a whole address
            found.append(Finding("POSTAL_ADDRESS", "pii", start, end, confidence))
        return found

    def _tails(
        self, view: TextView, postcodes: list[tuple[int, int]], zips: list[tuple[int, int]]
    ) -> list[tuple[int, int, float]]:
        text, spans = view.text, []
        for _, end in zips:
            m = _US_TAIL.search(text, max(0, end - 70), end)
            if m is not None and m.end() == end:
                spans.append(_with_street(text, m.start(), m.end()))
        for hint in _EU_POSTCODE.finditer(view.shape):
            m = _EU_TAIL.match(text, hint.start())
            street = _street_start(text, hint.start()) if m is not None else None
            if m is not None and street is not None:  # a bare ", 2000 Units" is not an address
                spans.append((street, m.end(), 0.85))
        for start, end in postcodes:
            m = _UK_POSTCODE.fullmatch(text, start, end)
            if m is None:
                continue
            city = _CITY_BEFORE.search(text, max(0, start - 50), start)
            if city is None:
                spans.append((start, end, 0.4))
            else:
                spans.append(_with_street(text, city.start(), end))
        return spans

    def _streets(self, view: TextView, hints: list[int]) -> list[tuple[int, int, float]]:
        spans = []
        text = view.text
        for name in hints:
            number = _HOUSE_NUMBER.search(text, max(0, name - 16), name)
            m = _STREET.match(text, number.start()) if number is not None else None
            if m is not None:
                spans.append((m.start(), m.end(), 0.65 if m.group("strong") else 0.45))
        return spans


def _with_street(text: str, tail_start: int, tail_end: int) -> tuple[int, int, float]:
    """The tail alone (medium), or from the street segment before it (high)."""
    street = _street_start(text, tail_start)
    return (
        (street, tail_end, 0.9) if street is not None else (tail_start + _skip_comma(text, tail_start), tail_end, 0.6)
    )


def _skip_comma(text: str, pos: int) -> int:
    return 2 if text.startswith(", ", pos) else 1 if text.startswith(",", pos) else 0


def _street_start(text: str, tail_start: int) -> int | None:
    """Walk back over the street segment(s) before a tail: capitalised words, house
    numbers and street words, at most two comma segments and 80 characters. The street
    must hold both a number and a word."""
    floor = max(0, tail_start - 80)
    pos, start = tail_start, None
    has_number = has_word = False
    for _ in range(2):
        cut = max(floor - 1, text.rfind(",", floor, pos), *(text.rfind(ch, floor, pos) for ch in _SEGMENT_STOPS))
        tokens = text[cut + 1 : pos].split()
        kept = 0
        for token in reversed(tokens):
            kind = _street_token(token)
            if kind is None:
                break
            has_number, has_word = has_number or kind == "number", has_word or kind == "word"
            kept += 1
        if kept == 0:
            break
        start = text.find(tokens[-kept], cut + 1, pos)
        if kept < len(tokens) or cut < floor or (has_number and has_word):
            break
        pos = cut
    return start if has_number and has_word else None


def _street_token(token: str) -> str | None:
    bare = token.rstrip(".")
    if bare[:1].isdigit() and len(bare) <= 8:
        return "number"
    if bare in _STREET_WORDS or (bare[:1].isupper() and bare.replace("-", "").replace("'", "").isalpha()):
        return "word"
    return None
