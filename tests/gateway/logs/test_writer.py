"""The log writer: batches reach DuckDB, a full queue sheds and counts, a failed flush
keeps its records, stop flushes everything, retention deletes by gateway."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from gateway.logs.store import LogStore
from gateway.logs.writer import LogWriter, delete_expired
from tests.gateway.logs.exchanges import exchange

DAY = 86400.0


def count(store: LogStore, table: str = "requests") -> int:
    with store.reading() as con:
        row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    assert row is not None
    return int(row[0])


def test_flush_writes_every_table(tmp_path: Path) -> None:
    store = LogStore(tmp_path)
    writer = LogWriter(store, public_key=None)
    finding = {"entry": "EMAIL", "topic": "pii", "level": "high", "confidence": 0.9, "action": "flag"}
    for _ in range(3):
        writer.submit(exchange(findings=(finding,)))
    assert writer.depth == 3
    assert writer.flush()
    assert (writer.written, writer.depth) == (3, 0)
    assert count(store) == 3
    assert count(store, "attempts") == 3
    assert count(store, "findings") == 3


def test_not_collected_is_not_queued(tmp_path: Path) -> None:
    writer = LogWriter(LogStore(tmp_path), public_key=None)
    writer.submit(exchange(collect_log=False))
    assert writer.depth == 0


def test_a_full_queue_sheds_and_counts(tmp_path: Path) -> None:
    writer = LogWriter(LogStore(tmp_path), public_key=None, queue_size=2)
    for _ in range(5):
        writer.submit(exchange())
    assert (writer.depth, writer.shed) == (2, 3)


def test_a_failed_flush_keeps_its_records_for_the_next(tmp_path: Path) -> None:
    store = LogStore(tmp_path)
    writer = LogWriter(store, public_key=None)
    writer.submit(exchange())
    # Hold this process's turn on the store from another thread: the flush waits, gives up.
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        with store.writing():
            taken.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    taken.wait(5)
    try:
        assert writer.flush(wait=0.05) is False
        assert (writer.failed_flushes, writer.depth, writer.written) == (1, 1, 0)
    finally:
        release.set()
        holder.join()
    assert writer.flush()
    assert (writer.depth, writer.written) == (0, 1)
    assert count(store) == 1


def test_stop_flushes_everything_even_past_one_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("gateway.logs.writer.MAX_BATCH", 100)
    store = LogStore(tmp_path)
    writer = LogWriter(store, public_key=None, flush_interval=60.0)
    writer.start()
    for _ in range(250):
        writer.submit(exchange())
    writer.stop()
    assert not writer.alive
    assert (writer.written, writer.shed) == (250, 0)
    assert count(store) == 250


def test_the_thread_flushes_on_its_interval(tmp_path: Path) -> None:
    store = LogStore(tmp_path)
    writer = LogWriter(store, public_key=None, flush_interval=0.05)
    writer.start()
    try:
        writer.submit(exchange())
        for _ in range(200):
            if writer.written:
                break
            threading.Event().wait(0.02)
        assert writer.written == 1
    finally:
        writer.stop()


def test_retention_deletes_per_gateway_with_children(tmp_path: Path) -> None:
    store = LogStore(tmp_path)
    writer = LogWriter(store, public_key=None)
    now = 1_900_000_000.0
    old, young = now - 10 * DAY, now - 1 * DAY
    for gateway, started in (("short", old), ("short", young), ("long", old), ("other", old), ("other", young)):
        writer.submit(exchange(gateway=gateway, started_at=started))
    assert writer.flush()
    with store.writing() as con:
        deleted = delete_expired(con, {"short": 2 * DAY, "long": 30 * DAY, "*": 5 * DAY}, now)
        remaining = con.execute("SELECT gateway, count(*) FROM requests GROUP BY ALL ORDER BY 1").fetchall()
        orphans = con.execute("SELECT count(*) FROM attempts WHERE request_id NOT IN (SELECT id FROM requests)")
        assert orphans.fetchone() == (0,)
    assert deleted == 2
    assert remaining == [("long", 1), ("other", 1), ("short", 1)]
