from __future__ import annotations

from typing import Any

import pytest

from gateway.sse import SSEEvent
from gateway.translate.anthropic_stream import AnthropicToOpenAIStream
from gateway.translate.errors import TranslationError
from tests.gateway.translate.sse_wire import parse_sse, to_sse

CREATED = 1_700_000_000

# Captured shape of a real Messages stream with a tool call (ids shortened).
MESSAGE: dict[str, Any] = {
    "id": "msg_014p7gG3wDgGV9EUtLvnow3U",
    "type": "message",
    "role": "assistant",
    "model": "claude-sonnet-4-5-20250929",
    "content": [],
    "stop_reason": None,
    "stop_sequence": None,
    "usage": {
        "input_tokens": 472,
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": 200,
        "output_tokens": 2,
    },
}
TOOL_USE = {"type": "tool_use", "id": "toolu_01T1x1fJ34qAmk2tNTrN7Up6", "name": "get_weather", "input": {}}


def json_delta(partial: str) -> dict[str, Any]:
    return {"type": "content_block_delta", "index": 1, "delta": {"type": "input_json_delta", "partial_json": partial}}


TOOL_STREAM = to_sse(
    [
        ("message_start", {"type": "message_start", "message": MESSAGE}),
        (
            "content_block_start",
            {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
        ),
        ("ping", '{"type": "ping"}'),
        (
            "content_block_delta",
            {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Okay"}},
        ),
        (
            "content_block_delta",
            {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": ", checking."}},
        ),
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        ("content_block_start", {"type": "content_block_start", "index": 1, "content_block": TOOL_USE}),
        ("content_block_delta", json_delta("")),
        ("content_block_delta", json_delta('{"city": "Par')),
        ("content_block_delta", json_delta('is"}')),
        ("content_block_stop", {"type": "content_block_stop", "index": 1}),
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": "tool_use", "stop_sequence": None},
                "usage": {"output_tokens": 89},
            },
        ),
        ("message_stop", {"type": "message_stop"}),
    ]
)


def chunk(delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
    return {
        "id": "msg_014p7gG3wDgGV9EUtLvnow3U",
        "object": "chat.completion.chunk",
        "created": CREATED,
        "model": "claude-sonnet-4-5",
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}],
    }


def run(stream: AnthropicToOpenAIStream, events: list[SSEEvent]) -> list[dict[str, Any]]:
    return [out for event in events for out in stream.feed(event)] + stream.finish()


def test_text_and_tool_use_stream_with_usage() -> None:
    stream = AnthropicToOpenAIStream("claude-sonnet-4-5", CREATED, include_usage=True)
    chunks = run(stream, parse_sse(TOOL_STREAM))
    assert chunks == [
        chunk({"role": "assistant", "content": ""}),
        chunk({"content": "Okay"}),
        chunk({"content": ", checking."}),
        chunk(
            {
                "tool_calls": [
                    {
                        "index": 0,
                        "id": "toolu_01T1x1fJ34qAmk2tNTrN7Up6",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": ""},
                    }
                ]
            }
        ),
        chunk({"tool_calls": [{"index": 0, "function": {"arguments": '{"city": "Par'}}]}),
        chunk({"tool_calls": [{"index": 0, "function": {"arguments": 'is"}'}}]}),
        chunk({}, "tool_calls"),
        {
            "id": "msg_014p7gG3wDgGV9EUtLvnow3U",
            "object": "chat.completion.chunk",
            "created": CREATED,
            "model": "claude-sonnet-4-5",
            "choices": [],
            "usage": {
                "prompt_tokens": 672,
                "completion_tokens": 89,
                "total_tokens": 761,
                "prompt_tokens_details": {"cached_tokens": 200},
            },
        },
    ]
    assert stream.is_complete
    assert stream.error is None


def test_without_include_usage_no_usage_chunk() -> None:
    stream = AnthropicToOpenAIStream("claude-sonnet-4-5", CREATED)
    chunks = run(stream, parse_sse(TOOL_STREAM))
    assert chunks[-1] == chunk({}, "tool_calls")


def test_second_tool_call_gets_the_next_index() -> None:
    stream = AnthropicToOpenAIStream("m", CREATED)
    events = [
        SSEEvent('{"type":"message_start","message":{"id":"msg_1","usage":{"input_tokens":1,"output_tokens":1}}}'),
        SSEEvent(
            '{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"a","name":"f","input":{}}}'
        ),
        SSEEvent(
            '{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"b","name":"g","input":{}}}'
        ),
        SSEEvent('{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{}"}}'),
    ]
    chunks = run(stream, events)
    assert [c["choices"][0]["delta"]["tool_calls"][0]["index"] for c in chunks[1:]] == [0, 1, 1]


@pytest.mark.parametrize(
    ("stop_reason", "finish_reason"),
    [("end_turn", "stop"), ("max_tokens", "length"), ("stop_sequence", "stop"), ("refusal", "content_filter")],
)
def test_message_delta_finish_reasons(stop_reason: str, finish_reason: str) -> None:
    stream = AnthropicToOpenAIStream("m", CREATED)
    data = f'{{"type":"message_delta","delta":{{"stop_reason":"{stop_reason}"}},"usage":{{"output_tokens":3}}}}'
    assert stream.feed(SSEEvent(data, "message_delta"))[0]["choices"][0]["finish_reason"] == finish_reason


def test_stream_cut_off_before_message_stop_is_incomplete() -> None:
    stream = AnthropicToOpenAIStream("claude-sonnet-4-5", CREATED, include_usage=True)
    events = parse_sse(TOOL_STREAM)[:5]
    chunks = run(stream, events)
    assert chunks[-1] == chunk({"content": ", checking."})
    assert not stream.is_complete


def test_error_event_becomes_an_openai_error_object() -> None:
    stream = AnthropicToOpenAIStream("m", CREATED)
    events = parse_sse(
        'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n'
    )
    expected = {"error": {"message": "Overloaded", "type": "api_error", "param": None, "code": "overloaded_error"}}
    assert stream.feed(events[0]) == [expected]
    assert stream.error == expected
    assert not stream.is_complete


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (SSEEvent("not json", "message_start"), "message_start.data: invalid JSON (Expecting value at position 0)"),
        (SSEEvent('{"type":"message_start","message":{}}'), "message_start.message.id: expected a string, got null"),
        (
            SSEEvent('{"type":"content_block_delta","index":4,"delta":{"type":"input_json_delta","partial_json":"{"}}'),
            "content_block_delta.index: no tool_use block was started at index 4",
        ),
    ],
)
def test_malformed_events_name_the_field(event: SSEEvent, message: str) -> None:
    with pytest.raises(TranslationError) as excinfo:
        AnthropicToOpenAIStream("m", CREATED).feed(event)
    assert str(excinfo.value) == message
