"""``AnthropicFake``: Anthropic's Messages API wire format — ``POST /v1/messages`` (plain
and streamed with the real event sequence) and ``/v1/messages/count_tokens`` — with
``x-api-key``/Bearer auth, the required ``anthropic-version`` header, Anthropic's error
shape and a ``request-id`` on every answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from gateway.sse import encode_event
from tests.fakes.common import Exchange, ProviderFake, bearer_token, json_line
from tests.fakes.content import (
    Reply,
    ToolCall,
    ToolMode,
    ToolSpec,
    cached_tokens,
    compose_reply,
    count_prompt_tokens,
    last_text,
    mappings,
    plan_tool_call,
    text_of,
    tool_mode,
)

# status → (error.type, usual message)
_ERRORS: dict[int, tuple[str, str]] = {
    400: ("invalid_request_error", "Invalid request."),
    401: ("authentication_error", "invalid x-api-key"),
    403: ("permission_error", "Your API key does not have permission to use the specified resource."),
    404: ("not_found_error", "The requested resource could not be found."),
    413: ("request_too_large", "Request exceeds the maximum allowed number of bytes."),
    429: ("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit."),
    500: ("api_error", "Internal server error"),
    529: ("overloaded_error", "Overloaded"),
}


@dataclass(frozen=True, slots=True)
class _Turn:
    body: Mapping[str, Any]
    id: str
    reply: Reply
    tool: ToolCall | None
    prompt_tokens: int

    @property
    def stop_reason(self) -> str:
        return "tool_use" if self.tool else "max_tokens" if self.reply.is_truncated else "end_turn"

    @property
    def output_tokens(self) -> int:
        return self.tool.num_tokens if self.tool else self.reply.num_tokens

    def usage(self, output_tokens: int) -> dict[str, Any]:
        cached = cached_tokens(self.prompt_tokens)
        return {
            "input_tokens": self.prompt_tokens - cached,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": cached,
            "output_tokens": output_tokens,
            "service_tier": "standard",
        }

    def message(self, content: list[dict[str, Any]], *, is_final: bool) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": "message",
            "role": "assistant",
            "model": self.body["model"],
            "content": content,
            "stop_reason": self.stop_reason if is_final else None,
            "stop_sequence": None,
            "usage": self.usage(self.output_tokens if is_final else 1),
        }


class AnthropicFake(ProviderFake):
    """Anthropic at ``{base_url}`` (the SDK's ``base_url`` is the bare origin)."""

    request_id_header = "request-id"
    request_id_prefix = "req_"

    def add_routes(self) -> None:
        self.route("POST", "/v1/messages", self._messages, required=("model", "max_tokens", "messages"))
        self.route("POST", "/v1/messages/count_tokens", self._count_tokens, required=("model", "messages"))

    # -- the provider's conventions -----------------------------------------------------

    def error(self, status: int, message: str | None = None, *, param: str | None = None) -> web.Response:
        kind, usual = _ERRORS.get(status, ("api_error" if status >= 500 else "invalid_request_error", f"HTTP {status}"))
        if message is None and param is not None:
            message = f"{param}: Field required"
        return _error(status, kind, message or usual)

    def credential(self, request: web.Request) -> str | None:
        if "x-api-key" in request.headers:
            return request.headers["x-api-key"].strip()
        return bearer_token(request)

    def reject_credential(self, key: str | None) -> web.Response:
        return _error(
            401,
            "authentication_error",
            "x-api-key header is required" if key is None else "invalid x-api-key",
        )

    def check_request(self, request: web.Request) -> web.Response | None:
        if not request.headers.get("anthropic-version"):
            return _error(400, "invalid_request_error", "anthropic-version: header is required")
        return None

    # -- routes -------------------------------------------------------------------------

    async def _messages(self, exchange: Exchange) -> web.StreamResponse:
        body = exchange.body
        user_text = last_text(mappings(body["messages"]))
        max_tokens = body["max_tokens"]
        if not isinstance(max_tokens, int) or isinstance(max_tokens, bool) or max_tokens < 1:
            return self.error(400, f"max_tokens: Input should be a positive integer, got {max_tokens!r}")
        mode, forced_name = _tool_choice(body.get("tool_choice"))
        turn = _Turn(
            body=body,
            id="msg_" + exchange.digest[:24],
            reply=compose_reply(user_text, max_tokens),
            tool=plan_tool_call(_tools(body.get("tools")), mode, forced_name, user_text, exchange.digest),
            prompt_tokens=_prompt_tokens(body),
        )
        if body.get("stream"):
            return await self.stream(exchange, _stream_events(turn), [_event({"type": "message_stop"})])
        if turn.tool is not None:
            content = [_tool_use(turn.tool, turn.tool.arguments)]
        else:
            content = [{"type": "text", "text": turn.reply.text}]
        return self.json_response(exchange, turn.message(content, is_final=True))

    async def _count_tokens(self, exchange: Exchange) -> web.StreamResponse:
        return self.json_response(exchange, {"input_tokens": _prompt_tokens(exchange.body)})


def _stream_events(turn: _Turn) -> list[bytes]:
    """Every event of a streamed message but the terminal ``message_stop``."""
    if turn.tool is not None:
        block = _tool_use(turn.tool, {})
        deltas = [{"type": "input_json_delta", "partial_json": part} for part in turn.tool.fragments]
    else:
        block = {"type": "text", "text": ""}
        deltas = [{"type": "text_delta", "text": piece} for piece in turn.reply.chunks]
    events: list[dict[str, Any]] = [
        {"type": "message_start", "message": turn.message([], is_final=False)},
        {"type": "content_block_start", "index": 0, "content_block": block},
        {"type": "ping"},
        *({"type": "content_block_delta", "index": 0, "delta": delta} for delta in deltas),
        {"type": "content_block_stop", "index": 0},
        {
            "type": "message_delta",
            "delta": {"stop_reason": turn.stop_reason, "stop_sequence": None},
            "usage": {"output_tokens": turn.output_tokens},
        },
    ]
    return [_event(event) for event in events]


def _event(payload: Mapping[str, Any]) -> bytes:
    return encode_event(json_line(payload), event=str(payload["type"]))


def _error(status: int, kind: str, message: str) -> web.Response:
    return web.json_response({"type": "error", "error": {"type": kind, "message": message}}, status=status)


def _prompt_tokens(body: Mapping[str, Any]) -> int:
    messages = mappings(body.get("messages"))
    return count_prompt_tokens([text_of(body.get("system", "")), *(text_of(m.get("content")) for m in messages)])


def _tool_use(tool: ToolCall, tool_input: Mapping[str, Any]) -> dict[str, Any]:
    return {"type": "tool_use", "id": "toolu_" + tool.id_suffix, "name": tool.name, "input": dict(tool_input)}


def _tools(raw: object) -> list[ToolSpec]:
    return [
        ToolSpec(tool["name"], tool["input_schema"] if isinstance(tool.get("input_schema"), Mapping) else {})
        for tool in mappings(raw)
        if isinstance(tool.get("name"), str)
    ]


def _tool_choice(raw: object) -> tuple[ToolMode, str | None]:
    kind = raw.get("type") if isinstance(raw, Mapping) else None
    if kind == "tool" and isinstance(raw, Mapping):
        return "any", str(raw.get("name"))
    return tool_mode(kind, {"any": "any", "none": "none"}), None
