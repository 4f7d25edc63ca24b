"""Proxy overhead: Weir's gateway against the best a bare aiohttp proxy can do.

Four kinds of process run on 127.0.0.1, each on its own: a fake OpenAI upstream that
answers ``POST /v1/chat/completions`` with a fixed ~600-byte chat.completion; the
*floor*, a ~30-line aiohttp pass-through with one shared ClientSession; the *gateway*,
started exactly as production starts it (``python -m gateway.cli serve --config FILE``);
and a closed-loop load generator with C concurrent workers on one keep-alive session.

Floor and gateway get the same load, in alternating order (the order flips on each
repetition), so drift on a shared box favours neither; each figure is the median over
``--repeat`` runs. How to read it:

* ``RPS gw/floor`` ≥ 0.8 meets "throughput ≥ 0.8× floor";
* ``p50 gw/floor`` ≤ 1.2 meets "added p50 ≤ 1.2× floor" (p99 is shown, not judged);
* ``CPU µs/req`` is the proxy process's own CPU time per request (warm-up included): on a
  small shared box, where load generator, upstream and proxy fight for the same cores,
  it is the steadiest measure of what the proxy itself costs;
* the gateway's RSS at start and after each round (every concurrency once): growth
  from round to round, rather than once after the first, would mean memory grows with
  traffic;
* startup: from launching the gateway process to its first 200 on ``/healthz``.

The load generator shares the CPUs with everything else, so absolute RPS says more
about the box than about Weir; the ratios are the result.

    python bench/proxy_overhead.py --concurrency 16,64 --duration 10 --warmup 2 --repeat 2
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import multiprocessing
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

HOST = "127.0.0.1"
REPO_ROOT = Path(__file__).resolve().parent.parent
SPAWN = multiprocessing.get_context("spawn")
# fmt: off
UPSTREAM_BODY = json.dumps({
    "id": "chatcmpl-9pXqW3bench0000000000000000", "object": "chat.completion", "created": 1721000000,
    "model": "gpt-4o-mini-2024-07-18", "system_fingerprint": "fp_0ba0d124f1",
    "choices": [{"index": 0, "logprobs": None, "finish_reason": "stop", "message": {
        "role": "assistant", "refusal": None,
        "content": "The capital of France is Paris. It sits on the Seine in the north of the country "
                   "and has been the seat of government since the tenth century.",
    }}],
    "usage": {"prompt_tokens": 24, "completion_tokens": 33, "total_tokens": 57,
              "prompt_tokens_details": {"cached_tokens": 0},
              "completion_tokens_details": {"reasoning_tokens": 0}},
}).encode()
REQUEST_BODY = json.dumps({
    "model": "gpt-4o-mini", "max_tokens": 64,
    "messages": [{"role": "system", "content": "You are terse."},
                 {"role": "user", "content": "What is the capital of France?"}],
}).encode()
# fmt: on
REQUEST_HEADERS = {"Authorization": "Bearer sk-test", "Content-Type": "application/json"}
GATEWAY_TOML = """\
[server]
host = "{host}"
port = {port}
data_dir = "{data_dir}"

[providers.openai]
base_url = "http://{host}:{upstream_port}/v1"

[dlp]
enabled = {dlp}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


# --- the fake upstream and the floor: each runs in its own spawned process ---------------


async def _healthz(request: web.Request) -> web.Response:
    return web.Response(text="ok")


async def _upstream_answer(request: web.Request) -> web.Response:
    await request.read()
    return web.Response(body=UPSTREAM_BODY, content_type="application/json")


def run_upstream(port: int) -> None:
    app = web.Application()
    app.router.add_post("/v1/chat/completions", _upstream_answer)
    app.router.add_get("/healthz", _healthz)
    web.run_app(app, host=HOST, port=port, access_log=None, print=None)


FLOOR_SESSION = web.AppKey("floor_session", aiohttp.ClientSession)
FLOOR_UPSTREAM = web.AppKey("floor_upstream", str)


async def _floor_session(app: web.Application) -> AsyncIterator[None]:
    app[FLOOR_SESSION] = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
    yield
    await app[FLOOR_SESSION].close()


async def _floor_forward(request: web.Request) -> web.Response:
    headers = {"Authorization": request.headers.get("Authorization", ""), "Content-Type": "application/json"}
    url = request.app[FLOOR_UPSTREAM] + request.path
    async with request.app[FLOOR_SESSION].post(url, data=await request.read(), headers=headers) as upstream:
        body = await upstream.read()
        return web.Response(status=upstream.status, body=body, content_type=upstream.content_type)


def run_floor(port: int, upstream_port: int) -> None:
    app = web.Application()
    app[FLOOR_UPSTREAM] = f"http://{HOST}:{upstream_port}"
    app.cleanup_ctx.append(_floor_session)
    app.router.add_post("/v1/{tail:.*}", _floor_forward)
    app.router.add_get("/healthz", _healthz)
    web.run_app(app, host=HOST, port=port, access_log=None, print=None)


# --- the load generator: runs in its own process ------------------------------------------


@dataclass(frozen=True, slots=True)
class LoadResult:
    num_requests: int  # measured ones; warm-up requests are only in num_sent
    num_errors: int
    rps: float
    p50_ms: float
    p99_ms: float
    num_sent: int
    cpu_us_per_request: float = float("nan")  # the proxy's own CPU time, filled in by the parent


def run_load(url: str, concurrency: int, duration: float, warmup: float) -> LoadResult:
    return asyncio.run(_load(url, concurrency, duration, warmup))


async def _load(url: str, concurrency: int, duration: float, warmup: float) -> LoadResult:
    start = time.perf_counter()
    measure_from, stop_at = start + warmup, start + warmup + duration
    latencies: list[float] = []
    num_errors = num_sent = 0
    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def worker() -> None:
            nonlocal num_errors, num_sent
            while (sent := time.perf_counter()) < stop_at:
                try:
                    async with session.post(url, data=REQUEST_BODY, headers=REQUEST_HEADERS) as resp:
                        await resp.read()
                        ok = resp.status == 200
                except (TimeoutError, aiohttp.ClientError):
                    ok = False
                num_sent += 1
                if sent >= measure_from:
                    latencies.append(time.perf_counter() - sent)
                    num_errors += 0 if ok else 1

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    latencies.sort()
    n = len(latencies)
    return LoadResult(
        num_requests=n,
        num_errors=num_errors,
        rps=n / duration,
        p50_ms=1000 * latencies[n // 2] if n else float("nan"),
        p99_ms=1000 * latencies[min(n - 1, int(n * 0.99))] if n else float("nan"),
        num_sent=num_sent,
    )


# --- starting, watching and stopping the processes ----------------------------------------


def wait_healthy(port: int, is_alive: Callable[[], bool], limit_s: float = 30.0) -> float:
    """Poll ``GET /healthz`` until it answers 200; returns the monotonic time it did."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if not is_alive():
            raise RuntimeError(f"the process behind port {port} exited before it was ready")
        conn = http.client.HTTPConnection(HOST, port, timeout=1)
        try:
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return time.monotonic()
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.02)
    raise RuntimeError(f"port {port} did not answer /healthz within {limit_s:.0f}s")


def start_spawned(stack: ExitStack, target: Callable[..., None], port: int, *args: object) -> int:
    process = SPAWN.Process(target=target, args=(port, *args), daemon=True)
    process.start()
    stack.callback(_stop_spawned, process)
    wait_healthy(port, process.is_alive)
    assert process.pid is not None  # started above
    return process.pid


def _stop_spawned(process: multiprocessing.process.BaseProcess) -> None:
    process.terminate()
    process.join(timeout=5)
    if process.is_alive():
        process.kill()
        process.join()


def start_gateway(
    stack: ExitStack, upstream_port: int, workdir: Path, dlp: bool, extra_toml: str = ""
) -> tuple[int, int, float]:
    """Launch ``weir serve`` as production does; returns its pid, port and startup seconds.

    ``workdir`` holds the config, the gateway's output and its data directory, so two
    gateways in one run need two; ``extra_toml`` is appended to the config (``[logs]``, say).
    """
    port = free_port()
    config = workdir / "weir.toml"
    toml = GATEWAY_TOML.format(
        host=HOST, port=port, upstream_port=upstream_port, data_dir=workdir, dlp="true" if dlp else "false"
    )
    config.write_text(toml + extra_toml)
    log = stack.enter_context((workdir / "gateway.log").open("wb"))
    launched = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "gateway.cli", "serve", "--config", str(config)],
        cwd=REPO_ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    stack.callback(_stop_popen, process)
    try:
        ready = wait_healthy(port, lambda: process.poll() is None)
    except RuntimeError:
        sys.stderr.write((workdir / "gateway.log").read_text()[-4000:])
        raise
    return process.pid, port, ready - launched


def _stop_popen(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of ``pid`` so far (fields 14 and 15 of /proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- the run and its report ---------------------------------------------------------------

Runs = dict[tuple[str, int], list[LoadResult]]  # (target, concurrency) -> one result per repetition


def run_rounds(
    load: ProcessPoolExecutor,
    targets: dict[str, tuple[str, int]],
    *,
    concurrency: list[int],
    duration: float,
    warmup: float,
    repeat: int,
    after_round: Callable[[], None] = lambda: None,
) -> Runs:
    """Every target (name -> URL and the pid whose CPU time is its cost) under every
    concurrency, ``repeat`` times; the order of the targets flips on each repetition, so
    drift on a shared box favours none of them."""
    runs: Runs = {}
    names = list(targets)
    for rep in range(repeat):
        order = names if rep % 2 == 0 else names[::-1]
        for workers in concurrency:
            for target in order:
                url, pid = targets[target]
                cpu_before = cpu_seconds(pid)
                result = load.submit(run_load, url, workers, duration, warmup).result()
                cpu_us = 1e6 * (cpu_seconds(pid) - cpu_before) / max(result.num_sent, 1)
                runs.setdefault((target, workers), []).append(replace(result, cpu_us_per_request=cpu_us))
        after_round()
    return runs


def summarize(runs: Runs) -> list[dict[str, Any]]:
    """One row per (target, concurrency): the median over the repetitions."""
    return [{"target": t, "concurrency": c, **asdict(median_result(rs))} for (t, c), rs in sorted(runs.items())]


def measure(args: argparse.Namespace) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="weir-bench-") as tmp, ExitStack() as stack:
        upstream_port, floor_port = free_port(), free_port()
        start_spawned(stack, run_upstream, upstream_port)
        floor_pid = start_spawned(stack, run_floor, floor_port, upstream_port)
        # The bare proxy path by default: DLP and the request log each have their own bench
        # (dlp_eval.py, log_ingest.py) and flags here to include them.
        logs = "" if args.logs else "\n[logs]\nenabled = false\n"
        gateway_pid, gateway_port, startup_s = start_gateway(stack, upstream_port, Path(tmp), args.dlp, logs)
        targets = {
            "floor": (f"http://{HOST}:{floor_port}/v1/chat/completions", floor_pid),
            "gateway": (f"http://{HOST}:{gateway_port}/v1/default/openai/chat/completions", gateway_pid),
        }
        rss = [rss_mib(gateway_pid)]
        load = stack.enter_context(ProcessPoolExecutor(max_workers=1, mp_context=SPAWN))
        runs = run_rounds(
            load,
            targets,
            concurrency=args.concurrency,
            duration=args.duration,
            warmup=args.warmup,
            repeat=args.repeat,
            after_round=lambda: rss.append(rss_mib(gateway_pid)),
        )
    return {"startup_s": startup_s, "rss_mib": rss, "results": summarize(runs)}


def median_result(results: list[LoadResult]) -> LoadResult:
    return LoadResult(
        num_requests=sum(r.num_requests for r in results),
        num_errors=sum(r.num_errors for r in results),
        rps=statistics.median(r.rps for r in results),
        p50_ms=statistics.median(r.p50_ms for r in results),
        p99_ms=statistics.median(r.p99_ms for r in results),
        num_sent=sum(r.num_sent for r in results),
        cpu_us_per_request=statistics.median(r.cpu_us_per_request for r in results),
    )


def print_table(results: list[dict[str, Any]]) -> None:
    """The rows ``summarize`` made, one line each."""
    print(f"{'target':<8} {'conc':>5} {'RPS':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'CPU µs/req':>11}")
    for row in results:
        print(
            f"{row['target']:<8} {row['concurrency']:>5} {row['rps']:>9.0f} {row['p50_ms']:>8.2f}"
            f" {row['p99_ms']:>8.2f} {row['num_errors']:>7} {row['cpu_us_per_request']:>11.0f}"
        )


def report(figures: dict[str, object]) -> None:
    results: list[dict[str, Any]] = figures["results"]  # type: ignore[assignment]
    print_table(results)
    by_key = {(row["target"], row["concurrency"]): row for row in results}
    for concurrency in sorted({row["concurrency"] for row in results}):
        gw, floor = by_key[("gateway", concurrency)], by_key[("floor", concurrency)]
        rps, p50, p99, cpu = (gw[k] / floor[k] for k in ("rps", "p50_ms", "p99_ms", "cpu_us_per_request"))
        print(f"\nconcurrency {concurrency}: gw/floor RPS {rps:.2f}, p50 {p50:.2f}, p99 {p99:.2f}, CPU/req {cpu:.2f}")
        num_errors = gw["num_errors"] + floor["num_errors"]
        print(f"  throughput ≥ 0.8× floor: {verdict(rps >= 0.8, num_errors)} ({rps:.2f}×)")
        print(f"  added p50 ≤ 1.2× floor:  {verdict(p50 <= 1.2, num_errors)} ({p50:.2f}×)")
    rss: list[float] = figures["rss_mib"]  # type: ignore[assignment]
    rounds = ", ".join(f"{mib:.1f}" for mib in rss[1:])
    print(f"\ngateway RSS: {rss[0]:.1f} MiB at start; after each round of runs: {rounds} MiB")
    print(f"gateway startup (launch to first 200 on /healthz): {figures['startup_s']:.2f}s")


def verdict(ok: bool, num_errors: int) -> str:
    """A run with failed requests proves nothing, however fast it was."""
    if num_errors:
        return f"NOT met: {num_errors} requests failed"
    return "met" if ok else "NOT met"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0] if __doc__ else None,
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--concurrency", default="16,64", help="worker counts, comma-separated")
    parser.add_argument("--duration", type=float, default=10.0, help="measured seconds per run")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds before each run")
    parser.add_argument("--repeat", type=int, default=2, help="runs per target and concurrency")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    parser.add_argument(
        "--dlp", action="store_true", help="run the gateway with DLP inspection on (default: off, the bare proxy path)"
    )
    parser.add_argument(
        "--logs", action="store_true", help="run the gateway with the request log on (default: off)"
    )
    args = parser.parse_args(argv)
    try:
        args.concurrency = [int(c) for c in args.concurrency.split(",")]
    except ValueError:
        parser.error(f"--concurrency: expected comma-separated whole numbers, got {args.concurrency!r}")
    if min(args.concurrency) < 1 or args.repeat < 1 or args.duration <= 0 or args.warmup < 0:
        parser.error("--concurrency and --repeat must be ≥ 1, --duration > 0 and --warmup ≥ 0")
    # A plain SIGTERM would skip the finally clauses and orphan the servers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    figures = measure(args)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        report(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
