from __future__ import annotations

import json
from typing import Any

import pytest

from gateway.translate.anthropic_door_stream import OpenAIToAnthropicStream
from gateway.translate.errors import TranslationError
from tests.gateway.translate.sse_wire import event_payloads, parse_sse, to_sse


# Captured shape of an OpenAI stream with text, two tool calls and include_usage.
def openai_chunk(delta: dict[str, Any] | None, finish_reason: str | None = None, **extra: Any) -> dict[str, Any]:
    choices = [] if delta is None else [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}]
    return {
        "id": "chatcmpl-BX1",
        "object": "chat.completion.chunk",
        "created": 1746000000,
        "model": "gpt-4.1",
        "choices": choices,
        "usage": None,
        **extra,
    }


def tool_delta(index: int, arguments: str, call_id: str | None = None) -> dict[str, Any]:
    call: dict[str, Any] = {"index": index, "function": {"arguments": arguments}}
    if call_id is not None:
        call |= {"id": call_id, "type": "function", "function": {"name": "get_weather", "arguments": arguments}}
    return {"tool_calls": [call]}


USAGE = {
    "prompt_tokens": 80,
    "completion_tokens": 42,
    "total_tokens": 122,
    "prompt_tokens_details": {"cached_tokens": 64},
    "completion_tokens_details": {"reasoning_tokens": 0},
}

OPENAI_STREAM = to_sse(
    [
        (None, openai_chunk({"role": "assistant", "content": "", "refusal": None})),
        (None, openai_chunk({"content": "Checking"})),
        (None, openai_chunk({"content": " both."})),
        (None, openai_chunk(tool_delta(0, "", "call_P"))),
        (None, openai_chunk(tool_delta(0, '{"city":'))),
        (None, openai_chunk(tool_delta(0, '"Paris"}'))),
        (None, openai_chunk(tool_delta(1, '{"city":"Rome"}', "call_R"))),
        (None, openai_chunk({}, "tool_calls")),
        (None, openai_chunk(None, usage=USAGE)),
        (None, "[DONE]"),
    ]
)


def openai_chunks(text: str) -> list[dict[str, Any]]:
    return [json.loads(event.data) for event in parse_sse(text) if event.data != "[DONE]"]


def run(chunks: list[dict[str, Any]]) -> tuple[OpenAIToAnthropicStream, list[tuple[str | None, dict[str, Any]]]]:
    stream = OpenAIToAnthropicStream("claude-sonnet-4-5")
    events = [event for chunk in chunks for event in stream.feed(chunk)] + stream.finish()
    return stream, event_payloads(events)


def test_text_then_tool_calls_emit_the_exact_anthropic_sequence() -> None:
    stream, events = run(openai_chunks(OPENAI_STREAM))
    assert events == [
        (
            "message_start",
            {
                "type": "message_start",
                "message": {
                    "id": "chatcmpl-BX1",
                    "type": "message",
                    "role": "assistant",
                    "model": "claude-sonnet-4-5",
                    "content": [],
                    "stop_reason": None,
                    "stop_sequence": None,
                    "usage": {"input_tokens": 0, "output_tokens": 0},
                },
            },
        ),
        (
            "content_block_start",
            {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
        ),
        (
            "content_block_delta",
            {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Checking"}},
        ),
        (
            "content_block_delta",
            {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": " both."}},
        ),
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        (
            "content_block_start",
            {
                "type": "content_block_start",
                "index": 1,
                "content_block": {"type": "tool_use", "id": "call_P", "name": "get_weather", "input": {}},
            },
        ),
        (
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": 1,
                "delta": {"type": "input_json_delta", "partial_json": '{"city":'},
            },
        ),
        (
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": 1,
                "delta": {"type": "input_json_delta", "partial_json": '"Paris"}'},
            },
        ),
        ("content_block_stop", {"type": "content_block_stop", "index": 1}),
        (
            "content_block_start",
            {
                "type": "content_block_start",
                "index": 2,
                "content_block": {"type": "tool_use", "id": "call_R", "name": "get_weather", "input": {}},
            },
        ),
        (
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": 2,
                "delta": {"type": "input_json_delta", "partial_json": '{"city":"Rome"}'},
            },
        ),
        ("content_block_stop", {"type": "content_block_stop", "index": 2}),
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": "tool_use", "stop_sequence": None},
                "usage": {
                    "input_tokens": 16,
                    "output_tokens": 42,
                    "cache_creation_input_tokens": 0,
                    "cache_read_input_tokens": 64,
                },
            },
        ),
        ("message_stop", {"type": "message_stop"}),
    ]
    assert stream.is_complete


@pytest.mark.parametrize(
    ("finish_reason", "stop_reason"),
    [("stop", "end_turn"), ("length", "max_tokens"), ("content_filter", "refusal"), ("tool_calls", "tool_use")],
)
def test_stop_reasons(finish_reason: str, stop_reason: str) -> None:
    chunks = [
        {"id": "c", "choices": [{"index": 0, "delta": {"role": "assistant", "content": "Hi"}, "finish_reason": None}]},
        {"id": "c", "choices": [{"index": 0, "delta": {}, "finish_reason": finish_reason}]},
    ]
    _, events = run(chunks)
    assert [name for name, _ in events] == [
        "message_start",
        "content_block_start",
        "content_block_delta",
        "content_block_stop",
        "message_delta",
        "message_stop",
    ]
    assert events[4][1]["delta"]["stop_reason"] == stop_reason
    # No usage chunk upstream: counts are zero rather than missing.
    assert events[4][1]["usage"]["output_tokens"] == 0


def test_stream_cut_off_without_finish_reason_ends_with_an_error_event() -> None:
    chunks = openai_chunks(OPENAI_STREAM)[:5]
    stream, events = run(chunks)
    assert [name for name, _ in events][-3:] == ["content_block_delta", "content_block_stop", "error"]
    assert events[-1][1] == {
        "type": "error",
        "error": {"type": "api_error", "message": "the upstream stream ended before the message was complete"},
    }
    assert not stream.is_complete


def test_upstream_error_chunk_becomes_an_error_event_and_ends_the_stream() -> None:
    stream = OpenAIToAnthropicStream("m")
    events = stream.feed({"error": {"message": "The server had an error", "type": "server_error"}})
    assert event_payloads(events) == [
        ("error", {"type": "error", "error": {"type": "api_error", "message": "The server had an error"}})
    ]
    assert stream.finish() == []


def test_finish_is_idempotent() -> None:
    stream, _ = run(openai_chunks(OPENAI_STREAM))
    assert stream.finish() == []


def test_tool_call_fragment_for_a_closed_block_is_rejected() -> None:
    stream = OpenAIToAnthropicStream("m")
    start = {"index": 0, "id": "a", "function": {"name": "f", "arguments": ""}}
    stream.feed({"id": "c", "choices": [{"index": 0, "delta": {"tool_calls": [start]}}]})
    stream.feed({"id": "c", "choices": [{"index": 0, "delta": {"content": "text in between"}}]})
    late = {
        "id": "c",
        "choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "function": {"arguments": "{}"}}]}}],
    }
    with pytest.raises(TranslationError) as excinfo:
        stream.feed(late)
    assert (
        str(excinfo.value)
        == "choices[0].delta.tool_calls[0].index: arguments for tool call 0 arrived after its block closed"
    )


def test_tool_call_without_a_name_is_rejected() -> None:
    stream = OpenAIToAnthropicStream("m")
    chunk = {
        "id": "c",
        "choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "function": {"arguments": "{"}}]}}],
    }
    with pytest.raises(TranslationError) as excinfo:
        stream.feed(chunk)
    assert str(excinfo.value) == (
        "choices[0].delta.tool_calls[0].function.name: the first chunk of a tool call must name the function"
    )
