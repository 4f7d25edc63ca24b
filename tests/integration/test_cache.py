"""The exact cache end to end: hits cost no upstream call, streams replay byte for byte,
identical concurrent misses share one upstream call, tenants never share entries."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest

from gateway.pricing import Pricing
from tests.harness import Stack, running_stack

CHAT = "/v1/default/openai/chat/completions"
KEY = {"Authorization": "Bearer sk-tenant-one"}
CACHED = '[gateways.default]\ncache_ttl = "60s"\n'


def chat(content: str = "what is a weir?", **extra: Any) -> dict[str, Any]:
    return {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": content}], **extra}


async def post(stack: Stack, body: Any, headers: dict[str, str], path: str = CHAT) -> tuple[int, dict[str, str], bytes]:
    async with aiohttp.ClientSession() as session, session.post(stack.url(path), json=body, headers=headers) as r:
        return r.status, dict(r.headers), await r.read()


async def test_second_identical_request_is_a_hit_with_no_upstream_call() -> None:
    async with running_stack(CACHED) as stack:
        status, first_headers, first = await post(stack, chat(), KEY)
        assert (status, first_headers["weir-cache-status"]) == (200, "MISS")
        assert first_headers["cf-aig-cache-status"] == "MISS"
        calls = len(stack.openai.requests)
        status, headers, second = await post(stack, chat(), KEY)
        assert (status, headers["weir-cache-status"]) == (200, "HIT")
        assert second == first
        assert headers["Content-Type"] == first_headers["Content-Type"]
        assert len(stack.openai.requests) == calls
        # Key order and whitespace do not matter: the body is compared as canonical JSON.
        reordered = {"messages": chat()["messages"], "model": "gpt-4o-mini"}
        assert (await post(stack, reordered, KEY))[1]["weir-cache-status"] == "HIT"
        assert len(stack.openai.requests) == calls
    hit = stack.exchanges[-1]
    assert hit.cache_status == "HIT" and not hit.attempts
    assert Pricing({}).of_exchange(hit) == 0.0  # logged with cost 0


async def test_a_streamed_hit_replays_byte_identical_events() -> None:
    async with running_stack(CACHED) as stack:
        body = chat("stream me", stream=True, stream_options={"include_usage": True})
        _, first_headers, first = await post(stack, body, KEY)
        calls = len(stack.openai.requests)
        _, headers, second = await post(stack, body, KEY)
        assert (first_headers["weir-cache-status"], headers["weir-cache-status"]) == ("MISS", "HIT")
        assert headers["Content-Type"].startswith("text/event-stream")
        assert second == first
        assert first.rstrip().endswith(b"data: [DONE]")
        assert len(stack.openai.requests) == calls


async def test_fifty_concurrent_identical_misses_make_one_upstream_call() -> None:
    async with running_stack(CACHED) as stack:
        slow = {**KEY, "x-fake-fault": "first_byte_delay=0.5"}
        results = await asyncio.gather(*(post(stack, chat("together"), slow) for _ in range(50)))
        assert {status for status, _, _ in results} == {200}
        assert len({body for _, _, body in results}) == 1
        statuses = sorted(headers["weir-cache-status"] for _, headers, _ in results)
        assert statuses == ["HIT"] * 49 + ["MISS"]
        assert len(stack.openai.requests) == 1


@pytest.mark.parametrize(
    "other_key",
    ["sk-tenant-two", "sk-tenant-one-but-longer", "sk-tenant-on"],  # also keys sharing a long prefix
)
async def test_tenants_with_different_keys_never_share_an_entry(other_key: str) -> None:
    async with running_stack(CACHED) as stack:
        await post(stack, chat(), KEY)
        _, headers, _ = await post(stack, chat(), {"Authorization": f"Bearer {other_key}"})
        assert headers["weir-cache-status"] == "MISS"
        assert len(stack.openai.requests) == 2


async def test_a_custom_cache_key_replaces_path_and_body_but_stays_per_tenant() -> None:
    async with running_stack(CACHED) as stack:
        await post(stack, chat("one"), {**KEY, "weir-cache-key": "faq-1"})
        _, headers, _ = await post(stack, chat("two"), {**KEY, "cf-aig-cache-key": "faq-1"})
        assert headers["weir-cache-status"] == "HIT"
        _, headers, _ = await post(stack, chat("two"), {"Authorization": "Bearer sk-x", "weir-cache-key": "faq-1"})
        assert headers["weir-cache-status"] == "MISS"


async def test_skip_cache_bypasses_and_ttl_header_turns_caching_on() -> None:
    async with running_stack() as stack:  # no gateway cache_ttl: off unless asked
        _, headers, _ = await post(stack, chat(), KEY)
        assert "weir-cache-status" not in headers
        await post(stack, chat(), {**KEY, "weir-cache-ttl": "30"})
        _, headers, _ = await post(stack, chat(), {**KEY, "weir-cache-ttl": "30"})
        assert headers["weir-cache-status"] == "HIT"
        _, headers, _ = await post(stack, chat(), {**KEY, "weir-cache-ttl": "30", "weir-skip-cache": "true"})
        assert headers["weir-cache-status"] == "BYPASS"
        assert len(stack.openai.requests) == 3  # uncached, MISS, BYPASS; the HIT made none


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({"weir-cache-ttl": "soon"}, "weir-cache-ttl must be a whole number of seconds"),
        ({"weir-cache-ttl": "0"}, "weir-cache-ttl must be between 1 and"),
        ({"weir-cache-ttl": "99999999999"}, "weir-cache-ttl must be between 1 and"),
        ({"weir-skip-cache": "maybe"}, "weir-skip-cache must be true or false"),
    ],
)
async def test_bad_cache_headers_are_a_400(headers: dict[str, str], message: str) -> None:
    async with running_stack(CACHED) as stack:
        status, _, body = await post(stack, chat(), {**KEY, **headers})
        assert status == 400
        assert message in body.decode()
        assert not stack.openai.requests


async def test_errors_and_cut_streams_are_not_stored() -> None:
    async with running_stack(CACHED) as stack:
        failing = {**KEY, "x-fake-fault": "status=500"}
        assert (await post(stack, chat("e"), failing))[0] == 500
        _, headers, _ = await post(stack, chat("e"), KEY)
        assert headers["weir-cache-status"] == "MISS"
        cut = {**KEY, "x-fake-fault": "drop_terminal=true"}
        body = chat("cut", stream=True)
        await post(stack, body, cut)
        _, headers, _ = await post(stack, body, KEY)
        assert headers["weir-cache-status"] == "MISS"


async def test_a_response_with_a_dlp_finding_is_never_stored() -> None:
    async with running_stack(CACHED) as stack:
        prompt = chat("mail me at ana.lopez@example.org please")
        await post(stack, prompt, KEY)
        _, headers, _ = await post(stack, prompt, KEY)
        assert headers["weir-cache-status"] == "MISS"
        assert len(stack.openai.requests) == 2


@pytest.mark.parametrize("stream", [False, True])
async def test_the_unified_endpoint_is_cached_too(stream: bool) -> None:
    async with running_stack(CACHED) as stack:
        body = {**chat("compat"), "model": "openai/gpt-4o-mini", "stream": stream}
        path = "/v1/default/compat/chat/completions"
        _, first_headers, first = await post(stack, body, KEY, path)
        _, headers, second = await post(stack, body, KEY, path)
        assert (first_headers["weir-cache-status"], headers["weir-cache-status"]) == ("MISS", "HIT")
        assert second == first
        assert len(stack.openai.requests) == 1
