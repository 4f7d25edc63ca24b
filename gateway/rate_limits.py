"""The rate-limit stage: each of the gateway's ``rate_limits`` rules admits the call for
every subject it counts (see ``subjects``), or the call is refused with a 429.

A request limit counts 1 per call. A token limit reserves an estimate before the call
(a quarter of the body's bytes, plus its ``max_tokens`` when it names one) and, once the
answer is in, replaces it with the real input + output tokens from the provider's usage.
Refused: 429 in the caller's format naming the rule, with ``Retry-After`` and OpenAI's
``x-ratelimit-limit-*``, ``x-ratelimit-remaining-*``, ``x-ratelimit-reset-*`` headers for
the unit that ran out. Admissions already made for the refused call are taken back.
"""

from __future__ import annotations

import math
import time
from typing import NamedTuple

from aiohttp import web

from config.schema import RateLimitRule
from gateway.call import Call
from gateway.errors import GatewayError
from gateway.pipeline import Next
from gateway.subjects import counter_key, describe, subjects


class _Admitted(NamedTuple):
    rule: RateLimitRule
    key: str
    ticket: str


async def rate_limit(call: Call, next_: Next) -> web.StreamResponse:
    rules = call.runtime.config.gateways[call.gateway].rate_limits
    if not rules:
        return await next_(call)
    state = call.runtime.state
    now = time.time()
    admitted: list[_Admitted] = []
    for rule in rules:
        amount = 1.0 if rule.unit == "requests" else float(estimate_tokens(call))
        for subject in subjects(call, rule.per):
            key = counter_key("rl", call.gateway, rule.name, subject)
            sliding = rule.algorithm == "sliding"
            admission = await state.admit(key, amount, rule.limit, rule.window, sliding, now)
            if not admission.allowed:
                for earlier in admitted:
                    earlier_sliding = earlier.rule.algorithm == "sliding"
                    await state.adjust(earlier.key, earlier.ticket, 0.0, earlier.rule.window, earlier_sliding, now)
                raise _refusal(rule, admission.used, admission.reset_after)
            admitted.append(_Admitted(rule, key, admission.ticket))
    try:
        return await next_(call)
    finally:
        token_rules = [a for a in admitted if a.rule.unit == "tokens"]
        if token_rules:
            usage = call.settle_usage()
            used = float((usage.input_tokens or 0) + (usage.output_tokens or 0))
            for item in token_rules:
                await state.adjust(
                    item.key, item.ticket, used, item.rule.window, item.rule.algorithm == "sliding", time.time()
                )


def estimate_tokens(call: Call) -> int:
    """A token reservation made before the answer: about four bytes a token, plus the
    output the request asks room for."""
    return max(1, len(call.body) // 4) + (call.requested_output_tokens() or 0)


def _refusal(rule: RateLimitRule, used: float, reset_after: float) -> GatewayError:
    unit = rule.unit
    retry = max(1, math.ceil(reset_after))
    headers = {
        "Retry-After": str(retry),
        f"x-ratelimit-limit-{unit}": str(rule.limit),
        f"x-ratelimit-remaining-{unit}": str(max(0, int(rule.limit - used))),
        f"x-ratelimit-reset-{unit}": openai_duration(reset_after),
    }
    message = (
        f"rate limit {rule.name!r} reached: {rule.limit} {unit} per {openai_duration(rule.window)} "
        f"for {describe(rule.per)}; retry in {retry}s"
    )
    return GatewayError(429, message, headers)


def openai_duration(seconds: float) -> str:
    """OpenAI's reset format: "20ms", "1s", "6m0s", "1h2m3s"."""
    if seconds < 1:
        return f"{max(0, round(seconds * 1000))}ms"
    whole = math.ceil(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes}m{secs}s"
    if minutes:
        return f"{minutes}m{secs}s"
    return f"{secs}s"
