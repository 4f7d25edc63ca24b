"""Server-sent events: an incremental, bounded parser and an encoder.

The parser is fed raw bytes as they arrive from an upstream and yields whole events.
A line longer than ``max_line`` raises ``SSELineTooLong`` instead of growing a buffer
without bound: an upstream (or a hostile client) cannot make the gateway hold an
unbounded line in memory.
"""

from __future__ import annotations

from dataclasses import dataclass


class SSELineTooLong(ValueError):
    """An SSE line exceeded the configured maximum length."""


@dataclass(frozen=True, slots=True)
class SSEEvent:
    data: str
    event: str | None = None
    id: str | None = None


class SSEParser:
    """Turns a byte stream into ``SSEEvent`` values (WHATWG event-stream rules)."""

    __slots__ = ("_buffer", "_data", "_event", "_id", "_max_line")

    def __init__(self, max_line: int = 1 << 20) -> None:
        self._buffer = bytearray()
        self._data: list[str] = []
        self._event: str | None = None
        self._id: str | None = None
        self._max_line = max_line

    def feed(self, chunk: bytes) -> list[SSEEvent]:
        self._buffer += chunk
        events: list[SSEEvent] = []
        start = 0
        buffer = self._buffer
        while True:
            end = buffer.find(b"\n", start)
            if end < 0:
                break
            line = bytes(buffer[start:end])
            start = end + 1
            if line.endswith(b"\r"):
                line = line[:-1]
            if len(line) > self._max_line:
                raise SSELineTooLong(f"SSE line of {len(line)} bytes exceeds the limit of {self._max_line}")
            event = self._take_line(line.decode("utf-8", errors="replace"))
            if event is not None:
                events.append(event)
        del buffer[:start]
        if len(buffer) > self._max_line:
            raise SSELineTooLong(f"SSE line exceeds the limit of {self._max_line} bytes")
        return events

    def finish(self) -> list[SSEEvent]:
        """Flush a final event that was not followed by a blank line."""
        events = self.feed(b"\n") if self._buffer else []
        if self._data:
            events.append(self._dispatch())
        return events

    def _take_line(self, line: str) -> SSEEvent | None:
        if not line:
            return self._dispatch() if self._data or self._event is not None else None
        if line.startswith(":"):
            return None
        field, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if field == "data":
            self._data.append(value)
        elif field == "event":
            self._event = value
        elif field == "id":
            self._id = value
        return None

    def _dispatch(self) -> SSEEvent:
        event = SSEEvent(data="\n".join(self._data), event=self._event, id=self._id)
        self._data = []
        self._event = None
        return event


class LineGuard:
    """Checks a relayed byte stream's line lengths without parsing it.

    The pass-through relay forwards SSE bytes untouched; this only tracks the length
    of the current line across chunks, so a provider (or anything impersonating one)
    cannot stream an unbounded line. Chunks shorter than the limit cost one ``rfind``.
    """

    __slots__ = ("_max_line", "_pending")

    def __init__(self, max_line: int) -> None:
        self._max_line = max_line
        self._pending = 0  # bytes since the last newline

    def admits(self, chunk: bytes) -> bool:
        if self._pending + len(chunk) <= self._max_line:
            newline = chunk.rfind(b"\n")
            self._pending = self._pending + len(chunk) if newline < 0 else len(chunk) - newline - 1
            return True
        lines = chunk.split(b"\n")
        first = self._pending + len(lines[0])  # the line the previous chunks left open
        if first > self._max_line or any(len(line) > self._max_line for line in lines[1:]):
            return False
        self._pending = first if len(lines) == 1 else len(lines[-1])
        return True


def encode_event(data: str, event: str | None = None) -> bytes:
    """One SSE event as bytes; multi-line data is split into several ``data:`` lines."""
    head = f"event: {event}\n" if event else ""
    body = "".join(f"data: {line}\n" for line in data.split("\n"))
    return (head + body + "\n").encode()
