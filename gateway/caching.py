"""The cache stage: answer an identical request from the cache (this process's memory,
or Redis shared by every gateway: see ``response_cache``), or lead the one upstream call
that identical concurrent requests share.

A request is cached when its gateway has ``cache_ttl`` or it sends ``weir-cache-ttl``
(seconds); ``weir-skip-cache: true`` bypasses. The key hashes the gateway, provider,
method, path, the canonical JSON body (keys sorted, so formatting does not matter) —
or ``weir-cache-key`` in place of path and body — together with a SHA-256 of the whole
provider credential and the caller's identity: one tenant never reads another's entry,
and two keys sharing a prefix never share one.

Only a complete success is stored: a 2xx, no gateway error, a stream that ended with its
terminal event, and no DLP finding (a policy may redact for one group what it allows for
another, so a response that triggered anything is never served to someone else). What
is stored is exactly what the first client received, headers and bytes; a streamed
response is replayed as the same events. Responses carry ``weir-cache-status``
(``HIT``, ``MISS`` or ``BYPASS``; also ``cf-aig-cache-status``).
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Mapping

import orjson
from aiohttp import web

from gateway.call import Call
from gateway.capture import CapturingStreamResponse
from gateway.errors import GatewayError
from gateway.headers import client_credential
from gateway.pipeline import Next
from gateway.request_controls import flag
from gateway.response_cache import CachedResponse, ResponseCache
from gateway.runtime import CACHE_STATUS

# Headers that describe one transfer, not the content: never stored, never replayed.
_TRANSFER_HEADERS = frozenset(
    {"content-length", "transfer-encoding", "connection", "keep-alive", "date", "server", "set-cookie"}
)
_OWN_PREFIXES = ("weir-", "cf-aig-")


async def cache_responses(call: Call, next_: Next) -> web.StreamResponse:
    cache = call.runtime.cache
    if cache is None:
        return await next_(call)
    headers = call.request.headers
    if flag(headers, "skip-cache", False):
        return await _uncached(call, next_, "BYPASS")
    ttl = _ttl(headers, call.runtime.config.gateways[call.gateway].cache_ttl, call.runtime.config.cache.max_ttl)
    if ttl is None:
        return await next_(call)
    if call.request.method not in ("GET", "POST"):
        return await _uncached(call, next_, "BYPASS")
    key = cache_key(call, headers.get("weir-cache-key", headers.get("cf-aig-cache-key")))
    entry = await cache.get(key)
    if entry is not None:
        return await replay(call, entry)
    # With a shared store a leader may store and finish while ``get`` awaited Redis; this
    # request then leads again: one redundant upstream call, never a wrong answer.
    leader = cache.flight.leader(key)
    if leader is not None:
        # shield: a follower whose client leaves must not cancel the leader's result.
        entry = await asyncio.shield(leader)
        if entry is not None:
            cache.hits += 1
            return await replay(call, entry)
        return await _uncached(call, next_, "MISS")  # the leader's answer was not cacheable
    return await _lead(call, next_, cache, key, ttl)


async def _lead(call: Call, next_: Next, cache: ResponseCache, key: str, ttl: float) -> web.StreamResponse:
    _mark(call, "MISS")
    cache.misses += 1
    call.capture_limit = cache.max_entry
    entry: CachedResponse | None = None
    try:
        response = await next_(call)
        entry = _entry_of(call, response, ttl)
        if entry is not None and not await cache.put(key, entry):
            entry = None
        return response
    finally:
        cache.flight.finish(key, entry)


async def _uncached(call: Call, next_: Next, status: str) -> web.StreamResponse:
    _mark(call, status)
    return await next_(call)


def _mark(call: Call, status: str) -> None:
    call.cache_status = status
    call.request[CACHE_STATUS] = status


async def replay(call: Call, entry: CachedResponse) -> web.StreamResponse:
    """Answer from ``entry``: the stored status, headers and bytes."""
    _mark(call, "HIT")
    call.status = entry.status
    call.usage = entry.usage
    call.response_body = entry.body
    call.response_is_sse = any(
        name.lower() == "content-type" and value.startswith("text/event-stream") for name, value in entry.headers
    )
    if not entry.streamed:
        call.mark_first_byte()
        return web.Response(status=entry.status, body=entry.body, headers=list(entry.headers))
    response = web.StreamResponse(status=entry.status, headers=list(entry.headers))
    await response.prepare(call.request)
    call.streamed = True
    call.mark_first_byte()
    await response.write(entry.body)
    await response.write_eof()
    return response


def _entry_of(call: Call, response: web.StreamResponse, ttl: float) -> CachedResponse | None:
    if not 200 <= call.status < 300 or call.error is not None or call.findings or call.provider is None:
        return None
    if isinstance(response, web.Response):
        body = response.body
        if not isinstance(body, bytes):
            return None
        streamed = False
    elif isinstance(response, CapturingStreamResponse) and response.captured is not None:
        body = b"".join(response.captured)
        streamed = True
    else:
        return None
    usage = call.settle_usage()
    if call.response_is_sse and not usage.complete:
        return None  # a stream without its terminal event is not a whole answer
    headers = tuple(
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in _TRANSFER_HEADERS and not name.lower().startswith(_OWN_PREFIXES)
    )
    return CachedResponse(response.status, headers, body, streamed, usage, ttl)


def cache_key(call: Call, custom: str | None) -> str:
    """SHA-256 over everything that makes two requests the same request for the same tenant."""
    request = call.request
    credential = client_credential(request.headers) or ""
    identity = call.identity
    parts: list[bytes] = [
        call.gateway.encode(),
        call.provider_name.encode(),
        hashlib.sha256(credential.encode()).digest(),  # the whole credential, never a prefix
        (identity.user or "").encode(),
        ",".join(sorted(identity.groups)).encode(),
        (identity.tenant or "").encode(),
    ]
    if custom is not None:
        parts += [b"custom", custom.encode()]
    else:
        parts += [request.method.encode(), request.path_qs.encode(), _canonical_body(call)]
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))  # length-prefixed: no two part lists collide
        digest.update(part)
    return digest.hexdigest()


def _canonical_body(call: Call) -> bytes:
    payload = call.request_json()
    if payload is None:
        return call.body
    return orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)


def _ttl(headers: Mapping[str, str], default: float | None, maximum: float) -> float | None:
    value = headers.get("weir-cache-ttl", headers.get("cf-aig-cache-ttl"))
    if value is None:
        return default
    try:
        ttl = int(value.strip())
    except ValueError:
        raise GatewayError(400, "weir-cache-ttl must be a whole number of seconds") from None
    if not 0 < ttl <= maximum:
        raise GatewayError(400, f"weir-cache-ttl must be between 1 and {int(maximum)} seconds")
    return float(ttl)
