"""The budget stage: spend caps per gateway, key, user, group or metadata value, per day
or month (UTC), priced from ``config/pricing.toml``.

Reserve, then reconcile. Before the call, each applicable budget reserves the most the
call could cost: its body's bytes as input tokens (a token is at least a byte) and its
``max_tokens`` — or the rule's ``assumed_output_tokens`` — as output. A reservation that
would take spent + reserved past the cap is refused with a 429 naming the budget; so
concurrent calls can never overspend, in whatever order they finish. After the call the
reservation is released and the real cost (0 for a cache hit or a failure) is spent.

A model with no price costs nothing here: put it in ``[pricing]`` to budget it.
``weir-custom-cost: {"per_token_in": …, "per_token_out": …}`` (dollars per token, the
``cf-aig-custom-cost`` shape) prices one request, where the gateway allows it.
"""

from __future__ import annotations

import calendar
import math
from datetime import UTC, datetime
from typing import Any, NamedTuple

import orjson
from aiohttp import web

from config.schema import BudgetRule, ModelPrice
from gateway.call import Call
from gateway.errors import GatewayError
from gateway.pipeline import Next
from gateway.pricing import Pricing, price_usage
from gateway.subjects import counter_key, describe, subjects


class _Held(NamedTuple):
    key: str
    amount: float
    period_end: float


async def enforce_budgets(call: Call, next_: Next) -> web.StreamResponse:
    gateway = call.runtime.config.gateways[call.gateway]
    call.custom_price = custom_price(call, gateway.allow_custom_cost)
    if not gateway.budgets:
        return await next_(call)
    state = call.runtime.state
    pricing = call.runtime.pricing
    now = datetime.now(UTC)
    held: list[_Held] = []
    for rule in gateway.budgets:
        estimate = _estimate(call, pricing, rule)
        period_end = period_end_of(now, rule.period)
        for subject in subjects(call, rule.per):
            key = counter_key("budget", call.gateway, rule.name, subject) + f":{int(period_end)}"
            reservation = await state.reserve(key, estimate, rule.limit_usd, period_end)
            if not reservation.allowed:
                for item in held:
                    await state.settle(item.key, item.amount, 0.0, item.period_end)
                raise _refusal(rule, reservation.spent, now, period_end)
            held.append(_Held(key, estimate, period_end))
    try:
        return await next_(call)
    finally:
        if held:
            spent = _actual(call, pricing)
            for item in held:
                await state.settle(item.key, item.amount, spent, item.period_end)


def custom_price(call: Call, allowed: bool) -> ModelPrice | None:
    raw = call.request.headers.get("weir-custom-cost", call.request.headers.get("cf-aig-custom-cost"))
    if raw is None:
        return None
    if not allowed:
        raise GatewayError(400, "weir-custom-cost is not allowed on this gateway (allow_custom_cost = false)")
    try:
        value = orjson.loads(raw)
        per_in, per_out = value["per_token_in"], value["per_token_out"]
    except (orjson.JSONDecodeError, KeyError, TypeError):
        raise GatewayError(
            400, 'weir-custom-cost must be JSON like {"per_token_in": 0.000001, "per_token_out": 0.000002}'
        ) from None
    if not all(isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v < 1 for v in (per_in, per_out)):
        raise GatewayError(400, "weir-custom-cost: per_token_in and per_token_out must be dollars per token, 0 to 1")
    return ModelPrice(per_in * 1e6, per_out * 1e6)


def _price(call: Call, pricing: Pricing) -> ModelPrice | None:
    if call.custom_price is not None:
        return call.custom_price
    model = call.model
    payload: Any = call.request_json()
    if model is None and isinstance(payload, dict) and isinstance(payload.get("model"), str):
        model = payload["model"]
    if model is None or call.provider is None:
        return None
    return pricing.price(call.provider.name, model)


def _estimate(call: Call, pricing: Pricing, rule: BudgetRule) -> float:
    price = _price(call, pricing)
    if price is None:
        return 0.0
    output = call.requested_output_tokens() or rule.assumed_output_tokens
    return (len(call.body) * price.input + output * price.output) / 1e6


def _actual(call: Call, pricing: Pricing) -> float:
    if call.cache_status == "HIT" or call.status >= 400 or call.provider is None:
        return 0.0
    usage = call.settle_usage()
    if call.custom_price is not None:
        return price_usage(call.custom_price, usage)
    cost = pricing.cost(call.provider.name, usage.model or call.model, usage)
    return cost or 0.0


def period_end_of(now: datetime, period: str) -> float:
    """The end of the current UTC day or month, as epoch seconds."""
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "day":
        return start.timestamp() + 86400
    days = calendar.monthrange(now.year, now.month)[1]
    return start.replace(day=1).timestamp() + days * 86400


def _refusal(rule: BudgetRule, spent: float, now: datetime, period_end: float) -> GatewayError:
    retry = max(1, math.ceil(period_end - now.timestamp()))
    message = (
        f"budget {rule.name!r} for {describe(rule.per)} is used up: ${spent:.2f} of ${rule.limit_usd:.2f} "
        f"spent this {rule.period}; it resets in {retry}s"
    )
    return GatewayError(429, message, {"Retry-After": str(retry)})
