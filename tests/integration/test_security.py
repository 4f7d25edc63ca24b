"""The security rules of ARCHITECTURE.md on the pass-through surface, each tried as an attack."""

from __future__ import annotations

import asyncio
import gzip
import json

import aiohttp
import pytest
from aiohttp import web
from yarl import URL

from config import parse_config
from gateway.exchange import Exchange
from tests.fakes.openai import OpenAIFake
from tests.fakes.server import serve
from tests.harness import Stack, running_gateway, running_stack
from tests.rawhttp import closed_by_server, raw_request

SECRET = "sk-live-THIS-IS-A-SECRET-0123456789"
CHAT = json.dumps({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}).encode()


def post(path: str, body: bytes = CHAT, extra: str = "") -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {SECRET}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n{extra}Connection: close\r\n\r\n"
    ).encode() + body


@pytest.mark.parametrize(
    "path",
    [
        "/v1/default/openai/../../admin",
        "/v1/default/openai/chat/../../../x",
        "/v1/default/openai/%2e%2e/%2e%2e/x",
        "/v1/default/openai/%2E%2E%2Fadmin",
        "/v1/default/openai/%252e%252e/x",
        "/v1/default/openai//evil.example/x",
        "/v1/default/openai/http://evil.example/x",
        "/v1/default/openai/a%5c..%5cadmin",
        "/v1/default/openai/chat%2fcompletions",
        "/v1/default/azure-openai/evil.example%2f/x",
    ],
)
async def test_paths_that_climb_out_are_refused(stack: Stack, path: str) -> None:
    response = await raw_request(stack.gateway, post(path))
    assert response.status in {400, 404}
    assert stack.openai.requests == []
    assert SECRET not in response.body.decode() and SECRET not in response.head


async def test_framing_and_gateway_headers_never_reach_the_provider(stack: Stack) -> None:
    extra = (
        "Keep-Alive: timeout=5\r\nX-Hop-Secret: hop\r\nTE: trailers\r\nProxy-Authorization: Basic abc\r\n"
        "Upgrade: h2c\r\nweir-cache-ttl: 60\r\ncf-aig-skip-cache: true\r\nX-Forwarded-For: 6.6.6.6\r\n"
        "Forwarded: for=6.6.6.6\r\nX-Custom: kept\r\n"
    )
    request = post("/v1/default/openai/chat/completions", extra=extra).replace(
        b"Connection: close", b"Connection: close, X-Hop-Secret"
    )
    response = await raw_request(stack.gateway, request)
    assert response.status == 200
    seen = stack.openai.requests[-1].headers
    for name in (
        "Keep-Alive",
        "X-Hop-Secret",
        "TE",
        "Proxy-Authorization",
        "Upgrade",
        "weir-cache-ttl",
        "cf-aig-skip-cache",
        "X-Forwarded-For",
        "Forwarded",
        "Transfer-Encoding",
    ):
        assert name not in seen, name
    assert seen["Host"] == URL(stack.urls["openai"]).raw_authority
    assert seen["Content-Length"] == str(len(CHAT))
    assert seen.get("Connection", "keep-alive").lower() != "close"
    assert seen["X-Custom"] == "kept" and seen["Authorization"] == f"Bearer {SECRET}"


async def test_chunked_client_body_is_reframed(stack: Stack) -> None:
    head = (
        b"POST /v1/default/openai/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\n"
        b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(CHAT[i : i + 10]), CHAT[i : i + 10]) for i in range(0, len(CHAT), 10))
    response = await raw_request(stack.gateway, head + chunked + b"0\r\n\r\n")
    assert response.status == 200
    seen = stack.openai.requests[-1]
    assert "Transfer-Encoding" not in seen.headers and seen.headers["Content-Length"] == str(len(CHAT))
    assert seen.body == CHAT


@pytest.mark.parametrize(
    "framing",
    [
        "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
        "Content-Length: 5\r\nContent-Length: 6\r\n",
        "Transfer-Encoding: gzip, chunked\r\nTransfer-Encoding: identity\r\n",
    ],
)
async def test_ambiguous_framing_is_a_400(stack: Stack, framing: str) -> None:
    request = f"POST /v1/default/openai/chat/completions HTTP/1.1\r\nHost: x\r\n{framing}Connection: close\r\n\r\n"
    response = await raw_request(stack.gateway, request.encode() + b"0\r\n\r\nhello")
    assert response.status == 400
    assert stack.openai.requests == []


async def test_redirects_are_not_followed_with_credentials(stack: Stack) -> None:
    elsewhere = OpenAIFake()
    async with (
        serve(elsewhere.app) as other,
        aiohttp.ClientSession() as session,
        session.post(
            stack.url("/v1/default/openai/chat/completions"),
            data=CHAT,
            headers={"Authorization": f"Bearer {SECRET}", "x-fake-fault": f"redirect_to={other}/v1/chat/completions"},
            allow_redirects=False,
        ) as response,
    ):
        assert response.status == 307
    assert elsewhere.requests == []


@pytest.fixture
async def small_stack() -> object:
    async with running_stack(
        '[limits]\nmax_request_body = "1KiB"\n[timeouts]\nclient_body = "300ms"\nclient_idle = "300ms"\n'
    ) as s:
        yield s


async def test_body_over_limit_by_length_stream_and_gzip(small_stack: Stack) -> None:
    big = json.dumps({"model": "m", "messages": [{"role": "user", "content": "x" * 4000}]}).encode()
    url = small_stack.url("/v1/default/openai/chat/completions")

    async def chunks() -> object:
        for i in range(0, len(big), 100):
            yield big[i : i + 100]

    async with aiohttp.ClientSession() as session:
        for data, headers in (
            (big, {}),
            (chunks(), {}),
            (gzip.compress(big), {"Content-Encoding": "gzip"}),
        ):
            async with session.post(url, data=data, headers={"Authorization": f"Bearer {SECRET}", **headers}) as r:
                body = await r.json()
                assert r.status == 413, body
                assert "limit" in body["error"]["message"] and SECRET not in json.dumps(body)
        async with session.post(url, data=b"abc", headers={"Content-Encoding": "compress"}) as r:
            assert r.status == 415
    assert small_stack.openai.requests == []


async def test_slow_client_body_times_out(small_stack: Stack) -> None:
    url = URL(small_stack.gateway)
    reader, writer = await asyncio.open_connection(url.host, url.port)
    writer.write(b"POST /v1/default/openai/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
    await writer.drain()
    try:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 3)
        assert head.startswith(b"HTTP/1.1 408")
    finally:
        writer.close()
    assert small_stack.openai.requests == []


async def test_slow_client_headers_are_cut_off(small_stack: Stack) -> None:
    url = URL(small_stack.gateway)
    reader, writer = await asyncio.open_connection(url.host, url.port)
    writer.write(b"POST /v1/default/openai/chat/completions HTTP/1.1\r\nHost: x\r\nX-Slow: ")
    await writer.drain()
    try:
        assert await closed_by_server(reader, timeout=3)
    finally:
        writer.close()


async def test_error_bodies_never_echo_credentials(stack: Stack) -> None:
    async with (
        running_stack('[providers.groq]\nbase_url = "http://127.0.0.1:9"\n') as s,
        aiohttp.ClientSession() as session,
    ):
        for path in (
            f"/v1/default/{SECRET}/chat/completions",
            f"/v1/{SECRET}/openai/chat/completions",
            "/v1/default/groq/chat/completions",
            f"/nowhere/{SECRET}",
        ):
            async with session.post(
                s.url(path), data=CHAT, headers={"Authorization": f"Bearer {SECRET}", "x-api-key": SECRET}
            ) as r:
                text = await r.text()
                assert r.status in {404, 502}
                assert SECRET not in text and SECRET not in str(r.headers)
                assert json.loads(text)["error"]["message"]


async def test_an_over_long_sse_line_is_cut() -> None:
    async def endless_line(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        await response.write(b'data: {"ok": true}\n\n')
        for _ in range(8):
            await response.write(b"x" * 512)  # one line that never ends
        await response.write(b"\n\n")
        return response

    upstream = web.Application()
    upstream.router.add_post("/v1/chat/completions", endless_line)
    async with serve(upstream) as base:
        config = parse_config(f'[providers.openai]\nbase_url = "{base}/v1"\n[limits]\nmax_sse_line = "1KiB"\n')
        exchanges: list[Exchange] = []
        async with (
            running_gateway(config, exchanges) as gateway,
            aiohttp.ClientSession() as session,
            session.post(gateway + "/v1/default/openai/chat/completions", data=CHAT) as r,
        ):
            with pytest.raises(aiohttp.ClientPayloadError):
                await r.read()
    assert exchanges[-1].error == "the upstream stream sent an over-long SSE line"


@pytest.mark.parametrize(
    "headers",
    [
        "X-Big: " + "a" * 9000 + "\r\n",  # one header over max_header_line
        "".join(f"X-H{i}: v\r\n" for i in range(150)),  # more headers than max_header_count
    ],
)
async def test_header_limits_hold(stack: Stack, headers: str) -> None:
    request = f"POST /v1/default/openai/chat/completions HTTP/1.1\r\nHost: x\r\n{headers}Connection: close\r\n"
    response = await raw_request(stack.gateway, request.encode() + b"Content-Length: 0\r\n\r\n")
    assert response.status in {400, 431}
    assert stack.openai.requests == []
