"""The Redis state backend: the in-memory backend's behaviour table replayed against a real
redis-server, then what only Redis has to prove: atomicity under concurrency, one clock
for every gateway, keys that expire, and failing open (limits) or closed (budgets)."""

from __future__ import annotations

import asyncio
import logging
import socket
import uuid
from collections.abc import AsyncIterator

import pytest

from gateway.errors import GatewayError
from gateway.state_redis import LEDGER_GRACE_S, RedisHealth, RedisState, connect, describe

# The behaviour table of the in-memory backend, run here with ``state`` a RedisState.
from tests.gateway.test_state import (  # noqa: F401
    test_a_fixed_window_resets_at_its_boundary,
    test_a_ledger_refuses_what_would_pass_the_cap_counting_reservations,
    test_a_new_period_starts_a_new_ledger,
    test_a_sliding_window_admits_exactly_the_limit,
    test_an_adjustment_replaces_a_reservation,
    test_keys_are_independent,
)


def redis_state(url: str, prefix: str, trust_caller_clock: bool = False) -> RedisState:
    client = connect(url)
    return RedisState(client, prefix, RedisHealth(describe(client)), trust_caller_clock)


@pytest.fixture
def prefix() -> str:
    return f"test:{uuid.uuid4().hex[:12]}:"


@pytest.fixture
async def state(redis_url: str, prefix: str) -> AsyncIterator[RedisState]:
    # The table passes exact times: replay them rather than read Redis's clock.
    backend = redis_state(redis_url, prefix, trust_caller_clock=True)
    yield backend
    await backend.close()


@pytest.fixture
async def nodes(redis_url: str, prefix: str) -> AsyncIterator[tuple[RedisState, RedisState]]:
    """Two gateways' backends: separate clients and pools on one Redis, on Redis's clock."""
    pair = (redis_state(redis_url, prefix), redis_state(redis_url, prefix))
    yield pair
    for backend in pair:
        await backend.close()


@pytest.mark.parametrize("sliding", [True, False], ids=["sliding", "fixed"])
async def test_500_concurrent_admissions_against_a_limit_of_100_admit_exactly_100(
    nodes: tuple[RedisState, RedisState], sliding: bool
) -> None:
    results = await asyncio.gather(*(nodes[i % 2].admit("k", 1, 100, 3600, sliding, 0.0) for i in range(500)))
    admitted = [r for r in results if r.allowed]
    assert len(admitted) == 100
    assert len({r.ticket for r in admitted}) == 100  # every admission has its own ticket
    assert all(r.used == 100 and r.reset_after > 0 for r in results if not r.allowed)


async def test_200_concurrent_reservations_never_pass_the_cap(nodes: tuple[RedisState, RedisState]) -> None:
    cap, each = 10.0, 0.3
    spent: list[float] = []

    async def request(i: int) -> None:
        node = nodes[i % 2]
        if (await node.reserve("budget", each, cap, 2e9)).allowed:
            await asyncio.sleep(0.001 * (i % 7))  # finish in another order than reserved
            cost = each * (i % 3) / 2  # the real cost: at most the reservation
            spent.append(cost)
            await node.settle("budget", each, cost, 2e9)

    await asyncio.gather(*(request(i) for i in range(200)))
    assert sum(spent) <= cap
    after = await nodes[0].reserve("budget", 0.0, cap, 2e9)
    assert after.reserved == pytest.approx(0.0, abs=1e-9)  # every reservation settled
    assert after.spent == pytest.approx(sum(spent))


async def test_gateways_with_skewed_clocks_share_one_window_exactly(nodes: tuple[RedisState, RedisState]) -> None:
    # Their ``now`` disagrees by years; Redis's clock decides, so the window is one.
    first, second = nodes
    assert (await first.admit("k", 1, 2, 60, True, 0.0)).allowed
    assert (await second.admit("k", 1, 2, 60, True, 1e10)).allowed
    refused = await first.admit("k", 1, 2, 60, True, 5e9)
    assert not refused.allowed and refused.used == 2
    assert 59 < refused.reset_after <= 60
    assert (await second.admit("other", 1, 2, 60, False, -1.0)).allowed
    fixed = await first.admit("other", 2, 2, 60, False, 1e10)
    assert not fixed.allowed and 0 < fixed.reset_after <= 60


async def test_keys_carry_the_prefix_and_expire(nodes: tuple[RedisState, RedisState], prefix: str) -> None:
    backend = nodes[0]
    await backend.admit("rl:a", 1, 5, 60, True, 0.0)
    await backend.admit("rl:b", 1, 5, 30, False, 0.0)
    await backend.reserve("budget:c", 1.0, 5.0, 0.0)  # a period that already ended
    keys = sorted(k.decode() for k in await backend.client.keys(prefix + "*"))
    assert keys == [prefix + "budget:c", prefix + "{rl:a}:amt", prefix + "{rl:a}:log", prefix + "{rl:b}:fix"]
    ttls = {key: await backend.client.pttl(key) for key in keys}
    assert 59_000 < ttls[prefix + "{rl:a}:log"] <= 60_000 and 59_000 < ttls[prefix + "{rl:a}:amt"] <= 60_000
    assert 0 < ttls[prefix + "{rl:b}:fix"] <= 30_000  # the end of the current fixed period
    assert (LEDGER_GRACE_S - 1) * 1000 < ttls[prefix + "budget:c"] <= LEDGER_GRACE_S * 1000


async def test_a_long_window_prunes_thousands_of_entries_at_once(state: RedisState, prefix: str) -> None:
    for start in range(0, 2500, 250):
        await asyncio.gather(
            *(state.admit("k", 2, 10_000, 60, True, float(i) / 1000) for i in range(start, start + 250))
        )
    assert not (await state.admit("k", 1, 5000, 60, True, 30.0)).allowed
    partly = await state.admit("k", 1, 5000, 60, True, 61.0)  # the 1,001 entries of t <= 1 s have left
    assert partly.allowed and partly.used == 2 * 1499 + 1
    later = await state.admit("k", 1, 5000, 60, True, 63.0)  # and now all 2,500 of them
    assert later.allowed and later.used == 2  # the two admitted at t = 61 and 63
    assert await state.client.zcard(prefix + "{k}:log") == 2
    assert await state.client.hlen(prefix + "{k}:amt") == 2 + 2  # their amounts, total and seq


async def test_a_stale_ticket_never_adjusts_a_later_admission(state: RedisState) -> None:
    old = await state.admit("k", 5, 10, 10, False, 5.0)
    new = await state.admit("k", 5, 10, 10, False, 15.0)  # the next fixed period
    await state.adjust("k", old.ticket, 0.0, 10, False, 16.0)
    assert not (await state.admit("k", 6, 10, 10, False, 17.0)).allowed  # the new 5 still counts
    await state.adjust("k", new.ticket, 0.0, 10, False, 18.0)
    assert (await state.admit("k", 6, 10, 10, False, 19.0)).allowed


async def test_without_redis_limits_fail_open_and_budgets_fail_closed(caplog: pytest.LogCaptureFixture) -> None:
    port = closed_port()
    backend = redis_state(f"redis://127.0.0.1:{port}/0", "p:")
    with caplog.at_level(logging.ERROR, logger="weir.state"):
        admission = await backend.admit("k", 1, 1, 60, True, 0.0)
        assert admission.allowed and admission.ticket == ""
        await backend.adjust("k", admission.ticket, 5.0, 60, True, 0.0)
        with pytest.raises(GatewayError) as refused:
            await backend.reserve("b", 1.0, 10.0, 2e9)
        await backend.settle("b", 1.0, 1.0, 2e9)  # logged, not raised: the answer has gone
        assert await backend.ping() is not None
    await backend.close()
    assert refused.value.status == 503
    assert "shared state store (Redis) is unreachable" in refused.value.message
    assert backend.health.failures == {"admit": 1, "reserve": 1, "settle": 1, "ping": 1}
    assert not backend.health.up
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1  # one line for the outage, not one per request
    assert f"127.0.0.1:{port}/0" in errors[0] and "during admit" in errors[0]


async def test_metrics_and_recovery_are_reported(state: RedisState, caplog: pytest.LogCaptureFixture) -> None:
    state.health.failed("admit", ConnectionError("gone"), "admitted")
    with caplog.at_level(logging.WARNING, logger="weir.state"):
        assert await state.ping() is None
    assert state.health.up and "answers again" in caplog.text
    samples = {(m.name, s.labels.get("operation")): s.value for m in state.health.collect() for s in m.samples}
    assert samples[("weir_redis_failures", "admit")] == 1 and samples[("weir_redis_up", None)] == 1


def closed_port() -> int:
    """A loopback port with nothing listening on it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
