"""DLP through the gateway, with the official SDKs: block, redact, allow by group,
streamed responses, evasions."""

from __future__ import annotations

import asyncio
import base64
import gzip
import json
import random
import string
from collections.abc import AsyncIterator

import aiohttp
import httpx
import openai
import pytest
from aiohttp import web

from config import parse_config
from gateway.auth import hash_token
from gateway.exchange import Exchange
from tests.fakes.server import serve
from tests.harness import Stack, running_gateway, running_stack

RNG = random.Random(7)
AWS_KEY = "AKIA" + "".join(RNG.choice(string.ascii_uppercase + string.digits) for _ in range(16))
SECURITY_TOKEN, SALES_TOKEN = "wt-security-0123456789", "wt-sales-0123456789"
AUTH_TOML = f"""
[[gateways.default.auth.tokens]]
hash = "{hash_token(SECURITY_TOKEN)}"
user = "ana"
groups = ["security"]
[[gateways.default.auth.tokens]]
hash = "{hash_token(SALES_TOKEN)}"
user = "bob"
groups = ["sales"]
[[dlp.rules]]
name = "security-may-paste-keys"
topics = ["credentials"]
groups = ["security"]
action = "allow"
[[dlp.rules]]
name = "redact-emails"
entries = ["EMAIL"]
action = "redact"
placeholder = "numbered"
"""


def client(stack: Stack, token: str | None = None) -> openai.AsyncOpenAI:
    headers = {"weir-authorization": f"Bearer {token}"} if token else None
    return openai.AsyncOpenAI(
        base_url=stack.url("/v1/default/openai"), api_key="sk-test", max_retries=0, default_headers=headers
    )


def ask(text: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": text}]


@pytest.fixture
async def dlp_stack() -> AsyncIterator[Stack]:
    async with running_stack(AUTH_TOML) as running:
        yield running


async def test_an_aws_key_is_blocked_with_a_clear_403(stack: Stack) -> None:
    with pytest.raises(openai.PermissionDeniedError) as info:
        await client(stack).chat.completions.create(model="gpt-4o-mini", messages=ask(f"why does {AWS_KEY} fail?"))  # type: ignore[arg-type]
    message = info.value.body["message"]  # type: ignore[index]
    assert "blocked by Weir policy 'block-credentials'" in message and "AWS_ACCESS_KEY" in message
    assert AWS_KEY not in json.dumps(info.value.body)
    assert stack.openai.requests == []
    exchange = stack.exchanges[-1]
    assert exchange.status == 403 and exchange.dlp_action == "block"
    assert AWS_KEY not in json.dumps(exchange.findings)


async def test_a_redact_policy_rewrites_what_the_provider_receives(dlp_stack: Stack) -> None:
    reply = await client(dlp_stack).chat.completions.create(
        model="gpt-4o-mini",
        messages=ask("write to jane.doe@acmecorp.com and jane.doe@acmecorp.com today"),  # type: ignore[arg-type]
    )
    sent = dlp_stack.openai.requests[-1].json()["messages"][0]["content"]
    assert "jane.doe@acmecorp.com" not in sent
    assert sent == "write to [EMAIL_1] and [EMAIL_1] today"
    assert reply.choices[0].message.content == "Echo: write to [EMAIL_1] and [EMAIL_1] today"
    assert dlp_stack.exchanges[-1].dlp_action == "redact"


async def test_an_allow_rule_lets_its_group_through(dlp_stack: Stack) -> None:
    prompt = ask(f"rotate {AWS_KEY} please")
    reply = await client(dlp_stack, SECURITY_TOKEN).chat.completions.create(model="gpt-4o-mini", messages=prompt)  # type: ignore[arg-type]
    assert AWS_KEY in (reply.choices[0].message.content or "")
    assert dlp_stack.exchanges[-1].user == "ana"
    with pytest.raises(openai.PermissionDeniedError):
        await client(dlp_stack, SALES_TOKEN).chat.completions.create(model="gpt-4o-mini", messages=prompt)  # type: ignore[arg-type]
    with pytest.raises(openai.AuthenticationError):
        await client(dlp_stack, "wt-wrong").chat.completions.create(model="gpt-4o-mini", messages=prompt)  # type: ignore[arg-type]


class LeakyUpstream:
    """An OpenAI-style SSE stream whose answer leaks a key split across two chunks."""

    def __init__(self, pieces: list[str]) -> None:
        self.pieces = pieces
        self.app = web.Application()
        self.app.router.add_post("/v1/chat/completions", self.handle)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        for piece in self.pieces:
            chunk = {
                "id": "c1",
                "object": "chat.completion.chunk",
                "created": 1,
                "model": "m",
                "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}],
            }
            await response.write(b"data: " + json.dumps(chunk).encode() + b"\n\n")
            await asyncio.sleep(0.01)
        await response.write(b"data: [DONE]\n\n")
        return response


async def _stream_text(base: str, extra_toml: str = "") -> tuple[str, list[Exchange]]:
    config = parse_config(f'[providers.openai]\nbase_url = "{base}/v1"\n' + extra_toml)
    exchanges: list[Exchange] = []
    async with running_gateway(config, exchanges) as gateway:
        sdk = openai.AsyncOpenAI(base_url=gateway + "/v1/default/openai", api_key="sk-test", max_retries=0)
        text = ""
        stream = await sdk.chat.completions.create(model="m", messages=ask("hi"), stream=True)  # type: ignore[arg-type]
        async for chunk in stream:
            text += chunk.choices[0].delta.content or ""
        return text, exchanges


async def test_a_key_split_across_two_streamed_chunks_is_caught() -> None:
    leaky = LeakyUpstream(["Sure, the key is ", AWS_KEY[:9], AWS_KEY[9:], " and that is all."])
    async with serve(leaky.app) as base:
        with pytest.raises((openai.APIError, httpx.RemoteProtocolError)):
            await _stream_text(base)
        redact = '[[dlp.rules]]\nname = "redact-keys"\ntopics = ["credentials"]\naction = "redact"\n'
        text, exchanges = await _stream_text(base, redact)
    assert AWS_KEY not in text and AWS_KEY[:9] not in text
    assert text == "Sure, the key is [REDACTED:AWS_ACCESS_KEY] and that is all."
    assert exchanges[-1].dlp_action == "redact"


@pytest.mark.parametrize(
    "disguise",
    [
        lambda key: key[:6] + "\u200b" + key[6:],  # zero-width space
        lambda key: key[:4] + "\u2060" + key[4:10] + "\ufeff" + key[10:],  # word joiner, BOM
        lambda key: "".join(chr(ord(c) + 0xFEE0) for c in key),  # full-width letters and digits
        lambda key: "АКIА" + key[4:],  # Cyrillic look-alikes for A and K
        lambda key: base64.b64encode(f"aws key: {key}".encode()).decode(),
    ],
)
async def test_evasions_are_still_caught(stack: Stack, disguise: object) -> None:
    text = "please check " + disguise(AWS_KEY)  # type: ignore[operator]
    with pytest.raises(openai.PermissionDeniedError):
        await client(stack).chat.completions.create(model="gpt-4o-mini", messages=ask(text))  # type: ignore[arg-type]
    assert stack.openai.requests == []


async def test_compressed_and_url_encoded_bodies_are_inspected(stack: Stack) -> None:
    body = json.dumps({"model": "gpt-4o-mini", "messages": ask(f"key {AWS_KEY}")}).encode()
    async with aiohttp.ClientSession() as session:
        async with session.post(
            stack.url("/v1/default/openai/chat/completions"),
            data=gzip.compress(body),
            headers={"Authorization": "Bearer k", "Content-Encoding": "gzip", "Content-Type": "application/json"},
        ) as r:
            assert r.status == 403
        hidden = "".join(f"%{ord(c):02X}" for c in f"aws key: {AWS_KEY}")
        encoded = json.dumps({"model": "gpt-4o-mini", "messages": ask(f"decode this: {hidden}")})
        async with session.post(
            stack.url("/v1/default/openai/chat/completions"), data=encoded, headers={"Authorization": "Bearer k"}
        ) as r:
            assert r.status == 403
    assert stack.openai.requests == []


async def test_a_leaking_response_is_blocked_or_redacted() -> None:
    """The request may carry the key (allowed on the way in); the echoed answer may not."""
    allow_in = (
        '[[dlp.rules]]\nname = "keys-may-go-in"\ntopics = ["credentials"]\ndirection = "request"\naction = "allow"\n'
    )
    redact_out = (
        '[[dlp.rules]]\nname = "redact-out"\ntopics = ["credentials"]\ndirection = "response"\naction = "redact"\n'
    )
    async with running_stack(allow_in) as s:
        with pytest.raises(openai.PermissionDeniedError) as info:
            await client(s).chat.completions.create(model="gpt-4o-mini", messages=ask(f"say {AWS_KEY}"))  # type: ignore[arg-type]
        assert "the response was blocked" in info.value.body["message"]  # type: ignore[index]
        assert len(s.openai.requests) == 1
    async with running_stack(allow_in + redact_out) as s:
        reply = await client(s).chat.completions.create(model="gpt-4o-mini", messages=ask(f"say {AWS_KEY}"))  # type: ignore[arg-type]
        assert reply.choices[0].message.content == "Echo: say [REDACTED:AWS_ACCESS_KEY]"


async def test_api_inspect(stack: Stack) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.post(stack.url("/api/inspect"), json={"text": f"my key is {AWS_KEY}"}) as r:
            result = await r.json()
        async with session.post(stack.url("/api/inspect"), json={"nothing": 1}) as r:
            assert r.status == 400
    assert result["action"] == "block"
    assert result["findings"][0]["entry"] == "AWS_ACCESS_KEY" and AWS_KEY not in json.dumps(result)


async def test_a_text_body_is_inspected_too(stack: Stack) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            stack.url("/v1/default/openai/files"),
            data=f"notes\nkey={AWS_KEY}\n",
            headers={"Authorization": "Bearer k", "Content-Type": "text/plain"},
        ) as r,
    ):
        assert r.status == 403
        assert AWS_KEY not in await r.text()
    assert stack.openai.requests == []


async def test_the_unified_endpoints_block_in_their_own_formats(stack: Stack) -> None:
    compat = openai.AsyncOpenAI(base_url=stack.url("/v1/default/compat"), api_key="sk-test", max_retries=0)
    with pytest.raises(openai.PermissionDeniedError) as info:
        await compat.chat.completions.create(model="anthropic/claude-x", messages=ask(f"key {AWS_KEY}"))  # type: ignore[arg-type]
    assert "AWS_ACCESS_KEY" in info.value.body["message"]  # type: ignore[index]
    async with aiohttp.ClientSession() as session:
        body = {"model": "openai/gpt-4o", "max_tokens": 10, "messages": [{"role": "user", "content": f"key {AWS_KEY}"}]}
        async with session.post(stack.url("/v1/default/compat/messages"), json=body, headers={"x-api-key": "k"}) as r:
            payload = await r.json()
    assert r.status == 403 and payload["type"] == "error" and payload["error"]["type"] == "permission_error"
    assert AWS_KEY not in json.dumps(payload)
    assert stack.anthropic.requests == [] and stack.openai.requests == []


async def test_a_unified_stream_is_redacted_on_the_way_back() -> None:
    allow_in = '[[dlp.rules]]\nname = "in"\ntopics = ["credentials"]\ndirection = "request"\naction = "allow"\n'
    redact_out = '[[dlp.rules]]\nname = "out"\ntopics = ["credentials"]\ndirection = "response"\naction = "redact"\n'
    async with running_stack(allow_in + redact_out) as s:
        compat = openai.AsyncOpenAI(base_url=s.url("/v1/default/compat"), api_key="sk-test", max_retries=0)
        stream = await compat.chat.completions.create(
            model="anthropic/claude-x",
            messages=ask(f"say {AWS_KEY} now"),
            stream=True,  # type: ignore[arg-type]
        )
        text = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
    assert text == "Echo: say [REDACTED:AWS_ACCESS_KEY] now"
