"""Shared counters for rate limits and budgets, behind one small interface, so one
process keeps them in memory and many processes share them in Redis (``state_redis``).

Two primitives:

- a *window*: amounts (1 per request, or tokens) recorded with their time; a new amount
  is admitted only if the window's total stays within the limit. ``sliding`` windows
  count the last ``window`` seconds exactly (a log of entries); fixed windows count
  from the start of the current period. An admitted amount can later be *adjusted*
  (a token reservation made from an estimate, settled with the real usage).
- a *ledger*: money per period, with ``reserve`` before a request (refused if spent +
  reserved + the new reservation would pass the limit) and ``settle`` after it (the
  reservation replaced by what was really spent). Concurrent requests therefore can
  never spend past the cap, whatever order they finish in.

Every operation is atomic: in memory because it never awaits midway, in Redis because
each is one Lua script.
"""

from __future__ import annotations

import itertools
import math
from collections import deque
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol


class Admission(NamedTuple):
    allowed: bool
    used: float  # in the window after this call (without the refused amount)
    reset_after: float  # seconds until enough of the window frees up for this amount (0 if allowed)
    ticket: str  # names the admitted amount, for ``adjust``; "" when refused


class Reservation(NamedTuple):
    allowed: bool
    spent: float
    reserved: float


class StateBackend(Protocol):
    async def admit(
        self, key: str, amount: float, limit: float, window: float, sliding: bool, now: float
    ) -> Admission: ...

    async def adjust(self, key: str, ticket: str, amount: float, window: float, sliding: bool, now: float) -> None: ...

    async def reserve(self, key: str, amount: float, limit: float, period_end: float) -> Reservation: ...

    async def settle(self, key: str, reserved: float, spent: float, period_end: float) -> None: ...

    async def close(self) -> None: ...


@dataclass(slots=True)
class _Window:
    entries: deque[tuple[float, str, float]] = field(default_factory=deque)  # (time, ticket, amount)
    total: float = 0.0
    fixed_start: float = 0.0


@dataclass(slots=True)
class _Ledger:
    spent: float = 0.0
    reserved: float = 0.0
    period_end: float = 0.0


_SWEEP_EVERY = 4096
_LONGEST = 31 * 86400.0  # no window is longer than a month


class MemoryState:
    """One process's counters. Keys for idle subjects are dropped as their windows empty."""

    def __init__(self) -> None:
        self._windows: dict[str, _Window] = {}
        self._ledgers: dict[str, _Ledger] = {}
        self._tickets = itertools.count(1)
        self._calls = 0

    async def admit(self, key: str, amount: float, limit: float, window: float, sliding: bool, now: float) -> Admission:
        self._calls += 1
        if self._calls % _SWEEP_EVERY == 0:
            self._sweep(now)
        state = self._window(key, window, sliding, now)
        if state.total + amount > limit:
            return Admission(False, state.total, self._reset_after(state, amount, limit, window, sliding, now), "")
        ticket = str(next(self._tickets))
        state.entries.append((now, ticket, amount))
        state.total += amount
        return Admission(True, state.total, 0.0, ticket)

    async def adjust(self, key: str, ticket: str, amount: float, window: float, sliding: bool, now: float) -> None:
        state = self._windows.get(key)
        if state is None:
            return  # the window moved on; nothing of this request is counted any more
        for index, (at, own, old) in enumerate(state.entries):
            if own == ticket:
                state.entries[index] = (at, own, amount)
                state.total += amount - old
                return

    async def reserve(self, key: str, amount: float, limit: float, period_end: float) -> Reservation:
        ledger = self._ledger(key, period_end)
        if ledger.spent + ledger.reserved + amount > limit:
            return Reservation(False, ledger.spent, ledger.reserved)
        ledger.reserved += amount
        return Reservation(True, ledger.spent, ledger.reserved)

    async def settle(self, key: str, reserved: float, spent: float, period_end: float) -> None:
        ledger = self._ledger(key, period_end)
        ledger.reserved = max(0.0, ledger.reserved - reserved)
        ledger.spent += spent

    async def close(self) -> None:
        return None

    def _window(self, key: str, window: float, sliding: bool, now: float) -> _Window:
        state = self._windows.get(key)
        if state is None:
            state = self._windows[key] = _Window(fixed_start=_period_start(now, window))
        if sliding:
            entries = state.entries
            while entries and entries[0][0] <= now - window:
                state.total -= entries.popleft()[2]
        elif now >= state.fixed_start + window:
            state.entries.clear()
            state.total = 0.0
            state.fixed_start = _period_start(now, window)
        return state

    def _reset_after(
        self, state: _Window, amount: float, limit: float, window: float, sliding: bool, now: float
    ) -> float:
        if not sliding:
            return state.fixed_start + window - now
        # The earliest time at which enough old entries have left the window.
        needed = state.total + amount - limit
        freed = 0.0
        for at, _, old in state.entries:
            freed += old
            if freed >= needed:
                return max(0.0, at + window - now)
        return window

    def _sweep(self, now: float) -> None:
        """Forget subjects with nothing left to count, so idle users cost no memory."""
        for key in [k for k, w in self._windows.items() if not w.entries or w.entries[-1][0] < now - _LONGEST]:
            del self._windows[key]
        for key in [k for k, ledger in self._ledgers.items() if ledger.period_end <= now and not ledger.reserved]:
            del self._ledgers[key]

    def _ledger(self, key: str, period_end: float) -> _Ledger:
        ledger = self._ledgers.get(key)
        if ledger is None or ledger.period_end != period_end:
            ledger = self._ledgers[key] = _Ledger(period_end=period_end)
        return ledger


def _period_start(now: float, window: float) -> float:
    return math.floor(now / window) * window
