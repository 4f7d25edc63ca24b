"""The request log's read side, shared by the HTTP API and ``weir logs``: filters, pages of
records, one record with its attempts, findings and feedback, the analytics rollup, and
appending feedback.

Every value a caller gives is bound (``?``). The only text that goes into SQL comes from
the allowlists in this module — the columns a filter or a grouping names, a bucket width —
never from the caller, who picks among them by name.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import duckdb
import orjson

from gateway.logs.rows import utc
from gateway.logs.statement import QueryError, QueryResult, execute

FILTERS = ("since", "until", "gateway", "provider", "model", "status", "user", "cache_status")
_EQUALS = {"gateway": "gateway", "provider": "provider", "model": "model", "user": "user_id"}
GROUPS = {"provider": "provider", "model": "model", "user": "user_id", "gateway": "gateway"}
BUCKETS = ("minute", "hour", "day")
METADATA_PREFIX = "metadata."
METADATA_KEY = re.compile(r"[A-Za-z0-9_.-]{1,64}")
RECORD_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
MAX_VALUE = 512  # characters in a filter value: nothing in the log is longer
ANALYTICS_DEFAULT_SPAN = timedelta(days=1)
ANALYTICS_MAX_ROWS = 10_000
_STATUS = re.compile(r"[1-5][0-9][0-9]")
_STATUS_CLASS = re.compile(r"([1-5])xx", re.IGNORECASE)
_EPOCH = re.compile(r"[0-9]{1,12}(\.[0-9]*)?")


class BadParameter(ValueError):
    """A query parameter the caller sent is unknown or malformed; the message names it."""


@dataclass(frozen=True, slots=True)
class LogFilter:
    """Which request rows: every field that is set must match (times are naive UTC)."""

    since: datetime | None = None
    until: datetime | None = None
    gateway: str | None = None
    provider: str | None = None
    model: str | None = None
    user: str | None = None
    cache_status: str | None = None
    status: int | None = None  # exact
    status_class: int | None = None  # 4 for 4xx
    metadata: tuple[tuple[str, str], ...] = ()  # weir-metadata KEY = VALUE, as text


def parse_filter(pairs: Iterable[tuple[str, str]], extra: Collection[str] = ()) -> tuple[LogFilter, dict[str, str]]:
    """The filter in query parameters ``pairs``, and the values of the ``extra`` names the
    caller knows (``limit``, ``cursor``, …). Unknown names, repeated names and bad values
    raise ``BadParameter``."""
    seen: dict[str, str] = {}
    metadata: list[tuple[str, str]] = []
    unknown: list[str] = []
    for name, value in pairs:
        if name.startswith(METADATA_PREFIX):
            key = name.removeprefix(METADATA_PREFIX)
            if METADATA_KEY.fullmatch(key) is None:
                raise BadParameter(f"{name}: a metadata key is 1 to 64 letters, digits, '_', '.' or '-'")
            metadata.append((key, _bounded(name, value)))
        elif name in FILTERS or name in extra:
            if name in seen:
                raise BadParameter(f"{name}: given more than once")
            seen[name] = _bounded(name, value)
        else:
            unknown.append(name)
    if unknown:
        known = ", ".join([*FILTERS, "metadata.KEY", *extra])
        raise BadParameter(f"unknown query parameters: {', '.join(sorted(set(unknown)))}; known: {known}")
    status, status_class = _status(seen.get("status"))
    since = parse_time("since", seen["since"]) if "since" in seen else None
    until = parse_time("until", seen["until"]) if "until" in seen else None
    if since is not None and until is not None and since >= until:
        raise BadParameter("since: must be before until")
    found = LogFilter(
        since=since,
        until=until,
        gateway=seen.get("gateway"),
        provider=seen.get("provider"),
        model=seen.get("model"),
        user=seen.get("user"),
        cache_status=seen.get("cache_status"),
        status=status,
        status_class=status_class,
        metadata=tuple(metadata),
    )
    return found, {name: seen[name] for name in extra if name in seen}


def parse_time(name: str, text: str) -> datetime:
    """ISO-8601 (a zone converts to UTC; none means UTC) or seconds since the epoch."""
    text = text.strip()
    try:
        if _EPOCH.fullmatch(text):
            return utc(float(text))
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            # An unencoded "+02:00" in a URL arrives as " 02:00".
            head, space, tail = text.rpartition(" ")
            if not space:
                raise
            moment = datetime.fromisoformat(f"{head}+{tail}")
    except (ValueError, OverflowError, OSError):
        raise BadParameter(
            f"{name}: expected an ISO-8601 time like 2024-05-01T12:00:00Z or seconds since the epoch"
        ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def parse_int(name: str, text: str | None, default: int, low: int, high: int) -> int:
    if text is None:
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise BadParameter(f"{name}: expected a whole number from {low} to {high}")
    return int(text)


def parse_cursor(text: str | None) -> str | None:
    if text is not None and RECORD_ID.fullmatch(text) is None:
        raise BadParameter("cursor: not a cursor from a previous page (pass the response's cursor as it is)")
    return text


def parse_group_by(text: str | None) -> tuple[str, ...]:
    names = tuple(name.strip() for name in text.split(",") if name.strip()) if text else ()
    wrong = [name for name in names if name not in GROUPS]
    if wrong:
        raise BadParameter(f"group_by: {', '.join(wrong)} cannot be grouped by; choose from {', '.join(GROUPS)}")
    if len(set(names)) != len(names):
        raise BadParameter("group_by: a name is given twice")
    return names


def parse_bucket(text: str | None) -> str:
    if text is None:
        return "hour"
    if text not in BUCKETS:
        raise BadParameter(f"bucket: expected one of {', '.join(BUCKETS)}")
    return text


def where(found: LogFilter) -> tuple[str, list[object]]:
    """``found`` as a SQL condition over ``requests`` and its bound values."""
    clauses: list[str] = []
    params: list[object] = []
    if found.since is not None:
        clauses.append("started_at >= ?")
        params.append(found.since)
    if found.until is not None:
        clauses.append("started_at < ?")
        params.append(found.until)
    for name, column in _EQUALS.items():
        value = getattr(found, name)
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    if found.cache_status is not None:
        clauses.append("cache_status = ?")
        params.append(found.cache_status.upper())
    if found.status is not None:
        clauses.append("status = ?")
        params.append(found.status)
    if found.status_class is not None:
        clauses.append("status >= ? AND status < ?")
        params += [found.status_class * 100, found.status_class * 100 + 100]
    for key, value in found.metadata:
        # The key is quoted in the JSON path so that a dot in it is part of the name; the
        # pattern it matched has no quote, and the path is bound like every other value.
        clauses.append("json_extract_string(metadata, ?) = ?")
        params += [f'$."{key}"', value]
    return " AND ".join(clauses) or "TRUE", params


def page(
    con: duckdb.DuckDBPyConnection, found: LogFilter, limit: int, cursor: str | None, *, timeout: float
) -> tuple[list[dict[str, Any]], str | None]:
    """Up to ``limit`` records, newest first, after ``cursor``; and the next page's cursor.

    Ids are UUIDv7, so id order is time order and the last id of a page is the cursor.
    """
    condition, params = where(found)
    if cursor is not None:
        condition += " AND id < ?"
        params.append(cursor)
    result = execute(
        con,
        f"SELECT * FROM requests WHERE {condition} ORDER BY id DESC LIMIT ?",
        [*params, limit + 1],
        timeout=timeout,
    )
    records = _dicts(result)[:limit]
    return records, (records[-1]["id"] if len(result.rows) > limit else None)


def record(con: duckdb.DuckDBPyConnection, record_id: str, *, timeout: float) -> dict[str, Any] | None:
    """One request row with its ``attempts``, ``findings`` and ``feedback``; no payloads."""
    found = _dicts(execute(con, "SELECT * FROM requests WHERE id = ?", [record_id], timeout=timeout))
    if not found:
        return None
    attempts = execute(
        con,
        "SELECT attempt, provider, model, started_at, status, error, duration_ms "
        "FROM attempts WHERE request_id = ? ORDER BY attempt",
        [record_id],
        timeout=timeout,
    )
    findings = execute(
        con,
        "SELECT direction, entry, topic, level, confidence, action, policy "
        "FROM findings WHERE request_id = ? ORDER BY direction, entry",
        [record_id],
        timeout=timeout,
    )
    return {
        **found[0],
        "attempts": _dicts(attempts),
        "findings": _dicts(findings),
        "feedback": feedback_of(con, record_id, timeout=timeout),
    }


def feedback_of(con: duckdb.DuckDBPyConnection, record_id: str, *, timeout: float) -> dict[str, Any] | None:
    sql = "SELECT updated_at, feedback, score, comment FROM feedback WHERE request_id = ?"
    rows = _dicts(execute(con, sql, [record_id], timeout=timeout))
    return rows[0] if rows else None


def payload(con: duckdb.DuckDBPyConnection, record_id: str) -> tuple[bytes | None, bytes | None] | None:
    """The sealed request and response bodies of one record; None when none were stored."""
    row = con.execute("SELECT request, response FROM payloads WHERE request_id = ?", [record_id]).fetchone()
    return (row[0], row[1]) if row is not None else None


def latest(
    con: duckdb.DuckDBPyConnection, count: int, after: str | None = None, *, timeout: float
) -> list[dict[str, Any]]:
    """The newest ``count`` records (after id ``after``, when given), oldest first."""
    condition, params = ("id > ?", [after]) if after is not None else ("TRUE", [])
    result = execute(
        con,
        f"SELECT * FROM (SELECT * FROM requests WHERE {condition} ORDER BY id DESC LIMIT ?) ORDER BY id",
        [*params, count],
        timeout=timeout,
    )
    return _dicts(result)


def ids_since(con: duckdb.DuckDBPyConnection, since: datetime, *, timeout: float) -> list[str]:
    """The ids of the records that started at or after ``since``."""
    result = execute(con, "SELECT id FROM requests WHERE started_at >= ?", [since], timeout=timeout, max_rows=1 << 40)
    return [row[0] for row in result.rows]


def records_by_id(con: duckdb.DuckDBPyConnection, ids: Sequence[str], *, timeout: float) -> list[dict[str, Any]]:
    """The records with these ids, oldest first."""
    if not ids:
        return []
    result = execute(
        con,
        "SELECT * FROM requests WHERE id IN (SELECT unnest(?::VARCHAR[])) ORDER BY id",
        [list(ids)],
        timeout=timeout,
        max_rows=len(ids),
    )
    return _dicts(result)


_METRICS = """
    count(*) AS requests,
    count(*) FILTER (WHERE status >= 400 OR truncated) AS errors,
    coalesce(sum(input_tokens), 0) AS input_tokens,
    coalesce(sum(output_tokens), 0) AS output_tokens,
    sum(cost_usd) AS cost_usd,
    count(*) FILTER (WHERE cache_status = 'HIT') AS cache_hits,
    count(*) FILTER (WHERE cache_status = 'HIT')
        / nullif(count(*) FILTER (WHERE cache_status IS NOT NULL AND cache_status <> 'BYPASS'), 0)
        AS cache_hit_rate,
    quantile_cont(duration_ms, 0.5) AS p50_ms,
    quantile_cont(duration_ms, 0.95) AS p95_ms,
    quantile_cont(ttft_ms, 0.5) AS p50_ttft_ms,
    quantile_cont(ttft_ms, 0.95) AS p95_ttft_ms
"""


def analytics(
    con: duckdb.DuckDBPyConnection,
    found: LogFilter,
    bucket: str,
    group_by: Sequence[str],
    *,
    timeout: float,
    now: datetime | None = None,
) -> list[dict[str, Any]]:
    """Requests, tokens, cost, errors, cache hit rate (hits over the requests that consulted
    the cache) and p50/p95 of latency and time to first token, per ``bucket`` × ``group_by``.
    Without ``since`` the last day is counted."""
    if bucket not in BUCKETS or any(name not in GROUPS for name in group_by):
        raise BadParameter("bucket or group_by: not one of the names this module allows")
    if found.since is None:
        end = found.until or (now or datetime.now(UTC).replace(tzinfo=None))
        found = replace(found, since=end - ANALYTICS_DEFAULT_SPAN)
    condition, params = where(found)
    keys = [f'{GROUPS[name]} AS "{name}"' for name in group_by]
    select = ", ".join([f"date_trunc('{bucket}', started_at) AS bucket", *keys, _METRICS])
    result = execute(
        con,
        f"SELECT {select} FROM requests WHERE {condition} GROUP BY ALL ORDER BY ALL",
        params,
        timeout=timeout,
        max_rows=ANALYTICS_MAX_ROWS,
    )
    if result.truncated:
        raise QueryError(
            f"the analytics have more than {ANALYTICS_MAX_ROWS} rows; "
            "narrow since/until, use a larger bucket or group by fewer names"
        )
    return _dicts(result)


def add_feedback(
    con: duckdb.DuckDBPyConnection,
    record_id: str,
    feedback: int | None,
    score: int | None,
    comment: str | None,
    now: float,
) -> bool:
    """Append one feedback event for a logged request; False when there is no such request."""
    row = con.execute("SELECT count(*) FROM requests WHERE id = ?", [record_id]).fetchone()
    if row is None or row[0] == 0:
        return False
    con.execute(
        "INSERT INTO feedback_events (request_id, created_at, feedback, score, comment) VALUES (?, ?, ?, ?, ?)",
        [record_id, utc(now), feedback, score, comment],
    )
    return True


def _dicts(result: QueryResult) -> list[dict[str, Any]]:
    records = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
    for item in records:
        if isinstance(item.get("metadata"), str):
            # The writer stores only validated JSON objects; an odd row stays as text.
            with contextlib.suppress(orjson.JSONDecodeError):
                item["metadata"] = orjson.loads(item["metadata"])
    return records


def _status(text: str | None) -> tuple[int | None, int | None]:
    if text is None:
        return None, None
    if _STATUS.fullmatch(text):
        return int(text), None
    matched = _STATUS_CLASS.fullmatch(text)
    if matched:
        return None, int(matched.group(1))
    raise BadParameter("status: expected a status code like 404, or a class like 4xx or 5xx")


def _bounded(name: str, value: str) -> str:
    if len(value) > MAX_VALUE:
        raise BadParameter(f"{name}: longer than {MAX_VALUE} characters")
    return value
