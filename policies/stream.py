"""Inspecting a streamed response as it arrives, with a small hold-back window.

The text of a stream grows delta by delta. What is held back is only what could still
grow into something sensitive: the trailing token (a key's first half looks like any
other word until the rest arrives), digit groups just before it (cards, IBANs, phone
numbers written with spaces), and an unterminated ``-----BEGIN`` block. Everything
before that is scanned — with ``holdback`` characters of already-released text before
it as context — and released, so a client waits about one token, not a window. A
secret split across chunks is seen whole before its first character leaves. A
``block`` finding stops the stream; ``redact`` findings become replacements the caller
applies to the text before releasing it (``rewrite_span``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from policies.inspector import Inspector, Located
from policies.policy import Context
from policies.redact import Placeholders


@dataclass(frozen=True, slots=True)
class Cut:
    """A replacement in the stream's text: ``[start, end)`` becomes ``placeholder``."""

    start: int
    end: int
    placeholder: str


@dataclass(slots=True)
class StreamInspector:
    inspector: Inspector
    context: Context
    holdback: int = 256
    placeholders: Placeholders = field(default_factory=Placeholders)
    text: str = ""
    released: int = 0
    located: list[Located] = field(default_factory=list)
    cuts: list[Cut] = field(default_factory=list)
    blocked: Located | None = None
    _seen: set[tuple[str, int]] = field(default_factory=set)

    def feed(self, delta: str) -> int:
        """Add text; return the offset up to which the text may now be released."""
        self.text += delta
        safe = release_point(self.text, self.released)
        if safe > self.released and self.blocked is None:
            self._scan()
            if self.blocked is None:
                self.released = safe
        return self.released

    def finish(self) -> int:
        """The stream ended: scan what is held and release everything (unless blocked)."""
        self._scan()
        if self.blocked is None:
            self.released = len(self.text)
        return self.released

    def _scan(self) -> None:
        start = max(0, self.released - self.holdback)
        inspection = self.inspector.inspect_text(self.text[start:], self.context)
        for loc in inspection.located:
            f = loc.finding
            key = (f.entry, start + f.start)
            if key in self._seen or start + f.end <= self.released:
                continue  # already judged, or entirely in text that has already gone out
            self._seen.add(key)
            moved = Located(
                loc.path,
                loc.role,
                type(f)(f.entry, f.topic, start + f.start, start + f.end, f.confidence),
                loc.action,
                loc.rule,
            )
            self.located.append(moved)
            if loc.action == "block" and self.blocked is None:
                self.blocked = moved
            elif loc.action == "redact":
                begin = max(moved.finding.start, self.released)  # released text cannot be taken back
                value = self.text[moved.finding.start : moved.finding.end]
                style = self.inspector.policy.placeholder_style(loc.rule)
                self.cuts.append(Cut(begin, moved.finding.end, self.placeholders.placeholder(f.entry, value, style)))


_MAX_TOKEN = 4096  # a trailing "token" longer than this is not held whole (bounds the work)
_GROUP = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ -")


def release_point(text: str, floor: int) -> int:
    """How far ``text`` may be released: up to the start of whatever at its end could
    still become part of a finding. Looks back at most a few thousand characters."""
    limit = max(floor, len(text) - _MAX_TOKEN)
    point = len(text)
    while point > limit and not text[point - 1].isspace():
        point -= 1
    group = point
    while group > max(limit, point - 48) and text[group - 1] in _GROUP:
        group -= 1
    if sum(char.isdigit() for char in text[group:point]) >= 4:
        point = group  # "4111 1111 1111 " may be the start of a card number
    pem = text.rfind("-----BEGIN", limit)
    if pem >= 0 and text.find("-----END", pem) < 0:
        point = min(point, pem)
    return max(point, floor)


def rewrite_span(text: str, start: int, end: int, cuts: list[Cut]) -> str:
    """The released text ``[start, end)`` with every cut applied. A cut's placeholder
    is emitted by the span holding the cut's first character; other spans the cut
    covers lose those characters."""
    if not cuts:
        return text[start:end]
    out: list[str] = []
    position = start
    for cut in sorted(cuts, key=lambda c: c.start):
        if cut.end <= start or cut.start >= end:
            continue
        lo, hi = max(cut.start, start), min(cut.end, end)
        out.append(text[position:lo])
        if cut.start >= start:
            out.append(cut.placeholder)
        position = max(position, hi)
    out.append(text[position:end])
    return "".join(out)
