from __future__ import annotations

from typing import Any

import pytest

from gateway.sse import SSEEvent
from gateway.translate.errors import TranslationError
from gateway.translate.gemini_stream import GeminiToOpenAIStream
from tests.gateway.translate.sse_wire import parse_sse

CREATED = 1_700_000_000

# Captured shape of `streamGenerateContent?alt=sse` (Gemini separates events with CRLF).
TEXT_STREAM = (
    'data: {"candidates": [{"content": {"parts": [{"text": "The sky"}],"role": "model"},"index": 0}],'
    '"usageMetadata": {"promptTokenCount": 8,"totalTokenCount": 8},'
    '"modelVersion": "gemini-2.5-flash","responseId": "Wl8HaZ2qBr2"}\r\n\r\n'
    'data: {"candidates": [{"content": {"parts": [{"text": " is blue."}],"role": "model"},'
    '"finishReason": "STOP","index": 0}],'
    '"usageMetadata": {"promptTokenCount": 8,"candidatesTokenCount": 5,"totalTokenCount": 29,'
    '"thoughtsTokenCount": 16,"cachedContentTokenCount": 2},'
    '"modelVersion": "gemini-2.5-flash","responseId": "Wl8HaZ2qBr2"}\r\n\r\n'
)

TOOL_STREAM = (
    'data: {"candidates": [{"content": {"parts": [{"text": "Checking."}],"role": "model"},"index": 0}],'
    '"responseId": "r2"}\r\n\r\n'
    'data: {"candidates": [{"content": {"parts": ['
    '{"functionCall": {"name": "get_weather","args": {"city": "Paris"}}},'
    '{"functionCall": {"name": "get_weather","args": {"city": "Rome"}}}],"role": "model"},'
    '"finishReason": "STOP","index": 0}],'
    '"usageMetadata": {"promptTokenCount": 40,"candidatesTokenCount": 20,"totalTokenCount": 60},'
    '"responseId": "r2"}\r\n\r\n'
)


def chunk(
    completion_id: str, delta: dict[str, Any], finish_reason: str | None = None, index: int = 0
) -> dict[str, Any]:
    return {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": CREATED,
        "model": "gemini-2.5-flash",
        "choices": [{"index": index, "delta": delta, "logprobs": None, "finish_reason": finish_reason}],
    }


def run(stream: GeminiToOpenAIStream, events: list[SSEEvent]) -> list[dict[str, Any]]:
    return [out for event in events for out in stream.feed(event)] + stream.finish()


def test_text_stream_with_usage() -> None:
    stream = GeminiToOpenAIStream("gemini-2.5-flash", CREATED, include_usage=True)
    chunks = run(stream, parse_sse(TEXT_STREAM))
    assert chunks == [
        chunk("Wl8HaZ2qBr2", {"role": "assistant", "content": ""}),
        chunk("Wl8HaZ2qBr2", {"content": "The sky"}),
        chunk("Wl8HaZ2qBr2", {"content": " is blue."}),
        chunk("Wl8HaZ2qBr2", {}, "stop"),
        {
            "id": "Wl8HaZ2qBr2",
            "object": "chat.completion.chunk",
            "created": CREATED,
            "model": "gemini-2.5-flash",
            "choices": [],
            "usage": {
                "prompt_tokens": 8,
                "completion_tokens": 21,
                "total_tokens": 29,
                "prompt_tokens_details": {"cached_tokens": 2},
                "completion_tokens_details": {"reasoning_tokens": 16},
            },
        },
    ]
    assert stream.is_complete


def test_function_calls_stream_whole_with_deterministic_ids() -> None:
    stream = GeminiToOpenAIStream("gemini-2.5-flash", CREATED)
    chunks = run(stream, parse_sse(TOOL_STREAM))
    assert chunks == [
        chunk("r2", {"role": "assistant", "content": ""}),
        chunk("r2", {"content": "Checking."}),
        chunk(
            "r2",
            {
                "tool_calls": [
                    {
                        "index": 0,
                        "id": "call_0",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
                    },
                    {
                        "index": 1,
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": '{"city":"Rome"}'},
                    },
                ]
            },
        ),
        chunk("r2", {}, "tool_calls"),
    ]


def test_stream_cut_off_before_a_finish_reason_is_incomplete() -> None:
    stream = GeminiToOpenAIStream("gemini-2.5-flash", CREATED, include_usage=True)
    chunks = run(stream, parse_sse(TEXT_STREAM)[:1])
    assert chunks[:2] == [
        chunk("Wl8HaZ2qBr2", {"role": "assistant", "content": ""}),
        chunk("Wl8HaZ2qBr2", {"content": "The sky"}),
    ]
    assert not stream.is_complete


@pytest.mark.parametrize(("reason", "finish"), [("MAX_TOKENS", "length"), ("SAFETY", "content_filter")])
def test_finish_reasons(reason: str, finish: str) -> None:
    stream = GeminiToOpenAIStream("m", CREATED)
    data = f'{{"candidates": [{{"content": {{"parts": [{{"text": "x"}}]}},"finishReason": "{reason}","index": 0}}]}}'
    assert stream.feed(SSEEvent(data))[-1]["choices"][0]["finish_reason"] == finish


def test_blocked_prompt_finishes_with_content_filter() -> None:
    stream = GeminiToOpenAIStream("m", CREATED)
    chunks = stream.feed(SSEEvent('{"promptFeedback": {"blockReason": "PROHIBITED_CONTENT"}, "responseId": "b"}'))
    assert [c["choices"][0]["finish_reason"] for c in chunks] == [None, "content_filter"]
    assert stream.is_complete


def test_error_event_becomes_an_openai_error_object() -> None:
    stream = GeminiToOpenAIStream("m", CREATED)
    event = SSEEvent('{"error": {"code": 503, "message": "The model is overloaded.", "status": "UNAVAILABLE"}}')
    expected = {
        "error": {"message": "The model is overloaded.", "type": "api_error", "param": None, "code": "UNAVAILABLE"}
    }
    assert stream.feed(event) == [expected]
    assert stream.error == expected
    assert not stream.is_complete


def test_malformed_event_names_the_field() -> None:
    stream = GeminiToOpenAIStream("m", CREATED)
    with pytest.raises(TranslationError) as excinfo:
        stream.feed(SSEEvent('{"candidates": [{"content": {"parts": [{"text": 3}]}}]}'))
    assert str(excinfo.value) == "candidates[0].content.parts[0].text: expected a string, got 3"
