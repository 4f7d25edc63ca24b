import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from tests.fakes.client import read_sse
from tests.fakes.cohere import CohereFake
from tests.fakes.faults import Fault, fault_headers
from tests.fakes.server import serve

AUTH = {"Authorization": "Bearer co-key"}
WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {
            "type": "object",
            "properties": {"location": {"type": "string"}},
            "required": ["location"],
        },
    },
}


@dataclass
class Served:
    fake: CohereFake
    base_url: str
    session: aiohttp.ClientSession

    async def post(self, path: str, body: object, **headers: str) -> aiohttp.ClientResponse:
        response = await self.session.post(self.base_url + path, json=body, headers={**AUTH, **headers})
        await response.read()
        return response


@pytest.fixture
async def served() -> AsyncIterator[Served]:
    fake = CohereFake()
    async with serve(fake.app) as base_url, aiohttp.ClientSession() as session:
        yield Served(fake, base_url, session)


def request(text: str, **extra: Any) -> dict[str, Any]:
    return {"model": "command-r-plus", "messages": [{"role": "user", "content": text}], **extra}


async def test_chat(served: Served) -> None:
    response = await served.post("/v2/chat", request("hello there"))
    payload = await response.json()
    assert payload["finish_reason"] == "COMPLETE"
    assert payload["message"] == {
        "role": "assistant",
        "content": [{"type": "text", "text": "Echo: hello there"}],
    }
    tokens = {"input_tokens": 2, "output_tokens": 3}
    assert payload["usage"] == {"billed_units": tokens, "tokens": tokens}
    assert len(payload["id"]) == 36


async def test_tool_call(served: Served) -> None:
    for body in (
        request("hi", tools=[WEATHER], tool_choice="REQUIRED"),
        request("call tool", tools=[WEATHER]),
    ):
        payload = await (await served.post("/v2/chat", body)).json()
        assert payload["finish_reason"] == "TOOL_CALL"
        (call,) = payload["message"]["tool_calls"]
        assert call["type"] == "function" and call["function"]["name"] == "get_weather"
        assert json.loads(call["function"]["arguments"]) == {"location": "Paris"}


async def test_stream(served: Served) -> None:
    async with served.session.post(
        served.base_url + "/v2/chat", json=request("a b", stream=True), headers=AUTH
    ) as response:
        events = await read_sse(response)
    data = [json.loads(event.data) for event in events]
    assert all(event.event == item["type"] for event, item in zip(events, data, strict=True))
    assert [event.event for event in events] == [
        "message-start",
        "content-start",
        *["content-delta"] * 3,
        "content-end",
        "message-end",
    ]
    assert "".join(item["delta"]["message"]["content"]["text"] for item in data[2:5]) == "Echo: a b"
    plain = await (await served.post("/v2/chat", request("a b"))).json()
    assert data[0]["id"] == plain["id"]
    assert data[-1]["delta"] == {"finish_reason": "COMPLETE", "usage": plain["usage"]}
    dropped = await served.post("/v2/chat", request("a b", stream=True), **fault_headers(Fault(drop_terminal=True)))
    text = (await dropped.read()).decode()
    assert "content-end" in text and "message-end" not in text


async def test_stream_tool_call(served: Served) -> None:
    async with served.session.post(
        served.base_url + "/v2/chat", json=request("call tool", tools=[WEATHER], stream=True), headers=AUTH
    ) as response:
        events = await read_sse(response)
    names = [event.event for event in events]
    assert names[:3] == ["message-start", "tool-plan-delta", "tool-call-start"] and names[-2:] == [
        "tool-call-end",
        "message-end",
    ]
    arguments = "".join(
        json.loads(e.data)["delta"]["message"]["tool_calls"]["function"]["arguments"]
        for e in events
        if e.event == "tool-call-delta"
    )
    assert json.loads(arguments) == {"location": "Paris"}
    assert json.loads(events[-1].data)["delta"]["finish_reason"] == "TOOL_CALL"


async def test_embed(served: Served) -> None:
    response = await served.post(
        "/v2/embed", {"model": "embed-v4.0", "texts": ["a", "b c"], "input_type": "search_document"}
    )
    payload = await response.json()
    assert [len(vector) for vector in payload["embeddings"]["float"]] == [8, 8]
    assert payload["meta"]["billed_units"] == {"input_tokens": 3}
    assert payload["response_type"] == "embeddings_by_type"


@pytest.mark.parametrize(("status", "headers"), [(401, {"Authorization": ""}), (400, {}), (429, {}), (500, {})])
async def test_errors(served: Served, status: int, headers: dict[str, str]) -> None:
    body: dict[str, Any] = request("x")
    if status == 400:
        del body["model"]
    if status >= 429:
        served.fake.faults.push(Fault(status=status))
    response = await served.post("/v2/chat", body, **headers)
    assert response.status == status
    assert list(await response.json()) == ["message"]
