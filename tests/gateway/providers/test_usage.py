"""Usage extraction per API family, plain and streamed, table-driven."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gateway.providers import FAMILIES, Usage
from gateway.sse import SSEEvent


def sse(*payloads: Any, event: str | None = None) -> list[SSEEvent]:
    return [SSEEvent(p if isinstance(p, str) else json.dumps(p), event) for p in payloads]


OPENAI_CHAT = {
    "object": "chat.completion",
    "model": "gpt-4o",
    "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "x"}}],
    "usage": {
        "prompt_tokens": 60,
        "completion_tokens": 12,
        "prompt_tokens_details": {"cached_tokens": 32},
        "completion_tokens_details": {"reasoning_tokens": 5},
    },
}
OPENAI_RESPONSE = {
    "object": "response",
    "model": "o3-mini",
    "status": "completed",
    "usage": {
        "input_tokens": 9,
        "output_tokens": 20,
        "input_tokens_details": {"cached_tokens": 0},
        "output_tokens_details": {"reasoning_tokens": 5},
    },
}
ANTHROPIC_MESSAGE = {
    "type": "message",
    "model": "claude-sonnet-4-5",
    "stop_reason": "end_turn",
    "usage": {"input_tokens": 10, "output_tokens": 7, "cache_read_input_tokens": 32, "cache_creation_input_tokens": 3},
}
GEMINI_CHUNK = {
    "candidates": [{"content": {"parts": [{"text": "x"}]}, "finishReason": "STOP"}],
    "usageMetadata": {
        "promptTokenCount": 8,
        "candidatesTokenCount": 4,
        "thoughtsTokenCount": 6,
        "cachedContentTokenCount": 2,
    },
    "modelVersion": "gemini-2.5-flash",
}
COHERE_CHAT = {
    "id": "x",
    "finish_reason": "COMPLETE",
    "message": {"role": "assistant", "content": [{"type": "text", "text": "x"}]},
    "usage": {
        "billed_units": {"input_tokens": 5, "output_tokens": 3},
        "tokens": {"input_tokens": 70, "output_tokens": 3},
    },
}


@pytest.mark.parametrize(
    ("family", "body", "expected"),
    [
        ("openai", OPENAI_CHAT, Usage("gpt-4o", 60, 12, 32, 5, "stop", True)),
        ("openai", OPENAI_RESPONSE, Usage("o3-mini", 9, 20, 0, 5, "completed", True)),
        ("openai", {"object": "list", "model": "e", "usage": {"prompt_tokens": 4}}, Usage("e", 4, complete=True)),
        ("anthropic", ANTHROPIC_MESSAGE, Usage("claude-sonnet-4-5", 45, 7, 32, None, "end_turn", True)),
        ("anthropic", {"type": "error"}, Usage()),
        ("gemini", GEMINI_CHUNK, Usage("gemini-2.5-flash", 8, 10, 2, 6, "STOP", True)),
        (
            "gemini",
            [{**GEMINI_CHUNK, "candidates": [{}]}, GEMINI_CHUNK],
            Usage("gemini-2.5-flash", 8, 10, 2, 6, "STOP", True),
        ),
        ("cohere", COHERE_CHAT, Usage(None, 70, 3, None, None, "COMPLETE", True)),
        ("openai", "not an object", Usage()),
    ],
)
def test_plain_usage(family: str, body: Any, expected: Usage) -> None:
    assert FAMILIES[family].usage_from_json(body) == expected


def chat_chunk(content: str | None, finish: str | None = None) -> dict[str, Any]:
    return {"model": "gpt-4o", "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": finish}]}


OPENAI_STREAM = sse(
    chat_chunk("he"),
    chat_chunk("llo", "stop"),
    {"model": "gpt-4o", "choices": [], "usage": {"prompt_tokens": 3, "completion_tokens": 2}},
    "[DONE]",
)
RESPONSES_STREAM = [
    SSEEvent(
        json.dumps(
            {"type": "response.created", "response": {**OPENAI_RESPONSE, "status": "in_progress", "usage": None}}
        )
    ),
    SSEEvent(json.dumps({"type": "response.output_text.delta", "delta": "x"})),
    SSEEvent(json.dumps({"type": "response.completed", "response": OPENAI_RESPONSE})),
]
ANTHROPIC_STREAM = [
    SSEEvent(
        json.dumps(
            {
                "type": "message_start",
                "message": {**ANTHROPIC_MESSAGE, "usage": {"input_tokens": 10, "output_tokens": 1}},
            }
        )
    ),
    SSEEvent(json.dumps({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "x"}})),
    SSEEvent(
        json.dumps({"type": "message_delta", "delta": {"stop_reason": "max_tokens"}, "usage": {"output_tokens": 9}})
    ),
    SSEEvent(json.dumps({"type": "message_stop"})),
]
COHERE_STREAM = sse(
    {"type": "message-start"},
    {"type": "content-delta", "delta": {"message": {"content": {"text": "x"}}}},
    {"type": "message-end", "delta": {"finish_reason": "MAX_TOKENS", "usage": COHERE_CHAT["usage"]}},
)


@pytest.mark.parametrize(
    ("family", "events", "expected"),
    [
        ("openai", OPENAI_STREAM, Usage("gpt-4o", 3, 2, None, None, "stop", True)),
        ("openai", OPENAI_STREAM[:-1], Usage("gpt-4o", 3, 2, None, None, "stop", False)),
        ("openai", RESPONSES_STREAM, Usage("o3-mini", 9, 20, 0, 5, "completed", True)),
        ("openai", RESPONSES_STREAM[:-1], Usage("o3-mini", None, None, None, None, None, False)),
        ("anthropic", ANTHROPIC_STREAM, Usage("claude-sonnet-4-5", 10, 9, None, None, "max_tokens", True)),
        ("anthropic", ANTHROPIC_STREAM[:-1], Usage("claude-sonnet-4-5", 10, 9, None, None, "max_tokens", False)),
        (
            "gemini",
            sse({**GEMINI_CHUNK, "candidates": [{}]}, GEMINI_CHUNK),
            Usage("gemini-2.5-flash", 8, 10, 2, 6, "STOP", True),
        ),
        ("gemini", sse({**GEMINI_CHUNK, "candidates": [{}]}), Usage("gemini-2.5-flash", 8, 10, 2, 6, None, False)),
        ("cohere", COHERE_STREAM, Usage(None, 70, 3, None, None, "MAX_TOKENS", True)),
        ("cohere", COHERE_STREAM[:-1], Usage()),
        ("openai", sse(": keepalive", "not json"), Usage()),
    ],
)
def test_streamed_usage_and_completeness(family: str, events: list[SSEEvent], expected: Usage) -> None:
    assert FAMILIES[family].usage_from_events(events) == expected


@pytest.mark.parametrize(
    ("family", "status", "expected"),
    [
        ("openai", 413, {"error": {"message": "m", "type": "request_too_large", "param": None, "code": None}}),
        ("openai", 502, {"error": {"message": "m", "type": "api_error", "param": None, "code": None}}),
        ("anthropic", 404, {"type": "error", "error": {"type": "not_found_error", "message": "m"}}),
        ("anthropic", 504, {"type": "error", "error": {"type": "timeout_error", "message": "m"}}),
        ("gemini", 400, {"error": {"code": 400, "message": "m", "status": "INVALID_ARGUMENT"}}),
        ("gemini", 504, {"error": {"code": 504, "message": "m", "status": "DEADLINE_EXCEEDED"}}),
        ("cohere", 400, {"message": "m"}),
        ("generic", 404, {"error": {"message": "m", "type": "not_found_error", "param": None, "code": None}}),
    ],
)
def test_gateway_errors_in_each_family_shape(family: str, status: int, expected: dict[str, Any]) -> None:
    assert FAMILIES[family].error_body(status, "m") == expected
