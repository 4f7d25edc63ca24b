import base64
import json
import struct
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import openai
import pytest

from tests.fakes.client import payloads, read_sse
from tests.fakes.content import CACHED_TOKENS
from tests.fakes.faults import Fault, fault_headers
from tests.fakes.openai import DEFAULT_MODELS, OpenAIFake
from tests.fakes.server import serve

AUTH = {"Authorization": "Bearer sk-test"}
WEATHER_TOOL: Any = {
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
OTHER_TOOL: Any = {
    "type": "function",
    "function": {"name": "get_time", "parameters": {"type": "object", "properties": {}}},
}


@dataclass
class Served:
    fake: OpenAIFake
    base_url: str
    client: openai.AsyncOpenAI
    session: aiohttp.ClientSession

    async def post(self, path: str, body: object, **headers: str) -> aiohttp.ClientResponse:
        response = await self.session.post(self.base_url + path, json=body, headers={**AUTH, **headers})
        await response.read()
        return response


@pytest.fixture
async def served() -> AsyncIterator[Served]:
    fake = OpenAIFake()
    async with serve(fake.app) as base_url, aiohttp.ClientSession() as session:
        client = openai.AsyncOpenAI(base_url=base_url + "/v1", api_key="sk-test", max_retries=0)
        yield Served(fake, base_url, client, session)
        await client.close()


def user(text: str) -> Any:
    return [{"role": "system", "content": "be brief"}, {"role": "user", "content": text}]


async def test_chat_plain(served: Served) -> None:
    completion = await served.client.chat.completions.create(model="gpt-4o-mini", messages=user("hello there"))
    assert completion.choices[0].message.content == "Echo: hello there"
    assert completion.choices[0].finish_reason == "stop"
    assert completion.id.startswith("chatcmpl-") and completion.model == "gpt-4o-mini"
    assert completion.usage is not None
    assert (
        completion.usage.prompt_tokens,
        completion.usage.completion_tokens,
        completion.usage.total_tokens,
    ) == (4, 3, 7)
    again = await served.client.chat.completions.create(model="gpt-4o-mini", messages=user("hello there"))
    assert again.model_dump() == completion.model_dump()
    assert served.fake.requests[0].headers["Authorization"] == "Bearer sk-test"


async def test_chat_stream_with_usage_matches_plain(served: Served) -> None:
    plain = await served.client.chat.completions.create(model="gpt-4o-mini", messages=user("one two three"))
    stream = await served.client.chat.completions.create(
        model="gpt-4o-mini",
        messages=user("one two three"),
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = [chunk async for chunk in stream]
    assert {chunk.id for chunk in chunks} == {plain.id}
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == plain.choices[0].message.content
    assert len([c for c in chunks if c.choices and c.choices[0].delta.content]) == 4
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"
    assert chunks[-1].choices == [] and chunks[-1].usage == plain.usage


async def test_chat_stream_raw_wire(served: Served) -> None:
    body = {"model": "gpt-4o-mini", "messages": user("hi"), "stream": True}
    async with served.session.post(served.base_url + "/v1/chat/completions", json=body, headers=AUTH) as response:
        assert response.headers["Content-Type"].startswith("text/event-stream")
        events = await read_sse(response)
    assert events[-1].data == "[DONE]" and all(event.event is None for event in events)
    assert all("usage" not in chunk for chunk in payloads(events))
    dropped = await served.post("/v1/chat/completions", body, **fault_headers(Fault(drop_terminal=True)))
    assert b"[DONE]" not in await dropped.read()
    assert (await dropped.read()).endswith(b"\n\n")


@pytest.mark.parametrize(
    ("tool_choice", "text", "called"),
    [
        ("required", "hello", "get_weather"),
        ({"type": "function", "function": {"name": "get_time"}}, "hello", "get_time"),
        ("auto", "please call tool", "get_weather"),
        ("none", "please call tool", None),
        ("auto", "hello", None),
    ],
)
async def test_chat_tool_calls(served: Served, tool_choice: Any, text: str, called: str | None) -> None:
    completion = await served.client.chat.completions.create(
        model="gpt-4o",
        messages=user(text),
        tools=[WEATHER_TOOL, OTHER_TOOL],
        tool_choice=tool_choice,
    )
    choice = completion.choices[0].model_dump()
    if called is None:
        assert choice["finish_reason"] == "stop" and choice["message"]["tool_calls"] is None
        return
    assert choice["finish_reason"] == "tool_calls" and choice["message"]["content"] is None
    (call,) = choice["message"]["tool_calls"]
    assert call["id"].startswith("call_") and call["function"]["name"] == called
    expected = {"location": "Paris"} if called == "get_weather" else {}
    assert json.loads(call["function"]["arguments"]) == expected


async def test_chat_tool_call_streams_like_openai(served: Served) -> None:
    plain = await served.client.chat.completions.create(
        model="gpt-4o",
        messages=user("call tool"),
        tools=[WEATHER_TOOL],
    )
    stream = await served.client.chat.completions.create(
        model="gpt-4o",
        messages=user("call tool"),
        tools=[WEATHER_TOOL],
        stream=True,
    )
    deltas = [chunk.choices[0].delta.model_dump() async for chunk in stream]
    first = deltas[0]["tool_calls"][0]
    assert first["id"] and first["type"] == "function"
    assert first["function"] == {"name": "get_weather", "arguments": ""}
    fragments = [d["tool_calls"][0]["function"]["arguments"] for d in deltas[1:] if d["tool_calls"]]
    assert len(fragments) > 1
    assert "".join(fragments) == plain.choices[0].message.model_dump()["tool_calls"][0]["function"]["arguments"]


async def test_reasoning_and_cached_tokens(served: Served) -> None:
    long_prompt = " ".join(["word"] * 60)
    completion = await served.client.chat.completions.create(model="o3-mini", messages=user(long_prompt))
    usage = completion.usage
    assert usage is not None and usage.completion_tokens_details and usage.prompt_tokens_details
    assert usage.completion_tokens_details.reasoning_tokens == 5
    assert usage.completion_tokens == 41 + 5  # "Echo:" + 40 words, reasoning included as OpenAI does
    assert usage.prompt_tokens == 62 and usage.prompt_tokens_details.cached_tokens == CACHED_TOKENS


async def test_max_tokens_truncates(served: Served) -> None:
    completion = await served.client.chat.completions.create(model="gpt-4o", messages=user("a b c d"), max_tokens=2)
    assert (completion.choices[0].message.content, completion.choices[0].finish_reason) == (
        "Echo: a",
        "length",
    )


async def test_legacy_completions(served: Served) -> None:
    completion = await served.client.completions.create(model="gpt-3.5-turbo-instruct", prompt="say this")
    assert completion.object == "text_completion" and completion.choices[0].text == "Echo: say this"
    assert completion.usage is not None and completion.usage.prompt_tokens == 2
    stream = await served.client.completions.create(
        model="gpt-3.5-turbo-instruct", prompt="say this", stream=True, stream_options={"include_usage": True}
    )
    chunks = [chunk async for chunk in stream]
    assert "".join(c.choices[0].text for c in chunks if c.choices) == "Echo: say this"
    assert chunks[-1].usage == completion.usage
    tokens = await served.client.completions.create(model="m", prompt=[[1, 2], [3]])
    assert [choice.text for choice in tokens.choices] == ["Echo: 1 2", "Echo: 3"]


async def test_embeddings_base64_by_default_equals_float(served: Served) -> None:
    result = await served.client.embeddings.create(model="text-embedding-3-small", input=["alpha", "beta"])
    assert served.fake.requests[-1].json()["encoding_format"] == "base64"
    floats = await served.post("/v1/embeddings", {"model": "text-embedding-3-small", "input": ["alpha", "beta"]})
    data = (await floats.json())["data"]
    assert [item.embedding for item in result.data] == [item["embedding"] for item in data]
    assert len(data[0]["embedding"]) == 8 and data[0]["embedding"] != data[1]["embedding"]
    assert result.usage.prompt_tokens == 2


async def test_embeddings_dimensions_and_token_input(served: Served) -> None:
    body = {"model": "m", "input": [[1, 2, 3]], "dimensions": 16, "encoding_format": "base64"}
    response = await served.post("/v1/embeddings", body)
    (item,) = (await response.json())["data"]
    assert len(struct.unpack("<16f", base64.b64decode(item["embedding"]))) == 16
    empty = await served.post("/v1/embeddings", {"model": "m", "input": ""})
    assert empty.status == 400 and (await empty.json())["error"]["param"] == "input"


async def test_models(served: Served) -> None:
    models = [model.id async for model in served.client.models.list()]
    assert models == list(DEFAULT_MODELS)
    assert (await served.client.models.retrieve("gpt-4o")).owned_by == "system"
    with pytest.raises(openai.NotFoundError) as caught:
        await served.client.models.retrieve("gpt-9")
    assert caught.value.code == "model_not_found"


async def test_responses_plain(served: Served) -> None:
    response = await served.client.responses.create(model="o3-mini", input="hi you", instructions="be kind")
    assert response.output_text == "Echo: hi you" and response.status == "completed"
    assert response.id.startswith("resp_") and response.output[0].type == "message"
    usage = response.usage
    assert usage is not None
    assert (usage.input_tokens, usage.output_tokens, usage.total_tokens) == (4, 3 + 5, 12)
    assert (usage.input_tokens_details.cached_tokens, usage.output_tokens_details.reasoning_tokens) == (0, 5)


async def test_responses_stream_event_sequence(served: Served) -> None:
    plain = await served.client.responses.create(model="gpt-4o", input=[{"role": "user", "content": "a b"}])
    stream = await served.client.responses.create(
        model="gpt-4o", input=[{"role": "user", "content": "a b"}], stream=True
    )
    events = [event async for event in stream]
    assert [event.type for event in events] == [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.content_part.added",
        *["response.output_text.delta"] * 3,
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.completed",
    ]
    assert [event.sequence_number for event in events] == list(range(len(events)))
    assert events[-1].model_dump()["response"] == plain.model_dump()
    async with served.client.responses.stream(model="gpt-4o", input="a b") as helper:
        final = await helper.get_final_response()
    assert final.output_text == "Echo: a b"


async def test_responses_stream_has_event_lines(served: Served) -> None:
    body = {"model": "gpt-4o", "input": "x", "stream": True}
    async with served.session.post(served.base_url + "/v1/responses", json=body, headers=AUTH) as response:
        events = await read_sse(response)
    assert all(event.event == json.loads(event.data)["type"] for event in events)
    dropped = await served.post("/v1/responses", body, **fault_headers(Fault(drop_terminal=True)))
    text = (await dropped.read()).decode()
    assert "response.output_item.done" in text and "response.completed" not in text


async def test_errors_in_openai_shape(served: Served) -> None:
    async with openai.AsyncOpenAI(base_url=served.base_url + "/v1", api_key="", max_retries=0) as anonymous:
        with pytest.raises(openai.AuthenticationError) as caught:
            await anonymous.models.list()
    assert caught.value.code == "invalid_api_key" and caught.value.type == "invalid_request_error"
    missing = await served.post("/v1/chat/completions", {"messages": []})
    assert (await missing.json())["error"] == {
        "message": "Missing required parameter: 'model'.",
        "type": "invalid_request_error",
        "param": "model",
        "code": "missing_required_parameter",
    }
    assert missing.headers["x-request-id"].startswith("req_")


async def test_fault_statuses(served: Served) -> None:
    served.fake.faults.push(Fault(status=429, retry_after=0), Fault(status=500))
    with pytest.raises(openai.RateLimitError) as limited:
        await served.client.chat.completions.create(model="gpt-4o", messages=user("x"))
    assert (limited.value.type, limited.value.code) == ("requests", "rate_limit_exceeded")
    assert limited.value.response.headers["retry-after"] == "0"
    with pytest.raises(openai.InternalServerError) as failed:
        await served.client.chat.completions.create(model="gpt-4o", messages=user("x"))
    assert failed.value.type == "server_error"
    assert served.fake.faults.pop().status is None


async def test_sdk_retries_through_a_reset(served: Served) -> None:
    served.fake.faults.push(Fault(reset_after_chunks=0))
    client = served.client.with_options(max_retries=1)
    completion = await client.chat.completions.create(model="gpt-4o", messages=user("x"))
    assert completion.choices[0].message.content == "Echo: x"
    assert len(served.fake.requests) == 2
