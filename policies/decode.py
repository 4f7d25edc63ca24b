"""Finding text hidden in encodings: base64 and base64url, percent-encoding, ``\\uXXXX``
and ``\\xXX`` escapes, and hex.

``decoded_views(text)`` returns one ``DecodedView`` per run that decodes to readable
text, with the span of the run in ``text``: a finding inside a view's text maps to that
whole span, since that is what a redaction must rewrite. A view's text is raw decoded
text; the caller normalises it before matching.

Work is bounded: candidate runs are found by linear regexes, a run is probed (its first
few hundred characters decoded) before it is decoded in full, every decoded byte counts
against a budget (1 MB by default) shared by the whole call, and decoded text is itself
searched once more (``max_depth`` 2: base64 inside percent-encoding, say) and no deeper.
Bodies compressed with gzip/br/zstd are not this module's concern: the gateway
decompresses them before the library sees them.

``smuggled_views(text)`` reads ASCII smuggled as Unicode tag characters. Unlike the
encodings above it must see the ORIGINAL text: normalisation deletes tag characters
as invisible, which is right for matching but would throw the payload away.
"""

from __future__ import annotations

import binascii
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import unquote

MAX_DECODED_BYTES = 1 << 20
_PROBE_CHARS = 512  # a multiple of 4 (base64) and of 2 (hex)
_MIN_PRINTABLE = 0.9
_LEFT_REACH = 256  # how far back a percent/escape run may start before its first escape
_MIN_TEXT = 6  # shorter decoded text cannot hold anything a detector reports

# Base64 runs are found without a regex: the text becomes a byte mask (1 for a character
# of the alphabet, 0 otherwise; one byte per character, so offsets hold) and runs are
# located with bytes.find, several times faster than a regex over prose and code.
_MIN_RUN = 16
_BASE64_MASK = bytes(c in b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-" for c in range(256))
_HEX_RUN = re.compile(f"[0-9a-fA-F][0-9a-fA-F]{{{_MIN_RUN - 1},}}")
_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
# Percent and escape runs: from the first escape to the end of the word (later escapes
# included). One literal start, one repeated class, nothing after it: linear.
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}[^\s\"'<>]*")
_ESCAPE = re.compile(r"\\(?:u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2})[^\s\"']*")
_ESCAPE_START = re.compile(r"\\[ux]")
_ONE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\x([0-9A-Fa-f]{2})")
_PERCENT_STOPS = frozenset(" \t\r\n\f\v\"'<>")
_ESCAPE_STOPS = frozenset(" \t\r\n\f\v\"'")
# Unicode tags U+E0020..U+E007E shadow printable ASCII one for one and render as nothing.
# The pattern opens with a class (not a repeat) so that the regex engine skips ahead in C.
_TAG_RUN = re.compile(f"[\U000e0020-\U000e007e][\U000e0020-\U000e007e]{{{_MIN_TEXT - 1},}}")
_TAG_OFFSET = 0xE0000
# Control characters and U+FFFD (an undecodable byte) are what binary data decodes to.
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")


@dataclass(frozen=True, slots=True)
class DecodedView:
    """Text decoded from ``source[start:end]``; ``kind`` names the outermost encoding:
    ``base64``, ``hex``, ``percent`` or ``escape``."""

    start: int
    end: int
    text: str
    kind: str = ""


class _Budget:
    """Decoded bytes still allowed for one call."""

    def __init__(self, limit: int) -> None:
        self.left = limit

    def take(self, size: int) -> bool:
        if size > self.left:
            return False
        self.left -= size
        return True


def decoded_views(
    text: str, max_bytes: int = MAX_DECODED_BYTES, max_depth: int = 2, one_byte: bytes | None = None
) -> list[DecodedView]:
    """Readable text hidden in ``text``, ordered by start; views found inside a decoded
    text carry the span of the outer run. ``one_byte`` is ``text`` one byte per character
    (``TextForms.one_byte``), when the caller has it already."""
    views = _collect(text, _Budget(max_bytes), max_depth, one_byte)
    views.sort(key=lambda v: (v.start, v.end))
    return views


def smuggled_views(text: str, max_bytes: int = MAX_DECODED_BYTES) -> list[DecodedView]:
    """ASCII hidden in runs of Unicode tag characters, with spans in ``text`` (which must
    be the original, not normalised, text); at most ``max_bytes`` of it in all."""
    # Tags lie outside the Basic Multilingual Plane: text whose UTF-16 form has no
    # surrogate pairs has none, and encoding is ~20 times cheaper than the regex scan.
    if text.isascii() or len(text.encode("utf-16-le", "surrogatepass")) == 2 * len(text):
        return []
    views: list[DecodedView] = []
    for match in _TAG_RUN.finditer(text):
        run = match.group()[:max_bytes]
        max_bytes -= len(run)
        views.append(DecodedView(match.start(), match.end(), "".join(chr(ord(c) - _TAG_OFFSET) for c in run), "tags"))
        if max_bytes <= 0:
            break
    return views


def _collect(text: str, budget: _Budget, depth: int, one_byte: bytes | None = None) -> list[DecodedView]:
    views: list[DecodedView] = []
    if depth < 1:
        return views
    for view in _views(text, budget, one_byte):
        views.append(view)
        for inner in _collect(view.text, budget, depth - 1):
            views.append(DecodedView(view.start, view.end, inner.text, view.kind))
    return views


def _views(text: str, budget: _Budget, one_byte: bytes | None) -> Iterator[DecodedView]:
    if one_byte is None:
        # Latin-1 with "?" past it: for European text a copy, where "ascii" would replace
        # every accented letter one error at a time.
        one_byte = text.encode("latin-1", "replace")
    base64_runs = list(_mask_runs(one_byte.translate(_BASE64_MASK)))
    for start, end in base64_runs:
        if text.startswith("=", end):  # padding
            end += 2 if text.startswith("==", end) else 1
        run = text[start:end]
        decoded = _decode_base64(run, budget)
        if decoded is not None:
            yield DecodedView(start, end, decoded, "base64")
        elif "/" in run:  # a URL or file path: its segments may be base64 on their own
            yield from _path_segments(run, start, budget)
    for start, end in _hex_runs(text, base64_runs):
        if (start and text[start - 1] in _ALNUM) or (end < len(text) and text[end] in _ALNUM):
            continue  # part of a longer word, not a hex string
        decoded = _decode_hex(text[start:end], budget)
        if decoded is not None:
            yield DecodedView(start, end, decoded, "hex")
    if "%" in text:
        yield from _runs(text, _PERCENT, _PERCENT_STOPS, _unquote, "percent", budget)
    if "\\" in text and _ESCAPE_START.search(text):  # "\\u" in text is a slow search; "\\" is memchr
        yield from _runs(text, _ESCAPE, _ESCAPE_STOPS, _unescape, "escape", budget)


def _hex_runs(text: str, base64_runs: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Maximal runs of at least ``_MIN_RUN`` hex digits. Hex digits are base64 characters,
    so each such run lies within a base64 run and is maximal there too: reading those few
    spans beats masking the whole text a second time."""
    for start, end in base64_runs:
        for match in _HEX_RUN.finditer(text, start, end):
            yield match.span()


def _path_segments(run: str, offset: int, budget: _Budget) -> Iterator[DecodedView]:
    for segment in run.split("/"):
        if len(segment) >= _MIN_RUN:
            decoded = _decode_base64(segment, budget)
            if decoded is not None:
                yield DecodedView(offset, offset + len(segment), decoded, "base64")
        offset += len(segment) + 1


def _mask_runs(mask: bytes) -> Iterator[tuple[int, int]]:
    """Runs of at least ``_MIN_RUN`` ones in ``mask``."""
    needle = b"\x01" * _MIN_RUN
    start = mask.find(needle)
    while start >= 0:
        end = mask.find(b"\x00", start + _MIN_RUN)
        if end < 0:
            end = len(mask)
        yield start, end
        start = mask.find(needle, end)  # mask[end] is 0, so a find lands on a run's start


def _runs(
    text: str,
    pattern: re.Pattern[str],
    stops: frozenset[str],
    decode: Callable[[str], str],
    kind: str,
    budget: _Budget,
) -> Iterator[DecodedView]:
    """Runs with at least one escape, taken back to the start of their word: in
    "sk-pr%6Fj-…" the secret starts before the first escape."""
    floor = 0
    for match in pattern.finditer(text):
        start = match.start()
        lowest = max(floor, start - _LEFT_REACH)
        while start > lowest and text[start - 1] not in stops:
            start -= 1
        floor = match.end()
        if match.end() - start < _MIN_TEXT:
            continue
        run = text[start : match.end()]
        decoded = decode(run[: budget.left])  # never longer than its source
        if len(decoded) >= _MIN_TEXT and decoded != run and budget.take(len(decoded)) and _is_text(decoded):
            yield DecodedView(start, match.end(), decoded, kind)


def _decode_base64(run: str, budget: _Budget) -> str | None:
    body = run.rstrip("=")
    padding = len(run) - len(body)
    if len(body) % 4 == 1 or (padding and len(run) % 4):
        return None
    urlsafe = "-" in body or "_" in body
    if urlsafe:
        if "+" in body or "/" in body:
            return None  # two alphabets: glued tokens or a path, not base64
        body = body.replace("-", "+").replace("_", "/")
    if len(body) > _PROBE_CHARS and not _decodes_to_text(_a2b(body[:_PROBE_CHARS]), budget):
        return None
    return _accept(_a2b(body[: budget.left // 3 * 4]), budget)  # past the budget, a prefix


def _decode_hex(run: str, budget: _Budget) -> str | None:
    if len(run) % 2:
        return None
    if len(run) > _PROBE_CHARS and not _decodes_to_text(bytes.fromhex(run[:_PROBE_CHARS]), budget):
        return None
    return _accept(bytes.fromhex(run[: budget.left // 2 * 2]), budget)


def _a2b(body: str) -> bytes:
    return binascii.a2b_base64(body + "=" * (-len(body) % 4))


def _decodes_to_text(raw: bytes, budget: _Budget) -> bool:
    return budget.take(len(raw)) and _is_text(raw.decode("utf-8", "replace"))


def _accept(raw: bytes, budget: _Budget) -> str | None:
    if not raw or not budget.take(len(raw)):
        return None
    decoded = raw.decode("utf-8", "replace")
    return decoded if _is_text(decoded) else None


def _is_text(decoded: str) -> bool:
    allowed = (1 - _MIN_PRINTABLE) * len(decoded)
    if decoded.count("\ufffd") > allowed:  # the common verdict for binary, in C
        return False
    # U+FFFD counts as printable, hence the count above.
    if not decoded.isprintable() and len(_NOT_TEXT.findall(decoded)) > allowed:
        return False
    return not decoded.isspace() and bool(decoded)


def _unquote(run: str) -> str:
    return unquote(run, errors="replace")


def _unescape(run: str) -> str:
    decoded = _ONE_ESCAPE.sub(_escaped_char, run)
    if decoded.isascii():
        return decoded
    try:  # \xe2\x82\xac: the bytes of UTF-8 text, as Python and C print them
        return decoded.encode("latin-1").decode("utf-8")
    except UnicodeError:
        pass
    # \ud83d\ude00 arrives as two surrogates; UTF-16 round-tripping pairs them up.
    return decoded.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _escaped_char(match: re.Match[str]) -> str:
    return chr(int(match.group(1) or match.group(2), 16))
