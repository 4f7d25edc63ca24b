"""Builds SSE bodies in a provider's wire framing and parses them as the gateway does.

Tests write captured events as Python values (so long lines stay readable), render
them with the provider's framing, and feed translators what `SSEParser` makes of the
bytes: the same path a real upstream body takes.
"""

from __future__ import annotations

import json
from typing import Any

from gateway.sse import SSEEvent, SSEParser


def to_sse(events: list[tuple[str | None, Any]], newline: str = "\n") -> str:
    """`(event name or None, payload)` pairs as an SSE body; a str payload is sent verbatim."""
    lines = []
    for name, payload in events:
        data = payload if isinstance(payload, str) else json.dumps(payload, separators=(",", ":"))
        head = f"event: {name}{newline}" if name else ""
        lines.append(f"{head}data: {data}{newline}{newline}")
    return "".join(lines)


def parse_sse(text: str) -> list[SSEEvent]:
    parser = SSEParser()
    return parser.feed(text.encode()) + parser.finish()


def event_payloads(events: list[SSEEvent]) -> list[tuple[str | None, dict[str, Any]]]:
    return [(event.event, json.loads(event.data)) for event in events]
