"""Rate limits and budgets through the gateway: exact under concurrency, token limits on
real usage, clear 429s with OpenAI's headers."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest

from tests.harness import Stack, running_stack

CHAT = "/v1/default/openai/chat/completions"
KEY = {"Authorization": "Bearer sk-tenant-one"}


def chat(content: str = "hello", **extra: Any) -> dict[str, Any]:
    return {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": content}], **extra}


async def post(
    session: aiohttp.ClientSession, stack: Stack, body: Any, headers: dict[str, str] = KEY
) -> tuple[int, dict[str, str], dict[str, Any]]:
    async with session.post(stack.url(CHAT), json=body, headers=headers) as response:
        return response.status, dict(response.headers), await response.json(content_type=None)


async def test_a_sliding_window_holds_to_exactly_n_under_50_concurrent_clients() -> None:
    toml = '[[gateways.default.rate_limits]]\nname = "ten"\nlimit = 10\nwindow = "60s"\nper = "key"\n'
    async with running_stack(toml) as stack, aiohttp.ClientSession() as session:
        results = await asyncio.gather(*(post(session, stack, chat(f"m{i}")) for i in range(50)))
        statuses = [status for status, _, _ in results]
        assert statuses.count(200) == 10 and statuses.count(429) == 40
        assert len(stack.openai.requests) == 10
        _, headers, body = next(r for r in results if r[0] == 429)
        assert int(headers["Retry-After"]) >= 1
        assert headers["x-ratelimit-limit-requests"] == "10"
        assert headers["x-ratelimit-remaining-requests"] == "0"
        assert headers["x-ratelimit-reset-requests"].endswith("s")
        assert "rate limit 'ten' reached: 10 requests per 1m0s for this key" in body["error"]["message"]
        assert body["error"]["type"]  # OpenAI's error shape
        # Another key has its own window.
        status, _, _ = await post(session, stack, chat(), {"Authorization": "Bearer sk-tenant-two"})
        assert status == 200


async def test_limits_per_user_and_group_from_verified_identities() -> None:
    from gateway.auth import hash_token

    toml = (
        "[[gateways.default.auth.tokens]]\n"
        f'hash = "{hash_token("tok-ana")}"\nuser = "ana"\ngroups = ["eng"]\n'
        "[[gateways.default.auth.tokens]]\n"
        f'hash = "{hash_token("tok-bo")}"\nuser = "bo"\ngroups = ["eng"]\n'
        '[[gateways.default.rate_limits]]\nname = "per-user"\nlimit = 2\nwindow = "60s"\nper = "user"\n'
        '[[gateways.default.rate_limits]]\nname = "per-group"\nlimit = 3\nwindow = "60s"\nper = "group"\n'
    )
    ana = {**KEY, "weir-authorization": "Bearer tok-ana"}
    bo = {**KEY, "weir-authorization": "Bearer tok-bo"}
    async with running_stack(toml) as stack, aiohttp.ClientSession() as session:
        assert [(await post(session, stack, chat(), ana))[0] for _ in range(3)] == [200, 200, 429]
        statuses = [(await post(session, stack, chat(), bo))[0] for _ in range(2)]
        assert statuses == [200, 429]  # the group's third request; bo's own limit had room
        _, _, body = await post(session, stack, chat(), bo)
        assert "'per-group'" in body["error"]["message"] and "bo" not in body["error"]["message"]


async def test_a_token_limit_counts_the_real_usage() -> None:
    toml = (
        '[[gateways.default.rate_limits]]\nname = "tokens"\nlimit = 40\nwindow = "60s"\n'
        'unit = "tokens"\nper = "gateway"\n'
    )
    async with running_stack(toml) as stack, aiohttp.ClientSession() as session:
        statuses = []
        for _ in range(10):
            statuses.append((await post(session, stack, chat("hi")))[0])
            if statuses[-1] == 429:
                break
        used = sum(
            (ex.usage.input_tokens or 0) + (ex.usage.output_tokens or 0) for ex in stack.exchanges if ex.status == 200
        )
        assert statuses[-1] == 429
        assert used <= 40 < used + 20  # refused once real usage, not the estimate, filled the window
        _, headers, _ = await post(session, stack, chat("hi"))
        assert headers["x-ratelimit-limit-tokens"] == "40"


@pytest.mark.parametrize("concurrency", [200])
async def test_concurrent_requests_never_overspend_a_budget(concurrency: int) -> None:
    # gpt-4o-mini: $0.15/M input, $0.60/M output. Each call reserves its worst case.
    toml = (
        '[[gateways.default.budgets]]\nname = "tiny"\nlimit_usd = 0.0005\nper = "gateway"\n'
        "assumed_output_tokens = 100\n"
    )
    async with running_stack(toml) as stack, aiohttp.ClientSession() as session:
        results = await asyncio.gather(*(post(session, stack, chat(f"q{i}")) for i in range(concurrency)))
        ok = [r for r in results if r[0] == 200]
        refused = [r for r in results if r[0] == 429]
        assert ok and refused and len(ok) + len(refused) == concurrency
        spent = sum(
            ((ex.usage.input_tokens or 0) * 0.15 + (ex.usage.output_tokens or 0) * 0.60) / 1e6
            for ex in stack.exchanges
            if ex.status == 200
        )
        assert spent <= 0.0005
        message = refused[0][2]["error"]["message"]
        assert "budget 'tiny' for this gateway is used up" in message
        assert int(refused[0][1]["Retry-After"]) > 0


async def test_custom_cost_needs_the_gateways_permission() -> None:
    header = {**KEY, "weir-custom-cost": '{"per_token_in": 0.001, "per_token_out": 0.002}'}
    async with running_stack() as stack, aiohttp.ClientSession() as session:
        status, _, body = await post(session, stack, chat(), header)
        assert status == 400 and "not allowed on this gateway" in body["error"]["message"]
    async with running_stack("[gateways.default]\nallow_custom_cost = true\n") as stack:
        async with aiohttp.ClientSession() as session:
            status, _, _ = await post(session, stack, chat(), header)
            assert status == 200
            bad = {**KEY, "weir-custom-cost": "cheap"}
            status, _, body = await post(session, stack, chat(), bad)
            assert status == 400 and "per_token_in" in body["error"]["message"]
        from gateway.pricing import Pricing

        ex = next(e for e in stack.exchanges if e.status == 200)
        usage = ex.usage
        expected = (usage.input_tokens or 0) * 0.001 + (usage.output_tokens or 0) * 0.002
        assert Pricing({}).of_exchange(ex) == pytest.approx(expected)
