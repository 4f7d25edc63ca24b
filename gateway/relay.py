"""Relays an upstream response to the client, keeping a bounded copy for usage and logs.

Streams (SSE, NDJSON, or any chunked/unsized body) go out chunk by chunk as they
arrive; nothing waits for the whole body. A sized body is read whole (it is small, and
one write is fastest). If the upstream breaks mid-stream, the client connection is
aborted too, so the client sees a truncated stream rather than a clean end.
"""

from __future__ import annotations

import asyncio

import aiohttp
from aiohttp import web

from gateway.call import Call
from gateway.capture import CapturingStreamResponse
from gateway.dlp import inspect_response
from gateway.dlp_stream import StreamGuard
from gateway.errors import GatewayError
from gateway.headers import downstream_response_headers
from gateway.sse import LineGuard
from gateway.upstream import upstream_failure

_STREAM_TYPES = ("text/event-stream", "application/x-ndjson", "application/jsonl", "application/stream+json")
UPSTREAM_BROKEN = (aiohttp.ClientError, asyncio.TimeoutError)


async def relay(call: Call, upstream: aiohttp.ClientResponse) -> web.StreamResponse:
    upstream_headers = upstream.headers
    content_type = upstream_headers.get("Content-Type", "")
    call.status = upstream.status
    call.response_encoding = upstream_headers.get("Content-Encoding")
    call.response_is_sse = content_type.startswith("text/event-stream")
    headers = downstream_response_headers(upstream_headers)
    if content_type.startswith(_STREAM_TYPES) or upstream.content_length is None:
        return await _relay_stream(call, upstream, headers)
    call.response_body = await read_whole(call, upstream)
    body = call.response_body
    if call.runtime.inspector is not None and 200 <= upstream.status < 300:
        redacted = inspect_response(call, body, call.response_encoding)
        if redacted is not None:
            body = redacted
            headers = [(name, value) for name, value in headers if name.lower() != "content-encoding"]
    call.mark_first_byte()
    return web.Response(status=upstream.status, body=body, headers=headers)


async def read_whole(call: Call, upstream: aiohttp.ClientResponse) -> bytes:
    """The whole upstream body, refused with 502 past the response-size limit."""
    limit = call.runtime.config.limits.max_response_body
    length = upstream.content_length
    if length is not None and length > limit:
        raise GatewayError(502, f"the upstream response is {length} bytes; the limit is {limit}")
    try:
        if length is not None:
            return await upstream.read()
        chunks: list[bytes] = []
        size = 0
        while chunk := await upstream.content.readany():
            size += len(chunk)
            if size > limit:
                raise GatewayError(502, f"the upstream response exceeded the limit of {limit} bytes")
            chunks.append(chunk)
        return b"".join(chunks)
    except UPSTREAM_BROKEN as exc:
        raise upstream_failure(call, exc) from None


async def _relay_stream(call: Call, upstream: aiohttp.ClientResponse, headers: object) -> web.StreamResponse:
    runtime = call.runtime
    limit = runtime.config.limits.max_response_body
    call.streamed = True
    arm_idle_timeout(call, upstream)
    response = CapturingStreamResponse(
        status=upstream.status,
        headers=headers,
        capture_limit=call.capture_limit,
    )
    await response.prepare(call.request)
    call.mark_first_byte()
    chunks: list[bytes] = []
    size = 0
    lines = LineGuard(runtime.config.limits.max_sse_line) if call.response_is_sse else None
    guard = StreamGuard(call) if inspects_stream(call, upstream.status) else None
    while True:
        try:
            chunk = await upstream.content.readany()
        except UPSTREAM_BROKEN as exc:
            return broken(call, response, chunks, *stream_break(exc))
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            return broken(call, response, chunks, f"the upstream response exceeded {limit} bytes", "too_large")
        if lines is not None and not lines.admits(chunk):
            return broken(call, response, chunks, "the upstream stream sent an over-long SSE line", "too_large")
        chunks.append(chunk)
        visible = guard.feed(chunk) if guard is not None else chunk
        try:
            if visible:
                await response.write(visible)
        except ConnectionResetError:
            call.response_body = b"".join(chunks)
            call.error = "the client disconnected during the stream"
            return response
        if guard is not None and guard.blocked:
            break
    call.response_body = b"".join(chunks)
    if guard is not None:
        if not guard.blocked:
            await response.write(guard.finish())
        guard.record()
        if guard.blocked:
            call.error = "the response stream was blocked by policy"
    await response.write_eof()
    return response


def inspects_stream(call: Call, status: int) -> bool:
    runtime = call.runtime
    return (
        runtime.inspector is not None
        and runtime.config.dlp.inspect_responses
        and call.response_is_sse
        and call.provider is not None
        and 200 <= status < 300
    )


def stream_break(exc: BaseException) -> tuple[str, str]:
    """What to record when an upstream stream fails: the reason and the metric's kind."""
    if isinstance(exc, asyncio.TimeoutError):
        return "the upstream stream stalled past the read timeout", "timeout"
    return f"the upstream stream broke: {type(exc).__name__}", "reset"


def arm_idle_timeout(call: Call, upstream: aiohttp.ClientResponse) -> None:
    """A stream may run long, but not stall: each read waits at most ``upstream_read``."""
    connection = upstream.connection
    if connection is not None and connection.protocol is not None:
        connection.protocol.read_timeout = call.runtime.config.timeouts.upstream_read


def record_break(call: Call, chunks: list[bytes], reason: str, kind: str) -> None:
    """An upstream stream failed mid-way: keep what arrived, say why, count it."""
    call.response_body = b"".join(chunks)
    call.error = reason
    call.runtime.metrics.upstream_error(call.provider_name, kind)


def abort_client(call: Call) -> None:
    """Cut the client's connection: a stream that cannot end properly must not end cleanly."""
    transport = call.request.transport
    if transport is not None:
        transport.abort()


def broken(call: Call, response: web.StreamResponse, chunks: list[bytes], reason: str, kind: str) -> web.StreamResponse:
    record_break(call, chunks, reason, kind)
    abort_client(call)
    return response
