"""``CohereFake``: Cohere's v2 wire format — ``POST /v2/chat`` (plain and streamed as
typed SSE events) and ``POST /v2/embed`` — with Bearer auth and Cohere's ``{"message"}``
error shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from gateway.sse import encode_event
from tests.fakes.common import Exchange, ProviderFake, bearer_token, json_line
from tests.fakes.content import (
    DEFAULT_EMBEDDING_DIMENSIONS,
    Reply,
    ToolCall,
    compose_reply,
    count_prompt_tokens,
    count_words,
    embedding_vector,
    function_tools,
    int_or_none,
    last_text,
    mappings,
    plan_tool_call,
    text_of,
    tool_mode,
    uuid_of,
)

SSE_CONTENT_TYPE = "text/event-stream"
_MESSAGES: dict[int, str] = {
    400: "invalid request",
    401: "invalid api token",
    404: "model not found",
    429: "You are using a Trial key, which is limited to 10 API calls / minute. Please try again later.",
    500: "internal server error, this has been reported to our developers",
    503: "service unavailable",
}


@dataclass(frozen=True, slots=True)
class _Turn:
    id: str
    reply: Reply
    tool: ToolCall | None
    input_tokens: int

    @property
    def finish_reason(self) -> str:
        return "TOOL_CALL" if self.tool else "MAX_TOKENS" if self.reply.is_truncated else "COMPLETE"

    @property
    def tool_plan(self) -> str:
        return f"I will call {self.tool.name}." if self.tool else ""

    @property
    def usage(self) -> dict[str, Any]:
        output = self.tool.num_tokens if self.tool else self.reply.num_tokens
        tokens = {"input_tokens": self.input_tokens, "output_tokens": output}
        return {"billed_units": dict(tokens), "tokens": dict(tokens)}


class CohereFake(ProviderFake):
    """Cohere at ``{base_url}`` (paths ``/v2/chat`` and ``/v2/embed``)."""

    request_id_header = "x-debug-trace-id"
    request_id_prefix = ""

    def add_routes(self) -> None:
        self.route("POST", "/v2/chat", self._chat, required=("model", "messages"))
        self.route("POST", "/v2/embed", self._embed, required=("model",))

    # -- the provider's conventions -----------------------------------------------------

    def error(self, status: int, message: str | None = None, *, param: str | None = None) -> web.Response:
        if message is None and param is not None:
            message = f"invalid request: {param} must be specified"
        return web.json_response({"message": message or _MESSAGES.get(status, f"HTTP {status}")}, status=status)

    def credential(self, request: web.Request) -> str | None:
        return bearer_token(request)

    def reject_credential(self, key: str | None) -> web.Response:
        return self.error(401, "no api key supplied" if key is None else "invalid api token")

    # -- routes -------------------------------------------------------------------------

    async def _chat(self, exchange: Exchange) -> web.StreamResponse:
        body = exchange.body
        messages = mappings(body["messages"])
        user_text = last_text(messages)
        mode = tool_mode(body.get("tool_choice"), {"REQUIRED": "any", "NONE": "none"})
        turn = _Turn(
            id=uuid_of(exchange.digest),
            reply=compose_reply(user_text, int_or_none(body.get("max_tokens"))),
            tool=plan_tool_call(function_tools(body.get("tools")), mode, None, user_text, exchange.digest),
            input_tokens=count_prompt_tokens(text_of(m.get("content")) for m in messages),
        )
        if body.get("stream"):
            end = {"type": "message-end", "delta": {"finish_reason": turn.finish_reason, "usage": turn.usage}}
            return await self.stream(exchange, _stream_events(turn), [_event(end)], content_type=SSE_CONTENT_TYPE)
        if turn.tool is not None:
            message: dict[str, Any] = {
                "role": "assistant",
                "tool_plan": turn.tool_plan,
                "tool_calls": [_tool_call(turn.tool)],
            }
        else:
            message = {"role": "assistant", "content": [{"type": "text", "text": turn.reply.text}]}
        payload = {
            "id": turn.id,
            "finish_reason": turn.finish_reason,
            "message": message,
            "usage": turn.usage,
        }
        return self.json_response(exchange, payload)

    async def _embed(self, exchange: Exchange) -> web.StreamResponse:
        body = exchange.body
        texts = body.get("texts")
        if not isinstance(texts, list):
            texts = [text_of(item.get("content")) for item in mappings(body.get("inputs"))]
        if not texts or not all(isinstance(text, str) for text in texts):
            return self.error(400, "invalid request: texts must be a non-empty list of strings")
        types = body.get("embedding_types", ["float"])
        if types != ["float"]:
            return self.error(400, f"invalid request: this fake serves embedding_types ['float'] only, got {types!r}")
        dimensions = int_or_none(body.get("output_dimension")) or DEFAULT_EMBEDDING_DIMENSIONS
        payload = {
            "id": uuid_of(exchange.digest),
            "embeddings": {"float": [embedding_vector(text, dimensions) for text in texts]},
            "texts": texts,
            "meta": {"api_version": {"version": "2"}, "billed_units": {"input_tokens": count_words(texts)}},
            "response_type": "embeddings_by_type",
        }
        return self.json_response(exchange, payload)


def _stream_events(turn: _Turn) -> list[bytes]:
    """Every event of a streamed chat but the terminal ``message-end``."""
    opening = {"role": "assistant", "content": [], "tool_plan": "", "tool_calls": [], "citations": []}
    events: list[dict[str, Any]] = [{"type": "message-start", "id": turn.id, "delta": {"message": opening}}]
    if turn.tool is not None:
        events.append({"type": "tool-plan-delta", "delta": {"message": {"tool_plan": turn.tool_plan}}})
        call = {**_tool_call(turn.tool), "function": {"name": turn.tool.name, "arguments": ""}}
        events.append({"type": "tool-call-start", "index": 0, "delta": {"message": {"tool_calls": call}}})
        events += [
            {
                "type": "tool-call-delta",
                "index": 0,
                "delta": {"message": {"tool_calls": {"function": {"arguments": part}}}},
            }
            for part in turn.tool.fragments
        ]
        events.append({"type": "tool-call-end", "index": 0})
    else:
        start = {"message": {"content": {"type": "text", "text": ""}}}
        events.append({"type": "content-start", "index": 0, "delta": start})
        events += [
            {"type": "content-delta", "index": 0, "delta": {"message": {"content": {"text": piece}}}}
            for piece in turn.reply.chunks
        ]
        events.append({"type": "content-end", "index": 0})
    return [_event(event) for event in events]


def _event(payload: Mapping[str, Any]) -> bytes:
    return encode_event(json_line(payload), event=str(payload["type"]))


def _tool_call(tool: ToolCall) -> dict[str, Any]:
    function = {"name": tool.name, "arguments": tool.arguments_json}
    return {"id": f"{tool.name}_{tool.id_suffix[:12]}", "type": "function", "function": function}
