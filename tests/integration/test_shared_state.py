"""Two gateway processes on one Redis (``[state] backend = "redis"``) act as one gateway:
a sliding-window limit holds to exactly N across both, a budget is one ledger that 200
concurrent requests through both never overspend, and an answer cached by one is a hit
on the other — for the same tenant only.

Each test runs two ``weir serve`` subprocesses, exactly as an operator starts them,
against an OpenAI fake served by the test and a redis-server started for the session
(``tests/redis_server.py``), with a key prefix of its own.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack, asynccontextmanager, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import redis.asyncio as aioredis

from tests.fakes.openai import OpenAIFake
from tests.fakes.server import serve
from tests.harness import running_stack

WEIR = [sys.executable, "-m", "gateway.cli", "serve"]
ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
HOST = "127.0.0.1"
CHAT = "/v1/default/openai/chat/completions"
KEY = {"Authorization": "Bearer sk-tenant-one"}
READY_WITHIN_S = 60.0  # a loaded 2-core CI box starts Python slowly
EXIT_WITHIN_S = 30.0
# gpt-4o-mini in config/pricing.toml: dollars per million tokens.
INPUT_PRICE, OUTPUT_PRICE = 0.15, 0.60


@dataclass
class Node:
    process: subprocess.Popen[bytes]
    port: int
    output: Path

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def tail(self) -> str:
        return self.output.read_text(errors="replace")[-4000:]


@dataclass
class Cluster:
    nodes: list[Node]
    fake: OpenAIFake
    session: aiohttp.ClientSession
    redis: aioredis.Redis
    prefix: str

    async def post(self, node: int, body: Any, headers: dict[str, str] = KEY) -> tuple[int, dict[str, str], bytes]:
        async with self.session.post(self.nodes[node].url(CHAT), json=body, headers=headers) as response:
            return response.status, dict(response.headers), await response.read()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@contextmanager
def weir_serve(directory: Path, upstream: str, redis_url: str, prefix: str, gateway_toml: str) -> Iterator[Node]:
    """``weir serve`` sharing its state through Redis; killed on the way out whatever happened."""
    directory.mkdir()
    port = free_port()
    config = directory / "weir.toml"
    config.write_text(
        f'[server]\nhost = "{HOST}"\nport = {port}\ndata_dir = "{directory / "data"}"\n\n'
        f'[providers.openai]\nbase_url = "{upstream}/v1"\n\n'
        "[logs]\nenabled = false\n\n"
        f'[state]\nbackend = "redis"\nredis_url = "{redis_url}"\nkey_prefix = "{prefix}"\n\n' + gateway_toml
    )
    output = directory / "gateway.log"
    with output.open("wb") as sink:  # a file, never a pipe nobody reads
        process = subprocess.Popen(
            [*WEIR, "--config", str(config)], cwd=directory, env=ENV, stdout=sink, stderr=subprocess.STDOUT
        )
    try:
        yield Node(process, port, output)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=EXIT_WITHIN_S)


async def wait_ready(node: Node, session: aiohttp.ClientSession) -> None:
    """Poll ``/readyz`` until the node answers and says it reaches Redis."""
    deadline = time.monotonic() + READY_WITHIN_S
    while time.monotonic() < deadline:
        assert node.process.poll() is None, f"the gateway exited while starting:\n{node.tail()}"
        with suppress(aiohttp.ClientError, OSError, asyncio.TimeoutError):
            async with session.get(node.url("/readyz"), timeout=aiohttp.ClientTimeout(total=2)) as resp:
                if resp.status == 200 and (await resp.json()).get("redis") == "ok":
                    return
        await asyncio.sleep(0.1)
    raise AssertionError(f"the gateway was not ready within {READY_WITHIN_S:.0f}s:\n{node.tail()}")


@asynccontextmanager
async def cluster(tmp_path: Path, redis_url: str, gateway_toml: str) -> AsyncIterator[Cluster]:
    fake = OpenAIFake()
    prefix = f"shared-{uuid.uuid4().hex[:12]}:"
    async with serve(fake.app) as upstream:
        with ExitStack() as processes:
            nodes = [
                processes.enter_context(weir_serve(tmp_path / f"node{i}", upstream, redis_url, prefix, gateway_toml))
                for i in range(2)
            ]
            connector = aiohttp.TCPConnector(limit=0)
            timeout = aiohttp.ClientTimeout(total=60)
            async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
                await asyncio.gather(*(wait_ready(node, session) for node in nodes))
                client = aioredis.Redis.from_url(redis_url)
                try:
                    yield Cluster(nodes, fake, session, client, prefix)
                finally:
                    await client.aclose()


def chat(content: str, **extra: Any) -> dict[str, Any]:
    return {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": content}], **extra}


async def test_a_sliding_window_limit_holds_to_exactly_n_across_two_gateways(tmp_path: Path, redis_url: str) -> None:
    toml = '[[gateways.default.rate_limits]]\nname = "ten"\nlimit = 10\nwindow = "60s"\nper = "key"\n'
    async with cluster(tmp_path, redis_url, toml) as shared:
        # 50 concurrent clients, alternating between the two gateways.
        results = await asyncio.gather(*(shared.post(i % 2, chat(f"m{i}")) for i in range(50)))
        statuses = [status for status, _, _ in results]
        assert statuses.count(200) == 10 and statuses.count(429) == 40
        assert len(shared.fake.requests) == 10
        # Each gateway alone would have admitted 10 of its 25: both refused because of the other.
        for node in (0, 1):
            assert [s for i, s in enumerate(statuses) if i % 2 == node].count(429) >= 15
        refused = next(json.loads(body) for status, _, body in results if status == 429)
        assert "rate limit 'ten' reached: 10 requests per 1m0s for this key" in refused["error"]["message"]
        windows = [key async for key in shared.redis.scan_iter(match=shared.prefix + "{rl:*}:log")]
        assert len(windows) == 1 and await shared.redis.zcard(windows[0]) == 10


async def test_200_concurrent_requests_across_two_gateways_never_overspend_one_budget(
    tmp_path: Path, redis_url: str
) -> None:
    # Each call reserves its worst case (body bytes as input tokens, 100 output tokens).
    toml = (
        '[[gateways.default.budgets]]\nname = "tiny"\nlimit_usd = 0.0005\nper = "gateway"\n'
        "assumed_output_tokens = 100\n"
    )
    async with cluster(tmp_path, redis_url, toml) as shared:
        slow = {**KEY, "x-fake-fault": "first_byte_delay=0.2"}  # reservations overlap
        results = await asyncio.gather(*(shared.post(i % 2, chat(f"q{i}"), slow) for i in range(200)))
        ok = [json.loads(body) for status, _, body in results if status == 200]
        refused = [json.loads(body) for status, _, body in results if status == 429]
        assert ok and refused and len(ok) + len(refused) == 200
        assert {i % 2 for i, (status, _, _) in enumerate(results) if status == 429} == {0, 1}
        spent = sum(
            (answer["usage"]["prompt_tokens"] * INPUT_PRICE + answer["usage"]["completion_tokens"] * OUTPUT_PRICE) / 1e6
            for answer in ok
        )
        assert spent <= 0.0005
        assert "budget 'tiny' for this gateway is used up" in refused[0]["error"]["message"]
        # One ledger for both gateways: it holds what both spent, and nothing still reserved.
        ledgers = [key async for key in shared.redis.scan_iter(match=shared.prefix + "budget:*")]
        assert len(ledgers) == 1
        ledger = await shared.redis.hgetall(ledgers[0])
        assert float(ledger[b"spent"]) == pytest.approx(spent)
        assert float(ledger[b"reserved"]) == pytest.approx(0.0, abs=1e-12)


async def test_a_budget_shared_by_two_gateways_admits_exactly_what_it_can_pay_for(
    tmp_path: Path, redis_url: str
) -> None:
    # Priced so that a call's reservation is exactly its cost: input is free, and every
    # answer is cut to max_tokens. Each call costs 10 x 976.5625 / 1e6 = 5/512 dollars (a
    # binary fraction, so sums are exact) and the budget pays for exactly 10 of them. Two
    # gateways with a budget each would have let 20 through.
    toml = (
        '[pricing.openai."gpt-4o-mini"]\ninput = 0.0\noutput = 976.5625\n\n'
        '[[gateways.default.budgets]]\nname = "ten-calls"\nlimit_usd = 0.09765625\nper = "gateway"\n'
    )
    long_prompt = " ".join(f"word{n}" for n in range(40))
    async with cluster(tmp_path, redis_url, toml) as shared:
        results = await asyncio.gather(*(shared.post(i % 2, chat(long_prompt, max_tokens=10)) for i in range(200)))
        ok = [json.loads(body) for status, _, body in results if status == 200]
        assert len(ok) == 10 and [status for status, _, _ in results].count(429) == 190
        assert all(answer["usage"]["completion_tokens"] == 10 for answer in ok)
        assert sum(answer["usage"]["completion_tokens"] * 976.5625 / 1e6 for answer in ok) == 0.09765625
        assert len(shared.fake.requests) == 10


@pytest.mark.parametrize("stream", [False, True], ids=["json", "sse"])
async def test_an_answer_cached_by_one_gateway_is_a_hit_on_the_other(
    tmp_path: Path, redis_url: str, stream: bool
) -> None:
    async with cluster(tmp_path, redis_url, '[gateways.default]\ncache_ttl = "60s"\n') as shared:
        streaming = {"stream": True, "stream_options": {"include_usage": True}} if stream else {}
        body = chat("what is a weir?", **streaming)
        status, first_headers, first = await shared.post(0, body)
        assert (status, first_headers["weir-cache-status"]) == (200, "MISS")
        await cache_entries(shared, 1)
        status, headers, second = await shared.post(1, body)
        assert (status, headers["weir-cache-status"]) == (200, "HIT")
        assert second == first  # byte for byte, streamed events included
        assert headers["Content-Type"] == first_headers["Content-Type"]
        assert len(shared.fake.requests) == 1
        # Another tenant, on either gateway, never reads the entry.
        other = {"Authorization": "Bearer sk-tenant-one-but-longer"}
        _, headers, _ = await shared.post(1, body, other)
        assert headers["weir-cache-status"] == "MISS"
        assert len(shared.fake.requests) == 2
        entries = await cache_entries(shared, 2)
        for entry in entries:
            assert 0 < await shared.redis.pttl(entry) <= 60_000  # Redis expires it after the TTL


async def cache_entries(shared: Cluster, count: int) -> list[bytes]:
    """The cache's keys in Redis, once there are ``count``. A streamed answer is stored
    after its last byte went out, so its client can be a moment ahead of the store."""
    deadline = time.monotonic() + 10
    while True:
        entries = [key async for key in shared.redis.scan_iter(match=shared.prefix + "cache:*")]
        if len(entries) >= count or time.monotonic() > deadline:
            assert len(entries) == count
            return entries
        await asyncio.sleep(0.01)


async def test_with_redis_unreachable_limits_admit_budgets_refuse_and_readyz_says_so() -> None:
    toml = (
        f'[state]\nbackend = "redis"\nredis_url = "redis://{HOST}:{free_port()}/0"\n\n'
        '[[gateways.default.rate_limits]]\nname = "one"\nlimit = 1\nwindow = "60s"\n\n'
        '[gateways.paid]\n[[gateways.paid.budgets]]\nname = "cap"\nlimit_usd = 1.0\n'
    )
    async with running_stack(toml) as stack, aiohttp.ClientSession() as session:
        for _ in range(3):  # limits fail open: admitted, uncounted
            async with session.post(stack.url(CHAT), json=chat("hi"), headers=KEY) as response:
                assert response.status == 200
        paid = CHAT.replace("/default/", "/paid/")
        async with session.post(stack.url(paid), json=chat("hi"), headers=KEY) as response:
            assert response.status == 503  # budgets fail closed
            message = (await response.json())["error"]["message"]
            assert "shared state store (Redis) is unreachable" in message and "overspending" in message
        async with session.get(stack.url("/readyz")) as response:
            ready = await response.json()
            assert response.status == 200 and ready["redis"].startswith("unreachable (ConnectionError")
        async with session.get(stack.url("/metrics")) as response:
            metrics = await response.text()
        assert 'weir_redis_failures_total{operation="admit"} 3.0' in metrics
        assert 'weir_redis_failures_total{operation="reserve"} 1.0' in metrics
        assert "weir_redis_up 0.0" in metrics
