"""Pass-through for the non-OpenAI families: bytes unchanged, usage read, framing kept."""

from __future__ import annotations

import gzip
import json

import aiohttp
import pytest

from tests.harness import Stack

GEMINI_BODY = {"contents": [{"role": "user", "parts": [{"text": "hello there gateway"}]}]}
KEY = {"x-goog-api-key": "g-key"}


@pytest.mark.parametrize(
    ("path", "streamed"),
    [
        ("/v1beta/models/gemini-2.5-flash:generateContent", False),
        ("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", True),
        ("/v1beta/models/gemini-2.5-flash:streamGenerateContent", True),  # a chunked JSON array
    ],
)
async def test_gemini_pass_through_is_byte_identical_with_usage(stack: Stack, path: str, streamed: bool) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.post(stack.urls["gemini"] + path, json=GEMINI_BODY, headers=KEY) as r:
            direct = await r.read()
        async with session.post(stack.url("/v1/default/google-ai-studio" + path), json=GEMINI_BODY, headers=KEY) as r:
            via = await r.read()
            assert r.status == 200
    assert via == direct
    usage = stack.exchanges[-1].usage
    assert usage.complete and usage.input_tokens == 3 and usage.output_tokens and usage.reasoning_tokens
    assert stack.exchanges[-1].streamed is streamed
    assert stack.gemini.requests[-1].headers["x-goog-api-key"] == "g-key"


async def test_gemini_key_in_query_passes(stack: Stack) -> None:
    path = "/v1beta/models/gemini-2.0-flash:generateContent?key=q-key"
    async with (
        aiohttp.ClientSession() as session,
        session.post(stack.url("/v1/default/google-ai-studio" + path), json=GEMINI_BODY) as r,
    ):
        assert r.status == 200
    assert stack.gemini.requests[-1].path.endswith("?key=q-key")


async def test_cohere_stream_usage(stack: Stack) -> None:
    body = {"model": "command-r", "stream": True, "messages": [{"role": "user", "content": "hi there"}]}
    async with (
        aiohttp.ClientSession() as session,
        session.post(stack.url("/v1/default/cohere/v2/chat"), json=body, headers={"Authorization": "Bearer c"}) as r,
    ):
        assert r.status == 200 and r.headers["Content-Type"].startswith("text/event-stream")
        await r.read()
    usage = stack.exchanges[-1].usage
    assert usage.complete and usage.input_tokens == 2 and usage.finish_reason == "COMPLETE"


async def test_gzip_request_body_passes_and_feeds_the_unified_endpoint(stack: Stack) -> None:
    chat = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "compressed hello"}]}
    raw = gzip.compress(json.dumps(chat).encode())
    headers = {"Authorization": "Bearer k", "Content-Encoding": "gzip", "Content-Type": "application/json"}
    async with aiohttp.ClientSession() as session:
        async with session.post(stack.url("/v1/default/openai/chat/completions"), data=raw, headers=headers) as r:
            assert r.status == 200
            assert (await r.json())["choices"][0]["message"]["content"] == "Echo: compressed hello"
        unified = gzip.compress(json.dumps({**chat, "model": "anthropic/claude-x"}).encode())
        async with session.post(stack.url("/v1/default/compat/chat/completions"), data=unified, headers=headers) as r:
            assert r.status == 200
            assert (await r.json())["choices"][0]["message"]["content"] == "Echo: compressed hello"
    assert stack.exchanges[-2].request_body == raw  # the client's bytes, as sent
