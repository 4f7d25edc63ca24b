"""Sends the upstream request: one pooled session, no redirects, no automatic headers.

Connection failures become 502 and timeouts 504, each counted in metrics; both name
the provider but never the URL's credentials or the client's headers.
"""

from __future__ import annotations

import asyncio
import time

import aiohttp
from multidict import CIMultiDict
from yarl import URL

from gateway.call import Call
from gateway.errors import GatewayError
from gateway.exchange import Attempt

_BODYLESS = frozenset({"GET", "HEAD", "DELETE", "OPTIONS"})


async def send_upstream(
    call: Call,
    method: str,
    url: URL,
    headers: CIMultiDict[str] | list[tuple[str, str]],
    body: bytes,
    *,
    decompress: bool = False,
) -> aiohttp.ClientResponse:
    """The provider's response, its headers read; the caller releases it (``async with``)."""
    runtime = call.runtime
    started, started_at = time.perf_counter(), time.time()
    try:
        response = await runtime.session.request(
            method,
            url,
            headers=headers,
            data=body if body or method not in _BODYLESS else None,
            allow_redirects=False,
            auto_decompress=decompress,
        )
    except (aiohttp.ClientError, TimeoutError) as exc:
        error = upstream_failure(call, exc)
        if call.collect_log:  # attempts are rows of the log, and nothing else reads them
            elapsed = time.perf_counter() - started
            attempt = Attempt(call.provider_name, call.model, started_at, error.status, elapsed, error.message)
            call.attempts.append(attempt)
        raise error from None
    if call.collect_log:
        elapsed = time.perf_counter() - started
        call.attempts.append(Attempt(call.provider_name, call.model, started_at, response.status, elapsed))
    return response


def upstream_failure(call: Call, exc: BaseException) -> GatewayError:
    """The client's error for an upstream that failed before its response was relayed."""
    name = call.provider_name
    if isinstance(exc, asyncio.TimeoutError):
        call.runtime.metrics.upstream_error(name, "timeout")
        return GatewayError(504, f"the provider {name!r} did not answer in time")
    if isinstance(exc, aiohttp.ClientConnectorError):
        call.runtime.metrics.upstream_error(name, "unreachable")
        return GatewayError(
            502, f"the provider {name!r} is unreachable: {exc.os_error.strerror or 'connection failed'}"
        )
    call.runtime.metrics.upstream_error(name, "reset")
    return GatewayError(502, f"the provider {name!r} failed: {type(exc).__name__}")
