"""Routes of the unified endpoint: ``/v1/{gateway}/compat/chat/completions``,
``/compat/embeddings`` (OpenAI format, ``"model": "provider/model"``) and
``/compat/messages`` (Anthropic's Messages format, to any provider)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial

from aiohttp import web

from gateway.body import read_body
from gateway.call import Call
from gateway.compat.forward import SinkFactory, forward_chat, forward_embeddings
from gateway.compat.messages import forward_messages
from gateway.compat.parse import parse_messages_request, parse_openai_request
from gateway.compat.sinks import OpenAISink, Sink
from gateway.dispatch import dispatch
from gateway.errors import error_response
from gateway.pipeline import Next, chain
from gateway.providers import FAMILIES
from gateway.providers.family import Family
from gateway.runtime import RUNTIME

_OPENAI_SINK = OpenAISink()


def _openai_sink(call: Call) -> Sink:
    return _OPENAI_SINK


_openai_sink_factory: SinkFactory = _openai_sink

CHAT: Next = chain((read_body, parse_openai_request), partial(forward_chat, make_sink=_openai_sink_factory))
EMBEDDINGS: Next = chain((read_body, parse_openai_request), partial(forward_embeddings, make_sink=_openai_sink_factory))
MESSAGES: Next = chain((read_body, parse_messages_request), forward_messages)


def _handler(endpoint: str, family: Family, pipeline: Next) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def handle(request: web.Request) -> web.StreamResponse:
        gateway = request.match_info["gateway"]
        if request.app[RUNTIME].gateway(gateway) is None:
            return error_response(family, 404, request.app[RUNTIME].unknown_gateway_message())
        return await dispatch(Call(request, gateway, None, endpoint, family), pipeline)

    return handle


def add_compat_routes(app: web.Application) -> None:
    openai, anthropic = FAMILIES["openai"], FAMILIES["anthropic"]
    app.router.add_post("/v1/{gateway}/compat/chat/completions", _handler("compat.chat", openai, CHAT))
    app.router.add_post("/v1/{gateway}/compat/embeddings", _handler("compat.embeddings", openai, EMBEDDINGS))
    app.router.add_post("/v1/{gateway}/compat/messages", _handler("compat.messages", anthropic, MESSAGES))
    app.router.add_post("/v1/{gateway}/compat/v1/messages", _handler("compat.messages", anthropic, MESSAGES))
