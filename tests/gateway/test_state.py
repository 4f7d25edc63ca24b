"""The in-memory state backend: exact sliding windows, fixed windows, adjustments,
reserve-then-settle ledgers. The Redis backend runs the same table (test_state_redis)."""

from __future__ import annotations

import pytest

from gateway.state import MemoryState, StateBackend


@pytest.fixture
def state() -> StateBackend:
    return MemoryState()


async def test_a_sliding_window_admits_exactly_the_limit(state: StateBackend) -> None:
    results = [await state.admit("k", 1, 3, 10, True, 100.0 + i) for i in range(5)]
    assert [r.allowed for r in results] == [True, True, True, False, False]
    refused = results[3]
    assert refused.used == 3
    assert refused.reset_after == pytest.approx(7.0)  # the first entry (t=100) leaves at t=110
    assert (await state.admit("k", 1, 3, 10, True, 110.0)).allowed  # it has left


async def test_a_fixed_window_resets_at_its_boundary(state: StateBackend) -> None:
    assert (await state.admit("k", 2, 3, 60, False, 61.0)).allowed
    refused = await state.admit("k", 2, 3, 60, False, 100.0)
    assert not refused.allowed and refused.reset_after == pytest.approx(20.0)
    assert (await state.admit("k", 2, 3, 60, False, 120.0)).allowed  # a new window began at 120


async def test_an_adjustment_replaces_a_reservation(state: StateBackend) -> None:
    first = await state.admit("k", 50, 100, 60, True, 0.0)
    assert not (await state.admit("k", 60, 100, 60, True, 1.0)).allowed
    await state.adjust("k", first.ticket, 10, 60, True, 2.0)  # the real usage was smaller
    assert (await state.admit("k", 60, 100, 60, True, 3.0)).allowed


async def test_keys_are_independent(state: StateBackend) -> None:
    assert (await state.admit("a", 1, 1, 60, True, 0.0)).allowed
    assert (await state.admit("b", 1, 1, 60, True, 0.0)).allowed
    assert not (await state.admit("a", 1, 1, 60, True, 0.0)).allowed


async def test_a_ledger_refuses_what_would_pass_the_cap_counting_reservations(state: StateBackend) -> None:
    assert (await state.reserve("b", 4.0, 10.0, 1000.0)).allowed
    assert (await state.reserve("b", 4.0, 10.0, 1000.0)).allowed
    refused = await state.reserve("b", 4.0, 10.0, 1000.0)  # 8 reserved + 4 > 10
    assert not refused.allowed and refused.reserved == 8.0
    await state.settle("b", 4.0, 1.0, 1000.0)  # one finished, costing 1
    assert (await state.reserve("b", 4.0, 10.0, 1000.0)).allowed  # 1 spent + 4 + 4 reserved <= 10
    assert not (await state.reserve("b", 2.0, 10.0, 1000.0)).allowed


async def test_a_new_period_starts_a_new_ledger(state: StateBackend) -> None:
    await state.reserve("b", 5.0, 5.0, 1000.0)
    await state.settle("b", 5.0, 5.0, 1000.0)
    assert not (await state.reserve("b", 1.0, 5.0, 1000.0)).allowed
    assert (await state.reserve("b", 1.0, 5.0, 2000.0)).allowed
