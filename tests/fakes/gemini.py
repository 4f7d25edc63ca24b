"""``GeminiFake``: the Gemini API wire format under ``/v1beta`` (and ``/v1``) —
``generateContent``, ``streamGenerateContent`` (SSE with ``?alt=sse``, otherwise a JSON
array written piece by piece), ``embedContent``, ``batchEmbedContents`` and
``countTokens`` — with ``x-goog-api-key``/``?key=`` auth and Google's error shape.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.fakes.common import Exchange, ProviderFake, json_line
from tests.fakes.content import (
    DEFAULT_EMBEDDING_DIMENSIONS,
    REASONING_TOKENS,
    Reply,
    ToolCall,
    ToolMode,
    ToolSpec,
    cached_tokens,
    compose_reply,
    count_prompt_tokens,
    embedding_vector,
    int_or_none,
    last_text,
    mappings,
    plan_tool_call,
    text_of,
    tool_mode,
)

API_VERSIONS = ("v1beta", "v1")
_MODEL = "{model:[^/:]+}"
# status → (error.status, usual message)
_ERRORS: dict[int, tuple[str, str]] = {
    400: ("INVALID_ARGUMENT", "Request contains an invalid argument."),
    401: ("UNAUTHENTICATED", "Request had invalid authentication credentials."),
    403: ("PERMISSION_DENIED", "The caller does not have permission."),
    404: ("NOT_FOUND", "Requested entity was not found."),
    429: ("RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota)."),
    500: (
        "INTERNAL",
        "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
    ),
    503: ("UNAVAILABLE", "The model is overloaded. Please try again later."),
    504: ("DEADLINE_EXCEEDED", "The request timed out. Please try again."),
}


def thoughts_tokens(model: str) -> int:
    return REASONING_TOKENS if "thinking" in model or "2.5" in model else 0


@dataclass(frozen=True, slots=True)
class _Turn:
    model: str
    response_id: str
    reply: Reply
    tool: ToolCall | None
    prompt_tokens: int

    @property
    def finish_reason(self) -> str:
        return "MAX_TOKENS" if self.reply.is_truncated and self.tool is None else "STOP"

    def chunk(self, parts: list[dict[str, Any]], candidates_tokens: int, finish_reason: str | None) -> dict[str, Any]:
        """One GenerateContentResponse: the whole answer, or one piece of a stream."""
        candidate: dict[str, Any] = {"content": {"parts": parts, "role": "model"}}
        if finish_reason is not None:
            candidate["finishReason"] = finish_reason
        candidate["index"] = 0
        thoughts = thoughts_tokens(self.model)
        usage: dict[str, Any] = {
            "promptTokenCount": self.prompt_tokens,
            "candidatesTokenCount": candidates_tokens,
            "totalTokenCount": self.prompt_tokens + candidates_tokens + thoughts,
            "promptTokensDetails": [{"modality": "TEXT", "tokenCount": self.prompt_tokens}],
        }
        if cached_tokens(self.prompt_tokens):
            usage["cachedContentTokenCount"] = cached_tokens(self.prompt_tokens)
        if thoughts:
            usage["thoughtsTokenCount"] = thoughts
        return {
            "candidates": [candidate],
            "usageMetadata": usage,
            "modelVersion": self.model,
            "responseId": self.response_id,
        }

    def pieces(self) -> list[tuple[list[dict[str, Any]], int]]:
        """The parts of each stream chunk with the running count of candidate tokens."""
        if self.tool is not None:
            return [([_function_call(self.tool)], self.tool.num_tokens)]
        return [([{"text": piece}], count) for count, piece in enumerate(self.reply.chunks, start=1)]


class GeminiFake(ProviderFake):
    """Gemini at ``{base_url}`` (paths ``/v1beta/models/{model}:{method}``)."""

    request_id_header = "x-goog-request-id"
    request_id_prefix = ""

    def add_routes(self) -> None:
        for version in API_VERSIONS:
            prefix = f"/{version}/models/{_MODEL}"
            self.route("POST", f"{prefix}:generateContent", self._generate, required=("contents",))
            self.route("POST", f"{prefix}:streamGenerateContent", self._stream_generate, required=("contents",))
            self.route("POST", f"{prefix}:embedContent", self._embed, required=("content",))
            self.route("POST", f"{prefix}:batchEmbedContents", self._batch_embed, required=("requests",))
            self.route("POST", f"{prefix}:countTokens", self._count_tokens)

    # -- the provider's conventions -----------------------------------------------------

    def error(self, status: int, message: str | None = None, *, param: str | None = None) -> web.Response:
        code, usual = _ERRORS.get(status, ("INTERNAL" if status >= 500 else "FAILED_PRECONDITION", f"HTTP {status}"))
        if message is None and param is not None:
            message = f"* {param}: {param} is not specified"
        return _error(status, code, message or usual)

    def credential(self, request: web.Request) -> str | None:
        return request.headers.get("x-goog-api-key") or request.query.get("key")

    def reject_credential(self, key: str | None) -> web.Response:
        if key is None:
            return _error(
                403,
                "PERMISSION_DENIED",
                "Method doesn't allow unregistered callers (callers without established identity). "
                "Please use API Key or other form of API consumer identity to call this API.",
            )
        return _error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.")

    # -- routes -------------------------------------------------------------------------

    async def _generate(self, exchange: Exchange) -> web.StreamResponse:
        turn = self._turn(exchange)
        if turn.tool is not None:
            parts, tokens = [_function_call(turn.tool)], turn.tool.num_tokens
        else:
            parts, tokens = [{"text": turn.reply.text}], turn.reply.num_tokens
        return self.json_response(exchange, turn.chunk(parts, tokens, turn.finish_reason))

    async def _stream_generate(self, exchange: Exchange) -> web.StreamResponse:
        turn = self._turn(exchange)
        *body, (last_parts, last_count) = turn.pieces()
        chunks = [json_line(turn.chunk(parts, count, None)) for parts, count in body]
        final = json_line(turn.chunk(last_parts, last_count, turn.finish_reason))
        unfinished = json_line(turn.chunk(last_parts, last_count, None))
        if exchange.request.query.get("alt") == "sse":
            return await self.stream(
                exchange,
                [_sse(chunk) for chunk in chunks],
                [_sse(final)],
                unterminated=[_sse(unfinished)],
                content_type="text/event-stream",
            )
        # Without alt=sse Gemini streams one JSON array: "[" elem ",\r\n" elem … "]".
        framed = [("[" if index == 0 else ",\r\n") + chunk for index, chunk in enumerate(chunks)]
        opener = ",\r\n" if chunks else "["
        return await self.stream(
            exchange,
            [piece.encode() for piece in framed],
            [f"{opener}{final}]".encode()],
            unterminated=[f"{opener}{unfinished}]".encode()],
            content_type="application/json; charset=UTF-8",
        )

    async def _embed(self, exchange: Exchange) -> web.StreamResponse:
        return self.json_response(exchange, {"embedding": _embedding(exchange.body)})

    async def _batch_embed(self, exchange: Exchange) -> web.StreamResponse:
        requests = mappings(exchange.body["requests"])
        return self.json_response(exchange, {"embeddings": [_embedding(request) for request in requests]})

    async def _count_tokens(self, exchange: Exchange) -> web.StreamResponse:
        body = exchange.body
        inner = body.get("generateContentRequest")
        tokens = _prompt_tokens(inner if isinstance(inner, Mapping) else body)
        return self.json_response(
            exchange,
            {"totalTokens": tokens, "promptTokensDetails": [{"modality": "TEXT", "tokenCount": tokens}]},
        )

    def _turn(self, exchange: Exchange) -> _Turn:
        body = exchange.body
        contents = mappings(body["contents"])
        user_text = last_text(contents, roles=("user", None))
        config = _field(body, "generationConfig", "generation_config")
        mode, forced_name = _tool_choice(body)
        return _Turn(
            model=exchange.request.match_info["model"],
            response_id=exchange.digest[:24],
            reply=compose_reply(user_text, int_or_none(_field(config, "maxOutputTokens", "max_output_tokens"))),
            tool=plan_tool_call(_tools(body), mode, forced_name, user_text, exchange.digest),
            prompt_tokens=_prompt_tokens(body),
        )


def _field(value: object, camel: str, snake: str) -> Any:
    """A field by either of its JSON names: the API accepts lowerCamel and snake_case."""
    if not isinstance(value, Mapping):
        return None
    return value.get(camel, value.get(snake))


def _prompt_tokens(body: Mapping[str, Any]) -> int:
    system = text_of(_field(body, "systemInstruction", "system_instruction"))
    return count_prompt_tokens([system, *(text_of(c.get("parts")) for c in mappings(body.get("contents")))])


def _tools(body: Mapping[str, Any]) -> list[ToolSpec]:
    specs = []
    for tool in mappings(body.get("tools")):
        for declaration in mappings(_field(tool, "functionDeclarations", "function_declarations")):
            schema = declaration.get(
                "parameters", _field(declaration, "parametersJsonSchema", "parameters_json_schema")
            )
            if isinstance(declaration.get("name"), str):
                specs.append(ToolSpec(declaration["name"], schema if isinstance(schema, Mapping) else {}))
    return specs


def _tool_choice(body: Mapping[str, Any]) -> tuple[ToolMode, str | None]:
    config = _field(_field(body, "toolConfig", "tool_config"), "functionCallingConfig", "function_calling_config")
    mode = str(_field(config, "mode", "mode") or "AUTO").upper()
    allowed = _field(config, "allowedFunctionNames", "allowed_function_names")
    forced_name = allowed[0] if mode == "ANY" and isinstance(allowed, list) and allowed else None
    return tool_mode(mode, {"ANY": "any", "NONE": "none"}), forced_name


def _function_call(tool: ToolCall) -> dict[str, Any]:
    return {"functionCall": {"name": tool.name, "args": tool.arguments}}


def _embedding(request: Mapping[str, Any]) -> dict[str, Any]:
    dimensions = int_or_none(_field(request, "outputDimensionality", "output_dimensionality"))
    return {"values": embedding_vector(text_of(request.get("content")), dimensions or DEFAULT_EMBEDDING_DIMENSIONS)}


def _sse(data: str) -> bytes:
    # Gemini separates its events with CRLF pairs.
    return f"data: {data}\r\n\r\n".encode()


def _error(status: int, code: str, message: str) -> web.Response:
    body = json.dumps({"error": {"code": status, "message": message, "status": code}}, indent=2)
    return web.Response(status=status, text=body, content_type="application/json")
