"""Decoders for encoded payloads: base64, base32 and hex blobs, spaced hex bytes, binary octets,
``\\x``/``\\u`` escapes, percent-encoding, Ascii85, Morse and Unicode tag characters.

Each decoder runs only when a cheap trigger fires (a long run of the base64 alphabet in a
translated copy of the text, a backslash, a "%", ...) and reads a bounded amount, so benign text
costs a few passes in C. A region is only reported when it decodes to readable text; what that
text says is for the intent cues to judge (``obfuscation.py``).
"""

from __future__ import annotations

import base64
import binascii
import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote

from policies.text_forms import TextForms

# Per-call bounds: decoders never read more than this much, whatever the input.
MAX_BLOB = 16_384
MAX_DECODED_TOTAL = 131_072
_MIN_RUN = 24  # shortest blob worth decoding; hashes and ids shorter than this are left alone


@dataclass(frozen=True, slots=True)
class View:
    start: int
    end: int
    text: str
    kind: str
    changed: tuple[tuple[int, int], ...] = ()  # spans of ``text`` that decoding produced; () means all


def table(mapping: dict[int, int], default: int) -> bytes:
    return bytes(mapping.get(c, default) for c in range(256))


_B64_CHARS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_"
# Blob alphabet -> "b", anything else -> space: long runs of "b" are blob candidates.
_TO_BLOB = table({c: 0x62 for c in _B64_CHARS}, 0x20)
# Triggers that start with a rare character class, so the scan skips ahead in C: hex bytes of
# text start with 2-7, octets are all 0/1, escapes start with "\", "%" or "<~", Morse with "-".
# (A single-character ``in`` check is a memchr; an alternation of several would not skip.)
_OCTET = re.compile(rb"0[01]{7}")  # how every _OCTETS_HINT match begins
_OCTETS_HINT = re.compile(rb"0[01][01][01][01][01][01][01] 0[01][01][01][01][01][01][01] 0[01]")
_SPACE_BYTES = (" 20 ", ",20,", ":20:", " 20,", "20 2", "20 6", "20 7")  # the hex of a space, spaced
# Any of them, in one scan led by the literal "20" (one search per hint is a pass each).
_SPACE_BYTE_HINT = re.compile(rb"20(?:(?<= 20)[ ,]|(?<=,20),|(?<=:20):| [267])")
_ESCAPE_HINT = re.compile(r"\\[xu][0-9A-Fa-f]")
_PERCENT_HINT = re.compile(r"%[0-9A-Fa-f][0-9A-Fa-f]")
_MORSE_HINT = re.compile(rb"-[.-]{0,5} [.-]{1,6} [.-]{1,6} [.-]")

_BLOB_RUN = re.compile(rb"b{%d,}" % _MIN_RUN)
_HEX_PAIRS = re.compile(r"[0-9A-Fa-f][0-9A-Fa-f](?:[ ,:][0-9A-Fa-f][0-9A-Fa-f]){11,}")
_OCTETS = re.compile(r"[01][01][01][01][01][01][01][01](?: [01][01][01][01][01][01][01][01]){5,}")
# Escape runs start with a literal backslash so the scan jumps from one to the next.
_ESCAPES = re.compile(
    r"\\(?:x[0-9A-Fa-f][0-9A-Fa-f]|u00[0-7][0-9A-Fa-f])(?:\\(?:x[0-9A-Fa-f][0-9A-Fa-f]|u00[0-7][0-9A-Fa-f])){5,}"
)
_PERCENT = re.compile(r"%[0-9A-Fa-f][0-9A-Fa-f]")
_ASCII85 = re.compile(r"<~[!-u\s]{8,}~>")
_MORSE = re.compile(r"[.-]{1,7}(?: {1,3}(?:/ {1,3})?[.-]{1,7}){7,}")
_MORSE_CODE = dict(
    zip(
        [
            ".-",
            "-...",
            "-.-.",
            "-..",
            ".",
            "..-.",
            "--.",
            "....",
            "..",
            ".---",
            "-.-",
            ".-..",
            "--",
            "-.",
            "---",
            ".--.",
            "--.-",
            ".-.",
            "...",
            "-",
            "..-",
            "...-",
            ".--",
            "-..-",
            "-.--",
            "--..",
            "-----",
            ".----",
            "..---",
            "...--",
            "....-",
            ".....",
            "-....",
            "--...",
            "---..",
            "----.",
            ".-.-.-",
            "--..--",
            "..--..",
            "-.-.--",
            ".--.-.",
        ],
        "abcdefghijklmnopqrstuvwxyz0123456789.,?!@",
        strict=True,
    )
)
# Unicode tag characters shadow ASCII one for one ("ASCII smuggling"), invisible when rendered.
# A class before the repeat lets the regex engine skip ahead in C.
_TAGS = re.compile("[\U000e0020-\U000e007e][\U000e0020-\U000e007e]{7,}")
_PRINTABLE = re.compile(r"[^\x20-\x7e\t\r\n\u00a0-\uffff]")


def decoded(text: str, forms: TextForms) -> Iterator[View]:
    """Every encoded region of ``text`` whose trigger fires; ``forms`` are its byte forms."""
    raw = forms.one_byte
    blob = raw.translate(_TO_BLOB)
    if b"b" * _MIN_RUN in blob:
        yield from _blobs(text, blob)
    # An octet ("01001000") and "20" are word characters, so the text's distinct words
    # (TextForms) tell whether a hint can be there before any scan of the text.
    octets = forms.may_match(_OCTET) and _OCTETS_HINT.search(raw)
    if octets or (forms.may_mention((b"20",)) and _SPACE_BYTE_HINT.search(raw)):
        yield from _spaced_bytes(text, raw)
    if "\\" in text and _ESCAPE_HINT.search(text):
        yield from _escapes(text)
    if "%" in text and _PERCENT_HINT.search(text):
        yield from _percent(text)
    if "~" in text and "<~" in text:
        yield from _ascii85(text)
    if "-" in text and _MORSE_HINT.search(raw):
        yield from _morse(text)
    # Tags lie outside the Basic Multilingual Plane: without a surrogate pair in UTF-16 there
    # are none, and that check is far cheaper than the regex. (``scan_text`` hands detectors
    # normalised text, which has no tags; it reads them from the original itself.)
    if not (forms.is_latin1 or text.isascii()) and len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text):
        yield from _tags(text)


def _readable(data: bytes) -> str | None:
    """``data`` as text when it is mostly printable UTF-8 with some letters, else None."""
    try:
        decoded = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    letters = sum(ch.isalpha() for ch in decoded[:512])
    if len(decoded) < 8 or letters < 0.5 * min(len(decoded), 512) or _PRINTABLE.search(decoded[:512]):
        return None
    return decoded


def _decode_blob(blob: str) -> tuple[str, str] | None:
    """Hex, base32 or base64 (standard or URL-safe, padding optional) that decodes to text."""
    if len(blob) % 2 == 0 and all(c in "0123456789abcdefABCDEF" for c in blob):
        text = _readable(binascii.unhexlify(blob))
        return (text, "hex") if text else None
    bare = blob.rstrip("=")
    if bare.isupper() or all(c.isupper() or c in "234567" for c in bare):
        try:
            text = _readable(base64.b32decode(bare + "=" * (-len(bare) % 8)))
        except (binascii.Error, ValueError):
            text = None
        if text:
            return text, "base32"
    urlsafe = bare.replace("+", "-").replace("/", "_")
    urlsafe = urlsafe[: len(urlsafe) - 1] if len(urlsafe) % 4 == 1 else urlsafe
    try:
        decoded = base64.urlsafe_b64decode(urlsafe + "=" * (-len(urlsafe) % 4))
    except (binascii.Error, ValueError):
        return None
    text = _readable(decoded)
    return (text, "base64") if text else None


_DIGIT = re.compile(r"[0-9]")


def _looks_encoded(run: str) -> bool:
    """Base64 mixes cases about evenly (and usually digits), base32 is capitals and 2-7, hex is
    hex: identifiers and paths ("node_modules/foo-bar", "getElementsByTagName") are none of these."""
    if len(run) < _MIN_RUN or "//" in run:
        return False
    if run.isupper() or (run.islower() and all(c in "0123456789abcdef" for c in run)):
        return _DIGIT.search(run) is not None
    if run.islower() or ("_" in run and "-" in run):
        return False
    upper = sum(1 for c in run[:256] if c.isupper()) / min(len(run), 256)
    return _DIGIT.search(run) is not None or 0.25 <= upper <= 0.75


def _blobs(text: str, blob_classes: bytes) -> Iterator[View]:
    budget = MAX_DECODED_TOTAL
    for run in _BLOB_RUN.finditer(blob_classes):
        start, end = run.span()
        # A blob is more than one long word or a URL path: it mixes in digits, "+" or "=".
        candidate = text[start : min(end, start + MAX_BLOB)].strip("-_")
        if not _looks_encoded(candidate):
            continue
        decoded = _decode_blob(candidate)
        if decoded is not None:
            yield View(start, end, decoded[0], decoded[1])
            budget -= len(decoded[0])
            if budget <= 0:
                return


def _spaced_bytes(text: str, raw: bytes) -> Iterator[View]:
    triggers = [m.start() for m in _OCTETS_HINT.finditer(raw)]
    triggers += [i for hint in _SPACE_BYTES for i in find_all(raw, (hint.encode(),))]
    for lo, hi in windows(triggers, len(text), 1024):
        for match in _HEX_PAIRS.finditer(text, lo, hi):
            decoded = _readable(bytes.fromhex(re.sub(r"[ ,:]", "", match.group())))
            if decoded:
                yield View(match.start(), match.end(), decoded, "hex")
        for match in _OCTETS.finditer(text, lo, hi):
            decoded = _readable(bytes(int(octet, 2) for octet in match.group().split()))
            if decoded:
                yield View(match.start(), match.end(), decoded, "binary")


def _escapes(text: str) -> Iterator[View]:
    for match in _ESCAPES.finditer(text):
        codes = re.findall(r"[0-9A-Fa-f]{2}(?=\\|$)", match.group() + "\\")
        decoded = _readable(bytes(int(code, 16) for code in codes))
        if decoded:
            yield View(match.start(), match.end(), decoded, "escapes")


def _percent(text: str) -> Iterator[View]:
    """Runs of words with %XX escapes ("Ignore%20all%20previous..."), unquoted as one region."""
    positions = [match.start() for match in _PERCENT.finditer(text)]
    for lo, hi in windows(positions, len(text), 48):
        # Trim the window to the whitespace-separated words that hold the escapes.
        first = bisect.bisect_left(positions, lo)
        last = bisect.bisect_left(positions, hi) - 1
        lo = max(text.rfind(" ", lo, positions[first]), text.rfind("\n", lo, positions[first]), lo - 1) + 1
        ends = [e for e in (text.find(" ", positions[last], hi), text.find("\n", positions[last], hi)) if e >= 0]
        hi = min(ends, default=hi)
        region = text[lo:hi]
        if region.count("%") >= 2:
            decoded = unquote(region)
            if decoded != region:
                yield View(lo, hi, decoded, "percent")


def _tags(text: str) -> Iterator[View]:
    for match in _TAGS.finditer(text):
        yield View(match.start(), match.end(), "".join(chr(ord(c) - 0xE0000) for c in match.group()), "tags")


def _ascii85(text: str) -> Iterator[View]:
    # Each "<~" pairs with the next "~>"; the search resumes after it, so the work stays linear.
    start = text.find("<~")
    while start >= 0:
        end = text.find("~>", start + 2)
        if end < 0:
            return
        if end - start <= MAX_BLOB and _ASCII85.fullmatch(text, start, end + 2):
            try:
                decoded = _readable(base64.a85decode(text[start : end + 2], adobe=True))
            except ValueError:
                decoded = None
            if decoded:
                yield View(start, end + 2, decoded, "ascii85")
        start = text.find("<~", end + 2)


def _morse(text: str) -> Iterator[View]:
    for match in _MORSE.finditer(text):
        words = match.group().split("/")
        decoded = " ".join("".join(_MORSE_CODE.get(code, "?") for code in word.split()) for word in words)
        if decoded.count("?") * 4 < len(decoded):
            yield View(match.start(), match.end(), decoded, "morse")


def windows(positions: list[int], size: int, radius: int) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for i in sorted(positions):
        lo, hi = max(0, i - radius), min(size, i + radius)
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


def find_all(haystack: bytes, needles: tuple[bytes, ...]) -> list[int]:
    found = []
    for needle in needles:
        i = haystack.find(needle)
        while i >= 0:
            found.append(i)
            i = haystack.find(needle, i + 1)
    return found
