"""``OpenAIFake``: OpenAI's wire format under ``/v1`` — chat completions, legacy
completions, the Responses API, embeddings and models — with Bearer auth, OpenAI's
error shape and an ``x-request-id`` on every answer.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from gateway.sse import encode_event
from tests.fakes import openai_responses
from tests.fakes.common import Exchange, ProviderFake, bearer_token, json_line
from tests.fakes.content import (
    DEFAULT_EMBEDDING_DIMENSIONS,
    REASONING_TOKENS,
    Reply,
    ToolCall,
    ToolMode,
    cached_tokens,
    compose_reply,
    count_prompt_tokens,
    count_words,
    created_at,
    embedding_base64,
    embedding_vector,
    function_tools,
    int_or_none,
    last_text,
    mappings,
    plan_tool_call,
    text_of,
    tool_mode,
)

DEFAULT_MODELS = ("gpt-4o-mini", "gpt-4o", "o3-mini", "text-embedding-3-small")
MODEL_CREATED = 1_686_935_002
SYSTEM_FINGERPRINT = "fp_f4ke0000"
DONE = b"data: [DONE]\n\n"

# status → (error.type, error.code, usual message)
_ERRORS: dict[int, tuple[str, str | None, str]] = {
    400: ("invalid_request_error", None, "Your request was malformed."),
    401: ("invalid_request_error", "invalid_api_key", "Incorrect API key provided."),
    403: (
        "invalid_request_error",
        "unsupported_country_region_territory",
        "Country, region, or territory not supported.",
    ),
    404: ("invalid_request_error", None, "The requested resource was not found."),
    429: (
        "requests",
        "rate_limit_exceeded",
        "Rate limit reached for requests per min (RPM). Please try again in 1s.",
    ),
    500: ("server_error", None, "The server had an error while processing your request. Sorry about that!"),
    503: ("server_error", None, "The engine is currently overloaded, please try again later."),
}


def reasoning_tokens(model: str) -> int:
    return REASONING_TOKENS if model.startswith("o") else 0


@dataclass(frozen=True, slots=True)
class _ChatTurn:
    model: str
    id: str
    created: int
    reply: Reply
    tool: ToolCall | None
    prompt_tokens: int
    reasoning_tokens: int

    @property
    def finish_reason(self) -> str:
        return "tool_calls" if self.tool else "length" if self.reply.is_truncated else "stop"

    @property
    def usage(self) -> dict[str, Any]:
        completion = (self.tool.num_tokens if self.tool else self.reply.num_tokens) + self.reasoning_tokens
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": completion,
            "total_tokens": self.prompt_tokens + completion,
            "prompt_tokens_details": {"cached_tokens": cached_tokens(self.prompt_tokens), "audio_tokens": 0},
            "completion_tokens_details": {
                "reasoning_tokens": self.reasoning_tokens,
                "audio_tokens": 0,
                "accepted_prediction_tokens": 0,
                "rejected_prediction_tokens": 0,
            },
        }


class OpenAIFake(ProviderFake):
    """OpenAI at ``{base_url}/v1``. ``models`` are what ``GET /v1/models`` lists; any
    model name is accepted for inference."""

    request_id_header = "x-request-id"
    request_id_prefix = "req_"

    def __init__(self, *, api_keys: Collection[str] | None = None, models: Sequence[str] = DEFAULT_MODELS) -> None:
        self.models = tuple(models)
        super().__init__(api_keys=api_keys)

    def add_routes(self) -> None:
        self.route("POST", "/v1/chat/completions", self._chat, required=("model", "messages"))
        self.route("POST", "/v1/completions", self._completions, required=("model", "prompt"))
        self.route("POST", "/v1/responses", self._responses, required=("model",))
        self.route("POST", "/v1/embeddings", self._embeddings, required=("model", "input"))
        self.route("GET", "/v1/models", self._list_models)
        self.route("GET", "/v1/models/{model_id}", self._get_model)

    # -- the provider's conventions -----------------------------------------------------

    def error(self, status: int, message: str | None = None, *, param: str | None = None) -> web.Response:
        kind, code, usual = _ERRORS.get(
            status, ("server_error" if status >= 500 else "invalid_request_error", None, f"HTTP {status}")
        )
        if message is None and param is not None:
            message, code = f"Missing required parameter: '{param}'.", "missing_required_parameter"
        return _error(status, message or usual, kind=kind, param=param, code=code)

    def credential(self, request: web.Request) -> str | None:
        return bearer_token(request)

    def reject_credential(self, key: str | None) -> web.Response:
        if key is None:
            message = (
                "You didn't provide an API key. You need to provide your API key in an Authorization "
                "header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
            )
        else:
            message = f"Incorrect API key provided: {key[:3]}***{key[-4:]}."
        return _error(401, message, kind="invalid_request_error", param=None, code="invalid_api_key")

    # -- chat completions ---------------------------------------------------------------

    async def _chat(self, exchange: Exchange) -> web.StreamResponse:
        body = exchange.body
        messages = mappings(body["messages"])
        user_text = last_text(messages)
        model = str(body["model"])
        mode, forced_name = _tool_choice(body.get("tool_choice"))
        turn = _ChatTurn(
            model=model,
            id="chatcmpl-" + exchange.digest[:24],
            created=created_at(exchange.digest),
            reply=compose_reply(user_text, int_or_none(body.get("max_completion_tokens", body.get("max_tokens")))),
            tool=plan_tool_call(function_tools(body.get("tools")), mode, forced_name, user_text, exchange.digest),
            prompt_tokens=count_prompt_tokens(text_of(m.get("content")) for m in messages),
            reasoning_tokens=reasoning_tokens(model),
        )
        if body.get("stream"):
            return await self.stream(exchange, _chat_chunks(turn, _include_usage(body)), [DONE])
        if turn.tool is not None:
            message: dict[str, Any] = {
                "role": "assistant",
                "content": None,
                "tool_calls": [_tool_call(turn.tool)],
            }
        else:
            message = {"role": "assistant", "content": turn.reply.text}
        choice = {
            "index": 0,
            "message": {**message, "refusal": None, "annotations": []},
            "logprobs": None,
            "finish_reason": turn.finish_reason,
        }
        payload = {**_chunk_base(turn, "chat.completion"), "choices": [choice], "usage": turn.usage}
        return self.json_response(exchange, payload)

    # -- legacy completions -------------------------------------------------------------

    async def _completions(self, exchange: Exchange) -> web.StreamResponse:
        body = exchange.body
        prompts = _prompts(body["prompt"])
        max_tokens = int_or_none(body.get("max_tokens"))
        replies = [compose_reply(prompt, max_tokens) for prompt in prompts]
        base = {
            "id": "cmpl-" + exchange.digest[:24],
            "object": "text_completion",
            "created": created_at(exchange.digest),
            "model": str(body["model"]),
            "system_fingerprint": SYSTEM_FINGERPRINT,
        }
        prompt_tokens = count_prompt_tokens(prompts)
        completion_tokens = sum(reply.num_tokens for reply in replies)
        usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        }

        def choice(index: int, text: str, finish: str | None) -> dict[str, Any]:
            return {"text": text, "index": index, "logprobs": None, "finish_reason": finish}

        def finish(reply: Reply) -> str:
            return "length" if reply.is_truncated else "stop"

        if not body.get("stream"):
            choices = [choice(i, reply.text, finish(reply)) for i, reply in enumerate(replies)]
            return self.json_response(exchange, {**base, "choices": choices, "usage": usage})
        chunks = [
            _sse({**base, "choices": [choice(i, piece, None)]})
            for i, reply in enumerate(replies)
            for piece in reply.chunks
        ]
        chunks += [_sse({**base, "choices": [choice(i, "", finish(reply))]}) for i, reply in enumerate(replies)]
        if _include_usage(body):
            chunks.append(_sse({**base, "choices": [], "usage": usage}))
        return await self.stream(exchange, chunks, [DONE])

    # -- responses ----------------------------------------------------------------------

    async def _responses(self, exchange: Exchange) -> web.StreamResponse:
        body = exchange.body
        texts, user_text = openai_responses.input_texts(body)
        turn = openai_responses.ResponsesTurn(
            body=body,
            response_id="resp_" + exchange.digest[:40],
            message_id="msg_" + exchange.digest[24:64],
            created_at=created_at(exchange.digest),
            reply=compose_reply(user_text),
            input_tokens=count_prompt_tokens(texts),
            reasoning_tokens=reasoning_tokens(str(body["model"])),
        )
        if body.get("stream"):
            chunks, terminal = openai_responses.stream_events(turn)
            return await self.stream(exchange, chunks, terminal)
        return self.json_response(exchange, openai_responses.response_object(turn, is_complete=True))

    # -- embeddings and models ----------------------------------------------------------

    async def _embeddings(self, exchange: Exchange) -> web.StreamResponse:
        body = exchange.body
        inputs = _prompts(body["input"])
        dimensions = body.get("dimensions", DEFAULT_EMBEDDING_DIMENSIONS)
        encoding = body.get("encoding_format", "float")
        if not inputs or any(not text for text in inputs):
            return self.error(400, "'$.input' is invalid. Please check the API reference.", param="input")
        if not isinstance(dimensions, int) or isinstance(dimensions, bool) or dimensions < 1:
            return self.error(400, f"Invalid value for 'dimensions': {dimensions!r}.", param="dimensions")
        if encoding not in ("float", "base64"):
            return self.error(400, f"Invalid value for 'encoding_format': {encoding!r}.", param="encoding_format")
        data = []
        for index, text in enumerate(inputs):
            vector = embedding_vector(text, dimensions)
            data.append(
                {
                    "object": "embedding",
                    "index": index,
                    "embedding": embedding_base64(vector) if encoding == "base64" else vector,
                }
            )
        tokens = count_words(inputs)
        payload = {
            "object": "list",
            "data": data,
            "model": body["model"],
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
        }
        return self.json_response(exchange, payload)

    async def _list_models(self, exchange: Exchange) -> web.StreamResponse:
        return self.json_response(exchange, {"object": "list", "data": [_model(name) for name in self.models]})

    async def _get_model(self, exchange: Exchange) -> web.StreamResponse:
        name = exchange.request.match_info["model_id"]
        if name not in self.models:
            message = f"The model '{name}' does not exist or you do not have access to it."
            return _error(404, message, kind="invalid_request_error", param="model", code="model_not_found")
        return self.json_response(exchange, _model(name))


def _error(status: int, message: str, *, kind: str, param: str | None, code: str | None) -> web.Response:
    error = {"message": message, "type": kind, "param": param, "code": code}
    return web.json_response({"error": error}, status=status)


def _chunk_base(turn: _ChatTurn, kind: str) -> dict[str, Any]:
    return {
        "id": turn.id,
        "object": kind,
        "created": turn.created,
        "model": turn.model,
        "service_tier": "default",
        "system_fingerprint": SYSTEM_FINGERPRINT,
    }


def _chat_chunks(turn: _ChatTurn, include_usage: bool) -> list[bytes]:
    """The chunks of a streamed chat completion, ``[DONE]`` excluded."""
    base = _chunk_base(turn, "chat.completion.chunk")
    if include_usage:
        base["usage"] = None

    def chunk(delta: Mapping[str, Any], finish: str | None = None) -> bytes:
        return _sse({**base, "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]})

    if turn.tool is not None:
        opening = {**_tool_call(turn.tool, arguments=""), "index": 0}
        chunks = [chunk({"role": "assistant", "content": None, "tool_calls": [opening], "refusal": None})]
        chunks += [
            chunk({"tool_calls": [{"index": 0, "function": {"arguments": part}}]}) for part in turn.tool.fragments
        ]
    else:
        chunks = [chunk({"role": "assistant", "content": "", "refusal": None})]
        chunks += [chunk({"content": piece}) for piece in turn.reply.chunks]
    chunks.append(chunk({}, turn.finish_reason))
    if include_usage:
        chunks.append(_sse({**base, "choices": [], "usage": turn.usage}))
    return chunks


def _tool_call(tool: ToolCall, arguments: str | None = None) -> dict[str, Any]:
    function = {"name": tool.name, "arguments": tool.arguments_json if arguments is None else arguments}
    return {"id": "call_" + tool.id_suffix, "type": "function", "function": function}


def _tool_choice(raw: object) -> tuple[ToolMode, str | None]:
    if isinstance(raw, Mapping):
        function = raw.get("function")
        return "any", function.get("name") if isinstance(function, Mapping) else None
    return tool_mode(raw, {"none": "none", "required": "any"}), None


def _prompts(raw: object) -> list[str]:
    """A prompt or embedding input as texts: a string, a list of strings, one token array
    or a list of token arrays (tokens become space-separated numbers)."""
    if isinstance(raw, str):
        return [raw]
    items = raw if isinstance(raw, list) else []
    if items and all(isinstance(item, int) for item in items):
        return [_tokens_text(items)]
    return [item if isinstance(item, str) else _tokens_text(item if isinstance(item, list) else []) for item in items]


def _tokens_text(tokens: Iterable[object]) -> str:
    return " ".join(str(token) for token in tokens)


def _model(name: str) -> dict[str, Any]:
    return {"id": name, "object": "model", "created": MODEL_CREATED, "owned_by": "system"}


def _include_usage(body: Mapping[str, Any]) -> bool:
    options = body.get("stream_options")
    return isinstance(options, Mapping) and bool(options.get("include_usage"))


def _sse(payload: Mapping[str, Any]) -> bytes:
    return encode_event(json_line(payload))
