"""The SQL sandbox: one SELECT or a refusal, no files, time and memory limits, bound
parameters, decrypt_payload only with the key, JSON-friendly values."""

from __future__ import annotations

import multiprocessing
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from gateway.logs.sandbox import run_query
from gateway.logs.sealed import generate_key_pair
from gateway.logs.statement import QueryError, QueryRefused, execute, jsonable
from gateway.logs.store import LogStore, StoreBusy
from gateway.logs.writer import LogWriter
from tests.gateway.logs.exchanges import exchange

MiB = 1024 * 1024
PROMPT = b'{"messages":[{"role":"user","content":"the zebra sings PURPLE-42"}]}'
TABLES = ("requests", "attempts", "findings", "payloads", "feedback_events")


@pytest.fixture(scope="module")
def keys() -> tuple[bytes, bytes]:
    return generate_key_pair()


@pytest.fixture
def store(tmp_path: Path, keys: tuple[bytes, bytes]) -> LogStore:
    """Three records through the real writer, bodies sealed to ``keys``."""
    store = LogStore(tmp_path / "logs", memory_limit=64 * MiB)
    writer = LogWriter(store, public_key=keys[1])
    writer.submit(exchange(request_body=PROMPT, metadata='{"team":"search"}'))
    writer.submit(exchange(provider="anthropic", status=502, error="upstream failed"))
    writer.submit(exchange(collect_payload=False))
    assert writer.flush()
    return store


def counts(store: LogStore) -> dict[str, int]:
    with store.reading() as con:
        return {table: con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0] for table in TABLES}


REFUSED = [
    ("", "the SQL is empty"),
    ("   \n\t", "the SQL is empty"),
    ("-- only a comment", "holds no statement"),
    ("SELECT 1; SELECT 2", "holds 2 statements"),
    ("SELECT * FROM requests; DROP TABLE requests", "holds 2 statements"),
    ("SELECT 1; DROP TABLE requests; --", "holds 2 statements"),
    ("DROP TABLE requests", "not DROP;"),
    ("DELETE FROM requests", "not DELETE;"),
    ("INSERT INTO feedback_events VALUES ('x', now(), 1, 1, 'x')", "not INSERT;"),
    ("UPDATE requests SET status = 200", "not UPDATE;"),
    ("CREATE TABLE stolen AS SELECT * FROM requests", "not CREATE;"),
    ("ALTER TABLE requests ADD COLUMN x INT", "not ALTER;"),
    ("ATTACH '/tmp/weir-other.duckdb' AS other", "not ATTACH;"),
    ("DETACH requests", "not DETACH;"),
    ("COPY requests TO '/tmp/weir-stolen.csv'", "not COPY;"),
    ("COPY requests FROM '/etc/passwd'", "not COPY;"),
    ("COPY (SELECT * FROM payloads) TO '/tmp/weir-stolen.parquet' (FORMAT parquet)", "not COPY;"),
    ("EXPORT DATABASE '/tmp/weir-export'", "not EXPORT;"),
    ("INSTALL httpfs", "not LOAD;"),
    ("LOAD httpfs", "not LOAD;"),
    ("SET memory_limit = '100GB'", "not SET;"),
    ("SET enable_external_access = true", "not SET;"),
    ("RESET lock_configuration", "not SET;"),
    ("PRAGMA enable_profiling", "not PRAGMA;"),
    ("CALL pragma_version()", "not CALL;"),
    ("CHECKPOINT", "not CALL;"),
    ("VACUUM", "not VACUUM;"),
    ("BEGIN TRANSACTION", "not TRANSACTION;"),
    ("EXPLAIN SELECT 1", "not EXPLAIN;"),
    ("CREATE MACRO m() AS 1", "not CREATE;"),
    ("PIVOT requests ON provider USING count(*)", "not MULTI;"),
    ("SELEC 1", "the SQL does not parse"),
]


@pytest.mark.parametrize(("sql", "reason"), REFUSED, ids=[sql[:40] or "empty" for sql, _ in REFUSED])
def test_anything_but_one_select_is_refused_before_it_runs(store: LogStore, sql: str, reason: str) -> None:
    before = counts(store)
    with pytest.raises(QueryRefused, match=reason):
        run_query(store, sql, timeout=5)
    assert counts(store) == before == {"requests": 3, "attempts": 3, "findings": 0, "payloads": 2, "feedback_events": 0}
    assert not Path("/tmp/weir-stolen.csv").exists() and not Path("/tmp/weir-export").exists()


ALLOWED = [
    ("WITH r AS (SELECT * FROM requests) SELECT count(*) FROM r", [(3,)]),
    ("FROM requests SELECT count(*)", [(3,)]),
    ("SELECT count(*) FROM feedback", [(0,)]),
    ("SELECT sum(requests) FROM daily", [(3,)]),
    ("VALUES (1), (2)", [(1,), (2,)]),
]


@pytest.mark.parametrize(("sql", "rows"), ALLOWED)
def test_every_form_of_select_runs(store: LogStore, sql: str, rows: list[tuple[Any, ...]]) -> None:
    assert run_query(store, sql, timeout=5).rows == rows


@pytest.mark.parametrize("sql", ["DESCRIBE requests", "SHOW TABLES", "SUMMARIZE requests"])
def test_describing_the_schema_runs(store: LogStore, sql: str) -> None:
    assert run_query(store, sql, timeout=5).rows


SANDBOXED = [
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_text('/etc/passwd')",
    "SELECT * FROM read_blob('/etc/hostname')",
    "SELECT * FROM read_parquet('/tmp/*.parquet')",
    "SELECT * FROM read_json('/etc/os-release')",
    "SELECT * FROM glob('/etc/*')",
    "SELECT * FROM sniff_csv('/etc/passwd')",
    "SELECT * FROM 'requests.duckdb'",
    "SELECT * FROM duckdb_extensions()",
]


@pytest.mark.parametrize("sql", SANDBOXED)
def test_a_select_cannot_read_files(store: LogStore, sql: str) -> None:
    with pytest.raises(QueryError, match=r"disabled by configuration|does not exist"):
        run_query(store, sql, timeout=5)
    assert counts(store)["requests"] == 3


def test_a_select_cannot_smuggle_another_statement(store: LogStore) -> None:
    with pytest.raises(QueryError, match="single SELECT"):
        run_query(store, "SELECT * FROM query('DROP TABLE requests')", timeout=5)
    assert counts(store)["requests"] == 3


def test_values_are_bound_so_an_injection_is_just_a_value(store: LogStore) -> None:
    hostile = "'; DROP TABLE requests; --"
    result = run_query(store, "SELECT count(*) AS n FROM requests WHERE provider = ?", [hostile], timeout=5)
    assert result.columns == ["n"] and result.rows == [(0,)]
    assert run_query(store, "SELECT count(*) FROM requests WHERE provider = ?", ["openai"], timeout=5).rows == [(2,)]
    assert counts(store)["requests"] == 3


def test_parameters_must_be_scalars(store: LogStore) -> None:
    with pytest.raises(QueryRefused, match=r"params\[1\]: expected a string, number, boolean or null, got list"):
        run_query(store, "SELECT ?, ?", ["a", ["b"]], timeout=5)


def test_a_long_query_is_stopped_at_the_time_limit(store: LogStore) -> None:
    started = time.monotonic()
    with pytest.raises(QueryError, match=r"the query ran past the 1 s limit \(\[logs\] sql_timeout\)"):
        run_query(store, "SELECT count(*) FROM range(1000000000000) a, range(1000) b", timeout=1)
    assert time.monotonic() - started < 10
    assert counts(store)["requests"] == 3


MEMORY_HOGS = [
    # Within DuckDB's buffer manager: its memory_limit stops it.
    "SELECT string_agg(repeat('x', 1000), '') FROM range(1000000)",
    # Outside it (a 2 GiB list, a 1 GB string): only the child's hard cap stops these.
    "SELECT len(list_resize([1], 300000000))",
    "SELECT length(repeat('x', 1000000000))",
    "SELECT len(range(300000000))",
]


@pytest.mark.parametrize("sql", MEMORY_HOGS)
def test_a_memory_hungry_query_is_stopped_by_the_memory_limit(store: LogStore, sql: str) -> None:
    started = time.monotonic()
    with pytest.raises(QueryError, match=r"the query ran out of memory \(the limit is 64 MiB"):
        run_query(store, sql, timeout=30)
    assert time.monotonic() - started < 20
    assert counts(store)["requests"] == 3


def test_rows_past_max_rows_are_not_read(store: LogStore) -> None:
    result = run_query(store, "SELECT * FROM range(1000000000)", timeout=10, max_rows=5)
    assert result.rows == [(0,), (1,), (2,), (3,), (4,)] and result.truncated
    assert not run_query(store, "SELECT 1", timeout=5).truncated


def test_decrypt_payload_opens_the_bodies_with_the_private_key(store: LogStore, keys: tuple[bytes, bytes]) -> None:
    sql = (
        "SELECT decrypt_payload(p.request_id, p.request) AS prompt FROM payloads p "
        "JOIN requests r ON r.id = p.request_id WHERE json_extract_string(r.metadata, '$.team') = 'search'"
    )
    assert run_query(store, sql, timeout=5, private_key=keys[0]).rows == [(PROMPT.decode(),)]
    searched = run_query(
        store,
        "SELECT count(*) FROM payloads WHERE decrypt_payload(request_id, request) LIKE '%PURPLE-42%'",
        timeout=5,
        private_key=keys[0],
    )
    assert searched.rows == [(1,)]


def test_decrypt_payload_exists_only_with_the_key(store: LogStore) -> None:
    with pytest.raises(QueryError, match="decrypt_payload does not exist"):
        run_query(store, "SELECT decrypt_payload(request_id, request) FROM payloads", timeout=5)


def test_decrypt_payload_with_the_wrong_key_names_the_record(store: LogStore) -> None:
    wrong = generate_key_pair()[0]
    with pytest.raises(QueryError, match=r"decrypt_payload: record [0-9a-f-]{36}: does not decrypt: wrong key"):
        run_query(store, "SELECT decrypt_payload(request_id, request) FROM payloads", timeout=5, private_key=wrong)


def test_a_blob_moved_to_another_record_does_not_open(store: LogStore, keys: tuple[bytes, bytes]) -> None:
    sql = "SELECT decrypt_payload('01900000-0000-7000-8000-000000000000', request) FROM payloads LIMIT 1"
    with pytest.raises(QueryError, match="record 01900000-0000-7000-8000-000000000000: does not decrypt"):
        run_query(store, sql, timeout=5, private_key=keys[0])


def test_results_are_json_friendly(store: LogStore) -> None:
    result = run_query(
        store,
        "SELECT TIMESTAMP '2024-05-01 12:00:00' AS ts, TIMESTAMPTZ '2024-05-01 12:00:00+00' AS tz, "
        "DATE '2024-05-01' AS d, [1, 2] AS l, {'a': 1} AS s, 'ab'::BLOB AS b, 1.25::DECIMAL(5, 2) AS dec, "
        "NULL AS n, 'nan'::DOUBLE AS nan, INTERVAL 90 SECOND AS i",
        timeout=5,
    )
    assert result.columns == ["ts", "tz", "d", "l", "s", "b", "dec", "n", "nan", "i"]
    ts, tz, *rest = result.rows[0]
    assert ts == "2024-05-01T12:00:00Z" and datetime.fromisoformat(tz) == datetime(2024, 5, 1, 12, tzinfo=UTC)
    assert rest == ["2024-05-01", [1, 2], {"a": 1}, "YWI=", 1.25, None, None, {"months": 0, "days": 0, "seconds": 90}]


JSONABLE: list[tuple[Any, Any]] = [
    (None, None),
    (True, True),
    (7, 7),
    ("text", "text"),
    (1.5, 1.5),
    (float("inf"), None),
    (datetime(2024, 5, 1, 12, 30), "2024-05-01T12:30:00Z"),
    (datetime(2024, 5, 1, 12, 30, tzinfo=UTC), "2024-05-01T12:30:00+00:00"),
    (date(2024, 5, 1), "2024-05-01"),
    (timedelta(minutes=2), 120.0),
    (Decimal("12"), 12),
    (Decimal("1.25"), 1.25),
    (b"\x00\x01", "AAE="),
    ([datetime(2024, 1, 1), None], ["2024-01-01T00:00:00Z", None]),
    ({"k": b"x"}, {"k": "eA=="}),
    (pa.MonthDayNano([1, 2, 3_000_000_000]), {"months": 1, "days": 2, "seconds": 3.0}),
]


@pytest.mark.parametrize(("value", "expected"), JSONABLE)
def test_jsonable(value: Any, expected: Any) -> None:
    assert jsonable(value) == expected


def test_execute_in_process_interrupts_at_its_deadline(store: LogStore) -> None:
    with store.reading() as con:
        with pytest.raises(QueryError, match=r"ran past the 0\.5 s limit"):
            execute(con, "SELECT count(*) FROM range(1000000000000) a, range(1000) b", timeout=0.5)
        assert execute(con, "SELECT count(*) FROM requests", timeout=5).rows == [(3,)]


def _hold(path: str, seconds: float, ready: Any) -> None:
    import duckdb

    con = duckdb.connect(path)
    ready.set()
    time.sleep(seconds)
    con.close()


def test_a_log_held_by_another_process_is_busy(store: LogStore) -> None:
    context = multiprocessing.get_context("spawn")
    ready = context.Event()
    holder = context.Process(target=_hold, args=(str(store.path), 2.0, ready))
    holder.start()
    try:
        assert ready.wait(30)
        with pytest.raises(StoreBusy, match="stayed locked by another process"):
            run_query(store, "SELECT 1", timeout=5, wait=0.3)
    finally:
        holder.join(30)
    assert run_query(store, "SELECT count(*) FROM requests", timeout=5).rows == [(3,)]


def _query_in_a_daemon(directory: str, answers: Any) -> None:
    answers.put(run_query(LogStore(directory), "SELECT count(*) FROM requests", timeout=5).rows)


def test_a_daemonic_gateway_worker_can_run_a_query(store: LogStore) -> None:
    """``weir serve --workers N`` runs its workers as daemonic processes, which
    multiprocessing forbids to have children: the query's own process must still start."""
    context = multiprocessing.get_context("spawn")
    answers = context.Queue()
    worker = context.Process(target=_query_in_a_daemon, args=(str(store.directory), answers), daemon=True)
    worker.start()
    try:
        assert answers.get(timeout=60) == [(3,)]
    finally:
        worker.join(30)
