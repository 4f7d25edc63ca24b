"""The log store: migrations, turns between processes, the read-only sandbox."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import duckdb
import pytest

from gateway.logs.store import LogStore, StoreBusy, migrate, migrations


def test_migrations_are_numbered_and_applied_once(tmp_path: Path) -> None:
    found = migrations()
    assert [version for version, _, _ in found] == list(range(1, len(found) + 1))
    con = duckdb.connect(str(tmp_path / "x.duckdb"))
    assert migrate(con) == [name for _, name, _ in found]
    assert migrate(con) == []
    tables = {row[0] for row in con.execute("SHOW TABLES").fetchall()}
    assert {"requests", "attempts", "findings", "payloads", "feedback_events", "feedback", "daily"} <= tables


def test_reading_a_fresh_store_creates_the_schema(tmp_path: Path) -> None:
    with LogStore(tmp_path / "logs").reading() as con:
        assert con.execute("SELECT count(*) FROM requests").fetchone() == (0,)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM read_csv('/etc/hostname')",
        "COPY requests TO '/tmp/weir-stolen.csv'",
        "ATTACH '/tmp/weir-other.duckdb' AS other",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET memory_limit = '100GB'",
        "SET enable_external_access = true",
        "DELETE FROM requests",
        "DROP TABLE requests",
    ],
)
def test_the_reading_connection_is_a_sandbox(tmp_path: Path, sql: str) -> None:
    store = LogStore(tmp_path)
    with store.reading() as con:
        with pytest.raises(duckdb.Error):
            con.execute(sql)
        assert con.execute("SELECT count(*) FROM requests").fetchone() == (0,)
    assert not Path("/tmp/weir-stolen.csv").exists()


def _hold_for(path: str, seconds: float, ready: "multiprocessing.synchronize.Event") -> None:  # noqa: UP037
    con = duckdb.connect(path)
    ready.set()
    multiprocessing.Event().wait(seconds)
    con.close()


def test_another_process_holding_the_file_makes_us_wait_then_busy(tmp_path: Path) -> None:
    store = LogStore(tmp_path)
    with store.writing():
        pass
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Event()
    holder = ctx.Process(target=_hold_for, args=(str(store.path), 3.0, ready))
    holder.start()
    try:
        assert ready.wait(30)
        with pytest.raises(StoreBusy, match="stayed locked by another process"), store.writing(wait=0.2):
            pass
        with store.writing(wait=30) as con:  # the holder lets go: our turn comes
            assert con.execute("SELECT count(*) FROM requests").fetchone() == (0,)
    finally:
        holder.join(30)
