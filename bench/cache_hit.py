"""Exact-cache hit latency, next to the direct upstream measured in the same run.

One client sends the same chat request over a kept-alive connection, one at a time:
straight to the fake upstream (the baseline), through the gateway with
``weir-skip-cache: true`` (a proxied miss), and through the gateway answered from the
cache (a HIT). The gateway is ``weir serve`` in its own process, DLP on as shipped, the
request log on. Target: HIT p99 ≤ 2 ms on this machine. Then the same three under
``--concurrency`` clients with the load generator of ``bench/proxy_overhead.py``.

    python bench/cache_hit.py                    # about half a minute
    python bench/cache_hit.py --requests 500 --duration 3
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from pathlib import Path

if __package__ in (None, ""):  # run as ``python bench/cache_hit.py``: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.proxy_overhead import (
    HOST,
    REQUEST_BODY,
    REQUEST_HEADERS,
    SPAWN,
    free_port,
    run_load,
    run_upstream,
    start_gateway,
    start_spawned,
)

CACHED = '\n[gateways.default]\ncache_ttl = "1h"\n'
PATH = "/v1/default/openai/chat/completions"


def latencies(port: int, path: str, headers: dict[str, str], count: int, warmup: int) -> list[float]:
    """Milliseconds per request, one at a time on one kept-alive connection."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    out: list[float] = []
    try:
        for n in range(warmup + count):
            started = time.perf_counter()
            conn.request("POST", path, body=REQUEST_BODY, headers=headers)
            response = conn.getresponse()
            body = response.read()
            elapsed = (time.perf_counter() - started) * 1e3
            if response.status != 200:
                raise RuntimeError(f"{path}: status {response.status}: {body[:200]!r}")
            if n >= warmup:
                out.append(elapsed)
    finally:
        conn.close()
    return out


def cache_status(port: int) -> str:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("POST", PATH, body=REQUEST_BODY, headers=REQUEST_HEADERS)
        response = conn.getresponse()
        response.read()
        return response.getheader("weir-cache-status") or "none"
    finally:
        conn.close()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000, help="sequential requests per target")
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds of concurrent load per target")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args(argv)
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="weir-cache-bench-")))
        upstream_port = free_port()
        start_spawned(stack, run_upstream, upstream_port)
        _, port, _ = start_gateway(stack, upstream_port, tmp, dlp=True, extra_toml=CACHED)
        first = cache_status(port)
        second = cache_status(port)
        if (first, second) != ("MISS", "HIT"):
            raise RuntimeError(f"the cache did not engage: {first} then {second}")
        skip = {**REQUEST_HEADERS, "weir-skip-cache": "true"}
        sequential = {
            "direct upstream": latencies(
                upstream_port, "/v1/chat/completions", REQUEST_HEADERS, args.requests, args.warmup
            ),
            "gateway, cache bypassed": latencies(port, PATH, skip, args.requests, args.warmup),
            "gateway, cache HIT": latencies(port, PATH, REQUEST_HEADERS, args.requests, args.warmup),
        }
        load = stack.enter_context(ProcessPoolExecutor(max_workers=1, mp_context=SPAWN))
        direct_url = f"http://{HOST}:{upstream_port}/v1/chat/completions"
        hit_url = f"http://{HOST}:{port}{PATH}"
        concurrent = {
            "direct upstream": load.submit(run_load, direct_url, args.concurrency, args.duration, 1.0).result(),
            "gateway, cache HIT": load.submit(run_load, hit_url, args.concurrency, args.duration, 1.0).result(),
        }
    base = statistics.median(sequential["direct upstream"])
    print(f"one client, {args.requests} requests each (after {args.warmup} warm-up), kept-alive connection")
    print(f"{'target':<26} {'p50 ms':>8} {'p99 ms':>8} {'p50 / direct':>13}")
    for name, values in sequential.items():
        print(f"{name:<26} {pct(values, 0.5):8.3f} {pct(values, 0.99):8.3f} {pct(values, 0.5) / base:12.2f}×")
    hit_p99 = pct(sequential["gateway, cache HIT"], 0.99)
    print(f"  cache HIT p99 ≤ 2 ms: {'met' if hit_p99 <= 2.0 else 'NOT met'} ({hit_p99:.3f} ms)")
    print(f"\n{args.concurrency} concurrent clients, {args.duration:.0f} s each")
    print(f"{'target':<26} {'RPS':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name, result in concurrent.items():
        print(f"{name:<26} {result.rps:8.0f} {result.p50_ms:8.2f} {result.p99_ms:8.2f} {result.num_errors:7d}")
    if args.json:
        figures = {
            "sequential": {k: {"p50_ms": pct(v, 0.5), "p99_ms": pct(v, 0.99)} for k, v in sequential.items()},
            "concurrent": {k: {"rps": r.rps, "p50_ms": r.p50_ms, "p99_ms": r.p99_ms} for k, r in concurrent.items()},
        }
        print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
