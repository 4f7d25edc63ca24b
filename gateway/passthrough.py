"""Provider pass-through: ``/v1/{gateway}/{provider}/{provider's own path}``.

The body, the provider's responses and its error bodies pass byte-for-byte; the
client's own credentials are forwarded; the path tail is checked to stay under the
provider's base URL before anything is sent.
"""

from __future__ import annotations

from aiohttp import web

from gateway.body import read_body
from gateway.call import Call
from gateway.dispatch import dispatch
from gateway.errors import GatewayError, error_response
from gateway.headers import upstream_request_headers
from gateway.pipeline import Next, Stage, chain
from gateway.providers import FAMILIES
from gateway.relay import relay
from gateway.runtime import RUNTIME
from gateway.upstream import open_upstream
from gateway.upstream_url import UnsafePath

_OPENAI = FAMILIES["openai"]

# The pass-through chain. Later stages (auth, DLP, cache, rate limits) slot in here.
STAGES: tuple[Stage, ...] = (read_body,)


async def forward(call: Call) -> web.StreamResponse:
    assert call.url is not None and call.provider is not None  # routed before the chain runs
    headers = upstream_request_headers(call.request.headers)
    for name, value in call.provider.config.headers.items():
        headers.setdefault(name, value)
    async with open_upstream(call, call.request.method, call.url, headers, call.body) as upstream:
        return await relay(call, upstream)


PIPELINE: Next = chain(STAGES, forward)


async def handle_passthrough(request: web.Request) -> web.StreamResponse:
    runtime = request.app[RUNTIME]
    gateway_name = request.match_info["gateway"]
    provider_name = request.match_info["provider"]
    gateway = runtime.gateway(gateway_name)
    if gateway is None:
        return error_response(_OPENAI, 404, runtime.unknown_gateway_message())
    provider = runtime.provider(gateway, provider_name)
    if provider is None:
        return error_response(_OPENAI, 404, runtime.unknown_provider_message(gateway_name))
    call = Call(request, gateway_name, provider, "passthrough", provider.family)
    raw_path, _, raw_query = request.raw_path.partition("?")
    raw_tail = raw_path.split("/", 4)[4] if raw_path.count("/") >= 4 else ""
    try:
        call.url = provider.url(raw_tail, raw_query)
    except UnsafePath as exc:
        call.url = None
        return await dispatch(call, _refuse(str(exc)))
    return await dispatch(call, PIPELINE)


def _refuse(message: str) -> Next:
    async def refuse(call: Call) -> web.StreamResponse:
        raise GatewayError(400, message)

    return refuse
