"""Prometheus metrics for the gateway, on a registry owned by the app (no globals).

Labelled children are looked up once per label set and kept, so recording an exchange
costs a few dictionary hits on the request path.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from gateway.exchange import Exchange

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "weir_requests",
            "Requests answered, by gateway, provider, endpoint and status.",
            ["gateway", "provider", "endpoint", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "weir_request_duration_seconds",
            "Time from request start to the last byte sent.",
            ["gateway", "provider"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.ttfb = Histogram(
            "weir_time_to_first_byte_seconds",
            "Time from request start to the first byte sent.",
            ["gateway", "provider"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.in_flight = Gauge("weir_requests_in_flight", "Requests being handled now.", registry=self.registry)
        self.upstream_errors = Counter(
            "weir_upstream_errors",
            "Upstream failures: unreachable, timeout, reset, truncated stream.",
            ["provider", "kind"],
            registry=self.registry,
        )
        self.tokens = Counter(
            "weir_tokens",
            "Tokens reported by providers.",
            ["provider", "model", "direction"],
            registry=self.registry,
        )
        self._counters: dict[tuple[str, str, str, int], Counter] = {}
        self._histograms: dict[tuple[str, str], tuple[Histogram, Histogram]] = {}

    def observe(self, exchange: Exchange) -> None:
        key = (exchange.gateway, exchange.provider, exchange.endpoint, exchange.status)
        counter = self._counters.get(key)
        if counter is None:
            counter = self._counters[key] = self.requests.labels(*key[:3], str(key[3]))
        counter.inc()
        pair = self._histograms.get(key[:2])
        if pair is None:
            pair = self._histograms[key[:2]] = (self.latency.labels(*key[:2]), self.ttfb.labels(*key[:2]))
        pair[0].observe(exchange.duration)
        if exchange.ttfb is not None:
            pair[1].observe(exchange.ttfb)
        usage = exchange.usage
        if usage.input_tokens or usage.output_tokens:
            model = usage.model or "unknown"
            self.tokens.labels(exchange.provider, model, "input").inc(usage.input_tokens or 0)
            self.tokens.labels(exchange.provider, model, "output").inc(usage.output_tokens or 0)

    def upstream_error(self, provider: str, kind: str) -> None:
        self.upstream_errors.labels(provider, kind).inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)
