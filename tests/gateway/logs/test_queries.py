"""The log's read side: query parameters to filters (and their errors), bound WHERE
clauses, pages and cursors, one record, analytics, feedback."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import pytest

from gateway.exchange import Attempt
from gateway.logs.ids import uuid7
from gateway.logs.queries import (
    BadParameter,
    LogFilter,
    add_feedback,
    analytics,
    ids_since,
    latest,
    page,
    parse_filter,
    parse_group_by,
    parse_time,
    record,
    records_by_id,
    where,
)
from gateway.logs.rows import utc
from gateway.logs.store import LogStore
from gateway.logs.writer import LogWriter
from gateway.providers.usage import Usage
from tests.gateway.logs.exchanges import exchange

T0 = 1_714_564_800.0  # 2024-05-01T12:00:00Z


@pytest.fixture
def store(tmp_path: Path) -> LogStore:
    store = LogStore(tmp_path / "logs")
    writer = LogWriter(store, public_key=None)
    for n in range(6):
        writer.submit(
            exchange(
                started_at=T0 + n * 60,
                log_id=uuid7(int((T0 + n * 60) * 1000)),
                provider="openai" if n % 2 == 0 else "anthropic",
                status=200 if n < 4 else 503,
                user="ana" if n < 3 else "bob",
                cache_status="HIT" if n == 0 else "MISS",
                metadata='{"team":"search","run.id":"r1"}' if n == 1 else None,
                duration=0.1 * (n + 1),
                usage=Usage("gpt-4o-mini", 10, 5, 0, 0, "stop", True),
                attempts=(Attempt("openai", None, T0, 502, 0.1), Attempt("openai", None, T0, 200, 0.1)),
            )
        )
    assert writer.flush()
    return store


def pairs(query: str) -> list[tuple[str, str]]:
    return [tuple(part.split("=", 1)) for part in query.split("&") if part]  # type: ignore[misc]


GOOD = [
    ("provider=openai", LogFilter(provider="openai")),
    ("status=404", LogFilter(status=404)),
    ("status=5xx", LogFilter(status_class=5)),
    ("status=4XX", LogFilter(status_class=4)),
    ("since=1714564800", LogFilter(since=datetime(2024, 5, 1, 12))),
    ("since=1714564800.5", LogFilter(since=datetime(2024, 5, 1, 12, 0, 0, 500000))),
    ("since=2024-05-01T12:00:00Z", LogFilter(since=datetime(2024, 5, 1, 12))),
    ("since=2024-05-01T14:00:00+02:00", LogFilter(since=datetime(2024, 5, 1, 12))),
    ("since=2024-05-01T14:00:00 02:00", LogFilter(since=datetime(2024, 5, 1, 12))),
    ("until=2024-05-01", LogFilter(until=datetime(2024, 5, 1))),
    ("user=ana&cache_status=hit", LogFilter(user="ana", cache_status="hit")),
    ("metadata.team=search&metadata.run.id=r1", LogFilter(metadata=(("team", "search"), ("run.id", "r1")))),
]


@pytest.mark.parametrize(("query", "expected"), GOOD)
def test_filters_parse(query: str, expected: LogFilter) -> None:
    assert parse_filter(pairs(query)) == (expected, {})


BAD = [
    ("colour=red", "unknown query parameters: colour; known: since, until"),
    ("limit=5", "unknown query parameters: limit"),
    ("provider=a&provider=b", "provider: given more than once"),
    ("status=200x", "status: expected a status code like 404, or a class like 4xx or 5xx"),
    ("status=6xx", "status: expected a status code"),
    ("since=yesterday", "since: expected an ISO-8601 time"),
    ("until=99999999999999", "until: expected an ISO-8601 time"),
    ("since=2024-05-02&until=2024-05-01", "since: must be before until"),
    ("metadata.=x", "metadata.: a metadata key is 1 to 64"),
    ('metadata.a"b=x', "a metadata key is 1 to 64"),
    ("metadata.a'b=x", "a metadata key is 1 to 64"),
    ("metadata.$.a[0]=x", "a metadata key is 1 to 64"),
    ("model=" + "m" * 513, "model: longer than 512 characters"),
]


@pytest.mark.parametrize(("query", "message"), BAD)
def test_bad_filters_name_the_parameter(query: str, message: str) -> None:
    with pytest.raises(BadParameter, match=message.replace("[", r"\[").replace("$", r"\$")):
        parse_filter(pairs(query))


def test_extra_parameters_come_back_by_name() -> None:
    assert parse_filter(pairs("limit=5&cursor=c&model=m"), ("limit", "cursor")) == (
        LogFilter(model="m"),
        {"limit": "5", "cursor": "c"},
    )


def test_group_by_takes_only_known_names() -> None:
    assert parse_group_by("provider, user") == ("provider", "user")
    with pytest.raises(BadParameter, match="group_by: id; drop table cannot be grouped by"):
        parse_group_by("provider,id; drop table")


def test_where_binds_every_value() -> None:
    hostile = "'; DROP TABLE requests; --"
    sql, params = where(LogFilter(provider=hostile, status_class=4, metadata=(("team", hostile),)))
    assert hostile not in sql
    assert sql == "provider = ? AND status >= ? AND status < ? AND json_extract_string(metadata, ?) = ?"
    assert params == [hostile, 400, 500, '$."team"', hostile]


def test_parse_time_rejects_garbage() -> None:
    with pytest.raises(BadParameter, match="--since: expected"):
        parse_time("--since", "2024-13-45")


def test_pages_walk_the_log_newest_first(store: LogStore) -> None:
    seen: list[str] = []
    cursor = None
    with store.reading() as con:
        while True:
            records, cursor = page(con, LogFilter(), 4, cursor, timeout=5)
            seen += [r["started_at"] for r in records]
            if cursor is None:
                break
    assert seen == sorted(seen, reverse=True) and len(seen) == 6


FILTERED = [
    (LogFilter(provider="openai"), 3),
    (LogFilter(status_class=5), 2),
    (LogFilter(status=200, user="bob"), 1),
    (LogFilter(cache_status="hit"), 1),
    (LogFilter(metadata=(("team", "search"),)), 1),
    (LogFilter(metadata=(("run.id", "r1"),)), 1),
    (LogFilter(metadata=(("team", "'; DROP TABLE requests; --"),)), 0),
    (LogFilter(provider="'; DROP TABLE requests; --"), 0),
    (LogFilter(since=utc(T0 + 120)), 4),
    (LogFilter(since=utc(T0 + 60), until=utc(T0 + 180)), 2),
]


@pytest.mark.parametrize(("found", "count"), FILTERED)
def test_filters_select_rows(store: LogStore, found: LogFilter, count: int) -> None:
    with store.reading() as con:
        records, _ = page(con, found, 100, None, timeout=5)
        assert len(records) == count
        assert con.execute("SELECT count(*) FROM requests").fetchone() == (6,)


def test_a_record_comes_with_attempts_findings_and_feedback(store: LogStore) -> None:
    with store.reading() as con:
        (first,), _ = page(con, LogFilter(metadata=(("team", "search"),)), 1, None, timeout=5)
    with store.writing() as con:
        assert add_feedback(con, first["id"], 1, None, None, T0)
        assert add_feedback(con, first["id"], None, 80, "good", T0 + 1)
        assert not add_feedback(con, "01900000-0000-7000-8000-000000000000", 1, None, None, T0)
    with store.reading() as con:
        found = record(con, first["id"], timeout=5)
        assert record(con, "01900000-0000-7000-8000-000000000000", timeout=5) is None
    assert found is not None
    assert found["metadata"] == {"team": "search", "run.id": "r1"}
    assert [a["status"] for a in found["attempts"]] == [502, 200]
    assert found["findings"] == []
    assert found["feedback"] == {"updated_at": "2024-05-01T12:00:01Z", "feedback": 1, "score": 80, "comment": "good"}


def test_analytics_per_bucket_and_group(store: LogStore) -> None:
    with store.reading() as con:
        rows = analytics(con, LogFilter(since=utc(T0 - 1)), "hour", ("provider",), timeout=5)
        everything = analytics(con, LogFilter(), "day", (), timeout=5, now=utc(T0 + 3600))
    assert [(r["bucket"], r["provider"], r["requests"]) for r in rows] == [
        ("2024-05-01T12:00:00Z", "anthropic", 3),
        ("2024-05-01T12:00:00Z", "openai", 3),
    ]
    openai = rows[1]
    assert openai["errors"] == 1 and openai["input_tokens"] == 30 and openai["output_tokens"] == 15
    assert openai["cache_hit_rate"] == pytest.approx(1 / 3)
    assert openai["p50_ms"] == pytest.approx(300.0) and openai["p95_ms"] == pytest.approx(480.0)
    assert openai["p50_ttft_ms"] == pytest.approx(80.0)
    assert len(everything) == 1 and everything[0]["requests"] == 6


def test_analytics_without_since_counts_the_last_day(store: LogStore) -> None:
    with store.reading() as con:
        assert analytics(con, LogFilter(), "hour", (), timeout=5, now=utc(T0 + 3 * 86400)) == []


def test_latest_and_follow_helpers(store: LogStore) -> None:
    with store.reading() as con:
        newest = latest(con, 2, timeout=5)
        ids = ids_since(con, utc(T0 + 240), timeout=5)
        by_id = records_by_id(con, ids, timeout=5)
    assert [r["started_at"] for r in newest] == ["2024-05-01T12:04:00Z", "2024-05-01T12:05:00Z"]
    assert len(ids) == 2 and sorted(r["id"] for r in by_id) == sorted(ids)


def test_now_is_not_needed_for_a_bounded_analytics_query(store: LogStore) -> None:
    with store.reading() as con:
        rows = analytics(con, LogFilter(until=utc(time.time())), "day", ("user",), timeout=5)
    assert rows == []  # the records are from 2024, the default day is the one before until
