"""The unified endpoint's last stage: call the routed provider in its own format and
hand the result, translated to OpenAI's format, to the client's sink.

Streams are translated event by event as they arrive: each upstream read is parsed,
translated and written before the next read, so the first token reaches the client
while the provider is still generating.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import orjson
from aiohttp import web
from multidict import CIMultiDict

from gateway.call import Call
from gateway.compat.adapters import ADAPTERS, Adapter, UpstreamRequest
from gateway.compat.sinks import Sink, open_stream
from gateway.dlp import inspect_response
from gateway.dlp_stream import StreamGuard
from gateway.errors import GatewayError
from gateway.headers import client_credential
from gateway.providers import Provider
from gateway.providers.family import parse_json
from gateway.relay import (
    UPSTREAM_BROKEN,
    abort_client,
    arm_idle_timeout,
    inspects_stream,
    read_whole,
    record_break,
    stream_break,
)
from gateway.sse import SSELineTooLong, SSEParser
from gateway.translate import TranslationError, UpstreamError
from gateway.translate.openai_response import error_body
from gateway.upstream import send_upstream
from gateway.upstream_url import UnsafePath

SinkFactory = Callable[[Call], Sink]


async def forward_chat(call: Call, make_sink: SinkFactory) -> web.StreamResponse:
    provider, adapter, payload, model = _routed(call)
    try:
        request = adapter.chat_request(provider, payload, model)
    except TranslationError as exc:
        raise GatewayError(400, str(exc)) from None
    return await _exchange(call, adapter, request, make_sink(call), "chat")


async def forward_embeddings(call: Call, make_sink: SinkFactory) -> web.StreamResponse:
    provider, adapter, payload, model = _routed(call)
    try:
        request = adapter.embeddings_request(provider, payload, model)
    except TranslationError as exc:
        raise GatewayError(400, str(exc)) from None
    call.stream = False
    return await _exchange(call, adapter, request, make_sink(call), "embeddings")


def _routed(call: Call) -> tuple[Provider, Adapter, dict[str, Any], str]:
    assert call.provider is not None and call.payload is not None and call.model is not None
    return call.provider, ADAPTERS[call.provider.config.family], call.payload, call.model


async def _exchange(
    call: Call, adapter: Adapter, request: UpstreamRequest, sink: Sink, kind: str
) -> web.StreamResponse:
    assert call.provider is not None and call.model is not None
    try:
        call.url = call.provider.url(request.path, request.query)
    except UnsafePath as exc:
        raise GatewayError(400, f"model: {exc}") from None
    body = orjson.dumps(request.body)
    upstream = await send_upstream(call, "POST", call.url, _headers(call, call.provider), body, decompress=True)
    async with upstream:
        call.status = upstream.status
        call.response_is_sse = upstream.headers.get("Content-Type", "").startswith("text/event-stream")
        if upstream.status >= 300:
            call.response_body = await read_whole(call, upstream)
            call.mark_first_byte()
            return sink.upstream_error(upstream.status, adapter.error(upstream.status, call.response_body))
        if call.stream:
            return await _stream(call, adapter, upstream, sink)
        call.response_body = await read_whole(call, upstream)
        visible = inspect_response(call, call.response_body, None) if call.runtime.inspector is not None else None
        parsed = parse_json(visible if visible is not None else call.response_body)
        try:
            if not isinstance(parsed, dict):
                raise TranslationError("", "the provider's response is not a JSON object")
            if kind == "chat":
                result = adapter.chat_response(parsed, call.model, int(time.time()))
            else:
                encoding = str((call.payload or {}).get("encoding_format") or "float")
                result = adapter.embeddings_response(parsed, call.model, encoding)
        except TranslationError as exc:
            raise GatewayError(502, f"the provider's response could not be translated: {exc}") from None
        except UpstreamError as exc:  # a failure reported inside a 200 (Cohere's ERROR finish)
            call.status, call.error = exc.status, "the provider reported an error inside its response"
            call.mark_first_byte()
            return sink.upstream_error(exc.status, exc.body)
        call.mark_first_byte()
        return sink.json(200, result)


async def _stream(call: Call, adapter: Adapter, upstream: Any, sink: Sink) -> web.StreamResponse:
    runtime = call.runtime
    assert call.model is not None
    include_usage = bool(((call.payload or {}).get("stream_options") or {}).get("include_usage"))
    translator = adapter.chat_stream(call.model, int(time.time()), include_usage)
    parser = SSEParser(runtime.config.limits.max_sse_line)
    response = open_stream(call.capture_limit)
    await response.prepare(call.request)
    call.streamed = True
    arm_idle_timeout(call, upstream)
    call.mark_first_byte()
    raw: list[bytes] = []
    size, limit = 0, runtime.config.limits.max_response_body
    guard = StreamGuard(call) if inspects_stream(call, upstream.status) else None
    while True:
        try:
            data = await upstream.content.readany()
        except UPSTREAM_BROKEN as exc:
            return await _cut(call, response, sink, raw, *stream_break(exc))
        size += len(data)
        if size > limit:
            return await _cut(call, response, sink, raw, f"the upstream response exceeded {limit} bytes", "too_large")
        raw.append(data)
        try:
            if guard is None:
                events = parser.feed(data) if data else parser.finish()
            else:  # DLP sees the provider's own stream; the translator gets what it lets through
                events = parser.feed(guard.feed(data)) if data else parser.feed(guard.finish()) + parser.finish()
                if guard.blocked:
                    return await _blocked(call, response, sink, raw, guard)
            chunks = [chunk for event in events for chunk in translator.feed(event)]
            if not data:
                chunks += translator.finish()
        except (TranslationError, SSELineTooLong) as exc:
            return await _cut(
                call, response, sink, raw, f"the provider's stream could not be translated: {exc}", "bad_stream"
            )
        try:
            await sink.write_chunks(response, chunks)
        except ConnectionResetError:
            call.response_body = b"".join(raw)
            call.error = "the client disconnected during the stream"
            return response
        if not data:
            break
    call.response_body = b"".join(raw)
    if not translator.is_complete:
        call.error = "the provider's stream ended without its final event"
    if not await sink.close(response, translator.is_complete):
        abort_client(call)
    return response


async def _cut(
    call: Call, response: web.StreamResponse, sink: Sink, raw: list[bytes], reason: str, kind: str
) -> web.StreamResponse:
    """The upstream stream failed mid-way: end the client's stream as incomplete."""
    record_break(call, raw, reason, kind)
    try:
        ended = await sink.close(response, complete=False)
    except ConnectionResetError:
        ended = False
    if not ended:
        abort_client(call)
    return response


async def _blocked(
    call: Call, response: web.StreamResponse, sink: Sink, raw: list[bytes], guard: StreamGuard
) -> web.StreamResponse:
    """DLP blocked the streamed answer: an error chunk, then an incomplete end."""
    guard.record()
    call.response_body, call.error = b"".join(raw), "the response stream was blocked by policy"
    rule = next((f.get("rule") for f in call.findings if f.get("action") == "block"), None)
    error = error_body(403, f"the response was blocked by Weir policy {rule!r}")  # sinks take OpenAI chunks
    try:
        await sink.write_chunks(response, [error])
        ended = await sink.close(response, complete=False)
    except ConnectionResetError:
        ended = False
    if not ended:
        abort_client(call)
    return response


def _headers(call: Call, provider: Provider) -> CIMultiDict[str]:
    headers: CIMultiDict[str] = CIMultiDict(provider.config.headers)
    headers["Content-Type"] = "application/json"
    headers["Accept"] = "text/event-stream" if call.stream else "application/json"
    key = client_credential(call.request.headers)
    headers.update(provider.auth(key) if key else call.stored_key_headers())
    return headers
