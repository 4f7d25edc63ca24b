"""``RedisState``: the rate-limit windows and budget ledgers of ``state`` kept in Redis,
so every gateway process and machine counts against the same numbers.

Each operation is one Lua script (EVALSHA, loaded once per server by ``register_script``),
so it is atomic however many gateways call at once: there is no read-then-write gap for
two of them to slip through.

Clock. The scripts read Redis's own clock (``TIME``) and ignore the ``now`` that callers
pass: two gateways whose clocks disagree by seconds still share one window exactly, and
a fixed window starts at the same instant for all of them. Budget periods are the one
place a gateway's clock still counts: the stage computes the period's end (midnight UTC,
the month's end) and it is part of the ledger's key, so nodes whose clocks straddle a
midnight use two ledgers for as long as they disagree. ``trust_caller_clock=True`` uses
the passed ``now`` instead; it exists so the behaviour table can replay exact times.

Keys (all under ``[state] key_prefix``):

- a sliding window is a sorted set ``P{KEY}:log`` (member: the admission's ticket;
  score: its time) and a hash ``P{KEY}:amt`` (ticket -> amount, plus the running
  ``total`` and a ``seq``). The braces are a cluster hash tag: both land on one slot.
  Each admission prunes what has left the window, then admits or refuses; both keys
  expire one window after the newest admission, so idle subjects cost nothing.
- a fixed window is one hash ``P{KEY}:fix`` holding its ``start``, ``total`` and the
  tickets of the current period; the first admission of a new period resets it.
- a budget ledger is one hash ``P{KEY}`` with ``end``, ``spent`` and ``reserved``; it
  expires an hour after its period ends.
A ticket names the window's start or time as well as a sequence number, so a ticket
outliving its window can never adjust a later admission.

When Redis fails. Rate limits fail *open*: an admission that cannot reach Redis is let
through uncounted, because a limiter outage should not become an outage of every
model behind the gateway. Budgets fail *closed*: a reservation that cannot reach Redis
is a 503 naming the problem, because a budget is a promise not to spend money. Either
way each failure is counted (``weir_redis_failures_total{operation}``) and logged —
once when the outage starts, then at most every ``LOG_EVERY_S`` with the count, and once
when Redis answers again. Settlements after a response are logged and counted but not
raised: the answer has been sent, and an unsettled reservation only holds back budget,
never lets it be overspent. The client retries a command only on a connection error (not
on a timeout, where the script may have run): at worst one admission or reservation is
counted twice, never missed.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterator

import redis.asyncio as aioredis
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

from config.schema import StateConfig
from gateway.errors import GatewayError
from gateway.state import Admission, Reservation

log = logging.getLogger("weir.state")

LOG_EVERY_S = 10.0
MAX_CONNECTIONS = 64  # per process; more callers wait for a free connection
POOL_WAIT_S = 5.0
SOCKET_TIMEOUT_S = 2.0
LEDGER_GRACE_S = 3600  # a ledger outlives its period by this, for calls settling across it

_CLOCK = """
local function clock(arg)
  if arg ~= '' then return tonumber(arg) end
  local t = redis.call('TIME')
  return tonumber(t[1]) + tonumber(t[2]) / 1000000
end
local function num(x) return string.format('%.17g', x) end
local function ms(seconds) return math.max(1, math.ceil(seconds * 1000)) end
"""

# KEYS: log (zset), amounts (hash). ARGV: amount, limit, window, now ('' = Redis TIME).
# Returns {allowed, used, reset_after, ticket}.
_SLIDING_ADMIT = (
    _CLOCK
    + """
local log, amounts = KEYS[1], KEYS[2]
local amount, limit, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local now = clock(ARGV[4])
local total = tonumber(redis.call('HGET', amounts, 'total') or '0')
local horizon = num(now - window)
local expired = redis.call('ZRANGEBYSCORE', log, '-inf', horizon)
if #expired > 0 then
  for i = 1, #expired, 1000 do
    local chunk = {unpack(expired, i, math.min(i + 999, #expired))}
    local olds = redis.call('HMGET', amounts, unpack(chunk))
    for j = 1, #chunk do total = total - (tonumber(olds[j]) or 0) end
    redis.call('HDEL', amounts, unpack(chunk))
  end
  redis.call('ZREMRANGEBYSCORE', log, '-inf', horizon)
  if total < 0 or redis.call('ZCARD', log) == 0 then total = 0 end
  redis.call('HSET', amounts, 'total', num(total))
end
if amount > limit then
  return {0, num(total), num(window), ''}  -- never admissible: as long as the window
end
if total + amount > limit then
  -- The earliest time at which enough of the oldest admissions have left the window.
  local needed, freed, reset, start, found = total + amount - limit, 0, window, 0, false
  while not found do
    local batch = redis.call('ZRANGE', log, start, start + 255, 'WITHSCORES')
    if #batch == 0 then break end
    local tickets = {}
    for i = 1, #batch, 2 do tickets[#tickets + 1] = batch[i] end
    local olds = redis.call('HMGET', amounts, unpack(tickets))
    for j = 1, #tickets do
      freed = freed + (tonumber(olds[j]) or 0)
      if freed >= needed then
        reset = math.max(0, tonumber(batch[2 * j]) + window - now)
        found = true
        break
      end
    end
    start = start + 256
  end
  return {0, num(total), num(reset), ''}
end
local ticket = num(now) .. '#' .. redis.call('HINCRBY', amounts, 'seq', 1)
total = total + amount
redis.call('ZADD', log, num(now), ticket)
redis.call('HSET', amounts, ticket, num(amount), 'total', num(total))
redis.call('PEXPIRE', log, ms(window))
redis.call('PEXPIRE', amounts, ms(window))
return {1, num(total), '0', ticket}
"""
)

# KEYS: a sliding window's amounts or a fixed window (both hashes of ticket -> amount
# plus ``total``). ARGV: ticket, amount. A ticket already pruned, or of an earlier fixed
# period, is no longer there and is left alone.
_ADJUST = """
local old = redis.call('HGET', KEYS[1], ARGV[1])
if not old then return 0 end
local total = tonumber(redis.call('HGET', KEYS[1], 'total') or '0') + tonumber(ARGV[2]) - tonumber(old)
if total < 0 then total = 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2], 'total', string.format('%.17g', total))
return 1
"""

# KEYS: window (hash). ARGV: amount, limit, window, now. Returns as _SLIDING_ADMIT.
_FIXED_ADMIT = (
    _CLOCK
    + """
local key = KEYS[1]
local amount, limit, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local now = clock(ARGV[4])
local start = math.floor(now / window) * window
local current = redis.call('HMGET', key, 'start', 'total')
local total = 0
if current[1] and tonumber(current[1]) == start then
  total = tonumber(current[2]) or 0
elseif current[1] then
  redis.call('DEL', key)
end
if total + amount > limit then
  return {0, num(total), num(start + window - now), ''}
end
local ticket = num(start) .. '#' .. redis.call('HINCRBY', key, 'seq', 1)
total = total + amount
redis.call('HSET', key, 'start', num(start), 'total', num(total), ticket, num(amount))
redis.call('PEXPIRE', key, ms(start + window - now))
return {1, num(total), '0', ticket}
"""
)

# KEYS: ledger (hash). ARGV: amount, limit, period_end, grace. Returns {allowed, spent, reserved}.
_RESERVE = (
    _CLOCK
    + """
local key = KEYS[1]
local amount, limit, period_end = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local current = redis.call('HMGET', key, 'end', 'spent', 'reserved')
local spent, reserved = 0, 0
if current[1] and tonumber(current[1]) == period_end then
  spent, reserved = tonumber(current[2]) or 0, tonumber(current[3]) or 0
end
if spent + reserved + amount > limit then
  return {0, num(spent), num(reserved)}
end
reserved = reserved + amount
redis.call('HSET', key, 'end', num(period_end), 'spent', num(spent), 'reserved', num(reserved))
redis.call('PEXPIRE', key, ms(math.max(0, period_end - clock('')) + tonumber(ARGV[4])))
return {1, num(spent), num(reserved)}
"""
)

# KEYS: ledger (hash). ARGV: reserved, spent, period_end, grace.
_SETTLE = (
    _CLOCK
    + """
local key = KEYS[1]
local period_end = tonumber(ARGV[3])
local current = redis.call('HMGET', key, 'end', 'spent', 'reserved')
local spent, reserved = 0, 0
if current[1] and tonumber(current[1]) == period_end then
  spent, reserved = tonumber(current[2]) or 0, tonumber(current[3]) or 0
end
reserved = math.max(0, reserved - tonumber(ARGV[1]))
spent = spent + tonumber(ARGV[2])
redis.call('HSET', key, 'end', num(period_end), 'spent', num(spent), 'reserved', num(reserved))
redis.call('PEXPIRE', key, ms(math.max(0, period_end - clock('')) + tonumber(ARGV[4])))
return 1
"""
)


class RedisHealth(Collector):
    """Failed Redis operations, counted by operation and reported in the log once per
    outage (then every ``LOG_EVERY_S``), not once per request. Shared by the state and the
    cache of one process, and exported on ``/metrics``."""

    def __init__(self, where: str, clock: Callable[[], float] = time.monotonic) -> None:
        self.where = where  # host:port/db: never the URL, which may hold a password
        self.failures: dict[str, int] = {}
        self.up = True
        self._clock = clock
        self._last_report = -math.inf
        self._unreported = 0

    def failed(self, operation: str, error: Exception, consequence: str) -> None:
        self.failures[operation] = self.failures.get(operation, 0) + 1
        self._unreported += 1
        now = self._clock()
        if self.up or now - self._last_report >= LOG_EVERY_S:
            log.error(
                "Redis at %s failed (%s: %s) during %s: %s; %d failed operation(s) since the last report",
                self.where,
                type(error).__name__,
                error,
                operation,
                consequence,
                self._unreported,
            )
            self._last_report = now
            self._unreported = 0
        self.up = False

    def succeeded(self) -> None:
        if not self.up:
            self.up = True
            log.warning("Redis at %s answers again", self.where)

    def collect(self) -> Iterator[Metric]:
        family = CounterMetricFamily(
            "weir_redis_failures",
            "Redis operations that failed, by operation: limits admitted them, budgets refused them (503).",
            labels=["operation"],
        )
        for operation, count in list(self.failures.items()):
            family.add_metric([operation], float(count))
        yield family
        yield GaugeMetricFamily("weir_redis_up", "1 while the last Redis operation succeeded.", value=int(self.up))


def connect(url: str) -> aioredis.Redis:
    """One pooled client for the state and the cache of a process: bounded connections,
    short timeouts (a stuck Redis must not hang requests), one retry on connection errors."""
    try:
        pool = aioredis.BlockingConnectionPool.from_url(
            url,
            max_connections=MAX_CONNECTIONS,
            timeout=POOL_WAIT_S,
            socket_timeout=SOCKET_TIMEOUT_S,
            socket_connect_timeout=SOCKET_TIMEOUT_S,
            retry=Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
            health_check_interval=30,
        )
    except ValueError:
        raise ValueError("state.redis_url: expected a URL like redis://HOST:6379/0 (or rediss://, unix://)") from None
    return aioredis.Redis.from_pool(pool)


def describe(client: aioredis.Redis) -> str:
    kwargs = client.connection_pool.connection_kwargs
    if "path" in kwargs:
        return f"unix:{kwargs['path']}"
    return f"{kwargs.get('host', 'localhost')}:{kwargs.get('port', 6379)}/{kwargs.get('db', 0)}"


class RedisState:
    """Rate-limit windows and budget ledgers shared through one Redis (see the module doc)."""

    def __init__(
        self, client: aioredis.Redis, key_prefix: str, health: RedisHealth, trust_caller_clock: bool = False
    ) -> None:
        self.client = client
        self.health = health
        self._prefix = key_prefix
        self._trust_caller_clock = trust_caller_clock
        self._sliding_admit = client.register_script(_SLIDING_ADMIT)
        self._adjust = client.register_script(_ADJUST)
        self._fixed_admit = client.register_script(_FIXED_ADMIT)
        self._reserve = client.register_script(_RESERVE)
        self._settle = client.register_script(_SETTLE)

    @classmethod
    def from_config(cls, config: StateConfig) -> RedisState:
        client = connect(config.redis_url)
        return cls(client, config.key_prefix, RedisHealth(describe(client)))

    async def admit(self, key: str, amount: float, limit: float, window: float, sliding: bool, now: float) -> Admission:
        clock = repr(now) if self._trust_caller_clock else ""
        args = (repr(float(amount)), repr(float(limit)), repr(float(window)), clock)
        try:
            if sliding:
                reply = await self._sliding_admit(keys=self._sliding_keys(key), args=args)
            else:
                reply = await self._fixed_admit(keys=[self._fixed_key(key)], args=args)
        except RedisError as error:
            self.health.failed("admit", error, "rate limits admit requests uncounted until it answers")
            return Admission(True, 0.0, 0.0, "")
        self.health.succeeded()
        allowed, used, reset_after, ticket = reply
        return Admission(int(allowed) == 1, float(used), float(reset_after), _text(ticket))

    async def adjust(self, key: str, ticket: str, amount: float, window: float, sliding: bool, now: float) -> None:
        if not ticket:
            return  # admitted while Redis was unreachable: nothing was counted
        target = self._sliding_keys(key)[1] if sliding else self._fixed_key(key)
        try:
            await self._adjust(keys=[target], args=(ticket, repr(float(amount))))
        except RedisError as error:
            self.health.failed("adjust", error, "a token limit keeps its estimate instead of the real usage")
            return
        self.health.succeeded()

    async def reserve(self, key: str, amount: float, limit: float, period_end: float) -> Reservation:
        args = (repr(float(amount)), repr(float(limit)), repr(float(period_end)), str(LEDGER_GRACE_S))
        try:
            reply = await self._reserve(keys=[self._prefix + key], args=args)
        except RedisError as error:
            self.health.failed("reserve", error, "requests under a budget are refused (503) until it answers")
            raise GatewayError(
                503,
                "the gateway cannot check this request's budget: its shared state store (Redis) is unreachable; "
                "requests under a budget are refused rather than risk overspending it. Retry shortly.",
                {"Retry-After": "1"},
            ) from None
        self.health.succeeded()
        allowed, spent, reserved = reply
        return Reservation(int(allowed) == 1, float(spent), float(reserved))

    async def settle(self, key: str, reserved: float, spent: float, period_end: float) -> None:
        args = (repr(float(reserved)), repr(float(spent)), repr(float(period_end)), str(LEDGER_GRACE_S))
        try:
            await self._settle(keys=[self._prefix + key], args=args)
        except RedisError as error:
            self.health.failed(
                "settle", error, "a reservation stays held, and its spend unrecorded, until the period ends"
            )
            return
        self.health.succeeded()

    async def ping(self) -> str | None:
        """None when Redis answers; else the kind of failure, for ``/readyz`` (the log has
        the details, which name hosts a public endpoint should not)."""
        try:
            await self.client.ping()
        except RedisError as error:
            self.health.failed("ping", error, "shared limits, budgets and cache are unavailable")
            return f"{type(error).__name__}; see the gateway's log"
        self.health.succeeded()
        return None

    async def close(self) -> None:
        await self.client.aclose()

    def _sliding_keys(self, key: str) -> list[str]:
        tagged = f"{self._prefix}{{{key}}}"
        return [tagged + ":log", tagged + ":amt"]

    def _fixed_key(self, key: str) -> str:
        return f"{self._prefix}{{{key}}}:fix"


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
