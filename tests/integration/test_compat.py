"""The unified endpoint, driven by the official SDKs, against every API family's fake."""

from __future__ import annotations

import json

import aiohttp
import anthropic
import openai
import pytest

from tests.fakes.faults import Fault
from tests.harness import Stack

MESSAGES = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Say hello to the gateway"}]
TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Weather for a city",
            "parameters": {"type": "object", "properties": {"location": {"type": "string"}}, "required": ["location"]},
        },
    }
]
MODELS = [
    "openai/gpt-4o-mini",
    "anthropic/claude-sonnet-4-5",
    "google-ai-studio/gemini-2.0-flash",
    "cohere/command-r-plus",
]


def compat_client(stack: Stack) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(base_url=stack.url("/v1/default/compat"), api_key="sk-test", max_retries=0)


@pytest.mark.parametrize("model", MODELS)
async def test_chat_plain(stack: Stack, model: str) -> None:
    reply = await compat_client(stack).chat.completions.create(model=model, messages=MESSAGES)  # type: ignore[arg-type]
    assert reply.choices[0].message.content == "Echo: Say hello to the gateway"
    assert reply.choices[0].finish_reason == "stop"
    assert reply.usage is not None and reply.usage.prompt_tokens > 0 and reply.usage.completion_tokens > 0
    exchange = stack.exchanges[-1]
    assert exchange.provider == model.split("/")[0] and exchange.status == 200 and exchange.usage.complete


@pytest.mark.parametrize("model", MODELS)
async def test_chat_stream(stack: Stack, model: str) -> None:
    stream = await compat_client(stack).chat.completions.create(
        model=model,
        messages=MESSAGES,
        stream=True,
        stream_options={"include_usage": True},  # type: ignore[arg-type]
    )
    chunks = [chunk async for chunk in stream]
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "Echo: Say hello to the gateway"
    assert [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason] == ["stop"]
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens > 0
    assert stack.exchanges[-1].usage.complete


@pytest.mark.parametrize("model", MODELS)
async def test_tool_calls_round_trip(stack: Stack, model: str) -> None:
    client = compat_client(stack)
    first = await client.chat.completions.create(
        model=model,
        messages=[{"role": "user", "content": "Weather in Paris?"}],
        tools=TOOLS,
        tool_choice="required",  # type: ignore[arg-type]
    )
    call = first.choices[0].message.tool_calls[0]  # type: ignore[index]
    assert first.choices[0].finish_reason == "tool_calls"
    assert call.function.name == "get_weather" and "location" in json.loads(call.function.arguments)
    follow = await client.chat.completions.create(
        model=model,
        messages=[
            {"role": "user", "content": "Weather in Paris?"},
            {"role": "assistant", "content": None, "tool_calls": [call.model_dump()]},
            {"role": "tool", "tool_call_id": call.id, "content": "18C and sunny"},
            {"role": "user", "content": "thanks"},
        ],  # type: ignore[arg-type]
        tools=TOOLS,  # type: ignore[arg-type]
    )
    # Anthropic merges the tool result and the next user turn into one message.
    assert (follow.choices[0].message.content or "").endswith("thanks")


@pytest.mark.parametrize("model", MODELS)
async def test_tool_call_stream(stack: Stack, model: str) -> None:
    stream = await compat_client(stack).chat.completions.create(
        model=model,
        messages=[{"role": "user", "content": "Weather?"}],
        tools=TOOLS,
        tool_choice="required",
        stream=True,  # type: ignore[arg-type]
    )
    chunks = [c async for c in stream]
    calls = [tc for c in chunks if c.choices for tc in (c.choices[0].delta.tool_calls or [])]
    assert calls[0].function is not None and calls[0].function.name == "get_weather"
    arguments = "".join(tc.function.arguments or "" for tc in calls if tc.function)
    assert "location" in json.loads(arguments)


@pytest.mark.parametrize(
    "model", ["openai/text-embedding-3-small", "google-ai-studio/text-embedding-004", "cohere/embed-v4.0"]
)
async def test_embeddings(stack: Stack, model: str) -> None:
    client = compat_client(stack)
    result = await client.embeddings.create(model=model, input=["alpha beta", "gamma"])
    assert len(result.data) == 2 and len(result.data[0].embedding) > 0
    floats = await client.embeddings.create(model=model, input="alpha beta", encoding_format="float")
    assert floats.data[0].embedding == result.data[0].embedding


@pytest.mark.parametrize(
    "model", ["openai/gpt-4o-mini", "anthropic/claude-sonnet-4-5", "google-ai-studio/gemini-2.0-flash"]
)
async def test_messages_door(stack: Stack, model: str) -> None:
    client = anthropic.AsyncAnthropic(base_url=stack.url("/v1/default/compat"), api_key="sk-test", max_retries=0)
    kwargs = {
        "model": model,
        "max_tokens": 100,
        "system": "Be brief.",
        "messages": [{"role": "user", "content": "Hi door"}],
    }
    message = await client.messages.create(**kwargs)  # type: ignore[arg-type]
    assert message.content[0].text == "Echo: Hi door"  # type: ignore[union-attr]
    assert message.stop_reason == "end_turn" and message.usage.output_tokens > 0
    async with client.messages.stream(**kwargs) as stream:  # type: ignore[arg-type]
        text = "".join([t async for t in stream.text_stream])
        final = await stream.get_final_message()
    assert text == "Echo: Hi door"
    assert final.stop_reason == "end_turn" and final.usage.output_tokens > 0


async def test_messages_door_tools_to_openai(stack: Stack) -> None:
    client = anthropic.AsyncAnthropic(base_url=stack.url("/v1/default/compat"), api_key="sk-test", max_retries=0)
    tools = [{"name": "get_weather", "description": "w", "input_schema": TOOLS[0]["function"]["parameters"]}]
    message = await client.messages.create(
        model="openai/gpt-4o",
        max_tokens=50,
        tools=tools,
        tool_choice={"type": "any"},  # type: ignore[arg-type]
        messages=[{"role": "user", "content": "Weather?"}],
    )
    block = message.content[0]
    assert message.stop_reason == "tool_use" and block.type == "tool_use" and block.name == "get_weather"


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (b"{not json", 400, "the request body is not valid JSON"),
        (b"[1]", 400, "the request body must be a JSON object"),
        (json.dumps({"model": "gpt-4o", "messages": []}).encode(), 400, 'model: expected "provider/model"'),
        (
            json.dumps({"model": "nope/x", "messages": []}).encode(),
            404,
            "model: unknown provider on gateway 'default'; its providers: anthropic",
        ),
        (json.dumps({"model": "openai/", "messages": []}).encode(), 400, 'model: no model name after "openai/"'),
        (
            json.dumps(
                {"model": "anthropic/c", "messages": [{"role": "user", "content": [{"type": "input_audio"}]}]}
            ).encode(),
            400,
            "messages[0].content[0]",
        ),
        (
            json.dumps({"model": "google-ai-studio/../../x", "messages": [{"role": "user", "content": "a"}]}).encode(),
            400,
            "model:",
        ),
    ],
)
async def test_bad_requests_get_openai_errors(stack: Stack, body: bytes, status: int, message: str) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            stack.url("/v1/default/compat/chat/completions"),
            data=body,
            headers={"Authorization": "Bearer sk-secret-key"},
        ) as response,
    ):
        payload = await response.json()
    assert response.status == status
    assert message in payload["error"]["message"]
    assert "sk-secret-key" not in json.dumps(payload)


@pytest.mark.parametrize("model", MODELS)
async def test_provider_errors_arrive_in_openai_shape(stack: Stack, model: str) -> None:
    fake = {
        "openai": stack.openai,
        "anthropic": stack.anthropic,
        "google-ai-studio": stack.gemini,
        "cohere": stack.cohere,
    }
    fake[model.split("/")[0]].faults.push(Fault(status=429), Fault(status=500))
    client = compat_client(stack)
    with pytest.raises(openai.RateLimitError) as limited:
        await client.chat.completions.create(model=model, messages=MESSAGES)  # type: ignore[arg-type]
    with pytest.raises(openai.InternalServerError) as failed:
        await client.chat.completions.create(model=model, messages=MESSAGES)  # type: ignore[arg-type]
    for info, status in ((limited, 429), (failed, 500)):
        assert info.value.status_code == status
        body = info.value.body
        assert isinstance(body, dict) and body.get("message") and body.get("type")
