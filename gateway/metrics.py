"""Prometheus metrics for the gateway, owned by the app (no module-level state).

Recording sits on the request path, so it is plain dictionary and integer arithmetic
on the event-loop thread (measured: prometheus_client's locked metric objects cost more
per request than the rest of the bookkeeping together). Values are turned into metric
families only when ``/metrics`` is scraped, and rendered by prometheus_client, so the
exposition format stays the reference one.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Mapping
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector

from gateway.exchange import Exchange
from gateway.logs.writer import LogWriter

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)


class Histogram:
    __slots__ = ("counts", "total")

    def __init__(self) -> None:
        self.counts = [0] * (len(LATENCY_BUCKETS) + 1)  # the last slot is +Inf
        self.total = 0.0

    def observe(self, value: float) -> None:
        self.counts[bisect_left(LATENCY_BUCKETS, value)] += 1
        self.total += value

    def cumulative(self) -> list[tuple[str, float]]:
        running, out = 0, []
        for bound, count in zip((*map(str, LATENCY_BUCKETS), "+Inf"), self.counts, strict=True):
            running += count
            out.append((bound, float(running)))
        return out


class Metrics:
    def __init__(self) -> None:
        self.in_flight = 0
        self.requests: dict[tuple[str, str, str, int], int] = {}
        self.latency: dict[tuple[str, str], Histogram] = {}
        self.ttfb: dict[tuple[str, str], Histogram] = {}
        self.tokens: dict[tuple[str, str, str], int] = {}
        self.upstream_errors: dict[tuple[str, str], int] = {}
        self.log_writer: LogWriter | None = None
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(_Collector(self))

    def observe(self, exchange: Exchange) -> None:
        key = (exchange.gateway, exchange.provider, exchange.endpoint, exchange.status)
        self.requests[key] = self.requests.get(key, 0) + 1
        pair = key[:2]
        latency = self.latency.get(pair)
        if latency is None:
            latency = self.latency[pair] = Histogram()
            self.ttfb[pair] = Histogram()
        latency.observe(exchange.duration)
        if exchange.ttfb is not None:
            self.ttfb[pair].observe(exchange.ttfb)
        usage = exchange.usage
        if usage.input_tokens or usage.output_tokens:
            model = usage.model or "unknown"
            for direction, count in (("input", usage.input_tokens), ("output", usage.output_tokens)):
                token_key = (exchange.provider, model, direction)
                self.tokens[token_key] = self.tokens.get(token_key, 0) + (count or 0)

    def upstream_error(self, provider: str, kind: str) -> None:
        key = (provider, kind)
        self.upstream_errors[key] = self.upstream_errors.get(key, 0) + 1

    def render(self) -> bytes:
        return generate_latest(self.registry)


class _Collector(Collector):
    def __init__(self, metrics: Metrics) -> None:
        self._metrics = metrics

    def collect(self) -> Iterator[Metric]:
        m = self._metrics
        yield _counter(
            "weir_requests",
            "Requests answered, by gateway, provider, endpoint and status.",
            ["gateway", "provider", "endpoint", "status"],
            m.requests,
        )
        for name, doc, source in (
            ("weir_request_duration_seconds", "Time from request start to the last byte sent.", m.latency),
            ("weir_time_to_first_byte_seconds", "Time from request start to the first byte sent.", m.ttfb),
        ):
            family = HistogramMetricFamily(name, doc, labels=["gateway", "provider"])
            for labels, histogram in list(source.items()):
                family.add_metric(list(labels), histogram.cumulative(), histogram.total)
            yield family
        yield GaugeMetricFamily("weir_requests_in_flight", "Requests being handled now.", value=m.in_flight)
        yield _counter(
            "weir_upstream_errors",
            "Upstream failures: unreachable, timeout, reset, truncated stream.",
            ["provider", "kind"],
            m.upstream_errors,
        )
        yield _counter("weir_tokens", "Tokens reported by providers.", ["provider", "model", "direction"], m.tokens)
        writer = m.log_writer
        if writer is not None:
            yield CounterMetricFamily("weir_log_records_written", "Request-log records committed.", writer.written)
            yield CounterMetricFamily(
                "weir_log_records_shed", "Request-log records dropped because the writer's queue was full.", writer.shed
            )
            yield CounterMetricFamily(
                "weir_log_flush_failures", "Log flushes that failed and were retried.", writer.failed_flushes
            )
            yield GaugeMetricFamily("weir_log_queue_depth", "Request-log records waiting to be written.", writer.depth)
            yield GaugeMetricFamily("weir_log_writer_alive", "1 while the log writer thread runs.", int(writer.alive))


def _counter(name: str, doc: str, labels: list[str], values: Mapping[Any, int]) -> CounterMetricFamily:
    family = CounterMetricFamily(name, doc, labels=labels)
    for key, value in list(values.items()):
        family.add_metric([str(label) for label in key], float(value))
    return family
