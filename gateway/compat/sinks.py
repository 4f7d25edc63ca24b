"""Where a unified (OpenAI-format) result goes: back out as OpenAI, or as Anthropic.

The unified endpoint always works in OpenAI's format internally; a sink renders it in
the format the client speaks. ``/compat/chat/completions`` uses ``OpenAISink``;
``/compat/messages`` (Anthropic's Messages API, e.g. Claude Code) uses ``AnthropicSink``.
"""

from __future__ import annotations

from typing import Any, Protocol

import orjson
from aiohttp import web

from gateway.capture import CapturingStreamResponse
from gateway.providers import FAMILIES
from gateway.providers.family import Family
from gateway.sse import encode_event
from gateway.translate import OpenAIToAnthropicStream, openai_error_to_anthropic, openai_response_to_anthropic

_STREAM_HEADERS = {"Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache"}


class Sink(Protocol):
    error_family: Family

    def json(self, status: int, body: dict[str, Any]) -> web.Response: ...

    def upstream_error(self, status: int, openai_error: dict[str, Any]) -> web.Response: ...

    async def write_chunks(self, response: web.StreamResponse, chunks: list[dict[str, Any]]) -> None: ...

    async def close(self, response: web.StreamResponse, complete: bool) -> bool:
        """End the stream. False: the format has no way to say "incomplete", so the
        caller must abort the connection rather than let a cut stream look whole."""
        ...


def open_stream(capture_limit: int = 0) -> web.StreamResponse:
    return CapturingStreamResponse(status=200, headers=_STREAM_HEADERS, capture_limit=capture_limit)


def _json_response(status: int, body: dict[str, Any]) -> web.Response:
    return web.Response(status=status, body=orjson.dumps(body), content_type="application/json")


class OpenAISink:
    error_family: Family = FAMILIES["openai"]

    def json(self, status: int, body: dict[str, Any]) -> web.Response:
        return _json_response(status, body)

    def upstream_error(self, status: int, openai_error: dict[str, Any]) -> web.Response:
        return _json_response(status, openai_error)

    async def write_chunks(self, response: web.StreamResponse, chunks: list[dict[str, Any]]) -> None:
        if chunks:
            await response.write(b"".join(b"data: " + orjson.dumps(c) + b"\n\n" for c in chunks))

    async def close(self, response: web.StreamResponse, complete: bool) -> bool:
        if not complete:
            return False  # no [DONE]: the caller aborts, so the client sees the cut
        await response.write(b"data: [DONE]\n\n")
        await response.write_eof()
        return True


def openai_sink(call: object) -> Sink:
    return _OPENAI_SINK


class AnthropicSink:
    """Renders OpenAI results as Anthropic Messages; one instance per call (it holds stream state)."""

    error_family: Family = FAMILIES["anthropic"]

    def __init__(self, model: str) -> None:
        self._model = model
        self._stream = OpenAIToAnthropicStream(model)

    def json(self, status: int, body: dict[str, Any]) -> web.Response:
        return _json_response(status, openai_response_to_anthropic(body, self._model))

    def upstream_error(self, status: int, openai_error: dict[str, Any]) -> web.Response:
        return _json_response(status, openai_error_to_anthropic(status, openai_error))

    async def write_chunks(self, response: web.StreamResponse, chunks: list[dict[str, Any]]) -> None:
        events = [event for chunk in chunks for event in self._stream.feed(chunk)]
        if events:
            await response.write(b"".join(encode_event(e.data, e.event) for e in events))

    async def close(self, response: web.StreamResponse, complete: bool) -> bool:
        # finish() ends with message_stop, or with an `error` event when the upstream
        # was cut off: Anthropic's own way to tell a client the answer is incomplete.
        events = self._stream.finish()
        if events:
            await response.write(b"".join(encode_event(e.data, e.event) for e in events))
        await response.write_eof()
        return True


_OPENAI_SINK = OpenAISink()
