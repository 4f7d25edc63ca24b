"""Provider pass-through: ``/v1/{gateway}/{provider}/{provider's own path}``.

The body, the provider's responses and its error bodies pass byte-for-byte; the
client's own credentials are forwarded; the path tail is checked to stay under the
provider's base URL before anything is sent.
"""

from __future__ import annotations

from aiohttp import web

from gateway.call import Call
from gateway.errors import GatewayError
from gateway.headers import upstream_request_headers
from gateway.relay import relay
from gateway.upstream import send_upstream
from gateway.upstream_url import UnsafePath


async def forward(call: Call) -> web.StreamResponse:
    """The pass-through chain's last stage: send the client's request on, relay the answer."""
    assert call.url is not None and call.provider is not None  # routed before the chain runs
    incoming = call.request.headers
    headers = upstream_request_headers(incoming)
    if call.body_rewritten:  # redacted: now plain JSON, whatever the client's encoding was
        headers = [(name, value) for name, value in headers if name.lower() != "content-encoding"]
    if "Accept-Encoding" not in incoming:
        # Otherwise aiohttp offers gzip on the client's behalf, and the bytes relayed
        # back would be compressed for a client that never asked. (Passing
        # skip_auto_headers instead costs ~6 µs a request inside aiohttp, measured.)
        headers.append(("Accept-Encoding", "identity"))
    for name, value in call.provider.config.headers.items():
        if name not in incoming:
            headers.append((name, value))
    headers.extend(call.stored_key_headers().items())
    upstream = await send_upstream(call, call.request.method, call.url, headers, call.body)
    async with upstream:
        return await relay(call, upstream)


def route_passthrough(call: Call) -> None:
    """Set the upstream URL from the client's raw path; ``GatewayError`` if it escapes."""
    assert call.provider is not None
    raw_path, _, raw_query = call.request.raw_path.partition("?")
    parts = raw_path.split("/", 4)  # "", "v1", gateway, provider, tail
    raw_tail = parts[4] if len(parts) == 5 else ""
    try:
        call.url = call.provider.url(raw_tail, raw_query)
    except UnsafePath as exc:
        raise GatewayError(400, str(exc)) from None
