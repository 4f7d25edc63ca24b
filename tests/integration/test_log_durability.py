"""The request log survives what a production gateway meets: ``kill -9`` under load keeps
every record acknowledged a flush interval (plus a margin) before the kill, in a file that
still opens; a graceful stop (SIGTERM, SIGINT) writes everything still queued.

Each test runs ``weir serve`` as a subprocess, exactly as an operator starts it, against
an OpenAI fake served by the test, and drives it with concurrent aiohttp clients.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest

from config import load_config
from gateway.logs import log_directory
from gateway.logs.sealed import PayloadOpener, generate_key_pair, write_public_key
from gateway.logs.store import LogStore
from tests.fakes.openai import OpenAIFake
from tests.fakes.server import serve

WEIR = [sys.executable, "-m", "gateway.cli", "serve"]
# The repository root on the path, so the command also runs from tmp_path.
ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
HOST = "127.0.0.1"
CONCURRENCY = 8
# A loaded 2-core CI box starts Python slowly, and a flush can wait on the disk: generous
# limits everywhere, and no assertion on how fast anything was.
READY_WITHIN_S = 60.0
EXIT_WITHIN_S = 60.0
FLUSH_INTERVAL_S = 0.2
# How long a record may take from its response to its commit beyond one flush interval:
# the flush in progress when it was queued, then its own (a DuckDB open, insert and
# checkpoint), on a box where the load generator and the fake compete for the same cores.
MARGIN_S = 3.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class Gateway:
    process: subprocess.Popen[bytes]
    port: int
    output: Path
    store: LogStore
    private_key: bytes  # opens the payloads it sealed

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def tail(self) -> str:
        return self.output.read_text(errors="replace")[-4000:]


@contextmanager
def weir_serve(tmp_path: Path, upstream: str, flush_interval: str) -> Iterator[Gateway]:
    """``weir serve`` with a sealed request log under ``tmp_path``; killed on the way out
    whatever happened, so no test leaves a gateway behind."""
    private_key, public_key = generate_key_pair()
    write_public_key(tmp_path / "log.pub.pem", public_key)
    port = free_port()
    config = tmp_path / "weir.toml"
    config.write_text(
        f'[server]\nhost = "{HOST}"\nport = {port}\ndata_dir = "{tmp_path / "data"}"\n\n'
        f'[providers.openai]\nbase_url = "{upstream}/v1"\n\n'
        f'[logs]\npublic_key_file = "{tmp_path / "log.pub.pem"}"\nflush_interval = "{flush_interval}"\n'
    )
    output = tmp_path / "gateway.log"
    # Output to a file, never a pipe nobody reads: a full pipe would stall the gateway.
    with output.open("wb") as sink:
        process = subprocess.Popen(
            [*WEIR, "--config", str(config)], cwd=tmp_path, env=ENV, stdout=sink, stderr=subprocess.STDOUT
        )
    store = LogStore(log_directory(load_config(str(config))))
    try:
        yield Gateway(process, port, output, store, private_key)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=EXIT_WITHIN_S)


async def wait_ready(gateway: Gateway, session: aiohttp.ClientSession) -> None:
    """Poll ``/readyz`` (the log writer alive included) until it answers 200."""
    deadline = time.monotonic() + READY_WITHIN_S
    while time.monotonic() < deadline:
        assert gateway.process.poll() is None, f"the gateway exited while starting:\n{gateway.tail()}"
        with suppress(aiohttp.ClientError, OSError, asyncio.TimeoutError):
            async with session.get(gateway.url("/readyz"), timeout=aiohttp.ClientTimeout(total=2)) as resp:
                if resp.status == 200:
                    return
        await asyncio.sleep(0.1)
    raise AssertionError(f"the gateway was not ready within {READY_WITHIN_S:.0f}s:\n{gateway.tail()}")


@dataclass
class Load:
    """Concurrent clients, each sending unique chat requests until told to stop."""

    acked: list[tuple[float, str, int]] = field(default_factory=list)  # (monotonic time, weir-log-id, probe)
    failures: int = 0
    stopping: asyncio.Event = field(default_factory=asyncio.Event)
    next_probe: int = 0


def probe_body(probe: int) -> bytes:
    return json.dumps({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": f"probe {probe}"}]}).encode()


async def client(gateway: Gateway, session: aiohttp.ClientSession, load: Load, limit: int | None) -> None:
    url = gateway.url("/v1/default/openai/chat/completions")
    headers = {"Authorization": "Bearer sk-test", "Content-Type": "application/json"}
    while not load.stopping.is_set() and (limit is None or load.next_probe < limit):
        probe = load.next_probe
        load.next_probe += 1
        try:
            async with session.post(url, data=probe_body(probe), headers=headers) as resp:
                await resp.read()
                if resp.status == 200:
                    load.acked.append((time.monotonic(), resp.headers["weir-log-id"], probe))
                    continue
        except (TimeoutError, aiohttp.ClientError, OSError):
            pass
        load.failures += 1
        await asyncio.sleep(0.05)  # a dead gateway refuses at once: no busy loop


@asynccontextmanager
async def running_load(
    gateway: Gateway, limit: int | None = None
) -> AsyncIterator[tuple[Load, asyncio.Future[list[None]]]]:
    load = Load()
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=CONCURRENCY), timeout=timeout) as session:
        await wait_ready(gateway, session)
        clients = asyncio.gather(*(client(gateway, session, load, limit) for _ in range(CONCURRENCY)))
        try:
            yield load, clients
        finally:
            load.stopping.set()
            await asyncio.wait_for(clients, timeout=60)


def stored(store: LogStore) -> dict[str, bytes | None]:
    """Every logged id and its sealed request body, read the way the API reads the log; every
    payload blob is read whole, so a damaged block would fail its checksum here."""
    assert store.path.exists(), "the gateway never created its log file"
    with store.reading() as con:
        rows = con.execute(
            "SELECT r.id, p.request FROM requests r LEFT JOIN payloads p ON p.request_id = r.id"
        ).fetchall()
        totals = con.execute(
            "SELECT count(*), sum(octet_length(request) + coalesce(octet_length(response), 0)) FROM payloads"
        ).fetchone()
    assert totals is not None and totals[0] == len(rows), "a request row without its payload row, or the reverse"
    return {log_id: blob for log_id, blob in rows}


@pytest.fixture
async def upstream() -> AsyncIterator[tuple[OpenAIFake, str]]:
    fake = OpenAIFake()
    async with serve(fake.app) as url:
        yield fake, url


async def test_kill_9_under_load_keeps_every_record_acknowledged_a_flush_before(
    tmp_path: Path, upstream: tuple[OpenAIFake, str]
) -> None:
    _, url = upstream
    with weir_serve(tmp_path, url, f"{FLUSH_INTERVAL_S}s") as gateway:
        async with running_load(gateway) as (load, _):
            # Load for a while, then keep it going for more than a flush interval plus the
            # margin after the cut-off, and kill mid-load.
            deadline = time.monotonic() + READY_WITHIN_S
            while len(load.acked) < 200 and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            await asyncio.sleep(1.0)
            settle = FLUSH_INTERVAL_S + MARGIN_S
            await asyncio.sleep(settle)
            gateway.process.send_signal(signal.SIGKILL)
            killed_at = time.monotonic()
            assert gateway.process.wait(timeout=EXIT_WITHIN_S) == -signal.SIGKILL
        cutoff = killed_at - settle
        durable = {(log_id, probe) for at, log_id, probe in load.acked if at <= cutoff}
        assert len(durable) >= 200, f"too little load to judge: {len(durable)} acknowledged before the cut-off"
        assert len(load.acked) > len(durable), "the load had stopped before the kill"

        logged = stored(gateway.store)  # the file opens after the crash
        missing = sorted(log_id for log_id, _ in durable if log_id not in logged)
        assert not missing, f"{len(missing)} of {len(durable)} acknowledged records lost, e.g. {missing[:3]}"
        opener = PayloadOpener(gateway.private_key)
        for log_id, probe in durable:
            blob = logged[log_id]
            assert blob is not None and opener.open(log_id, blob) == probe_body(probe)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_a_graceful_stop_writes_everything_still_queued(
    tmp_path: Path, upstream: tuple[OpenAIFake, str], sig: signal.Signals
) -> None:
    fake, url = upstream
    # A flush interval far longer than the test: every record is still queued when the
    # signal arrives, so only the stop's own flush can write them.
    with weir_serve(tmp_path, url, "300s") as gateway:
        async with running_load(gateway, limit=400) as (load, clients):
            await asyncio.wait_for(clients, timeout=120)
        assert load.failures == 0
        if gateway.store.path.exists():
            assert len(stored(gateway.store)) == 0, "records were flushed before the stop"
        gateway.process.send_signal(sig)
        assert gateway.process.wait(timeout=EXIT_WITHIN_S) == 0, gateway.tail()
        logged = stored(gateway.store)
    assert len(load.acked) == 400
    assert len(logged) == len(fake.requests) == len(load.acked)
    assert set(logged) == {log_id for _, log_id, _ in load.acked}
