"""DLP on a streamed (SSE) response: the provider's raw stream in, the stream the client
may see out, event by event.

Events are split on their blank-line boundaries and kept as the provider's own bytes;
only an event whose text is redacted is re-encoded. The text deltas go through
``policies.stream.StreamInspector``, which holds back the last few hundred characters,
so an event is released only once the text after it has been seen. A block ends the
stream with an error event in the provider's format.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from typing import Any

import orjson

from gateway.call import Call
from gateway.dlp import blocked_message, context, record
from gateway.providers.stream_text import STREAM_TEXT, StreamText
from gateway.sse import SSEParser, encode_event
from policies.inspector import Inspection
from policies.stream import StreamInspector, rewrite_span

_EVENT_END = re.compile(rb"\r\n\r\n|\n\n|\r\r")


@dataclass(slots=True)
class _Held:
    raw: bytes
    data: Any  # the parsed JSON payload, when the event carries text
    event: str | None
    start: int  # the event's text span in the stream's accumulated text
    end: int


class StreamGuard:
    def __init__(self, call: Call) -> None:
        assert call.provider is not None and call.runtime.inspector is not None
        self._call = call
        self._family = call.provider.family
        self._text: StreamText = STREAM_TEXT.get(call.provider.config.family, STREAM_TEXT["openai"])
        self._inspector = StreamInspector(
            call.runtime.inspector, context(call, "response", None), call.runtime.config.dlp.stream_holdback
        )
        self._max_line = call.runtime.config.limits.max_sse_line
        self._buffer = b""
        self._held: deque[_Held] = deque()
        self.blocked = False

    def feed(self, chunk: bytes) -> bytes:
        """Bytes the client may receive now (possibly none, possibly rewritten)."""
        self._buffer += chunk
        position = 0
        while (match := _EVENT_END.search(self._buffer, position)) is not None:
            self._hold(self._buffer[position : match.end()])
            position = match.end()
        self._buffer = self._buffer[position:]
        return self._release(self._inspector.released)

    def finish(self) -> bytes:
        """The upstream ended: everything still held, checked to the end."""
        if self._buffer:
            self._hold(self._buffer)
            self._buffer = b""
        return self._release(self._inspector.finish())

    def _hold(self, raw: bytes) -> None:
        start = len(self._inspector.text)
        events = SSEParser(self._max_line).feed(raw + b"\n\n")
        event = events[0] if events else None
        data = None
        if event is not None and event.data and event.data != "[DONE]":
            try:
                data = orjson.loads(event.data)
            except orjson.JSONDecodeError:
                data = None
        text = self._text.get(data) if data is not None else None
        if text:
            self._inspector.feed(text)
        self._held.append(
            _Held(raw, data if text else None, event.event if event else None, start, len(self._inspector.text))
        )

    def _release(self, upto: int) -> bytes:
        if self._inspector.blocked is not None:
            return self._block()
        out: list[bytes] = []
        while self._held and self._held[0].end <= upto:
            held = self._held.popleft()
            out.append(self._rewritten(held))
        return b"".join(out)

    def _rewritten(self, held: _Held) -> bytes:
        cuts = self._inspector.cuts
        if held.data is None or not any(c.start < held.end and c.end > held.start for c in cuts):
            return held.raw
        text = rewrite_span(self._inspector.text, held.start, held.end, cuts)
        return encode_event(orjson.dumps(self._text.put(held.data, text)).decode(), held.event)

    def _block(self) -> bytes:
        self.blocked = True
        self._held.clear()
        blocking = self._inspector.blocked
        message = blocked_message(blocking, "response")
        body = orjson.dumps(self._family.error_body(403, message)).decode()
        return encode_event(body, "error" if self._family.name == "anthropic" else None)

    def record(self) -> None:
        """Put the stream's findings on the call for the log."""
        located = tuple(self._inspector.located)
        if located:
            actions = [loc.action for loc in located]
            strongest = max(actions, key=("allow", "flag", "redact", "block").index)
            record(self._call, Inspection(located, strongest), "response")
