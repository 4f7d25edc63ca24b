"""Stages that read a unified request: which provider, which model, which format."""

from __future__ import annotations

from typing import Any

import orjson
from aiohttp import web

from gateway.call import Call
from gateway.codecs import decode_body
from gateway.errors import GatewayError
from gateway.pipeline import Next
from gateway.translate import TranslationError, anthropic_request_to_openai


async def parse_openai_request(call: Call, next_: Next) -> web.StreamResponse:
    """``{"model": "provider/model", ...}`` in OpenAI's format: route it."""
    payload = _json_object(call)
    _route(call, payload)
    call.payload = payload
    return await next_(call)


async def parse_messages_request(call: Call, next_: Next) -> web.StreamResponse:
    """An Anthropic Messages request: route it, and unify it unless it goes to Anthropic."""
    payload = _json_object(call)
    _route(call, payload)
    assert call.provider is not None
    if call.provider.config.family == "anthropic":
        call.payload = payload  # same format both sides: no translation
    else:
        try:
            call.payload = anthropic_request_to_openai(payload)
        except TranslationError as exc:
            raise GatewayError(400, str(exc)) from None
        call.stream = call.payload.get("stream") is True
    return await next_(call)


def _json_object(call: Call) -> dict[str, Any]:
    limit = call.runtime.config.limits.max_request_body
    raw = decode_body(call.body, call.request.headers.get("Content-Encoding"), limit)
    try:
        payload = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise GatewayError(400, f"the request body is not valid JSON: {exc}") from None
    if not isinstance(payload, dict):
        raise GatewayError(400, "the request body must be a JSON object")
    return payload


def _route(call: Call, payload: dict[str, Any]) -> None:
    runtime = call.runtime
    model = payload.get("model")
    if not isinstance(model, str) or "/" not in model:
        raise GatewayError(400, 'model: expected "provider/model", e.g. "openai/gpt-4o-mini"')
    provider_name, _, bare = model.partition("/")
    gateway = runtime.gateway(call.gateway)
    provider = runtime.provider(gateway, provider_name) if gateway is not None else None
    if provider is None:
        raise GatewayError(404, "model: " + runtime.unknown_provider_message(call.gateway))
    if not bare:
        raise GatewayError(400, f'model: no model name after "{provider_name}/"')
    call.provider = provider
    call.model = bare
    call.stream = payload.get("stream") is True
