"""True streaming, cancellation and upstream faults on the pass-through path."""

from __future__ import annotations

import asyncio
import gzip
import json
from collections.abc import AsyncIterator

import aiohttp
import anthropic
import httpx
import openai
import pytest
from aiohttp import web

from config import parse_config
from tests.fakes.faults import Fault
from tests.harness import Stack, running_gateway, running_stack

CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "one two three four"}]}
AUTH = {"Authorization": "Bearer sk-test"}
# A cut stream surfaces in the SDKs either as their API error or as the transport's own.
CUT = (openai.APIError, anthropic.APIError, httpx.RemoteProtocolError)


class GatedUpstream:
    """An SSE upstream that sends one chunk, then waits for the test's permission."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.cancelled = asyncio.Event()
        self.app = web.Application()
        self.app.router.add_post("/v1/chat/completions", self.handle)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        try:
            # Text ending on a word boundary: DLP (on by default) holds back only an
            # unfinished trailing token, which could still grow into a secret.
            await response.write(b'data: {"choices":[{"index":0,"delta":{"content":"first words "}}]}\n\n')
            await self.release.wait()
            await response.write(b"data: [DONE]\n\n")
        except (asyncio.CancelledError, ConnectionResetError):
            self.cancelled.set()
            raise
        return response


@pytest.fixture
async def gated() -> AsyncIterator[tuple[GatedUpstream, str]]:
    upstream = GatedUpstream()
    runner = web.AppRunner(upstream.app, handler_cancellation=True, shutdown_timeout=0.2)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    config = parse_config(f'[providers.openai]\nbase_url = "{base}/v1"\n')
    async with running_gateway(config) as gateway:
        yield upstream, gateway
    await runner.cleanup()


async def test_first_chunk_arrives_while_upstream_still_waits(gated: tuple[GatedUpstream, str]) -> None:
    upstream, gateway = gated
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            gateway + "/v1/default/openai/chat/completions", json={**CHAT, "stream": True}, headers=AUTH
        ) as response,
    ):
        # The upstream will not send its second chunk until this line has the first one:
        # a gateway that buffered the stream would time out here.
        first = await asyncio.wait_for(response.content.readuntil(b"\n\n"), timeout=5)
        assert b'"first words "' in first and not upstream.release.is_set()
        upstream.release.set()
        rest = await asyncio.wait_for(response.content.read(), timeout=5)
        assert rest.endswith(b"data: [DONE]\n\n")


async def test_client_disconnect_cancels_the_upstream_call(gated: tuple[GatedUpstream, str]) -> None:
    upstream, gateway = gated
    async with aiohttp.ClientSession() as session:
        response = await session.post(
            gateway + "/v1/default/openai/chat/completions", json={**CHAT, "stream": True}, headers=AUTH
        )
        await asyncio.wait_for(response.content.readuntil(b"\n\n"), timeout=5)
        response.close()  # drop the connection mid-stream
    await asyncio.wait_for(upstream.cancelled.wait(), timeout=5)


async def test_client_disconnect_before_first_byte_cancels_upstream(stack: Stack) -> None:
    stack.openai.faults.push(Fault(first_byte_delay=2))
    async with aiohttp.ClientSession() as session:
        with pytest.raises(asyncio.TimeoutError):
            await session.post(
                stack.url("/v1/default/openai/chat/completions"),
                json=CHAT,
                headers=AUTH,
                timeout=aiohttp.ClientTimeout(total=0.3),
            )
    for _ in range(50):
        if stack.exchanges:
            break
        await asyncio.sleep(0.05)
    assert stack.exchanges[-1].status == 499
    assert stack.exchanges[-1].error == "the client disconnected"


async def test_stream_reset_is_truncated_not_successful(stack: Stack) -> None:
    stack.openai.faults.push(Fault(reset_after_chunks=2))
    client = openai.AsyncOpenAI(base_url=stack.url("/v1/default/openai"), api_key="sk-test", max_retries=0)
    received: list[object] = []
    with pytest.raises(CUT):
        async for chunk in await client.chat.completions.create(stream=True, **CHAT):  # type: ignore[call-overload]
            received.append(chunk)
    exchange = stack.exchanges[-1]
    assert exchange.streamed and not exchange.usage.complete
    assert exchange.error is not None and "broke" in exchange.error


async def test_stream_without_terminal_event_is_incomplete(stack: Stack) -> None:
    stack.openai.faults.push(Fault(drop_terminal=True))
    stack.anthropic.faults.push(Fault(drop_terminal=True))
    async with aiohttp.ClientSession() as session:
        async with session.post(
            stack.url("/v1/default/openai/chat/completions"), json={**CHAT, "stream": True}, headers=AUTH
        ) as r:
            await r.read()
        assert not stack.exchanges[-1].usage.complete
        body = {"model": "claude-x", "max_tokens": 10, "stream": True, "messages": [{"role": "user", "content": "hi"}]}
        async with session.post(
            stack.url("/v1/default/anthropic/v1/messages"),
            json=body,
            headers={"x-api-key": "k", "anthropic-version": "2023-06-01"},
        ) as r:
            await r.read()
        usage = stack.exchanges[-1].usage
        assert not usage.complete and usage.input_tokens is not None


async def test_compat_stream_cut_reaches_the_client_as_an_error(stack: Stack) -> None:
    stack.anthropic.faults.push(Fault(reset_after_chunks=3), Fault(drop_terminal=True))
    client = openai.AsyncOpenAI(base_url=stack.url("/v1/default/compat"), api_key="sk-test", max_retries=0)
    with pytest.raises(CUT):
        async for _ in await client.chat.completions.create(
            model="anthropic/claude-x",
            messages=CHAT["messages"],
            stream=True,  # type: ignore[arg-type]
        ):
            pass
    with pytest.raises(CUT):
        async for _ in await client.chat.completions.create(
            model="anthropic/claude-x",
            messages=CHAT["messages"],
            stream=True,  # type: ignore[arg-type]
        ):
            pass
    stack.openai.faults.push(Fault(drop_terminal=True, reset_after_chunks=2))
    door = anthropic.AsyncAnthropic(base_url=stack.url("/v1/default/compat"), api_key="k", max_retries=0)
    with pytest.raises(CUT):
        async with door.messages.stream(
            model="openai/gpt-4o", max_tokens=10, messages=[{"role": "user", "content": "hi"}]
        ) as stream:
            async for _ in stream.text_stream:
                pass


async def test_upstream_errors_pass_byte_for_byte(stack: Stack) -> None:
    async with aiohttp.ClientSession() as session:
        direct_headers = {**AUTH, "x-fake-fault": "status=429;retry_after=7"}
        async with session.post(stack.urls["openai"] + "/v1/chat/completions", json=CHAT, headers=direct_headers) as r:
            direct = await r.read()
        async with session.post(
            stack.url("/v1/default/openai/chat/completions"), json=CHAT, headers=direct_headers
        ) as r:
            via = await r.read()
            assert r.status == 429 and r.headers["retry-after"] == "7"
    assert via == direct


async def test_gzip_responses_pass_compressed_and_usage_is_still_read(stack: Stack) -> None:
    async with (
        aiohttp.ClientSession(auto_decompress=False) as session,
        session.post(
            stack.url("/v1/default/openai/chat/completions"),
            json=CHAT,
            headers={**AUTH, "Accept-Encoding": "gzip", "x-fake-fault": "gzip=true"},
        ) as r,
    ):
        assert r.headers["Content-Encoding"] == "gzip"
        body = json.loads(gzip.decompress(await r.read()))
    assert stack.exchanges[-1].usage.output_tokens == body["usage"]["completion_tokens"]
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            stack.url("/v1/default/openai/chat/completions"),
            json=CHAT,
            headers={**AUTH, "x-fake-fault": "gzip=true"},
            skip_auto_headers=["Accept-Encoding"],
        ) as r,
    ):
        assert "Content-Encoding" not in r.headers
        await r.json()
    assert stack.openai.requests[-1].headers["Accept-Encoding"] == "identity"


async def test_unreachable_is_502_and_slow_is_504() -> None:
    async with (
        running_stack('[timeouts]\nupstream_total = "300ms"\n[providers.groq]\nbase_url = "http://127.0.0.1:9"\n') as s,
        aiohttp.ClientSession() as session,
    ):
        async with session.post(s.url("/v1/default/groq/chat/completions"), json=CHAT, headers=AUTH) as r:
            assert r.status == 502
            assert "unreachable" in (await r.json())["error"]["message"]
        s.openai.faults.push(Fault(first_byte_delay=2))
        async with session.post(s.url("/v1/default/openai/chat/completions"), json=CHAT, headers=AUTH) as r:
            assert r.status == 504
            assert "did not answer in time" in (await r.json())["error"]["message"]
        s.anthropic.faults.push(Fault(first_byte_delay=2))
        async with session.post(s.url("/v1/default/anthropic/v1/messages"), json=CHAT, headers={"x-api-key": "k"}) as r:
            assert r.status == 504
            assert (await r.json())["type"] == "error"  # Anthropic's own error shape
        async with session.get(s.url("/metrics")) as r:
            text = await r.text()
    assert 'weir_upstream_errors_total{kind="unreachable",provider="groq"} 1.0' in text
    assert 'weir_upstream_errors_total{kind="timeout",provider="openai"} 1.0' in text


async def test_health_ready_and_metrics(stack: Stack) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.post(stack.url("/v1/default/openai/chat/completions"), json=CHAT, headers=AUTH) as r:
            assert r.status == 200
        async with session.get(stack.url("/healthz")) as r:
            assert r.status == 200 and (await r.json()) == {"status": "ok"}
        async with session.get(stack.url("/readyz")) as r:
            assert r.status == 200
        async with session.get(stack.url("/metrics")) as r:
            text = await r.text()
            assert r.headers["Content-Type"].startswith("text/plain")
    assert 'weir_requests_total{endpoint="passthrough",gateway="default",provider="openai",status="200"} 1.0' in text
    assert 'weir_request_duration_seconds_count{gateway="default",provider="openai"} 1.0' in text
    assert "weir_time_to_first_byte_seconds_bucket" in text
    assert "weir_requests_in_flight 0.0" in text
    assert 'weir_tokens_total{direction="output",model="gpt-4o-mini",provider="openai"}' in text


async def test_a_stalled_stream_is_cut_by_the_read_timeout() -> None:
    async with running_stack('[timeouts]\nupstream_read = "200ms"\n') as s:
        s.openai.faults.push(Fault(chunk_delay=1.0))
        async with aiohttp.ClientSession() as session:
            async with session.post(
                s.url("/v1/default/openai/chat/completions"), json={**CHAT, "stream": True}, headers=AUTH
            ) as r:
                assert r.status == 200
                with pytest.raises(aiohttp.ClientPayloadError):
                    await r.read()
            async with session.get(s.url("/metrics")) as r:
                text = await r.text()
        exchange = s.exchanges[-1]
        assert exchange.error == "the upstream stream stalled past the read timeout"
        assert not exchange.usage.complete
        assert 'weir_upstream_errors_total{kind="timeout",provider="openai"} 1.0' in text


@pytest.mark.parametrize(("method", "path"), [("GET", "/nowhere"), ("POST", "/healthz"), ("GET", "/v1")])
async def test_unknown_endpoints_answer_json(stack: Stack, method: str, path: str) -> None:
    async with aiohttp.ClientSession() as session, session.request(method, stack.url(path)) as r:
        assert r.status == 404
        assert "no such endpoint" in (await r.json())["error"]["message"]


async def test_unknown_unified_path_and_wrong_method(stack: Stack) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.post(stack.url("/v1/default/compat/completions"), json={}) as r:
            assert r.status == 404 and "chat/completions" in (await r.json())["error"]["message"]
        async with session.get(stack.url("/v1/default/compat/chat/completions")) as r:
            assert r.status == 405
        async with session.get(stack.url("/v1/default/compat/messages")) as r:
            assert r.status == 405 and (await r.json())["type"] == "error"
