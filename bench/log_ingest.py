"""Request-log ingest: how fast the log takes records, answers analytics, and what it costs the gateway.

Three parts, each printed against a baseline measured in the same run:

* **ingest** — ``--records`` synthetic exchanges (varied gateways, providers, models,
  statuses and token counts; some DLP findings, fallbacks and metadata; 1–2 KB request
  and response bodies sealed to a freshly generated public key) go through the real
  path: ``LogWriter.submit`` from this thread while the writer's own thread flushes
  Arrow batches into a DuckDB file. Timed from the first submit to ``stop()`` returning.
  The queue is bounded, so the producer respects back-pressure (it waits while the
  writer holds ``queue_size`` records) and nothing is shed: the run checks
  ``shed == 0`` and ``SELECT count(*)`` against the number submitted. Baseline: the
  same path without the queue and the thread — ``to_batch`` alone, then ``flush()``
  (``to_batch`` plus the inserts) — on ``--pure-records`` of the same exchanges.
  Target: ≥ 50,000 records/s. ``--flush-interval`` defaults to 0.1 s rather than the
  config's 1 s so the queue starts draining early; a backlog of a batch or more is
  written without waiting for the interval either way.
* **analytics** — the ``daily`` view, and an hourly × provider × model aggregate with
  p50/p95 latency, over those rows, through the sandboxed read-only connection the HTTP
  API uses (``LogStore.reading()``; opening it included). Baseline: open plus
  ``count(*)``. Target: < 1 s.
* **gateway** — ``weir serve`` with ``[logs] enabled = false`` against ``weir serve``
  with logging on and bodies sealed, same fake upstream and load generator as
  ``bench/proxy_overhead.py`` (alternating order, medians over ``--repeat``). Target:
  RPS on/off ≥ 0.9. The "on" gateway's shed counter is read from ``/metrics``: a run
  that shed records did not log everything, and says so.

    python bench/log_ingest.py                                   # full size: a few minutes
    python bench/log_ingest.py --records 100000 --duration 3     # quick
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as ``python bench/log_ingest.py``: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.proxy_overhead import (
    HOST,
    SPAWN,
    free_port,
    print_table,
    run_rounds,
    run_upstream,
    start_gateway,
    start_spawned,
    summarize,
    verdict,
)
from config import parse_config
from gateway.exchange import Attempt, Exchange
from gateway.logs.ids import uuid7
from gateway.logs.rows import Cost, to_batch
from gateway.logs.sealed import generate_key_pair, write_public_key
from gateway.logs.store import LogStore
from gateway.logs.writer import MAX_BATCH, LogWriter
from gateway.pricing import Pricing
from gateway.providers.usage import Usage

INGEST_TARGET = 50_000  # records/s
QUERY_TARGET_S = 1.0
RPS_TARGET = 0.9  # logging on / off
DAY = 86_400.0

# --- synthetic exchanges ------------------------------------------------------------------

GATEWAYS = (("default", 60), ("search", 20), ("support-bot", 15), ("batch-jobs", 5))
# provider, model, endpoint, path under /v1/{gateway}, weight
ROUTES = (
    ("openai", "gpt-4o-mini", "passthrough", "/openai/chat/completions", 30),
    ("openai", "gpt-4o", "passthrough", "/openai/chat/completions", 12),
    ("openai", "o3-mini", "passthrough", "/openai/chat/completions", 5),
    ("openai", "text-embedding-3-small", "passthrough", "/openai/embeddings", 8),
    ("anthropic", "claude-3-5-haiku-20241022", "passthrough", "/anthropic/v1/messages", 10),
    ("anthropic", "claude-3-5-sonnet-20241022", "compat.chat", "/compat/chat/completions", 8),
    ("google-ai-studio", "gemini-2.0-flash", "passthrough", "/google-ai-studio/v1beta/models/gemini-2.0-flash", 10),
    ("cohere", "command-r-plus", "compat.chat", "/compat/chat/completions", 4),
    ("custom-local", "llama-3.1-8b-instruct", "compat.chat", "/compat/chat/completions", 8),
)
# status, the gateway's error (None: the provider's own answer), weight
OUTCOMES = (
    (200, None, 920),
    (400, None, 12),
    (429, None, 15),
    (500, None, 6),
    (502, "upstream connection failed: Connection refused", 8),
    (504, "the upstream did not answer within 600s", 4),
    (499, "the client closed the connection", 8),
    (401, "a valid weir-authorization token is required", 4),
    (403, "blocked by Weir policy 'block-credentials': AWS_ACCESS_KEY", 10),
    (200, "the upstream stream broke after 12 events", 8),  # a truncated stream
)
FINDINGS = (
    {"entry": "EMAIL", "topic": "pii", "level": "medium", "confidence": 0.95, "action": "flag", "rule": None},
    {"entry": "PHONE_NUMBER", "topic": "pii", "level": "medium", "confidence": 0.8, "action": "flag", "rule": None},
    {"entry": "IBAN", "topic": "financial", "level": "high", "confidence": 0.99, "action": "redact", "rule": "fin"},
    {
        "entry": "AWS_ACCESS_KEY",
        "topic": "credentials",
        "level": "critical",
        "confidence": 1.0,
        "action": "block",
        "rule": "block-credentials",
    },
)
_PROSE = (
    "the quarterly report shows revenue growth across all regions while operating costs remained flat "
    "please summarise the following customer ticket and suggest a polite reply that addresses each point "
    "our deployment pipeline failed on the integration stage because the database migration timed out "
    "translate this paragraph into French keeping the technical terms and product names unchanged "
    "write a python function that parses the log file and returns the ten most frequent error codes "
    "explain the difference between eventual and strong consistency with a short example for each case"
)
WORDS = tuple(_PROSE.split())
NUM_BODIES = 256  # distinct request and response bodies; sealing makes every stored blob unique anyway
NUM_TEMPLATES = 4096  # distinct exchanges; each record is one of them with its own id and time


def _text(rng: random.Random, size: int) -> str:
    words: list[str] = []
    length = 0
    while length < size:
        word = rng.choice(WORDS)
        words.append(word)
        length += len(word) + 1
    return " ".join(words)


def request_body(rng: random.Random, model: str) -> bytes:
    """A chat request of 1–2 KB."""
    size = rng.randint(1000, 2000)
    system = _text(rng, rng.randint(40, 200))
    body = {"model": model, "max_tokens": 1024, "messages": [{"role": "system", "content": system}]}
    overhead = len(json.dumps(body)) + 40
    body["messages"].append({"role": "user", "content": _text(rng, max(0, size - overhead))})  # type: ignore[attr-defined]
    return json.dumps(body).encode()


def response_body(rng: random.Random, model: str) -> bytes:
    """A chat.completion of 1–2 KB."""
    size = rng.randint(1000, 2000)
    content = _text(rng, max(0, size - 330))
    return json.dumps(
        {
            "id": f"chatcmpl-{rng.getrandbits(96):024x}",
            "object": "chat.completion",
            "created": 1_721_000_000,
            "model": model,
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 310, "completion_tokens": 280, "total_tokens": 590},
        }
    ).encode()


# An Attempt with its start as an offset from the exchange's: provider, model, offset,
# status, duration, error.
AttemptAt = tuple[str, str | None, float, int, float, str | None]


@dataclass(frozen=True, slots=True)
class Template:
    """An exchange without its id and times."""

    exchange: Exchange
    attempts: tuple[AttemptAt, ...]


def _template(rng: random.Random, requests: Sequence[bytes], responses: Sequence[bytes]) -> Template:
    gateway = rng.choices([g for g, _ in GATEWAYS], [w for _, w in GATEWAYS])[0]
    provider, model, endpoint, path, _ = rng.choices(ROUTES, [r[-1] for r in ROUTES])[0]
    status, error, _ = rng.choices(OUTCOMES, [o[-1] for o in OUTCOMES])[0]
    embedding = "embedding" in model
    streamed = not embedding and ((error is not None and status == 200) or rng.random() < 0.4)
    duration = rng.lognormvariate(-3.0 if embedding else -0.5, 0.6)
    ok = status == 200 and error is None
    findings: tuple[dict[str, Any], ...] = ()
    dlp_action = "allow"
    if status == 403:
        findings, dlp_action = (FINDINGS[3],), "block"
    elif rng.random() < 0.05:
        findings = tuple(rng.sample(FINDINGS[:3], rng.randint(1, 2)))
        dlp_action = "redact" if any(f["action"] == "redact" for f in findings) else "flag"
    input_tokens = int(rng.lognormvariate(6.0, 1.0)) + 1
    usage = (
        Usage(
            model,
            input_tokens,
            0 if embedding else int(rng.lognormvariate(5.0, 1.0)) + 1,
            input_tokens // 2 if rng.random() < 0.3 else 0,
            int(rng.lognormvariate(6.0, 0.5)) if model.startswith("o3") else 0,
            "stop",
            error is None,
        )
        if status == 200
        else Usage()
    )
    fallback = ok and rng.random() < 0.04
    attempts: list[AttemptAt] = [("openai", None, 0.0, 503, 0.05, None)] if fallback else []
    if status not in (401, 403, 499):  # refused before, or cancelled while, it went upstream
        upstream_error = error if status in (502, 504) else None
        attempts.append((provider, None, 0.06 if fallback else 0.0, status, duration * 0.6, upstream_error))
    metadata = None
    if rng.random() < 0.3:
        team = rng.choice(("search", "growth", "ml"))
        metadata = json.dumps({"team": team, "feature": f"f{rng.randrange(20)}"}, separators=(",", ":"))
    user = f"user-{rng.randrange(500)}" if rng.random() < 0.7 else None
    exchange = Exchange(
        gateway=gateway,
        provider=provider,
        endpoint=endpoint,
        method="POST",
        path=f"/v1/{gateway}{path}",
        status=status,
        started_at=0.0,
        duration=duration,
        ttfb=duration * rng.uniform(0.2, 0.6) if streamed else duration,
        streamed=streamed,
        usage=usage,
        request_body=rng.choice(requests),
        response_body=rng.choice(responses) if status in (200, 400, 429, 500) else b"",
        error=error,
        user=user,
        dlp_action=dlp_action,
        findings=findings,
        groups=(rng.choice(("eng", "sales", "support")),) if user else (),
        key_fingerprint=f"{rng.getrandbits(64):016x}",
        metadata=metadata,
        model=model if endpoint.startswith("compat") else None,
        cache_status=rng.choice(("HIT", "MISS", "MISS", "MISS")) if rng.random() < 0.2 else None,
        step=1 if fallback else 0 if attempts else None,
        sse=streamed,
    )
    return Template(exchange, tuple(attempts))


def templates(seed: int) -> list[Template]:
    rng = random.Random(seed)
    models = [r[1] for r in ROUTES]
    requests = [request_body(rng, rng.choice(models)) for _ in range(NUM_BODIES)]
    responses = [response_body(rng, rng.choice(models)) for _ in range(NUM_BODIES)]
    return [_template(rng, requests, responses) for _ in range(NUM_TEMPLATES)]


def exchanges(pool: Sequence[Template], count: int, days: float) -> Iterator[Exchange]:
    """``count`` exchanges spread evenly over the last ``days`` days, in time order, each
    with its own UUIDv7 id of its own millisecond (as the gateway makes them)."""
    end = time.time()
    start = end - days * DAY
    step = (end - start) / max(count, 1)
    for n in range(count):
        template = pool[(n * 7919) % len(pool)]
        at = start + n * step
        yield template.exchange._replace(
            log_id=uuid7(int(at * 1000)),
            started_at=at,
            attempts=tuple(Attempt(p, m, at + off, s, d, e) for p, m, off, s, d, e in template.attempts),
        )


# --- (a) ingest ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ingest:
    records: int
    seconds: float
    waited_s: float  # the producer's time waiting on a full queue (back-pressure)
    rows: int
    shed: int
    failed_flushes: int
    file_mib: float

    @property
    def rate(self) -> float:
        return self.records / self.seconds


def ingest(
    store: LogStore, pool: Sequence[Template], records: int, public_key: bytes, cost: Cost, args: argparse.Namespace
) -> Ingest:
    writer = LogWriter(
        store, public_key=public_key, queue_size=args.queue_size, flush_interval=args.flush_interval, cost=cost
    )
    writer.start()
    waited = 0.0
    started = time.perf_counter()
    for exchange in exchanges(pool, records, args.days):
        if writer.depth >= writer.queue_size:  # the queue is full: wait for the writer, never shed
            pause = time.perf_counter()
            while writer.depth >= writer.queue_size:
                time.sleep(0.001)
            waited += time.perf_counter() - pause
        writer.submit(exchange)
    writer.stop(timeout=600.0)
    seconds = time.perf_counter() - started
    if writer.alive:
        raise RuntimeError(f"the writer did not finish; {writer.depth} records still wait")
    rows = count_rows(store)
    if writer.shed or rows != records:
        raise RuntimeError(f"lost records: {writer.shed} shed, {rows} rows for {records} submitted")
    return Ingest(records, seconds, waited, rows, writer.shed, writer.failed_flushes, store.path.stat().st_size / 2**20)


@dataclass(frozen=True, slots=True)
class Pure:
    records: int
    to_batch_s: float
    flush_s: float  # to_batch plus the inserts, as ``flush()`` does them

    @property
    def to_batch_rate(self) -> float:
        return self.records / self.to_batch_s

    @property
    def flush_rate(self) -> float:
        return self.records / self.flush_s

    @property
    def insert_rate(self) -> float:
        return self.records / max(self.flush_s - self.to_batch_s, 1e-9)


def pure(store: LogStore, pool: Sequence[Template], records: int, public_key: bytes, cost: Cost, days: float) -> Pure:
    """The writer's work without its queue and thread: batches of ``MAX_BATCH``, timed
    through ``to_batch`` alone and then through a direct ``flush()``."""
    writer = LogWriter(store, public_key=public_key, queue_size=MAX_BATCH, cost=cost)
    with store.writing():
        pass  # the schema, so the first timed flush does not pay for the migrations
    to_batch_s = flush_s = 0.0
    stream = exchanges(pool, records, days)
    done = 0
    while done < records:
        batch = [next(stream) for _ in range(min(MAX_BATCH, records - done))]
        started = time.perf_counter()
        to_batch(batch, public_key, cost)
        to_batch_s += time.perf_counter() - started
        for exchange in batch:
            writer.submit(exchange)
        started = time.perf_counter()
        if not writer.flush(wait=30.0):
            raise RuntimeError("a flush failed; see the warning above")
        flush_s += time.perf_counter() - started
        done += len(batch)
    if count_rows(store) != records:
        raise RuntimeError("the pure path lost records")
    return Pure(records, to_batch_s, flush_s)


def count_rows(store: LogStore) -> int:
    with store.reading() as con:
        row = con.execute("SELECT count(*) FROM requests").fetchone()
    return int(row[0]) if row else 0


# --- (b) analytics ------------------------------------------------------------------------

QUERIES = {
    "open + count(*)": "SELECT count(*) FROM requests",
    "daily view": "SELECT * FROM daily ORDER BY day, gateway, provider, model",
    "hourly × provider/model": """
        SELECT date_trunc('hour', started_at) AS hour, provider, model,
               count(*) AS requests,
               count(*) FILTER (WHERE status >= 400) AS errors,
               sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
               sum(cost_usd) AS cost_usd,
               quantile_cont(duration_ms, 0.5) AS p50_ms,
               quantile_cont(duration_ms, 0.95) AS p95_ms
        FROM requests
        GROUP BY ALL
        ORDER BY hour, provider, model
    """,
}


@dataclass(frozen=True, slots=True)
class Query:
    name: str
    rows: int
    first_s: float
    median_s: float


def time_queries(store: LogStore, repeat: int) -> list[Query]:
    """Each query ``repeat`` times, each time on a fresh sandboxed connection (as the
    HTTP API opens one per request)."""
    timed = []
    for name, sql in QUERIES.items():
        seconds: list[float] = []
        rows = 0
        for _ in range(repeat):
            started = time.perf_counter()
            with store.reading() as con:
                rows = len(con.execute(sql).fetchall())
            seconds.append(time.perf_counter() - started)
        timed.append(Query(name, rows, seconds[0], statistics.median(seconds)))
    return timed


# --- (c) the gateway with logging on and off ----------------------------------------------

LOGS_OFF = "\n[logs]\nenabled = false\n"
LOGS_ON = '\n[logs]\npublic_key_file = "{key}"\n'


def gateway_rps(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    _, public_key = generate_key_pair()
    key_file = tmp / "log-key.pub.pem"
    write_public_key(key_file, public_key)
    with ExitStack() as stack:
        upstream_port = free_port()
        start_spawned(stack, run_upstream, upstream_port)
        targets: dict[str, tuple[str, int]] = {}
        ports: dict[str, int] = {}
        for name, extra in (("off", LOGS_OFF), ("on", LOGS_ON.format(key=key_file))):
            workdir = tmp / f"gateway-{name}"
            workdir.mkdir()
            pid, ports[name], _ = start_gateway(stack, upstream_port, workdir, dlp=False, extra_toml=extra)
            targets[name] = (f"http://{HOST}:{ports[name]}/v1/default/openai/chat/completions", pid)
        load = stack.enter_context(ProcessPoolExecutor(max_workers=1, mp_context=SPAWN))
        runs = run_rounds(
            load,
            targets,
            concurrency=args.concurrency,
            duration=args.duration,
            warmup=args.warmup,
            repeat=args.repeat,
        )
        time.sleep(2.5)  # past the default flush interval, so "written" counts the last requests
        log_metrics = scrape(ports["on"], ("weir_log_records_written", "weir_log_records_shed"))
    sent_on = sum(r.num_sent for (target, _), rs in runs.items() if target == "on" for r in rs)
    return {"results": summarize(runs), "sent_on": sent_on, **log_metrics}


def scrape(port: int, names: Sequence[str]) -> dict[str, float]:
    """Counters from the gateway's ``/metrics`` (a ``_total`` suffix accepted)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        conn.request("GET", "/metrics")
        text = conn.getresponse().read().decode()
    finally:
        conn.close()
    found: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith("#") or " " not in line:
            continue
        metric, _, value = line.rpartition(" ")
        base = metric.split("{")[0].removesuffix("_total")
        if base in names:
            found[base] = found.get(base, 0.0) + float(value)
    return found


# --- the run and its report ---------------------------------------------------------------


def measure(args: argparse.Namespace) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    pool = templates(args.seed)
    _, public_key = generate_key_pair()
    cost = Pricing(parse_config("", "<defaults>").pricing).of_exchange
    with tempfile.TemporaryDirectory(prefix="weir-log-bench-") as scratch:
        tmp = Path(scratch)
        started = time.perf_counter()
        made = sum(1 for _ in exchanges(pool, args.pure_records, args.days))
        figures["make_rate"] = made / (time.perf_counter() - started)
        figures["pure"] = pure(LogStore(tmp / "pure"), pool, args.pure_records, public_key, cost, args.days)
        store = LogStore(tmp / "ingest")
        figures["ingest"] = ingest(store, pool, args.records, public_key, cost, args)
        figures["queries"] = time_queries(store, args.query_repeat)
        if args.gateway:
            figures["gateway"] = gateway_rps(args, tmp)
    return figures


def report(figures: dict[str, Any], args: argparse.Namespace) -> None:
    ingested: Ingest = figures["ingest"]
    base: Pure = figures["pure"]
    print(f"(a) ingest: {ingested.records:,} records, 1–2 KB bodies sealed, through LogWriter")
    print(f"  making the exchanges alone (producer's share): {figures['make_rate']:>10,.0f} records/s")
    print(f"  to_batch alone (rows + sealing):               {base.to_batch_rate:>10,.0f} records/s")
    print(f"  inserts alone (flush minus to_batch):          {base.insert_rate:>10,.0f} records/s")
    print(f"  baseline: to_batch + inserts, no queue/thread: {base.flush_rate:>10,.0f} records/s ({base.records:,})")
    print(
        f"  writer path, first submit to stop() returning: {ingested.rate:>10,.0f} records/s"
        f" ({ingested.seconds:.1f}s; producer waited {ingested.waited_s:.1f}s on a full queue)"
    )
    print(f"  writer path / baseline: {ingested.rate / base.flush_rate:.2f}×")
    print(
        f"  rows {ingested.rows:,}, shed {ingested.shed}, failed flushes {ingested.failed_flushes},"
        f" file {ingested.file_mib:,.0f} MiB (flush_interval {args.flush_interval}s, queue_size {args.queue_size:,})"
    )
    print(f"  ≥ {INGEST_TARGET:,} records/s: {'met' if ingested.rate >= INGEST_TARGET else 'NOT met'}")

    print(f"\n(b) analytics over {ingested.rows:,} rows, sandboxed read-only connection opened each time")
    queries: list[Query] = figures["queries"]
    print(f"  {'query':<26} {'rows':>7} {'first s':>8} {'median s':>9} {'/ baseline':>11}")
    baseline = queries[0].median_s
    for q in queries:
        print(f"  {q.name:<26} {q.rows:>7} {q.first_s:>8.3f} {q.median_s:>9.3f} {q.median_s / baseline:>10.1f}×")
    slowest = max(q.median_s for q in queries)
    print(f"  < {QUERY_TARGET_S:.0f} s: {'met' if slowest < QUERY_TARGET_S else 'NOT met'} (slowest {slowest:.3f}s)")

    if "gateway" not in figures:
        return
    gateway = figures["gateway"]
    results: list[dict[str, Any]] = gateway["results"]
    print("\n(c) gateway RPS with the request log on (bodies sealed) and off")
    print_table(results)
    by_key = {(row["target"], row["concurrency"]): row for row in results}
    shed = int(gateway.get("weir_log_records_shed", 0))
    written = int(gateway.get("weir_log_records_written", 0))
    sent = gateway["sent_on"]
    whole = "every request logged" if written == sent and not shed else "NOT every request logged"
    print(f"  'on' gateway: {sent:,} requests sent, {written:,} records written, {shed} shed: {whole}")
    for concurrency in args.concurrency:
        on, off = by_key[("on", concurrency)], by_key[("off", concurrency)]
        rps, p50, cpu = (on[k] / off[k] for k in ("rps", "p50_ms", "cpu_us_per_request"))
        print(f"  concurrency {concurrency}: on/off RPS {rps:.2f}, p50 {p50:.2f}, CPU/req {cpu:.2f}")
        num_errors = on["num_errors"] + off["num_errors"]
        met = verdict(rps >= RPS_TARGET, num_errors) if not shed else f"NOT met: {shed} records shed"
        print(f"    RPS ≥ {RPS_TARGET}× with logging off: {met} ({rps:.2f}×)")


def _as_json(figures: dict[str, Any]) -> dict[str, Any]:
    out = dict(figures)
    out["pure"] = {**asdict(figures["pure"]), "flush_rate": figures["pure"].flush_rate}
    out["ingest"] = {**asdict(figures["ingest"]), "rate": figures["ingest"].rate}
    out["queries"] = [asdict(q) for q in figures["queries"]]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0] if __doc__ else None,
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--records", type=int, default=1_000_000, help="exchanges through the writer")
    parser.add_argument("--pure-records", type=int, default=200_000, help="exchanges for the no-thread baseline")
    parser.add_argument("--days", type=float, default=7.0, help="the exchanges' times span this many days")
    parser.add_argument("--flush-interval", type=float, default=0.1, help="the writer's flush interval, seconds")
    parser.add_argument("--queue-size", type=int, default=100_000, help="the writer's queue bound")
    parser.add_argument("--query-repeat", type=int, default=3, help="runs of each analytics query")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--gateway", action=argparse.BooleanOptionalAction, default=True, help="run part (c)")
    parser.add_argument("--concurrency", default="32", help="(c) load-generator workers, comma-separated")
    parser.add_argument("--duration", type=float, default=10.0, help="(c) measured seconds per run")
    parser.add_argument("--warmup", type=float, default=2.0, help="(c) unmeasured seconds before each run")
    parser.add_argument("--repeat", type=int, default=2, help="(c) runs per target and concurrency")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of a report")
    args = parser.parse_args(argv)
    try:
        args.concurrency = [int(c) for c in args.concurrency.split(",")]
    except ValueError:
        parser.error(f"--concurrency: expected comma-separated whole numbers, got {args.concurrency!r}")
    if min(args.records, args.pure_records, args.query_repeat, args.repeat, *args.concurrency) < 1:
        parser.error("--records, --pure-records, --query-repeat, --repeat and --concurrency must be ≥ 1")
    if args.queue_size < MAX_BATCH:
        parser.error(f"--queue-size: at least one writer batch ({MAX_BATCH:,}), so a flush is never starved")
    if args.duration <= 0 or args.warmup < 0 or args.flush_interval <= 0 or args.days <= 0:
        parser.error("--duration, --flush-interval and --days must be > 0 and --warmup ≥ 0")
    # A plain SIGTERM would skip the finally clauses and orphan the servers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    figures = measure(args)
    if args.json:
        print(json.dumps(_as_json(figures), indent=2))
    else:
        report(figures, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
