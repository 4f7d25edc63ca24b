"""Rewriting spans of a JSON body's strings, and the placeholders that replace them.

``redact(body, replacements)`` returns a new JSON value in which ``text[start:end]`` of
the string at each replacement's path is replaced by its placeholder. Spans index the
ORIGINAL string (what ``Normalized.original_span`` returns). Containers on the way to a
rewritten string are copied; every other subtree is shared with the input, which is
never mutated. A string that is itself JSON (tool-call ``arguments``) is rewritten as a
string; placeholders contain no quote or backslash, so a span inside one of its string
literals leaves it valid JSON.

``Placeholders`` hands out ``[REDACTED:EMAIL]`` or numbered ``[EMAIL_1]`` placeholders
for one request, the same number for the same value so the model can still tell two
addresses apart. It remembers a keyed hash of each value, never the value, and the key
is random per instance: even a low-entropy value (a card number, an SSN) cannot be
recovered from what it keeps.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Replacement:
    """Replace ``[start, end)`` of the string at ``path`` with ``placeholder``."""

    path: Path
    start: int
    end: int
    placeholder: str


def redact(body: Any, replacements: Sequence[Replacement]) -> Any:
    """``body`` with every replacement applied; overlapping spans of one string merge
    into one, keeping the placeholder of the span that starts first.

    Raises ``ValueError`` when a path does not lead to a string or a span lies outside
    it: replacements come from the same body, so either means a bug upstream.
    """
    by_path: dict[Path, list[Replacement]] = {}
    for replacement in replacements:
        by_path.setdefault(tuple(replacement.path), []).append(replacement)
    if () in by_path:  # the body is one string
        if len(by_path) > 1:
            raise ValueError("redaction at []: the body is a string, so no other path exists")
        return _rewrite(_string_at(body, ()), by_path[()], ())
    result = body
    copied: set[int] = set()  # ids of the containers this call made; they may be written
    for path, spans in by_path.items():
        if not copied:
            result = _copy(body, ())
            copied.add(id(result))
        parent = result
        for depth, key in enumerate(path[:-1]):
            child = _child(parent, key, path[: depth + 1])
            if id(child) not in copied:
                child = _copy(child, path[: depth + 1])
                copied.add(id(child))
                parent[key] = child
            parent = child
        original = _string_at(_child(parent, path[-1], path), path)
        parent[path[-1]] = _rewrite(original, spans, path)
    return result


def _rewrite(text: str, spans: list[Replacement], path: Path) -> str:
    ordered = sorted(spans, key=lambda r: r.start)  # stable: ties keep the caller's order
    pieces: list[str] = []
    position = 0
    for replacement in ordered:
        start, end = replacement.start, replacement.end
        if not 0 <= start <= end <= len(text):
            raise ValueError(f"redaction at {list(path)}: span ({start}, {end}) is outside a string of {len(text)}")
        if start < position:  # overlaps the span already replaced: widen it
            position = max(position, end)
            continue
        pieces.append(text[position:start])
        pieces.append(replacement.placeholder)
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _child(container: Any, key: str | int, path: Path) -> Any:
    try:
        return container[key]
    except (KeyError, IndexError, TypeError):
        raise ValueError(f"redaction at {list(path)}: no such element in the body") from None


def _copy(container: Any, path: Path) -> Any:
    if isinstance(container, dict):
        return dict(container)
    if isinstance(container, list):
        return list(container)
    raise ValueError(f"redaction at {list(path)}: expected an object or array, got {type(container).__name__}")


def _string_at(value: Any, path: Path) -> str:
    if not isinstance(value, str):
        raise ValueError(f"redaction at {list(path)}: expected a string, got {type(value).__name__}")
    return value


class Placeholders:
    """Placeholders for one request (or one stream); create a new one per request."""

    def __init__(self) -> None:
        self._key = secrets.token_bytes(32)
        self._numbers: dict[tuple[str, bytes], int] = {}
        self._counts: dict[str, int] = {}

    def placeholder(self, entry: str, value: str, style: str = "entry") -> str:
        """``[REDACTED:ENTRY]`` for style ``entry``; for ``numbered``, ``[ENTRY_n]`` where
        ``n`` is the same for the same value of that entry within this request.

        Pass the value as detectors saw it (normalised) when look-alike spellings of one
        value should share a number.
        """
        if style == "entry":
            return f"[REDACTED:{entry}]"
        if style != "numbered":
            raise ValueError(f'placeholder style: expected "entry" or "numbered", got {style!r}')
        digest = hashlib.blake2b(value.encode("utf-8", "surrogatepass"), key=self._key, digest_size=16).digest()
        number = self._numbers.get((entry, digest))
        if number is None:
            number = self._counts.get(entry, 0) + 1
            self._counts[entry] = number
            self._numbers[(entry, digest)] = number
        return f"[{entry}_{number}]"
