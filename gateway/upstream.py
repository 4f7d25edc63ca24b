"""Opens the upstream request: one pooled session, no redirects, no automatic headers.

Connection failures become 502 and timeouts 504, each counted in metrics; both name
the provider but never the URL's credentials or the client's headers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from multidict import CIMultiDict
from yarl import URL

from gateway.call import Call
from gateway.errors import GatewayError
from gateway.runtime import RUNTIME

# aiohttp would otherwise add its own Accept-Encoding, User-Agent and Content-Type;
# the provider must see exactly what the client chose.
_SKIP_AUTO_HEADERS = ("Accept-Encoding", "User-Agent", "Content-Type")


@asynccontextmanager
async def open_upstream(
    call: Call, method: str, url: URL, headers: CIMultiDict[str], body: bytes, *, decompress: bool = False
) -> AsyncIterator[aiohttp.ClientResponse]:
    runtime = call.request.app[RUNTIME]
    data = body if body or method not in {"GET", "HEAD", "DELETE", "OPTIONS"} else None
    try:
        async with runtime.session.request(
            method,
            url,
            headers=headers,
            data=data,
            allow_redirects=False,
            skip_auto_headers=_SKIP_AUTO_HEADERS,
            timeout=runtime.upstream_timeout,
            auto_decompress=decompress,
        ) as upstream:
            yield upstream
    except TimeoutError:
        if call.status:  # already relaying: the relay has recorded the break
            raise
        runtime.metrics.upstream_error(call.provider_name, "timeout")
        raise GatewayError(504, f"the provider {call.provider_name!r} did not answer in time") from None
    except aiohttp.ClientConnectorError as exc:
        runtime.metrics.upstream_error(call.provider_name, "unreachable")
        raise GatewayError(
            502, f"the provider {call.provider_name!r} is unreachable: {exc.os_error.strerror or 'connection failed'}"
        ) from None
    except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError, aiohttp.ClientPayloadError) as exc:
        if call.status:
            raise
        runtime.metrics.upstream_error(call.provider_name, "reset")
        raise GatewayError(
            502, f"the provider {call.provider_name!r} closed the connection: {type(exc).__name__}"
        ) from None
