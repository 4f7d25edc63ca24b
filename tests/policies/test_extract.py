"""Text segments (path, role, text) from real-shaped request and response bodies."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from policies.extract import Segment, extract, extract_stream_text

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="

Expected = list[tuple[tuple[str | int, ...], str, str]]

REQUESTS: list[Any] = [
    pytest.param(
        {
            "model": "gpt-4o-mini",
            "messages": [
                {"role": "system", "content": "You are terse."},
                {"role": "developer", "content": "Use metric units."},
                {
                    "role": "user",
                    "name": "alice",
                    "content": [
                        {"type": "text", "text": "What is in this image?"},
                        {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG}", "detail": "low"}},
                        {"type": "image_url", "image_url": {"url": "https://example.com/cat.png?sig=abc"}},
                        {"type": "input_audio", "input_audio": {"data": "UklGRiQAAABXQVZF", "format": "wav"}},
                    ],
                },
                {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {
                            "id": "call_abc",
                            "type": "function",
                            "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
                        }
                    ],
                },
                {"role": "tool", "tool_call_id": "call_abc", "content": "18C and sunny"},
            ],
            "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Weather by city"}}],
            "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
            "response_format": {"type": "json_schema", "json_schema": {"name": "w", "schema": {"type": "object"}}},
            "stop": ["END"],
            "temperature": 0.2,
            "user": "user-42",
        },
        [
            (("messages", 0, "content"), "system", "You are terse."),
            (("messages", 1, "content"), "developer", "Use metric units."),
            (("messages", 2, "name"), "user", "alice"),
            (("messages", 2, "content", 0, "text"), "user", "What is in this image?"),
            (("messages", 2, "content", 2, "image_url", "url"), "user", "https://example.com/cat.png?sig=abc"),
            (("messages", 3, "tool_calls", 0, "function", "name"), "assistant", "get_weather"),
            (("messages", 3, "tool_calls", 0, "function", "arguments"), "assistant", '{"city": "Paris"}'),
            (("messages", 4, "content"), "tool", "18C and sunny"),
            (("tools", 0, "function", "name"), "unknown", "get_weather"),
            (("tools", 0, "function", "description"), "unknown", "Weather by city"),
            (("response_format", "json_schema", "name"), "unknown", "w"),
            (("response_format", "json_schema", "schema", "type"), "unknown", "object"),
            (("stop", 0), "unknown", "END"),
            (("user",), "unknown", "user-42"),
        ],
        id="openai-chat",
    ),
    pytest.param(
        {"model": "gpt-3.5-turbo-instruct", "prompt": ["Say hi", "Say bye"], "max_tokens": 5},
        [(("prompt", 0), "user", "Say hi"), (("prompt", 1), "user", "Say bye")],
        id="openai-completions-list",
    ),
    pytest.param(
        {"model": "gpt-3.5-turbo-instruct", "prompt": "Once upon"},
        [(("prompt",), "user", "Once upon")],
        id="openai-completions-string",
    ),
    pytest.param(
        {"model": "text-embedding-3-small", "input": "embed me", "encoding_format": "float"},
        [(("input",), "user", "embed me")],
        id="openai-embeddings",
    ),
    pytest.param(
        {
            "model": "gpt-4.1",
            "instructions": "Answer in French.",
            "previous_response_id": "resp_123",
            "input": [
                {"role": "user", "content": [{"type": "input_text", "text": "Hello"}]},
                {"type": "input_image", "image_url": f"data:image/jpeg;base64,{PNG}"},
                {"type": "function_call", "call_id": "fc_1", "name": "lookup", "arguments": '{"id": 7}'},
                {"type": "function_call_output", "call_id": "fc_1", "output": "found it"},
            ],
        },
        [
            (("instructions",), "system", "Answer in French."),
            (("input", 0, "content", 0, "text"), "user", "Hello"),
            (("input", 2, "name"), "assistant", "lookup"),
            (("input", 2, "arguments"), "assistant", '{"id": 7}'),
            (("input", 3, "output"), "tool", "found it"),
        ],
        id="openai-responses",
    ),
    pytest.param(
        {"model": "gpt-4.1", "input": "just a string"},
        [(("input",), "user", "just a string")],
        id="openai-responses-string",
    ),
    pytest.param(
        {
            "model": "claude-sonnet-4",
            "max_tokens": 1024,
            "system": "You are Claude.",
            "messages": [{"role": "user", "content": "Hi"}],
            "metadata": {"user_id": "u-1"},
        },
        [
            (("system",), "system", "You are Claude."),
            (("messages", 0, "content"), "user", "Hi"),
            (("metadata", "user_id"), "unknown", "u-1"),
        ],
        id="anthropic-system-string",
    ),
    pytest.param(
        {
            "model": "claude-sonnet-4",
            "system": [{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}],
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {"type": "text", "text": "Read this"},
                        {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": PNG}},
                        {
                            "type": "document",
                            "source": {"type": "text", "media_type": "text/plain", "data": "doc body"},
                        },
                        {
                            "type": "document",
                            "source": {"type": "base64", "media_type": "application/pdf", "data": "JVBERi0xLjQK"},
                        },
                    ],
                },
                {
                    "role": "assistant",
                    "content": [
                        {"type": "thinking", "thinking": "hmm", "signature": "EqQBCkYIARgCKkB"},
                        {"type": "tool_use", "id": "toolu_1", "name": "search", "input": {"id": "acct-9", "q": "x"}},
                    ],
                },
                {
                    "role": "user",
                    "content": [
                        {"type": "tool_result", "tool_use_id": "toolu_1", "content": "3 hits"},
                        {"type": "tool_result", "tool_use_id": "toolu_1", "content": [{"type": "text", "text": "hit"}]},
                    ],
                },
            ],
        },
        [
            (("system", 0, "text"), "system", "Be brief."),
            (("messages", 0, "content", 0, "text"), "user", "Read this"),
            (("messages", 0, "content", 2, "source", "data"), "user", "doc body"),
            (("messages", 1, "content", 0, "thinking"), "assistant", "hmm"),
            (("messages", 1, "content", 1, "name"), "assistant", "search"),
            (("messages", 1, "content", 1, "input", "id"), "assistant", "acct-9"),
            (("messages", 1, "content", 1, "input", "q"), "assistant", "x"),
            (("messages", 2, "content", 0, "content"), "tool", "3 hits"),
            (("messages", 2, "content", 1, "content", 0, "text"), "tool", "hit"),
        ],
        id="anthropic-blocks-tools",
    ),
    pytest.param(
        {
            "systemInstruction": {"parts": [{"text": "Be kind."}]},
            "contents": [
                {"parts": [{"text": "no role means user"}]},
                {"role": "user", "parts": [{"text": "Hi"}, {"inlineData": {"mimeType": "image/png", "data": PNG}}]},
                {"role": "user", "parts": [{"inline_data": {"mime_type": "text/plain", "data": "aGVsbG8="}}]},
                {"role": "model", "parts": [{"functionCall": {"name": "find", "args": {"type": "t", "q": "y"}}}]},
                {"role": "user", "parts": [{"functionResponse": {"name": "find", "response": {"id": "r-1"}}}]},
                {"role": "user", "parts": [{"fileData": {"mimeType": "application/pdf", "fileUri": "gs://b/f.pdf"}}]},
            ],
            "generationConfig": {"temperature": 0.1, "responseMimeType": "application/json"},
        },
        [
            (("systemInstruction", "parts", 0, "text"), "system", "Be kind."),
            (("contents", 0, "parts", 0, "text"), "user", "no role means user"),
            (("contents", 1, "parts", 0, "text"), "user", "Hi"),
            (("contents", 2, "parts", 0, "inline_data", "data"), "user", "aGVsbG8="),
            (("contents", 3, "parts", 0, "functionCall", "name"), "assistant", "find"),
            (("contents", 3, "parts", 0, "functionCall", "args", "type"), "assistant", "t"),
            (("contents", 3, "parts", 0, "functionCall", "args", "q"), "assistant", "y"),
            (("contents", 4, "parts", 0, "functionResponse", "name"), "tool", "find"),
            (("contents", 4, "parts", 0, "functionResponse", "response", "id"), "tool", "r-1"),
            (("contents", 5, "parts", 0, "fileData", "fileUri"), "user", "gs://b/f.pdf"),
        ],
        id="gemini",
    ),
    pytest.param(
        {
            "model": "command-r-plus",
            "messages": [
                {"role": "system", "content": "sys"},
                {"role": "user", "content": [{"type": "text", "text": "q"}]},
                {
                    "role": "assistant",
                    "tool_plan": "I will search",
                    "tool_calls": [{"id": "tc1", "type": "function", "function": {"name": "s", "arguments": "{}"}}],
                },
                {
                    "role": "tool",
                    "tool_call_id": "tc1",
                    "content": [{"type": "document", "document": {"id": "d1", "data": {"id": "x-1", "t": "v"}}}],
                },
            ],
            "documents": [{"id": "doc-1", "data": {"title": "T"}}],
        },
        [
            (("messages", 0, "content"), "system", "sys"),
            (("messages", 1, "content", 0, "text"), "user", "q"),
            (("messages", 2, "tool_plan"), "assistant", "I will search"),
            (("messages", 2, "tool_calls", 0, "function", "name"), "assistant", "s"),
            (("messages", 2, "tool_calls", 0, "function", "arguments"), "assistant", "{}"),
            (("messages", 3, "content", 0, "document", "data", "id"), "tool", "x-1"),
            (("messages", 3, "content", 0, "document", "data", "t"), "tool", "v"),
            (("documents", 0, "id"), "unknown", "doc-1"),
            (("documents", 0, "data", "title"), "unknown", "T"),
        ],
        id="cohere-v2",
    ),
    pytest.param(
        {
            "message": "and now?",
            "preamble": "You help.",
            "chat_history": [{"role": "USER", "message": "first"}, {"role": "CHATBOT", "message": "reply"}],
        },
        [
            (("message",), "user", "and now?"),
            (("preamble",), "system", "You help."),
            (("chat_history", 0, "message"), "user", "first"),
            (("chat_history", 1, "message"), "assistant", "reply"),
        ],
        id="cohere-v1",
    ),
    pytest.param(
        [
            {
                "provider": "openai",
                "endpoint": "chat/completions",
                "headers": {"authorization": "Bearer sk-live-secret", "content-type": "application/json"},
                "query": {"model": "gpt-4o", "messages": [{"role": "user", "content": "first try"}]},
            },
            {
                "provider": "anthropic",
                "endpoint": "v1/messages",
                "headers": {"x-api-key": "sk-ant-secret"},
                "query": {"model": "claude", "system": "sys", "messages": [{"role": "user", "content": "fallback"}]},
            },
        ],
        [
            ((0, "query", "messages", 0, "content"), "user", "first try"),
            ((1, "query", "system"), "system", "sys"),
            ((1, "query", "messages", 0, "content"), "user", "fallback"),
        ],
        id="universal-steps",
    ),
    pytest.param("just text", [((), "unknown", "just text")], id="bare-string"),
    pytest.param(["a", "b"], [((0,), "unknown", "a"), ((1,), "unknown", "b")], id="bare-list"),
]

RESPONSES: list[Any] = [
    pytest.param(
        {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 1700000000,
            "model": "gpt-4o",
            "system_fingerprint": "fp_1",
            "choices": [
                {
                    "index": 0,
                    "message": {
                        "role": "assistant",
                        "content": "Hello!",
                        "refusal": None,
                        "tool_calls": [
                            {"id": "call_9", "type": "function", "function": {"name": "f", "arguments": '{"a":1}'}}
                        ],
                    },
                    "logprobs": {"content": [{"token": "Hello", "logprob": -0.1}]},
                    "finish_reason": "tool_calls",
                }
            ],
            "usage": {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7},
        },
        [
            (("choices", 0, "message", "content"), "assistant", "Hello!"),
            (("choices", 0, "message", "tool_calls", 0, "function", "name"), "assistant", "f"),
            (("choices", 0, "message", "tool_calls", 0, "function", "arguments"), "assistant", '{"a":1}'),
        ],
        id="openai-chat-response",
    ),
    pytest.param(
        {"id": "c", "object": "text_completion", "choices": [{"text": "done", "index": 0, "finish_reason": "stop"}]},
        [(("choices", 0, "text"), "assistant", "done")],
        id="openai-completion-response",
    ),
    pytest.param(
        {
            "object": "list",
            "data": [{"object": "embedding", "index": 0, "embedding": "AAAAAA=="}],
            "model": "text-embedding-3-small",
            "usage": {"prompt_tokens": 2, "total_tokens": 2},
        },
        [],
        id="openai-embeddings-response",
    ),
    pytest.param(
        {"created": 1, "data": [{"b64_json": PNG, "revised_prompt": "a cat"}]},
        [(("data", 0, "revised_prompt"), "unknown", "a cat")],
        id="openai-image-response",
    ),
    pytest.param(
        {
            "id": "resp_1",
            "object": "response",
            "status": "completed",
            "output": [
                {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "gAAAAB"},
                {
                    "type": "message",
                    "id": "msg_1",
                    "role": "assistant",
                    "content": [{"type": "output_text", "text": "Bonjour", "annotations": []}],
                },
                {"type": "function_call", "id": "fc_1", "call_id": "c1", "name": "f", "arguments": "{}"},
            ],
        },
        [
            (("output", 1, "content", 0, "text"), "assistant", "Bonjour"),
            (("output", 2, "name"), "assistant", "f"),
            (("output", 2, "arguments"), "assistant", "{}"),
        ],
        id="openai-responses-response",
    ),
    pytest.param(
        {
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "model": "claude",
            "content": [
                {"type": "text", "text": "Sure."},
                {"type": "tool_use", "id": "toolu_2", "name": "calc", "input": {"expr": "1+1"}},
            ],
            "stop_reason": "tool_use",
            "stop_sequence": None,
            "usage": {"input_tokens": 3, "output_tokens": 4},
        },
        [
            (("content", 0, "text"), "assistant", "Sure."),
            (("content", 1, "name"), "assistant", "calc"),
            (("content", 1, "input", "expr"), "assistant", "1+1"),
        ],
        id="anthropic-response",
    ),
    pytest.param(
        {
            "candidates": [
                {
                    "content": {"role": "model", "parts": [{"text": "Yes"}, {"thoughtSignature": "c2ln", "text": "!"}]},
                    "finishReason": "STOP",
                    "index": 0,
                    "safetyRatings": [{"category": "HARM_CATEGORY_X", "probability": "NEGLIGIBLE"}],
                }
            ],
            "usageMetadata": {"promptTokenCount": 1},
            "modelVersion": "gemini-2.0-flash",
            "responseId": "r1",
        },
        [
            (("candidates", 0, "content", "parts", 0, "text"), "assistant", "Yes"),
            (("candidates", 0, "content", "parts", 1, "text"), "assistant", "!"),
        ],
        id="gemini-response",
    ),
    pytest.param(
        {
            "id": "c-1",
            "finish_reason": "COMPLETE",
            "message": {"role": "assistant", "content": [{"type": "text", "text": "Hola"}]},
            "usage": {"billed_units": {"input_tokens": 1}},
        },
        [(("message", "content", 0, "text"), "assistant", "Hola")],
        id="cohere-v2-response",
    ),
]


@pytest.mark.parametrize(("body", "expected"), REQUESTS + RESPONSES)
def test_extract(body: Any, expected: Expected) -> None:
    assert [(s.path, s.role, s.text) for s in extract(body)] == expected


def test_paths_lead_back_to_the_text() -> None:
    body = next(p for p in REQUESTS if p.id == "anthropic-blocks-tools").values[0]
    for segment in extract(body):
        value: Any = body
        for key in segment.path:
            value = value[key]
        assert value == segment.text


def test_segment_is_frozen() -> None:
    segment = Segment(("a",), "user", "x")
    with pytest.raises(AttributeError):
        segment.text = "y"  # type: ignore[misc]


def test_free_form_keys_are_scanned_even_when_structural_elsewhere() -> None:
    body = {"messages": [{"role": "assistant", "content": [{"type": "tool_use", "input": {"model": "leak"}}]}]}
    assert [s.text for s in extract(body)] == ["leak"]


def test_text_data_url_is_scanned_but_image_data_url_is_not() -> None:
    body = {"image_url": "data:text/plain;base64,c2VjcmV0", "url": "data:image/gif;base64,R0lGOD"}
    assert [s.text for s in extract(body)] == ["data:text/plain;base64,c2VjcmV0"]


def test_message_text_that_looks_like_a_data_url_is_still_scanned() -> None:
    body = {"messages": [{"role": "user", "content": "data:image/png;base64,c2VjcmV0"}]}
    assert len(extract(body)) == 1


def test_unknown_role_is_reported_as_unknown() -> None:
    assert extract({"messages": [{"role": "narrator", "content": "x"}]})[0].role == "unknown"


def test_deep_nesting_does_not_recurse() -> None:
    body: Any = "deep"
    for _ in range(3000):
        body = {"content": [body]}
    [segment] = extract(body)
    assert segment.text == "deep"
    assert len(segment.path) == 6000


def test_wide_body_scales_linearly() -> None:
    def body(n: int) -> dict[str, Any]:
        return {"messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}]} for _ in range(n)]}

    def seconds(b: dict[str, Any]) -> float:
        began = time.perf_counter()
        extract(b)
        return time.perf_counter() - began

    small, large = body(10_000), body(40_000)
    seconds(small)
    assert min(seconds(large) for _ in range(2)) / min(seconds(small) for _ in range(2)) < 8


# Streams: parsed event payloads, in order.

OPENAI_STREAM = [
    {"choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}}]},
    {"choices": [{"index": 0, "delta": {"content": "my key is sk-pr"}}]},
    {"choices": [{"index": 0, "delta": {"content": "oj-abc"}}]},
    {
        "choices": [
            {"index": 0, "delta": {"tool_calls": [{"index": 0, "id": "c", "function": {"name": "f", "arguments": ""}}]}}
        ]
    },
    {"choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "function": {"arguments": '{"to": "a@'}}]}}]},
    {"choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "function": {"arguments": 'b.com"}'}}]}}]},
    {"choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}], "usage": None},
]
OPENAI_TWO_CHOICES = [
    {"choices": [{"index": 0, "delta": {"content": "AKIA"}}, {"index": 1, "delta": {"content": "hel"}}]},
    {"choices": [{"index": 1, "delta": {"content": "lo"}}, {"index": 0, "delta": {"content": "IOSFODNN7"}}]},
]
OPENAI_COMPLETIONS_STREAM = [{"choices": [{"index": 0, "text": "once "}]}, {"choices": [{"index": 0, "text": "upon"}]}]
RESPONSES_STREAM = [
    {"type": "response.created", "response": {"id": "r", "model": "m"}},
    {"type": "response.output_text.delta", "output_index": 0, "content_index": 0, "delta": "Bon"},
    {"type": "response.output_text.delta", "output_index": 0, "content_index": 0, "delta": "jour"},
    {"type": "response.function_call_arguments.delta", "output_index": 1, "delta": '{"x":1}'},
    {"type": "response.completed", "response": {"output": [{"content": [{"text": "Bonjour"}]}]}},
]
ANTHROPIC_STREAM = [
    {"type": "message_start", "message": {"id": "m", "role": "assistant", "content": []}},
    {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
    {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hello "}},
    {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "there"}},
    {"type": "content_block_stop", "index": 0},
    {"type": "content_block_start", "index": 1, "content_block": {"type": "tool_use", "id": "t", "input": {}}},
    {"type": "content_block_delta", "index": 1, "delta": {"type": "input_json_delta", "partial_json": '{"q": '}},
    {"type": "content_block_delta", "index": 1, "delta": {"type": "input_json_delta", "partial_json": '"x"}'}},
    {"type": "message_delta", "delta": {"stop_reason": "tool_use"}, "usage": {"output_tokens": 9}},
    {"type": "message_stop"},
]
GEMINI_STREAM = [
    {"candidates": [{"content": {"role": "model", "parts": [{"text": "Hi "}]}, "index": 0}]},
    {"candidates": [{"content": {"role": "model", "parts": [{"text": "you"}]}, "index": 0}]},
    {
        "candidates": [
            {"content": {"parts": [{"functionCall": {"name": "f", "args": {"a": "b"}}}]}, "finishReason": "STOP"}
        ]
    },
]
COHERE_STREAM = [
    {"type": "message-start", "id": "x", "delta": {"message": {"role": "assistant"}}},
    {"type": "content-start", "index": 0, "delta": {"message": {"content": {"type": "text", "text": ""}}}},
    {"type": "content-delta", "index": 0, "delta": {"message": {"content": {"text": "Hola "}}}},
    {"type": "content-delta", "index": 0, "delta": {"message": {"content": {"text": "mundo"}}}},
    {"type": "tool-plan-delta", "delta": {"message": {"tool_plan": "I will call f"}}},
    {"type": "tool-call-delta", "index": 0, "delta": {"message": {"tool_calls": {"function": {"arguments": "{}"}}}}},
    {"type": "message-end", "delta": {"finish_reason": "COMPLETE"}},
]
COHERE_V1_STREAM = [
    {"is_finished": False, "event_type": "stream-start"},
    {"is_finished": False, "event_type": "text-generation", "text": "Hi"},
    {"is_finished": False, "event_type": "text-generation", "text": " there"},
    {"is_finished": True, "event_type": "stream-end", "response": {"text": "Hi there"}},
]


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        pytest.param(OPENAI_STREAM, 'my key is sk-proj-abc\n{"to": "a@b.com"}', id="openai-chat"),
        pytest.param(OPENAI_TWO_CHOICES, "AKIAIOSFODNN7\nhello", id="openai-two-choices-not-mixed"),
        pytest.param(OPENAI_COMPLETIONS_STREAM, "once upon", id="openai-completions"),
        pytest.param(RESPONSES_STREAM, 'Bonjour\n{"x":1}', id="openai-responses"),
        pytest.param(ANTHROPIC_STREAM, 'Hello there\n{"q": "x"}', id="anthropic"),
        pytest.param(GEMINI_STREAM, 'Hi you\n{"a": "b"}\n', id="gemini"),
        pytest.param(COHERE_STREAM, "Hola mundo\nI will call f\n{}", id="cohere-v2"),
        pytest.param(COHERE_V1_STREAM, "Hi there", id="cohere-v1"),
        pytest.param([], "", id="empty"),
        pytest.param([{"unexpected": True}, {"choices": "not a list"}], "", id="unknown-shapes"),
    ],
)
def test_extract_stream_text(events: list[dict[str, Any]], expected: str) -> None:
    assert extract_stream_text(events) == expected


def test_stream_of_real_sse_payloads_round_trips_through_json() -> None:
    events = [json.loads(json.dumps(e)) for e in ANTHROPIC_STREAM]
    assert extract_stream_text(events).startswith("Hello there")
