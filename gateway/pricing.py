"""What a request cost: tokens from the provider's usage times the configured list price.

Prices are data (``config/pricing.toml`` and ``[pricing]``). A dated or suffixed model
name is priced by its longest listed prefix that ends at a ``-`` or ``:``
("claude-3-5-haiku-20241022" by "claude-3-5-haiku"); an unlisted model has no cost
(NULL in the log), never a guessed one.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from config.schema import ModelPrice
from gateway.exchange import Exchange
from gateway.providers.usage import Usage

Prices = Mapping[str, Mapping[str, ModelPrice]]


class Pricing:
    def __init__(self, prices: Prices) -> None:
        self._prices = prices
        self.price = lru_cache(maxsize=1024)(self._find)

    def _find(self, provider: str, model: str) -> ModelPrice | None:
        models = self._prices.get(provider)
        if not models:
            return None
        found = models.get(model)
        if found is not None:
            return found
        best = ""
        for name in models:
            if len(name) > len(best) and model.startswith(name) and model[len(name)] in "-:@":
                best = name
        return models[best] if best else None

    def cost(self, provider: str, model: str | None, usage: Usage) -> float | None:
        """US dollars, or None when the model is unpriced or the provider reported no tokens."""
        if model is None or (usage.input_tokens is None and usage.output_tokens is None):
            return None
        price = self.price(provider, model)
        return None if price is None else price_usage(price, usage)

    def of_exchange(self, exchange: Exchange) -> float | None:
        if exchange.cache_status == "HIT":
            return 0.0  # answered from the cache: no provider was paid
        if exchange.custom_price is not None:
            return price_usage(exchange.custom_price, exchange.usage)
        return self.cost(exchange.provider, exchange.usage.model or exchange.model, exchange.usage)


def price_usage(price: ModelPrice, usage: Usage) -> float:
    """US dollars for ``usage`` at ``price``: cached input at the cache-read price, and
    reasoning tokens (which every family counts inside its output tokens) at the
    reasoning price where the list has one."""
    total_in = usage.input_tokens or 0
    cached = min(usage.cached_tokens or 0, total_in)
    cached_price = price.cached_input if price.cached_input is not None else price.input
    total_out = usage.output_tokens or 0
    reasoning = min(usage.reasoning_tokens or 0, total_out)
    reasoning_price = price.reasoning if price.reasoning is not None else price.output
    dollars = (
        (total_in - cached) * price.input
        + cached * cached_price
        + (total_out - reasoning) * price.output
        + reasoning * reasoning_price
    )
    return dollars / 1e6
