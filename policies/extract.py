"""Pulling the text out of any provider's JSON request or response body.

``extract(body)`` walks the parsed JSON generically: every non-empty string leaf is a
``Segment`` with its JSON path and the role of whoever wrote it, except the leaves the
deny-lists below name (identifiers, enumerations, binary media). Nothing here knows a
provider by name; the shapes of OpenAI (chat, completions, Responses, embeddings),
Anthropic, Gemini and Cohere bodies are covered by the key and role tables.

Inside free-form JSON that the caller or the model wrote (tool arguments and results,
JSON schemas, metadata) the deny-lists do not apply: a secret under a key called
``id`` or ``type`` there is still text sent to the model.

``extract_stream_text(events)`` reassembles what a streamed response said, so that a
whole stream can be inspected after the fact.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Segment:
    """One string of a body: where it is, who wrote it, and the text."""

    path: Path
    role: str  # system, user, assistant, tool, developer or unknown
    text: str


# String values under these keys are identifiers, enumerations or timestamps, not text.
_STRUCTURAL_KEYS = frozenset(
    {
        "model", "id", "type", "role", "object", "created", "created_at", "status", "index",
        "finish_reason", "finishReason", "stop_reason", "encoding_format", "system_fingerprint",
        "service_tier", "tool_call_id", "tool_use_id", "call_id", "previous_response_id",
        "response_id", "responseId", "generation_id", "modelVersion", "event_type",
        "media_type", "mime_type", "mimeType", "responseMimeType", "detail", "format", "voice",
        "reasoning_effort", "effort", "truncation",
    }
)  # fmt: skip

# Whole subtrees that hold no text worth scanning: the tool the caller forces (names
# only), accounting, per-token logprobs (a copy of the text), embeddings (numbers or
# base64 floats), and opaque signatures or encrypted reasoning the provider checks.
_SKIPPED_KEYS = frozenset(
    {
        "tool_choice", "usage", "usageMetadata", "logprobs", "logit_bias", "safetyRatings",
        "embedding", "embeddings", "b64_json", "signature", "thoughtSignature", "encrypted_content",
        "modalities", "responseModalities", "include",
    }
)  # fmt: skip

# Keys under which the JSON is free-form: written by the caller or the model, so no key
# there is structural. ``input``, ``arguments``, ``response`` and ``data`` count only
# when they hold an object (Anthropic ``tool_use.input``, Gemini
# ``functionResponse.response``, Cohere document ``data``), not the prompt string or
# item list of the Responses API.
_FREE_FORM_KEYS = frozenset(
    {"args", "parameters", "input_schema", "schema", "json_schema", "metadata", "documents", "outputs"}
)
_FREE_FORM_OBJECT_KEYS = frozenset({"input", "arguments", "response", "data"})

# Binary payloads: ``data`` under these keys is base64 media unless its declared media
# type is text (Anthropic's plain-text documents carry ``source.data`` in the clear);
# under the URL keys, a base64 ``data:`` URL of a non-text type is media. A message's own
# text is always scanned, whatever it looks like.
_MEDIA_URL_KEYS = frozenset({"url", "image_url", "file_data", "audio_url", "video_url", "image", "data"})
_MEDIA_PARENTS = frozenset({"source", "inline_data", "inlineData", "input_audio", "audio", "blob"})
_MEDIA_TYPE_KEYS = ("media_type", "mime_type", "mimeType")
_TEXT_MEDIA_SUFFIXES = ("json", "xml", "yaml", "javascript", "ndjson")

_ROLES = {
    "system": "system",
    "developer": "developer",
    "user": "user",
    "human": "user",
    "assistant": "assistant",
    "model": "assistant",  # Gemini
    "chatbot": "assistant",  # Cohere v1
    "tool": "tool",
    "function": "tool",  # OpenAI's legacy function results, Gemini's old function role
    "ipython": "tool",
}
# An object of one of these types holds tool output, or model output, whatever the
# message around it says (Gemini puts function responses in a "user" turn).
_TYPE_ROLES = {
    "tool_result": "tool",
    "function_call_output": "tool",
    "custom_tool_call_output": "tool",
    "computer_call_output": "tool",
    "function_call": "assistant",
}
# Keys that set the role of what they hold, at any depth.
_KEY_ROLES = {
    "functionResponse": "tool",
    "function_response": "tool",
    "tool_results": "tool",  # Cohere v1
    "functionCall": "assistant",
    "function_call": "assistant",
    "tool_calls": "assistant",
    "systemInstruction": "system",
    "system_instruction": "system",
}
# Top-level keys of a request or response body that hold one author's text.
_TOP_ROLES = {
    **_KEY_ROLES,
    "system": "system",  # Anthropic
    "instructions": "system",  # OpenAI Responses
    "preamble": "system",  # Cohere v1
    "prompt": "user",
    "input": "user",  # Responses, embeddings (items may carry their own role)
    "message": "user",  # Cohere v1 (Cohere v2 responses carry a role inside)
    "contents": "user",  # Gemini turns without a role are the user's
    "query": "user",
    "texts": "user",
    "inputs": "user",
    "choices": "assistant",
    "candidates": "assistant",
    "output": "assistant",
    "generations": "assistant",
}

# (value, path, role, free_form, top_level)
_Item = tuple[Any, Path, str, bool, bool]


def extract(body: Any) -> list[Segment]:
    """Every text segment of a parsed JSON body, in document order.

    A universal-endpoint body (a list of ``{provider, endpoint, headers, query}``
    steps) yields the segments of each step's ``query``; its headers hold the
    caller's provider credentials, which are not text sent to a model.
    """
    if _is_universal(body):
        roots: list[_Item] = [(step["query"], (i, "query"), "unknown", False, True) for i, step in enumerate(body)]
    else:
        roots = [(body, (), "unknown", False, True)]
    segments: list[Segment] = []
    stack = roots[::-1]  # iterative: a hostile body can nest deeper than Python recurses
    while stack:
        value, path, role, free_form, top = stack.pop()
        if isinstance(value, str):
            if value:
                segments.append(Segment(path, role, value))
        elif isinstance(value, dict):
            stack.extend(reversed(list(_children(value, path, role, free_form, top))))
        elif isinstance(value, list):
            stack.extend((value[i], (*path, i), role, free_form, False) for i in range(len(value) - 1, -1, -1))
    return segments


def _is_universal(body: Any) -> bool:
    return (
        isinstance(body, list)
        and bool(body)
        and all(isinstance(step, dict) and "provider" in step and "query" in step for step in body)
    )


def _children(obj: dict[str, Any], path: Path, role: str, free_form: bool, top: bool) -> Iterator[_Item]:
    if free_form:
        for key, value in obj.items():
            yield value, (*path, key), role, True, False
        return
    role = _object_role(obj, role)
    for key, value in obj.items():
        if key in _SKIPPED_KEYS or (key in _STRUCTURAL_KEYS and not isinstance(value, dict | list)):
            continue
        if isinstance(value, str) and _is_media(obj, key, value, path):
            continue
        child_role = (_TOP_ROLES if top else _KEY_ROLES).get(key, role)
        child_free = key in _FREE_FORM_KEYS or (key in _FREE_FORM_OBJECT_KEYS and isinstance(value, dict))
        yield value, (*path, key), child_role, child_free, False


def _object_role(obj: dict[str, Any], inherited: str) -> str:
    role = obj.get("role")
    if isinstance(role, str):
        return _ROLES.get(role.lower(), "unknown")
    kind = obj.get("type")
    if isinstance(kind, str) and kind in _TYPE_ROLES:
        return _TYPE_ROLES[kind]
    return inherited


def _is_media(obj: dict[str, Any], key: str, value: str, path: Path) -> bool:
    """True for base64 media: a ``data:`` URL of a non-text type under a URL key, or
    the ``data`` of an image/audio/document part."""
    if key in _MEDIA_URL_KEYS and value.startswith("data:"):
        head, comma, _ = value[:300].partition(",")
        return bool(comma) and head.endswith(";base64") and not _is_text_media(head[5:].partition(";")[0])
    if key != "data" or not path or path[-1] not in _MEDIA_PARENTS:
        return False
    if obj.get("type") == "text":  # Anthropic's plain-text document source
        return False
    declared = next((obj[k] for k in _MEDIA_TYPE_KEYS if isinstance(obj.get(k), str)), "")
    return not _is_text_media(declared)


def _is_text_media(media_type: str) -> bool:
    media_type = media_type.strip().lower()
    if media_type.startswith("text/"):
        return True
    return media_type.startswith("application/") and media_type.endswith(_TEXT_MEDIA_SUFFIXES)


def extract_stream_text(events_json: list[dict[str, Any]]) -> str:
    """The text a streamed response carried, from its parsed event payloads in order.

    Understands OpenAI chat and completion chunks (content, refusal and tool-call
    argument deltas) and Responses events, Anthropic ``content_block_*`` events,
    Gemini chunks and Cohere v1/v2 events. Each channel (a choice, a content block, a
    tool call) is reassembled on its own, so interleaved choices do not mix; channels
    are joined with newlines in the order they first spoke.
    """
    channels: dict[tuple[Any, ...], list[str]] = {}
    for event in events_json:
        if isinstance(event, dict):
            for channel, text in _stream_pieces(event):
                if text:
                    channels.setdefault(channel, []).append(text)
    return "\n".join("".join(parts) for parts in channels.values())


def _stream_pieces(event: dict[str, Any]) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(event.get("choices"), list):
        yield from _openai_pieces(event["choices"])
    if isinstance(event.get("candidates"), list):
        yield from _gemini_pieces(event["candidates"])
    kind = event.get("type", event.get("event_type"))
    index = event.get("index", 0)
    match kind:
        case "content_block_start":  # Anthropic
            block = _dict(event.get("content_block"))
            yield ("block", index), _str(block.get("text"))
        case "content_block_delta":
            delta = _dict(event.get("delta"))
            yield ("block", index), _str(delta.get("text")) or _str(delta.get("partial_json"))
        case "response.output_text.delta" | "response.refusal.delta" | "response.function_call_arguments.delta":
            yield ("output", event.get("output_index", 0), event.get("content_index", 0)), _str(event.get("delta"))
        case "content-start" | "content-delta":  # Cohere v2
            yield ("content", index), _str(_path(event, "delta", "message", "content", "text"))
        case "tool-plan-delta":
            yield ("plan",), _str(_path(event, "delta", "message", "tool_plan"))
        case "tool-call-start" | "tool-call-delta":
            yield ("call", index), _str(_path(event, "delta", "message", "tool_calls", "function", "arguments"))
        case "text-generation":  # Cohere v1
            yield ("text",), _str(event.get("text"))


def _openai_pieces(choices: list[Any]) -> Iterator[tuple[tuple[Any, ...], str]]:
    for choice in choices:
        choice = _dict(choice)
        n = choice.get("index", 0)
        yield ("choice", n), _str(choice.get("text"))  # completions
        delta = _dict(choice.get("delta"))
        yield ("choice", n), _str(delta.get("content"))
        yield ("refusal", n), _str(delta.get("refusal"))
        yield ("function", n), _str(_path(delta, "function_call", "arguments"))
        for call in _list(delta.get("tool_calls")):
            call = _dict(call)
            yield ("tool", n, call.get("index", 0)), _str(_path(call, "function", "arguments"))


def _gemini_pieces(candidates: list[Any]) -> Iterator[tuple[tuple[Any, ...], str]]:
    for candidate in candidates:
        candidate = _dict(candidate)
        n = candidate.get("index", 0)
        for part in _list(_path(candidate, "content", "parts")):
            part = _dict(part)
            yield ("candidate", n), _str(part.get("text"))
            args = _path(part, "functionCall", "args")
            if isinstance(args, dict):  # a whole call per chunk, never split
                yield ("candidate", n), "\n" + json.dumps(args, ensure_ascii=False) + "\n"


def _path(value: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""
