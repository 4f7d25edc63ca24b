"""OpenAI chat requests to Anthropic Messages requests, and Anthropic's replies back.

This is the provider direction: a client speaks OpenAI's format and the route leads to
Anthropic. The opposite direction (clients that speak Messages) is `anthropic_door`;
streams are in `anthropic_stream`.

What has no Anthropic counterpart is dropped, not rejected, so ordinary clients that
send defaults keep working: `frequency_penalty`, `presence_penalty`, `logit_bias`,
`logprobs`, `seed`, `response_format`, `reasoning_effort`. `n` other than 1 is rejected
because silently returning one choice would break the caller's indexing. System and
developer messages anywhere in the conversation are hoisted, in order, into the
top-level `system` (Anthropic has no mid-conversation system turn).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from gateway.translate.errors import TranslationError
from gateway.translate.fields import (
    as_dict,
    as_list,
    as_str,
    dump_json,
    int_or_zero,
    nested_str,
    opt_bool,
    opt_dict,
)
from gateway.translate.finish_reasons import ANTHROPIC_TO_OPENAI, map_reason
from gateway.translate.generation_options import GenerationKeys, write_generation_options
from gateway.translate.openai_request import (
    ContentPart,
    FilePart,
    ImagePart,
    Message,
    ToolChoice,
    read_messages,
    read_tool_choice,
    read_tools,
    read_user,
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

# Anthropic requires max_tokens; OpenAI lets the model run to its limit. 4096 fits every
# current Claude model's output limit and keeps an unbounded request from being costly.
DEFAULT_MAX_TOKENS = 4096

# Anthropic names errors by type; the HTTP status each type is sent with.
ANTHROPIC_ERROR_STATUS: dict[str, int] = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "billing_error": 402,
    "permission_error": 403,
    "not_found_error": 404,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "api_error": 500,
    "timeout_error": 504,
    "overloaded_error": 529,
}

_TOOL_CHOICE_TYPES = {"auto": "auto", "none": "none", "required": "any", "function": "tool"}

# Seed and the penalties have no Anthropic counterpart (see above), so the table leaves them out.
_GENERATION_KEYS = GenerationKeys(
    sampling=MappingProxyType({"temperature": "temperature", "top_p": "top_p"}),
    max_tokens="max_tokens",
    stop="stop_sequences",
)


def openai_request_to_anthropic(body: dict[str, Any]) -> dict[str, Any]:
    """An OpenAI chat request (its `model` already the Anthropic model) as a Messages request."""
    require_single_choice(body, "Anthropic")
    messages = read_messages(body)
    turns = _turns(messages)
    if not turns:
        raise TranslationError("messages", "Anthropic needs at least one user or assistant message")
    # The default keeps its place in the request when the client sets max_tokens.
    request: dict[str, Any] = {
        "model": as_str(body.get("model"), "model"),
        "max_tokens": DEFAULT_MAX_TOKENS,
        "messages": turns,
    }
    system = _system(messages)
    if system is not None:
        request["system"] = system
    write_generation_options(body, request, _GENERATION_KEYS)
    if wants_stream(body):
        request["stream"] = True
    user = read_user(body)
    if user:
        request["metadata"] = {"user_id": user}
    _add_tools(body, request)
    return request


def _system(messages: list[Message]) -> str | list[dict[str, Any]] | None:
    texts = [message.text() for message in messages if message.role == "system" and message.text()]
    if not texts:
        return None
    # One prompt stays a plain string (the common case, and what users expect in logs);
    # several stay separate blocks rather than being glued with an invented separator.
    return texts[0] if len(texts) == 1 else [{"type": "text", "text": text} for text in texts]


def _turns(messages: list[Message]) -> list[dict[str, Any]]:
    """Anthropic requires user and assistant turns to alternate, so same-role runs merge.

    Tool results are user content in Anthropic's model; consecutive `tool` messages (one
    per parallel call in OpenAI) therefore become one user turn of `tool_result` blocks.
    """
    turns: list[dict[str, Any]] = []
    for message in messages:
        if message.role == "system":
            continue
        role, blocks = _blocks(message)
        if not blocks:
            continue
        if turns and turns[-1]["role"] == role:
            turns[-1]["content"].extend(blocks)
        else:
            turns.append({"role": role, "content": blocks})
    return turns


def _blocks(message: Message) -> tuple[str, list[dict[str, Any]]]:
    if message.role == "tool":
        result: dict[str, Any] = {"type": "tool_result", "tool_use_id": message.tool_call_id}
        if message.text():
            result["content"] = message.text()
        return "user", [result]
    blocks = [_content_block(part) for part in message.parts]
    if message.role == "assistant":
        blocks += [
            {"type": "tool_use", "id": call.id, "name": call.name, "input": call.arguments_object()}
            for call in message.tool_calls
        ]
    return message.role, blocks


def _content_block(part: ContentPart) -> dict[str, Any]:
    if isinstance(part, ImagePart):
        if part.inline is None:
            return {"type": "image", "source": {"type": "url", "url": part.url}}
        source = {"type": "base64", "media_type": part.inline.media_type, "data": part.inline.data}
        return {"type": "image", "source": source}
    if isinstance(part, FilePart):
        source = {"type": "base64", "media_type": part.inline.media_type, "data": part.inline.data}
        document: dict[str, Any] = {"type": "document", "source": source}
        if part.filename:
            document["title"] = part.filename
        return document
    return {"type": "text", "text": part.text}


def _add_tools(body: dict[str, Any], request: dict[str, Any]) -> None:
    tools = read_tools(body)
    if not tools:
        return
    request["tools"] = [
        {"name": tool.name, "input_schema": tool.parameters}
        | ({"description": tool.description} if tool.description else {})
        for tool in tools
    ]
    tool_choice = _tool_choice(read_tool_choice(body), opt_bool(body, "parallel_tool_calls", "parallel_tool_calls"))
    if tool_choice is not None:
        request["tool_choice"] = tool_choice


def _tool_choice(choice: ToolChoice | None, parallel: bool | None) -> dict[str, Any] | None:
    # OpenAI's parallel_tool_calls=false lives on Anthropic's tool_choice, so a request
    # that sets only the former still needs a tool_choice object to carry it.
    if choice is None and parallel is not False:
        return None
    mode = choice.mode if choice is not None else "auto"
    result: dict[str, Any] = {"type": _TOOL_CHOICE_TYPES[mode]}
    if choice is not None and choice.name is not None:
        result["name"] = choice.name
    if parallel is False and mode != "none":
        result["disable_parallel_tool_use"] = True
    return result


def anthropic_response_to_openai(body: dict[str, Any], model: str, created: int) -> dict[str, Any]:
    """A Messages response as a `chat.completion`.

    Thinking and server-tool blocks have no place in an OpenAI message and are left out;
    text blocks are joined without a separator because Anthropic splits one answer into
    several blocks around citations.
    """
    texts: list[str] = []
    calls: list[dict[str, Any]] = []
    for index, raw in enumerate(as_list(body.get("content"), "content")):
        path = f"content[{index}]"
        block = as_dict(raw, path)
        kind = block.get("type")
        if kind == "text":
            texts.append(as_str(block.get("text"), f"{path}.text"))
        elif kind == "tool_use":
            arguments = dump_json(as_dict(block.get("input", {}), f"{path}.input"))
            calls.append(
                tool_call(
                    as_str(block.get("id"), f"{path}.id"),
                    as_str(block.get("name"), f"{path}.name"),
                    arguments,
                )
            )
    stop_reason = body.get("stop_reason")
    finish = map_reason(ANTHROPIC_TO_OPENAI, stop_reason if isinstance(stop_reason, str) else None, "stop")
    message = assistant_message("".join(texts) if texts else None, calls)
    return completion(
        completion_id=as_str(body.get("id"), "id"),
        created=created,
        model=model,
        choices=[choice(0, message, finish)],
        usage=anthropic_usage(opt_dict(body, "usage", "usage")),
    )


def anthropic_usage(raw: dict[str, Any] | None) -> dict[str, Any]:
    """Anthropic counts cached prompt tokens apart from `input_tokens`; OpenAI counts them
    inside `prompt_tokens` and reports the cached share in `cached_tokens`."""
    cache_read = int_or_zero(raw, "cache_read_input_tokens")
    prompt = int_or_zero(raw, "input_tokens") + cache_read + int_or_zero(raw, "cache_creation_input_tokens")
    return usage(prompt, int_or_zero(raw, "output_tokens"), cached_tokens=cache_read)


def anthropic_error_to_openai(status: int, body: Any) -> dict[str, Any]:
    """Anthropic's `{"type": "error", "error": {"type", "message"}}` in OpenAI's error shape.

    Anthropic's error type (e.g. `overloaded_error`) is kept as the OpenAI `code` so the
    distinction survives; OpenAI's `type` follows the HTTP status.
    """
    message = nested_str(body, "error", "message") or f"Anthropic returned HTTP {status}"
    return error_body(status, message, code=nested_str(body, "error", "type"))


def anthropic_error_type_for_status(status: int) -> str:
    for error_type, error_status in ANTHROPIC_ERROR_STATUS.items():
        if error_status == status:
            return error_type
    return "api_error" if status >= 500 else "invalid_request_error"
