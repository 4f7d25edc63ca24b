"""The Anthropic-format door: Messages requests to OpenAI chat requests, and replies back.

Clients that speak Anthropic's Messages API (Claude Code, the Anthropic SDKs) can be
routed to any provider: their request becomes the unified OpenAI request, and the
unified reply becomes a Messages reply. Streams are in `anthropic_door_stream`.

Dropped because OpenAI's format has no place for them: `top_k`, `thinking`,
`cache_control`, `is_error` on tool results, and thinking blocks in assistant turns.
Server tools (web search, code execution, …) are rejected: they run at Anthropic, and
no other provider can honour them.
"""

from __future__ import annotations

from typing import Any

from gateway.translate.anthropic import anthropic_error_type_for_status
from gateway.translate.errors import TranslationError
from gateway.translate.fields import (
    as_dict,
    as_list,
    as_str,
    describe,
    dump_json,
    int_or_zero,
    nested_str,
    opt_dict,
    opt_int,
    opt_list,
    opt_number,
    opt_str,
    parse_json_object,
    tagged_objects,
)
from gateway.translate.finish_reasons import OPENAI_TO_ANTHROPIC, map_reason
from gateway.translate.openai_response import tool_call

_TOOL_CHOICES = {"auto": "auto", "any": "required", "none": "none"}


def anthropic_request_to_openai(body: dict[str, Any]) -> dict[str, Any]:
    """A Messages request as the unified OpenAI chat request (`model` left as sent)."""
    messages: list[dict[str, Any]] = []
    system = _system_text(body.get("system"))
    if system:
        messages.append({"role": "system", "content": system})
    for path, message, role in tagged_objects(body.get("messages"), "messages", "role"):
        if role == "user":
            messages.extend(_user_messages(message.get("content"), f"{path}.content"))
        elif role == "assistant":
            messages.append(_assistant_message(message.get("content"), f"{path}.content"))
        else:
            raise TranslationError(f"{path}.role", f'unsupported role "{role}"')
    request: dict[str, Any] = {"model": as_str(body.get("model"), "model"), "messages": messages}
    # max_tokens rather than max_completion_tokens: every OpenAI-compatible provider
    # accepts it, while several reject the newer name.
    max_tokens = opt_int(body, "max_tokens", "max_tokens")
    if max_tokens is not None:
        request["max_tokens"] = max_tokens
    for key in ("temperature", "top_p"):
        value = opt_number(body, key, key)
        if value is not None:
            request[key] = value
    stop = opt_list(body, "stop_sequences", "stop_sequences")
    if stop:
        request["stop"] = [as_str(item, f"stop_sequences[{i}]") for i, item in enumerate(stop)]
    if body.get("stream") is True:
        # Anthropic streams always report usage; OpenAI streams only when asked.
        request["stream"] = True
        request["stream_options"] = {"include_usage": True}
    user = opt_str(opt_dict(body, "metadata", "metadata") or {}, "user_id", "metadata.user_id")
    if user:
        request["user"] = user
    _add_tools(body, request)
    return request


def _system_text(system: Any) -> str | None:
    if system is None or isinstance(system, str):
        return system
    texts: list[str] = []
    for index, raw in enumerate(as_list(system, "system")):
        block = as_dict(raw, f"system[{index}]")
        if block.get("type") != "text":
            raise TranslationError(f"system[{index}].type", f"expected a text block, got {describe(block.get('type'))}")
        texts.append(as_str(block.get("text"), f"system[{index}].text"))
    # One string rather than several system messages or a part list: some
    # OpenAI-compatible servers accept neither.
    return "\n\n".join(text for text in texts if text)


def _user_messages(content: Any, path: str) -> list[dict[str, Any]]:
    """One Anthropic user turn as OpenAI messages: a `tool` message per tool_result, then
    the rest as one user message (OpenAI wants tool results right after the call)."""
    if isinstance(content, str):
        return [{"role": "user", "content": content}]
    tool_messages: list[dict[str, Any]] = []
    parts: list[dict[str, Any]] = []
    for block_path, block, kind in tagged_objects(content, path):
        if kind == "tool_result":
            text, images = _tool_result(block, block_path)
            tool_id = as_str(block.get("tool_use_id"), f"{block_path}.tool_use_id")
            tool_messages.append({"role": "tool", "tool_call_id": tool_id, "content": text})
            # OpenAI tool messages carry text only; images a tool returned (screenshots)
            # follow in the user message so the model still sees them.
            parts.extend(images)
        else:
            parts.append(_user_part(kind, block, block_path))
    if not parts:
        return tool_messages
    only_text = len(parts) == 1 and parts[0]["type"] == "text"
    return [*tool_messages, {"role": "user", "content": parts[0]["text"] if only_text else parts}]


def _user_part(kind: str, block: dict[str, Any], path: str) -> dict[str, Any]:
    if kind == "text":
        return {"type": "text", "text": as_str(block.get("text"), f"{path}.text")}
    if kind == "image":
        return {"type": "image_url", "image_url": {"url": _source_url(block, path)}}
    if kind == "document":
        source = as_dict(block.get("source"), f"{path}.source")
        if source.get("type") == "text":
            return {"type": "text", "text": as_str(source.get("data"), f"{path}.source.data")}
        file: dict[str, Any] = {"file_data": _source_url(block, path)}
        title = opt_str(block, "title", f"{path}.title")
        if title:
            file["filename"] = title
        return {"type": "file", "file": file}
    raise TranslationError(f"{path}.type", f'unsupported content block "{kind}"')


def _source_url(block: dict[str, Any], path: str) -> str:
    source = as_dict(block.get("source"), f"{path}.source")
    kind = source.get("type")
    if kind == "base64":
        media_type = as_str(source.get("media_type"), f"{path}.source.media_type")
        return f"data:{media_type};base64,{as_str(source.get('data'), f'{path}.source.data')}"
    if kind == "url":
        return as_str(source.get("url"), f"{path}.source.url")
    raise TranslationError(f"{path}.source.type", f"unsupported source type {describe(kind)}")


def _tool_result(block: dict[str, Any], path: str) -> tuple[str, list[dict[str, Any]]]:
    content = block.get("content")
    if content is None or isinstance(content, str):
        return content or "", []
    texts: list[str] = []
    images: list[dict[str, Any]] = []
    for part_path, part, kind in tagged_objects(content, f"{path}.content"):
        if kind == "text":
            texts.append(as_str(part.get("text"), f"{part_path}.text"))
        elif kind == "image":
            images.append({"type": "image_url", "image_url": {"url": _source_url(part, part_path)}})
        else:
            raise TranslationError(f"{part_path}.type", f'unsupported tool_result content block "{kind}"')
    return "\n".join(texts), images


def _assistant_message(content: Any, path: str) -> dict[str, Any]:
    if isinstance(content, str):
        return {"role": "assistant", "content": content}
    texts: list[str] = []
    calls: list[dict[str, Any]] = []
    for block_path, block, kind in tagged_objects(content, path):
        if kind == "text":
            texts.append(as_str(block.get("text"), f"{block_path}.text"))
        elif kind == "tool_use":
            arguments = dump_json(as_dict(block.get("input", {}), f"{block_path}.input"))
            name = as_str(block.get("name"), f"{block_path}.name")
            calls.append(tool_call(as_str(block.get("id"), f"{block_path}.id"), name, arguments))
        elif kind not in ("thinking", "redacted_thinking"):
            raise TranslationError(f"{block_path}.type", f'unsupported content block "{kind}"')
    # OpenAI requires content unless tool calls are present.
    message: dict[str, Any] = {"role": "assistant", "content": "".join(texts) if texts or not calls else None}
    if calls:
        message["tool_calls"] = calls
    return message


def _add_tools(body: dict[str, Any], request: dict[str, Any]) -> None:
    tools: list[dict[str, Any]] = []
    for index, raw in enumerate(opt_list(body, "tools", "tools") or []):
        path = f"tools[{index}]"
        tool = as_dict(raw, path)
        kind = tool.get("type")
        if kind not in (None, "custom"):
            raise TranslationError(
                f"{path}.type", f"unsupported tool type {describe(kind)}; only client tools translate"
            )
        function: dict[str, Any] = {"name": as_str(tool.get("name"), f"{path}.name")}
        description = opt_str(tool, "description", f"{path}.description")
        if description:
            function["description"] = description
        function["parameters"] = as_dict(tool.get("input_schema"), f"{path}.input_schema")
        tools.append({"type": "function", "function": function})
    if tools:
        request["tools"] = tools
    choice = opt_dict(body, "tool_choice", "tool_choice")
    if choice is None:
        return
    kind = choice.get("type")
    if kind == "tool":
        name = as_str(choice.get("name"), "tool_choice.name")
        request["tool_choice"] = {"type": "function", "function": {"name": name}}
    elif isinstance(kind, str) and kind in _TOOL_CHOICES:
        request["tool_choice"] = _TOOL_CHOICES[kind]
    else:
        raise TranslationError("tool_choice.type", f"unsupported tool_choice type {describe(kind)}")
    if choice.get("disable_parallel_tool_use") is True and tools:
        request["parallel_tool_calls"] = False


def openai_response_to_anthropic(body: dict[str, Any], model: str) -> dict[str, Any]:
    """A `chat.completion` (its first choice) as a Messages response."""
    choices = as_list(body.get("choices"), "choices")
    if not choices:
        raise TranslationError("choices", "expected at least one choice")
    first = as_dict(choices[0], "choices[0]")
    message = as_dict(first.get("message"), "choices[0].message")
    content: list[dict[str, Any]] = []
    text = _message_text(message)
    if text:
        content.append({"type": "text", "text": text})
    for index, raw in enumerate(opt_list(message, "tool_calls", "choices[0].message.tool_calls") or []):
        path = f"choices[0].message.tool_calls[{index}]"
        call = as_dict(raw, path)
        function = as_dict(call.get("function"), f"{path}.function")
        arguments = opt_str(function, "arguments", f"{path}.function.arguments") or ""
        content.append(
            {
                "type": "tool_use",
                "id": as_str(call.get("id"), f"{path}.id"),
                "name": as_str(function.get("name"), f"{path}.function.name"),
                "input": parse_json_object(arguments, f"{path}.function.arguments"),
            }
        )
    finish = opt_str(first, "finish_reason", "choices[0].finish_reason")
    return {
        "id": opt_str(body, "id", "id") or "msg_weir",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": map_reason(OPENAI_TO_ANTHROPIC, finish, "end_turn"),
        "stop_sequence": None,  # OpenAI does not say which stop sequence matched
        "usage": anthropic_usage_from_openai(opt_dict(body, "usage", "usage")),
    }


def _message_text(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, list):
        content = "".join(
            part["text"] for part in content if isinstance(part, dict) and isinstance(part.get("text"), str)
        )
    refusal = message.get("refusal")
    return (content if isinstance(content, str) else "") + (refusal if isinstance(refusal, str) else "")


def anthropic_usage_from_openai(raw: dict[str, Any] | None) -> dict[str, Any]:
    """The inverse of `anthropic.anthropic_usage`: cached tokens leave `input_tokens`."""
    cached = int_or_zero((raw or {}).get("prompt_tokens_details"), "cached_tokens")
    return {
        "input_tokens": max(int_or_zero(raw, "prompt_tokens") - cached, 0),
        "output_tokens": int_or_zero(raw, "completion_tokens"),
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": cached,
    }


def openai_error_to_anthropic(status: int, body: Any) -> dict[str, Any]:
    """An OpenAI-shaped error body as Anthropic's `{"type": "error", "error": {...}}`."""
    message = nested_str(body, "error", "message") or f"upstream returned HTTP {status}"
    return {"type": "error", "error": {"type": anthropic_error_type_for_status(status), "message": message}}
