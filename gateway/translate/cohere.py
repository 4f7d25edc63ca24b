"""OpenAI chat requests to Cohere v2 `/v2/chat` requests, and Cohere's replies back.

Cohere v2 is close to OpenAI's format (messages with roles, `tool_calls` with
`tool_call_id`, function tools), so most fields carry over renamed. The differences:
an assistant turn that calls tools puts its text in `tool_plan` rather than `content`
(and replies do the same, so `tool_plan` maps back to `content`); `tool_choice` knows
only REQUIRED and NONE, so a named choice becomes REQUIRED with the tool list narrowed
to that one function; `top_p` is `p`. Dropped without a Cohere counterpart:
`logit_bias`, `logprobs`, `user`, `parallel_tool_calls`. File parts are rejected.
Streams are in `cohere_stream`, embeddings in `cohere_embeddings`.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from gateway.translate.errors import TranslationError, UpstreamError
from gateway.translate.fields import (
    as_dict,
    as_str,
    int_or_zero,
    nested_str,
    opt_dict,
    opt_list,
    opt_str,
)
from gateway.translate.finish_reasons import COHERE_ERRORS, COHERE_TO_OPENAI, map_reason
from gateway.translate.generation_options import GenerationKeys, write_generation_options
from gateway.translate.openai_request import (
    FilePart,
    ImagePart,
    Message,
    read_messages,
    read_response_format,
    read_tool_choice,
    read_tools,
    require_single_choice,
    wants_stream,
)
from gateway.translate.openai_response import (
    assistant_message,
    choice,
    completion,
    error_body,
    tool_call,
    usage,
)

# Where the OpenAI generation options go in a `/v2/chat` request.
_GENERATION_KEYS = GenerationKeys(
    sampling=MappingProxyType(
        {
            "temperature": "temperature",
            "top_p": "p",
            "frequency_penalty": "frequency_penalty",
            "presence_penalty": "presence_penalty",
        }
    ),
    max_tokens="max_tokens",
    stop="stop_sequences",
    seed="seed",
)

# A generation Cohere ends with ERROR is an upstream failure, not a client error.
COHERE_FAILURE_STATUS = 502


def openai_request_to_cohere(body: dict[str, Any]) -> dict[str, Any]:
    """An OpenAI chat request (its `model` already Cohere's) as a `/v2/chat` request."""
    require_single_choice(body, "Cohere")
    request: dict[str, Any] = {
        "model": as_str(body.get("model"), "model"),
        "messages": [_message(message) for message in read_messages(body)],
    }
    write_generation_options(body, request, _GENERATION_KEYS)
    if wants_stream(body):
        request["stream"] = True
    response_format = read_response_format(body)
    if response_format is not None:
        request["response_format"] = {"type": "json_object"} | (
            {"json_schema": response_format.schema} if response_format.schema is not None else {}
        )
    _add_tools(body, request)
    return request


def _message(message: Message) -> dict[str, Any]:
    if message.role == "system":
        return {"role": "system", "content": message.text()}
    if message.role == "tool":
        return {"role": "tool", "tool_call_id": message.tool_call_id, "content": message.text()}
    if message.role == "assistant":
        if not message.tool_calls:
            return {"role": "assistant", "content": message.text()}
        calls = [tool_call(call.id, call.name, call.arguments or "{}") for call in message.tool_calls]
        result: dict[str, Any] = {"role": "assistant", "tool_calls": calls}
        if message.text():
            result["tool_plan"] = message.text()
        return result
    parts: list[dict[str, Any]] = []
    for part in message.parts:
        if isinstance(part, FilePart):
            raise TranslationError(f"{message.path}.content", 'Cohere does not accept "file" content parts')
        if isinstance(part, ImagePart):
            # Cohere takes http(s) and base64 data: URLs as they are.
            parts.append({"type": "image_url", "image_url": {"url": part.url}})
        else:
            parts.append({"type": "text", "text": part.text})
    if len(parts) == 1 and parts[0]["type"] == "text":
        return {"role": "user", "content": parts[0]["text"]}
    return {"role": "user", "content": parts}


def _add_tools(body: dict[str, Any], request: dict[str, Any]) -> None:
    tools = read_tools(body)
    choice = read_tool_choice(body)
    if choice is not None and choice.mode == "function":
        tools = [tool for tool in tools if tool.name == choice.name]
        if not tools:
            raise TranslationError("tool_choice.function.name", f'no tool named "{choice.name}" in tools')
    if tools:
        request["tools"] = [
            {
                "type": "function",
                "function": {"name": tool.name, "parameters": tool.parameters}
                | ({"description": tool.description} if tool.description else {}),
            }
            for tool in tools
        ]
    if choice is not None and choice.mode in ("required", "function"):
        request["tool_choice"] = "REQUIRED"
    elif choice is not None and choice.mode == "none":
        request["tool_choice"] = "NONE"


def cohere_response_to_openai(body: dict[str, Any], model: str, created: int) -> dict[str, Any]:
    """A `/v2/chat` response as a `chat.completion`.

    Raises `UpstreamError` when Cohere finished with ERROR: a failed generation must
    reach the gateway's retry and fallback logic, not the client as a 200.
    """
    finish_reason = opt_str(body, "finish_reason", "finish_reason")
    if finish_reason in COHERE_ERRORS:
        message = f"Cohere ended the generation with finish_reason {finish_reason}"
        raise UpstreamError(COHERE_FAILURE_STATUS, error_body(COHERE_FAILURE_STATUS, message, code="upstream_error"))
    reply = as_dict(body.get("message"), "message")
    texts: list[str] = []
    for index, raw in enumerate(opt_list(reply, "content", "message.content") or []):
        part = as_dict(raw, f"message.content[{index}]")
        if part.get("type") == "text":  # thinking parts of reasoning models are left out
            texts.append(as_str(part.get("text"), f"message.content[{index}].text"))
    calls = []
    for index, raw in enumerate(opt_list(reply, "tool_calls", "message.tool_calls") or []):
        path = f"message.tool_calls[{index}]"
        call = as_dict(raw, path)
        function = as_dict(call.get("function"), f"{path}.function")
        name = as_str(function.get("name"), f"{path}.function.name")
        arguments = opt_str(function, "arguments", f"{path}.function.arguments") or "{}"
        calls.append(tool_call(as_str(call.get("id"), f"{path}.id"), name, arguments))
    tool_plan = opt_str(reply, "tool_plan", "message.tool_plan")
    content = "".join(texts) if texts else (tool_plan or None)
    finish = map_reason(COHERE_TO_OPENAI, finish_reason, "stop")
    return completion(
        completion_id=opt_str(body, "id", "id") or "chatcmpl-weir",
        created=created,
        model=model,
        choices=[choice(0, assistant_message(content, calls), finish)],
        usage=cohere_usage(opt_dict(body, "usage", "usage")),
    )


def cohere_usage(raw: dict[str, Any] | None) -> dict[str, Any]:
    """`tokens` counts what the model saw (prompt template included); `billed_units`, what
    was billed. The former is the OpenAI meaning, so it wins when present."""
    counts = (raw or {}).get("tokens")
    if not isinstance(counts, dict):
        counts = (raw or {}).get("billed_units")
    cached = (raw or {}).get("cached_tokens")
    return usage(
        int_or_zero(counts, "input_tokens"),
        int_or_zero(counts, "output_tokens"),
        cached_tokens=cached if isinstance(cached, int) and not isinstance(cached, bool) else None,
    )


def cohere_error_to_openai(status: int, body: Any) -> dict[str, Any]:
    """Cohere's `{"message": "..."}` in OpenAI's error shape."""
    message = nested_str(body, "message") or f"Cohere returned HTTP {status}"
    return error_body(status, message)
