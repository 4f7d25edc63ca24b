from __future__ import annotations

from typing import Any

import pytest

from gateway.sse import SSEEvent
from gateway.translate.cohere_stream import CohereToOpenAIStream
from gateway.translate.errors import TranslationError
from tests.gateway.translate.sse_wire import parse_sse, to_sse

CREATED = 1_700_000_000

# Captured shapes of /v2/chat streams: the tool-calling step, and a plain answer.
START_DELTA = {"message": {"role": "assistant", "content": [], "tool_plan": "", "tool_calls": [], "citations": []}}


def tool_call_start(index: int, call_id: str) -> dict[str, Any]:
    call = {"id": call_id, "type": "function", "function": {"name": "get_weather", "arguments": ""}}
    return {"type": "tool-call-start", "index": index, "delta": {"message": {"tool_calls": call}}}


def tool_call_delta(index: int, arguments: str) -> dict[str, Any]:
    call = {"function": {"arguments": arguments}}
    return {"type": "tool-call-delta", "index": index, "delta": {"message": {"tool_calls": call}}}


def content_delta(text: str) -> dict[str, Any]:
    return {"type": "content-delta", "index": 0, "delta": {"message": {"content": {"text": text}}}}


def message_end(reason: str, billed: tuple[int, int], tokens: tuple[int, int]) -> dict[str, Any]:
    usage = {
        "billed_units": {"input_tokens": billed[0], "output_tokens": billed[1]},
        "tokens": {"input_tokens": tokens[0], "output_tokens": tokens[1]},
    }
    return {"type": "message-end", "delta": {"finish_reason": reason, "usage": usage}}


TOOL_STREAM = to_sse(
    [
        (
            "message-start",
            {"id": "fba98ad3-e5a1-413c-a8de-84fbf9baabf7", "type": "message-start", "delta": START_DELTA},
        ),
        ("tool-plan-delta", {"type": "tool-plan-delta", "delta": {"message": {"tool_plan": "I will"}}}),
        ("tool-plan-delta", {"type": "tool-plan-delta", "delta": {"message": {"tool_plan": " check."}}}),
        ("tool-call-start", tool_call_start(0, "get_weather_p0dage9q1nv4")),
        ("tool-call-delta", tool_call_delta(0, '{\n    "location"')),
        ("tool-call-delta", tool_call_delta(0, ': "Madrid"}')),
        ("tool-call-end", {"type": "tool-call-end", "index": 0}),
        ("tool-call-start", tool_call_start(1, "get_weather_m3d4")),
        ("tool-call-delta", tool_call_delta(1, "{}")),
        ("tool-call-end", {"type": "tool-call-end", "index": 1}),
        ("message-end", message_end("TOOL_CALL", (37, 28), (913, 83))),
    ]
)

TEXT_STREAM = to_sse(
    [
        ("message-start", {"id": "29f14a5a-1234", "type": "message-start", "delta": START_DELTA}),
        (
            "content-start",
            {"type": "content-start", "index": 0, "delta": {"message": {"content": {"type": "text", "text": ""}}}},
        ),
        ("content-delta", content_delta("Hello")),
        ("content-delta", content_delta(" there.")),
        ("content-end", {"type": "content-end", "index": 0}),
        ("message-end", message_end("COMPLETE", (3, 2), (69, 2))),
    ]
)


def chunk(completion_id: str, delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
    return {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": CREATED,
        "model": "command-a",
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}],
    }


def run(stream: CohereToOpenAIStream, events: list[SSEEvent]) -> list[dict[str, Any]]:
    return [out for event in events for out in stream.feed(event)] + stream.finish()


def test_text_stream_with_usage() -> None:
    stream = CohereToOpenAIStream("command-a", CREATED, include_usage=True)
    chunks = run(stream, parse_sse(TEXT_STREAM))
    assert chunks == [
        chunk("29f14a5a-1234", {"role": "assistant", "content": ""}),
        chunk("29f14a5a-1234", {"content": "Hello"}),
        chunk("29f14a5a-1234", {"content": " there."}),
        chunk("29f14a5a-1234", {}, "stop"),
        {
            "id": "29f14a5a-1234",
            "object": "chat.completion.chunk",
            "created": CREATED,
            "model": "command-a",
            "choices": [],
            "usage": {"prompt_tokens": 69, "completion_tokens": 2, "total_tokens": 71},
        },
    ]
    assert stream.is_complete


def test_tool_plan_and_tool_calls_stream() -> None:
    stream = CohereToOpenAIStream("command-a", CREATED)
    cid = "fba98ad3-e5a1-413c-a8de-84fbf9baabf7"
    assert run(stream, parse_sse(TOOL_STREAM)) == [
        chunk(cid, {"role": "assistant", "content": ""}),
        chunk(cid, {"content": "I will"}),
        chunk(cid, {"content": " check."}),
        chunk(
            cid,
            {
                "tool_calls": [
                    {
                        "index": 0,
                        "id": "get_weather_p0dage9q1nv4",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": ""},
                    }
                ]
            },
        ),
        chunk(cid, {"tool_calls": [{"index": 0, "function": {"arguments": '{\n    "location"'}}]}),
        chunk(cid, {"tool_calls": [{"index": 0, "function": {"arguments": ': "Madrid"}'}}]}),
        chunk(
            cid,
            {
                "tool_calls": [
                    {
                        "index": 1,
                        "id": "get_weather_m3d4",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": ""},
                    }
                ]
            },
        ),
        chunk(cid, {"tool_calls": [{"index": 1, "function": {"arguments": "{}"}}]}),
        chunk(cid, {}, "tool_calls"),
    ]


@pytest.mark.parametrize(("reason", "finish"), [("MAX_TOKENS", "length"), ("STOP_SEQUENCE", "stop")])
def test_finish_reasons(reason: str, finish: str) -> None:
    stream = CohereToOpenAIStream("command-a", CREATED)
    event = SSEEvent(f'{{"type":"message-end","delta":{{"finish_reason":"{reason}"}}}}', "message-end")
    assert stream.feed(event)[0]["choices"][0]["finish_reason"] == finish


def test_stream_cut_off_before_message_end_is_incomplete() -> None:
    stream = CohereToOpenAIStream("command-a", CREATED, include_usage=True)
    chunks = run(stream, parse_sse(TEXT_STREAM)[:3])
    assert chunks[-1] == chunk("29f14a5a-1234", {"content": "Hello"})
    assert not stream.is_complete


def test_error_finish_becomes_an_openai_error_object() -> None:
    stream = CohereToOpenAIStream("command-a", CREATED, include_usage=True)
    event = SSEEvent('{"type":"message-end","delta":{"finish_reason":"ERROR","error":"internal failure"}}')
    expected = {"error": {"message": "internal failure", "type": "api_error", "param": None, "code": "upstream_error"}}
    assert stream.feed(event) == [expected]
    assert stream.error == expected


def test_done_sentinel_is_ignored() -> None:
    assert CohereToOpenAIStream("m", CREATED).feed(SSEEvent("[DONE]")) == []


def test_tool_call_delta_without_a_start_names_the_field() -> None:
    stream = CohereToOpenAIStream("m", CREATED)
    event = SSEEvent(
        '{"type":"tool-call-delta","index":3,"delta":{"message":{"tool_calls":{"function":{"arguments":"{"}}}}}'
    )
    with pytest.raises(TranslationError) as excinfo:
        stream.feed(event)
    assert str(excinfo.value) == "tool-call-delta.index: no tool call was started at index 3"
