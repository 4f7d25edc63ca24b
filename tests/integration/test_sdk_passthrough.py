"""The official SDKs, pointed at the gateway, get exactly what the provider gives them."""

from __future__ import annotations

import asyncio

import anthropic
import openai

from tests.harness import Stack

MESSAGES = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Say hello to the gateway"}]


def clients(stack: Stack) -> tuple[openai.AsyncOpenAI, openai.AsyncOpenAI]:
    direct = openai.AsyncOpenAI(base_url=stack.urls["openai"] + "/v1", api_key="sk-test", max_retries=0)
    via = openai.AsyncOpenAI(base_url=stack.url("/v1/default/openai"), api_key="sk-test", max_retries=0)
    return direct, via


async def test_chat_plain_identical(stack: Stack) -> None:
    direct, via = clients(stack)
    a = await direct.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)  # type: ignore[arg-type]
    b = await via.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)  # type: ignore[arg-type]
    assert a.model_dump() == b.model_dump()
    assert b.choices[0].message.content
    usage = stack.exchanges[-1].usage
    assert (usage.model, usage.input_tokens, usage.output_tokens, usage.complete) == (
        "gpt-4o-mini",
        b.usage.prompt_tokens,
        b.usage.completion_tokens,
        True,  # type: ignore[union-attr]
    )


async def test_chat_stream_identical(stack: Stack) -> None:
    direct, via = clients(stack)
    kwargs = {"model": "gpt-4o-mini", "messages": MESSAGES, "stream": True, "stream_options": {"include_usage": True}}
    a = [c.model_dump() async for c in await direct.chat.completions.create(**kwargs)]  # type: ignore[call-overload]
    b = [c.model_dump() async for c in await via.chat.completions.create(**kwargs)]  # type: ignore[call-overload]
    assert a == b
    assert len(b) > 2
    exchange = stack.exchanges[-1]
    assert exchange.streamed and exchange.usage.complete
    assert exchange.usage.output_tokens == b[-1]["usage"]["completion_tokens"]


async def test_embeddings_models_responses_identical(stack: Stack) -> None:
    direct, via = clients(stack)
    for make in (
        lambda c: c.embeddings.create(model="text-embedding-3-small", input=["a b", "c"]),
        lambda c: c.models.retrieve("gpt-4o-mini"),
        lambda c: c.responses.create(model="o3-mini", input="Think about gateways"),
    ):
        assert (await make(direct)).model_dump() == (await make(via)).model_dump()
    models_direct = [m.model_dump() async for m in direct.models.list()]
    models_via = [m.model_dump() async for m in via.models.list()]
    assert models_direct == models_via and models_via
    responses = [e for e in stack.exchanges if e.path.endswith("/responses")]
    assert responses[-1].usage.reasoning_tokens == 5


async def test_responses_stream_identical(stack: Stack) -> None:
    direct, via = clients(stack)
    a = [e.model_dump() async for e in await direct.responses.create(model="gpt-4o", input="hi there", stream=True)]
    b = [e.model_dump() async for e in await via.responses.create(model="gpt-4o", input="hi there", stream=True)]
    assert a == b
    assert b[-1]["type"] == "response.completed"
    assert stack.exchanges[-1].usage.complete


async def test_sync_client(stack: Stack) -> None:
    """The sync client blocks, so it runs in a thread while the loop serves the gateway."""

    def run(base_url: str) -> tuple[object, list[object], object]:
        client = openai.OpenAI(base_url=base_url, api_key="sk-test", max_retries=0)
        plain = client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)  # type: ignore[arg-type]
        chunks = [
            c.model_dump() for c in client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES, stream=True)
        ]  # type: ignore[arg-type]
        embedding = client.embeddings.create(model="text-embedding-3-small", input="x")
        return plain.model_dump(), chunks, embedding.model_dump()

    direct = await asyncio.to_thread(run, stack.urls["openai"] + "/v1")
    via = await asyncio.to_thread(run, stack.url("/v1/default/openai"))
    assert direct == via


async def test_anthropic_sdk(stack: Stack) -> None:
    direct = anthropic.AsyncAnthropic(base_url=stack.urls["anthropic"], api_key="sk-ant-test", max_retries=0)
    via = anthropic.AsyncAnthropic(base_url=stack.url("/v1/default/anthropic"), api_key="sk-ant-test", max_retries=0)
    kwargs = {
        "model": "claude-sonnet-4-5",
        "max_tokens": 100,
        "messages": [{"role": "user", "content": "Hello Claude"}],
    }
    a = await direct.messages.create(**kwargs)  # type: ignore[arg-type]
    b = await via.messages.create(**kwargs)  # type: ignore[arg-type]
    assert a.model_dump() == b.model_dump()
    async with direct.messages.stream(**kwargs) as s:  # type: ignore[arg-type]
        text_a = [t async for t in s.text_stream]
        final_a = await s.get_final_message()
    async with via.messages.stream(**kwargs) as s:  # type: ignore[arg-type]
        text_b = [t async for t in s.text_stream]
        final_b = await s.get_final_message()
    assert text_a == text_b and final_a.model_dump() == final_b.model_dump()
    usage = stack.exchanges[-1].usage
    assert usage.complete and usage.output_tokens == final_b.usage.output_tokens
