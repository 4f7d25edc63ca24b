import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import anthropic
import pytest

from tests.fakes.anthropic import AnthropicFake
from tests.fakes.client import read_sse
from tests.fakes.faults import Fault, fault_headers
from tests.fakes.server import serve

HEADERS = {"x-api-key": "sk-ant", "anthropic-version": "2023-06-01"}
WEATHER_TOOL: Any = {
    "name": "get_weather",
    "description": "Weather for a place",
    "input_schema": {
        "type": "object",
        "properties": {"location": {"type": "string"}},
        "required": ["location"],
    },
}


@dataclass
class Served:
    fake: AnthropicFake
    base_url: str
    client: anthropic.AsyncAnthropic
    session: aiohttp.ClientSession

    async def post(self, body: object, path: str = "/v1/messages", **headers: str) -> aiohttp.ClientResponse:
        response = await self.session.post(self.base_url + path, json=body, headers={**HEADERS, **headers})
        await response.read()
        return response


@pytest.fixture
async def served() -> AsyncIterator[Served]:
    fake = AnthropicFake()
    async with serve(fake.app) as base_url, aiohttp.ClientSession() as session:
        client = anthropic.AsyncAnthropic(base_url=base_url, api_key="sk-ant", max_retries=0)
        yield Served(fake, base_url, client, session)
        await client.close()


def request(text: str, **extra: Any) -> dict[str, Any]:
    return {
        "model": "claude-sonnet-4-5",
        "max_tokens": 256,
        "messages": [{"role": "user", "content": text}],
        **extra,
    }


async def test_messages_create(served: Served) -> None:
    message = await served.client.messages.create(
        **request("hello there", system=[{"type": "text", "text": "be brief"}])
    )
    assert message.id.startswith("msg_") and message.type == "message" and message.role == "assistant"
    assert message.content[0].type == "text" and message.content[0].text == "Echo: hello there"
    assert (message.stop_reason, message.stop_sequence) == ("end_turn", None)
    assert (message.usage.input_tokens, message.usage.output_tokens) == (4, 3)
    assert (message.usage.cache_read_input_tokens, message.usage.cache_creation_input_tokens) == (0, 0)
    raw = await served.post(request("hello there", system="be brief"))
    assert (await raw.json())["usage"]["input_tokens"] == 4
    assert raw.headers["request-id"].startswith("req_")


async def test_stream_matches_create(served: Served) -> None:
    plain = await served.client.messages.create(**request("one two"))
    async with served.client.messages.stream(**request("one two")) as stream:
        texts = [text async for text in stream.text_stream]
        final = await stream.get_final_message()
    assert texts == ["Echo:", " one", " two"]
    assert (final.id, final.stop_reason) == (plain.id, "end_turn")
    assert final.content[0].model_dump()["text"] == "Echo: one two"
    assert final.usage == plain.usage


async def test_stream_wire_sequence(served: Served) -> None:
    async with served.session.post(
        served.base_url + "/v1/messages", json=request("a b", stream=True), headers=HEADERS
    ) as response:
        assert response.headers["Content-Type"].startswith("text/event-stream")
        events = await read_sse(response)
    data = [json.loads(event.data) for event in events]
    assert all(event.event == item["type"] for event, item in zip(events, data, strict=True))
    assert [event.event for event in events] == [
        "message_start",
        "content_block_start",
        "ping",
        *["content_block_delta"] * 3,
        "content_block_stop",
        "message_delta",
        "message_stop",
    ]
    start = data[0]["message"]
    assert start["content"] == [] and start["stop_reason"] is None
    assert (start["usage"]["input_tokens"], start["usage"]["output_tokens"]) == (2, 1)
    assert data[3]["delta"] == {"type": "text_delta", "text": "Echo:"}
    assert data[7] == {
        "type": "message_delta",
        "delta": {"stop_reason": "end_turn", "stop_sequence": None},
        "usage": {"output_tokens": 3},
    }


async def test_stream_without_terminal(served: Served) -> None:
    response = await served.post(request("a", stream=True), **fault_headers(Fault(drop_terminal=True)))
    text = (await response.read()).decode()
    assert "event: message_delta" in text and "message_stop" not in text


@pytest.mark.parametrize(
    ("tool_choice", "text", "is_tool"),
    [
        ({"type": "any"}, "hi", True),
        ({"type": "tool", "name": "get_weather"}, "hi", True),
        (None, "call tool", True),
        ({"type": "none"}, "call tool", False),
        ({"type": "auto"}, "hi", False),
    ],
)
async def test_tool_use(served: Served, tool_choice: Any, text: str, is_tool: bool) -> None:
    extra: dict[str, Any] = {"tools": [WEATHER_TOOL]}
    if tool_choice is not None:
        extra["tool_choice"] = tool_choice
    message = await served.client.messages.create(**request(text, **extra))
    if not is_tool:
        assert message.stop_reason == "end_turn"
        return
    (block,) = message.content
    assert message.stop_reason == "tool_use" and block.type == "tool_use"
    assert (block.name, block.input) == ("get_weather", {"location": "Paris"})
    assert block.id.startswith("toolu_")


async def test_tool_use_streams_input_json(served: Served) -> None:
    async with served.client.messages.stream(**request("call tool", tools=[WEATHER_TOOL])) as stream:
        deltas = [event.model_dump()["delta"] async for event in stream if event.type == "content_block_delta"]
        fragments = [delta["partial_json"] for delta in deltas]
        final = await stream.get_final_message()
    assert len(fragments) > 1 and json.loads("".join(fragments)) == {"location": "Paris"}
    assert final.stop_reason == "tool_use" and final.content[0].model_dump()["input"] == {"location": "Paris"}


async def test_cache_and_max_tokens(served: Served) -> None:
    message = await served.client.messages.create(**request(" ".join(["w"] * 60)))
    assert (message.usage.input_tokens, message.usage.cache_read_input_tokens) == (60 - 32, 32)
    short = await served.client.messages.create(**{**request("a b c"), "max_tokens": 2})
    assert (short.content[0].model_dump()["text"], short.stop_reason) == ("Echo: a", "max_tokens")


async def test_count_tokens(served: Served) -> None:
    counted = await served.client.messages.count_tokens(
        model="claude-sonnet-4-5", system="one two", messages=[{"role": "user", "content": "three"}]
    )
    assert counted.input_tokens == 3


async def test_headers_required(served: Served) -> None:
    no_version = await served.session.post(
        served.base_url + "/v1/messages", json=request("x"), headers={"x-api-key": "k"}
    )
    assert no_version.status == 400
    assert (await no_version.json())["error"]["message"] == "anthropic-version: header is required"
    no_key = await served.session.post(
        served.base_url + "/v1/messages", json=request("x"), headers={"anthropic-version": "2023-06-01"}
    )
    assert no_key.status == 401 and "request-id" in no_key.headers
    assert await no_key.json() == {
        "type": "error",
        "error": {"type": "authentication_error", "message": "x-api-key header is required"},
    }
    bearer = await served.session.post(
        served.base_url + "/v1/messages",
        json=request("x"),
        headers={"Authorization": "Bearer k", "anthropic-version": "2023-06-01"},
    )
    assert bearer.status == 200
    missing = await served.post({"model": "m", "messages": []})
    assert (await missing.json())["error"] == {
        "type": "invalid_request_error",
        "message": "max_tokens: Field required",
    }


@pytest.mark.parametrize(
    ("status", "kind", "error"),
    [
        (429, "rate_limit_error", anthropic.RateLimitError),
        (500, "api_error", anthropic.InternalServerError),
        (529, "overloaded_error", anthropic.OverloadedError),
    ],
)
async def test_fault_statuses(served: Served, status: int, kind: str, error: type[anthropic.APIStatusError]) -> None:
    served.fake.faults.push(Fault(status=status))
    with pytest.raises(error) as caught:
        await served.client.messages.create(**request("x"))
    body: Any = caught.value.body
    assert body["type"] == "error" and body["error"]["type"] == kind
