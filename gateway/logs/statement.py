"""One analyst's statement on one connection: the rules it must pass, running it within
a time and a size limit, and its values made JSON-friendly.

The rules (``check_sql``): exactly one ``SELECT`` — which covers ``WITH``, ``FROM t``,
``VALUES``, ``DESCRIBE``, ``SHOW`` and ``SUMMARIZE``; DDL, DML, ``ATTACH``, ``COPY``,
``EXPORT``, ``INSTALL``, ``LOAD``, ``SET``, ``PRAGMA``, ``CALL`` and stacked statements never
run. ``gateway.logs.sandbox`` runs what passes in a child process over the store's reading
sandbox; the gateway's own queries (``queries``) run through ``execute`` directly.

``decrypt_payload(id VARCHAR, blob BLOB) -> VARCHAR`` exists only where ``register_decrypt``
put it, with the operator's private key, on that one connection. Registering a Python
scalar function is not a configuration change, so DuckDB allows it on the locked
connection. DuckDB runs Python functions through numpy.

Values come back JSON-friendly (``jsonable``): times as ISO-8601 — naive ones, which is every
time in the log, with ``Z``, since they are UTC — bytes as base64, decimals as floats, lists
and structs as lists and objects.
"""

from __future__ import annotations

import base64
import contextlib
import math
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as time_of_day
from decimal import Decimal
from types import TracebackType
from typing import Any

import duckdb
import pyarrow as pa
from duckdb.sqltypes import BLOB, VARCHAR

from gateway.logs.sealed import EnvelopeError, PayloadOpener

Param = str | int | float | bool | None
MAX_ROWS = 10_000
MAX_RESULT_BYTES = 64 * 1024 * 1024
_BATCH_ROWS = 2048
_UDF_FAILED = re.compile(r"Python exception occurred while executing the UDF: (?:\w+: )?(.*)", re.S)


class QueryError(Exception):
    """The query failed, or was stopped by a limit; the message says which and why."""


class QueryRefused(QueryError):
    """The SQL was refused before anything ran (not one SELECT, or bad parameters)."""


@dataclass(frozen=True, slots=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]  # JSON-friendly values (see ``jsonable``)
    truncated: bool = False  # the query had more than ``max_rows`` rows; the rest were not read


def check_sql(con: duckdb.DuckDBPyConnection, sql: str) -> duckdb.Statement:
    """The one SELECT statement in ``sql``; ``QueryRefused`` says why there is none."""
    if not sql.strip():
        raise QueryRefused("the SQL is empty; send one SELECT statement")
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryRefused(f"the SQL does not parse: {error_message(exc)}") from None
    if not statements:
        raise QueryRefused("the SQL holds no statement, only comments; send one SELECT statement")
    if len(statements) > 1:
        raise QueryRefused(f"the SQL holds {len(statements)} statements; send exactly one SELECT")
    kind = statements[0].type
    if kind != duckdb.StatementType.SELECT:
        raise QueryRefused(f"only SELECT statements may run here, not {kind.name}; the request log is read-only")
    return statements[0]


def check_params(params: Sequence[object]) -> None:
    for index, value in enumerate(params):
        if value is not None and not isinstance(value, (str, int, float, bool)):
            raise QueryRefused(
                f"params[{index}]: expected a string, number, boolean or null, got {type(value).__name__}"
            )


def execute(
    con: duckdb.DuckDBPyConnection,
    statement: str | duckdb.Statement,
    params: Sequence[object] = (),
    *,
    timeout: float,
    max_rows: int = MAX_ROWS,
    max_result_bytes: int = MAX_RESULT_BYTES,
    memory_limit: int | None = None,
) -> QueryResult:
    """Run ``statement`` on ``con``, interrupted after ``timeout`` seconds, reading at most
    ``max_rows`` rows. No checks: for SQL that ``check_sql`` passed, or the gateway's own.

    Rows stream through Arrow, so a query with millions of rows is read only as far as
    ``max_rows``; Arrow also turns ``TIMESTAMPTZ`` into datetimes without pytz.
    """
    deadline = Deadline(con, timeout)
    columns: list[str] = []
    rows: list[tuple[Any, ...]] = []
    truncated = False
    size = 0
    try:
        with deadline:
            reader = con.sql(statement, params=list(params) or None).to_arrow_reader(_BATCH_ROWS)
            try:
                columns = list(reader.schema.names)
                for batch in reader:
                    for row in zip(*(column.to_pylist() for column in batch.columns), strict=True):
                        if len(rows) == max_rows:
                            truncated = True
                            break
                        values = tuple(jsonable(value) for value in row)
                        size += sum(_weight(value) for value in values)
                        if size > max_result_bytes:
                            raise QueryError(
                                f"the result is larger than {mib(max_result_bytes)}; "
                                "select fewer rows or columns (LIMIT)"
                            )
                        rows.append(values)
                    if truncated:
                        break
            finally:
                reader.close()
    # Errors met while streaming reach Python as Arrow's (OSError) with DuckDB's message.
    except (duckdb.Error, pa.ArrowException, OSError, MemoryError) as exc:
        raise _failure(exc, deadline, timeout, memory_limit) from None
    return QueryResult(columns, rows, truncated)


class Deadline:
    """Interrupts ``con`` when ``seconds`` run out; ``expired`` tells a timeout from other interrupts."""

    def __init__(self, con: duckdb.DuckDBPyConnection, seconds: float) -> None:
        self.expired = False
        self._con = con
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._timer.cancel()

    def _expire(self) -> None:
        self.expired = True
        # The query may have finished and its connection closed meanwhile: nothing to stop.
        with contextlib.suppress(duckdb.Error):
            self._con.interrupt()


def register_decrypt(con: duckdb.DuckDBPyConnection, opener: PayloadOpener) -> None:
    """``decrypt_payload(id, blob)`` on ``con`` only: the body sealed for record ``id``,
    UTF-8 decoded (undecodable bytes replaced); a blob that does not open is an error
    naming the record."""

    def decrypt_payload(record_id: str, blob: bytes) -> str:
        try:
            return opener.open(record_id, blob).decode("utf-8", errors="replace")
        except EnvelopeError as exc:
            raise EnvelopeError(f"record {record_id}: {exc}") from None

    try:
        con.create_function("decrypt_payload", decrypt_payload, [VARCHAR, BLOB], VARCHAR)
    except duckdb.Error as exc:
        raise QueryError(f"decrypt_payload is not available: {error_message(exc)}") from None


def jsonable(value: object) -> Any:
    """``value`` as JSON can carry it (see the module's docstring)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, datetime):
        return value.isoformat() + ("Z" if value.tzinfo is None else "")
    if isinstance(value, (date, time_of_day)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, pa.MonthDayNano):  # an INTERVAL
        return {"months": value.months, "days": value.days, "seconds": value.nanoseconds / 1e9}
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    return str(value)  # UUID, and whatever else DuckDB may hand back


def error_message(exc: BaseException) -> str:
    """DuckDB's message on one line, without its ``LINE 1: … ^^^`` pointer."""
    text = str(exc)
    failed = _UDF_FAILED.search(text)
    if failed is not None:
        return f"decrypt_payload: {failed.group(1).strip()}"
    lines = []
    for line in text.splitlines():
        if line.startswith("LINE "):
            break
        if line.strip():
            lines.append(line.strip())
    return " ".join(lines) or type(exc).__name__


def _weight(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list):
        return sum(_weight(item) for item in value) + 8
    if isinstance(value, dict):
        return sum(len(key) + _weight(item) for key, item in value.items()) + 8
    return 8


def _failure(exc: BaseException, deadline: Deadline, timeout: float, memory_limit: int | None) -> QueryError:
    text = str(exc)
    if isinstance(exc, duckdb.InterruptException) or text.startswith("INTERRUPT Error"):
        return QueryError(past_limit(timeout) if deadline.expired else "the query was interrupted")
    if isinstance(exc, (duckdb.OutOfMemoryException, MemoryError)) or text.startswith("Out of Memory Error"):
        return QueryError(out_of_memory(memory_limit, exc))
    return QueryError(error_message(exc))


def past_limit(timeout: float) -> str:
    return f"the query ran past the {timeout:g} s limit ([logs] sql_timeout); filter, aggregate or LIMIT more"


def out_of_memory(memory_limit: int | None, exc: BaseException) -> str:
    limit = f" (the limit is {mib(memory_limit)}: [logs] sql_memory_limit)" if memory_limit is not None else ""
    # DuckDB's first line says what failed; the rest suggests SET, which is not allowed here.
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else "an allocation failed"
    return f"the query ran out of memory{limit}; filter, aggregate or LIMIT more ({detail})"


def mib(size: int) -> str:
    return f"{size / (1024 * 1024):g} MiB"
