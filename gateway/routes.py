"""Every route's stage chain, assembled here and nowhere else, and the ``/v1`` router.

``/v1/{gateway}/{provider}/{path}`` is one aiohttp route: the provider segment picks a
pass-through provider, or ``compat``, the unified endpoint, whose own paths are a table
below. One route rather than one per endpoint keeps routing to a single regex match on
the hot path. Later stages (authentication, DLP, cache, rate limits) slot into these
tuples, in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from aiohttp import web

from gateway.auth import authenticate
from gateway.body import read_body
from gateway.budgets import enforce_budgets
from gateway.caching import cache_responses
from gateway.call import Call
from gateway.compat.forward import forward_chat, forward_embeddings
from gateway.compat.messages import forward_messages
from gateway.compat.parse import parse_messages_request, parse_openai_request
from gateway.compat.sinks import openai_sink
from gateway.dispatch import dispatch
from gateway.dlp import inspect_request
from gateway.errors import GatewayError, error_response
from gateway.passthrough import forward, route_passthrough
from gateway.pipeline import Next, chain
from gateway.providers import FAMILIES
from gateway.providers.family import Family
from gateway.rate_limits import rate_limit
from gateway.request_controls import request_controls
from gateway.runtime import RUNTIME

OPENAI, ANTHROPIC = FAMILIES["openai"], FAMILIES["anthropic"]

PASSTHROUGH: Next = chain(
    (authenticate, request_controls, read_body, inspect_request, rate_limit, cache_responses, enforce_budgets), forward
)
COMPAT_CHAT: Next = chain(
    (
        authenticate,
        request_controls,
        read_body,
        parse_openai_request,
        inspect_request,
        rate_limit,
        cache_responses,
        enforce_budgets,
    ),
    partial(forward_chat, make_sink=openai_sink),
)
COMPAT_EMBEDDINGS: Next = chain(
    (
        authenticate,
        request_controls,
        read_body,
        parse_openai_request,
        inspect_request,
        rate_limit,
        cache_responses,
        enforce_budgets,
    ),
    partial(forward_embeddings, make_sink=openai_sink),
)
COMPAT_MESSAGES: Next = chain(
    (
        authenticate,
        request_controls,
        read_body,
        parse_messages_request,
        inspect_request,
        rate_limit,
        cache_responses,
        enforce_budgets,
    ),
    forward_messages,
)


@dataclass(frozen=True, slots=True)
class Endpoint:
    name: str  # as it appears in metrics and logs
    error_family: Family  # the error shape its clients speak
    pipeline: Next


COMPAT_ENDPOINTS = {
    "chat/completions": Endpoint("compat.chat", OPENAI, COMPAT_CHAT),
    "embeddings": Endpoint("compat.embeddings", OPENAI, COMPAT_EMBEDDINGS),
    "messages": Endpoint("compat.messages", ANTHROPIC, COMPAT_MESSAGES),
    "v1/messages": Endpoint("compat.messages", ANTHROPIC, COMPAT_MESSAGES),  # Anthropic SDKs add /v1
}


async def handle_v1(request: web.Request) -> web.StreamResponse:
    runtime = request.app[RUNTIME]
    match = request.match_info
    gateway_name, provider_name = match["gateway"], match["provider"]
    gateway = runtime.gateway(gateway_name)
    if provider_name == "compat":
        endpoint = COMPAT_ENDPOINTS.get(match["tail"])
        if endpoint is None:
            return error_response(OPENAI, 404, "no such unified endpoint; expected " + ", ".join(COMPAT_ENDPOINTS))
        if gateway is None:
            return error_response(endpoint.error_family, 404, runtime.unknown_gateway_message())
        if request.method != "POST":
            return error_response(endpoint.error_family, 405, "the unified endpoint takes POST")
        call = Call(request, runtime, gateway_name, None, endpoint.name, endpoint.error_family)
        return await dispatch(call, endpoint.pipeline)
    if gateway is None:
        return error_response(OPENAI, 404, runtime.unknown_gateway_message())
    provider = runtime.provider(gateway, provider_name)
    if provider is None:
        return error_response(OPENAI, 404, runtime.unknown_provider_message(gateway_name))
    call = Call(request, runtime, gateway_name, provider, "passthrough", provider.family)
    try:
        route_passthrough(call)
    except GatewayError as exc:
        return await dispatch(call, partial(_refuse, exc))
    return await dispatch(call, PASSTHROUGH)


async def _refuse(error: GatewayError, call: Call) -> web.StreamResponse:
    raise error


def add_routes(app: web.Application) -> None:
    app.router.add_route("*", "/v1/{gateway}/{provider}/{tail:.*}", handle_v1)
    app.router.add_route("*", "/v1/{gateway}/{provider}", handle_v1)
