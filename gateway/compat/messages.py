"""The Anthropic-format door's last stage: Anthropic → Anthropic passes natively,
any other provider goes through the unified (OpenAI-format) path with an Anthropic sink."""

from __future__ import annotations

import orjson
from aiohttp import web
from multidict import CIMultiDict

from gateway.call import Call
from gateway.compat.forward import forward_chat
from gateway.compat.sinks import AnthropicSink, Sink
from gateway.errors import GatewayError
from gateway.headers import client_credential
from gateway.relay import relay
from gateway.upstream import send_upstream
from gateway.upstream_url import UnsafePath

# Client headers that carry Anthropic API semantics and so travel to Anthropic itself.
_ANTHROPIC_HEADERS = ("anthropic-version", "anthropic-beta")


def anthropic_sink(call: Call) -> Sink:
    assert call.model is not None
    return AnthropicSink(call.model)


async def forward_messages(call: Call) -> web.StreamResponse:
    assert call.provider is not None and call.payload is not None
    if call.provider.config.family != "anthropic":
        return await forward_chat(call, anthropic_sink)
    try:
        call.url = call.provider.url(call.provider.config.chat_path.lstrip("/"))
    except UnsafePath as exc:
        raise GatewayError(400, f"model: {exc}") from None
    headers: CIMultiDict[str] = CIMultiDict(call.provider.config.headers)
    for name in _ANTHROPIC_HEADERS:
        if name in call.request.headers:
            headers[name] = call.request.headers[name]
    headers["Content-Type"] = "application/json"
    key = client_credential(call.request.headers)
    headers.update(call.provider.auth(key) if key else call.stored_key_headers())
    body = orjson.dumps({**call.payload, "model": call.model})
    upstream = await send_upstream(call, "POST", call.url, headers, body)
    async with upstream:
        return await relay(call, upstream)
