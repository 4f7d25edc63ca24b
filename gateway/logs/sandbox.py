"""Running an analyst's SQL over the request log: one SELECT, sandboxed, within limits.

What a query may do is fixed in three layers:

1. **One read statement.** The SQL is parsed (``extract_statements``) and refused unless it
   is exactly one ``SELECT`` — which covers ``WITH``, ``FROM t``, ``VALUES``, ``DESCRIBE``,
   ``SHOW`` and ``SUMMARIZE``. DDL, DML, ``ATTACH``, ``COPY``, ``EXPORT``, ``INSTALL``,
   ``LOAD``, ``SET``, ``PRAGMA``, ``CALL`` and stacked statements never run.
2. **The store's reading sandbox** (``LogStore.reading``): read-only, no file or network
   access (``read_csv('/etc/passwd')`` fails), configuration locked, a memory limit.
3. **A process of its own.** ``run_query`` runs the query in a child process
   (``gateway.logs.sandbox_child``) whose data segment is capped (``RLIMIT_DATA``) a little
   above DuckDB's memory limit, and which is interrupted at the time limit and killed
   shortly after. DuckDB's ``memory_limit`` bounds its buffer pool, not every allocation:
   measured with DuckDB 2.0, ``SELECT len(list_resize([1], 300000000))`` grew a process to
   12 GB and ignored ``interrupt()`` for 48 s. Under the cap the same query fails within milliseconds with DuckDB's own
   out-of-memory error, and the gateway's process never holds that memory. The cost is a
   process start per query (about 0.3 s), which an analyst's query can afford.

``decrypt_payload(id VARCHAR, blob BLOB) -> VARCHAR`` exists only when the caller passes the
operator's private key, and only on that query's connection. Registering a Python scalar
function is not a configuration change, so DuckDB allows it on the locked connection (it is
done after ``lock_configuration`` and works). DuckDB runs Python functions through numpy.

Values come back JSON-friendly (``jsonable``): times as ISO-8601 — naive ones, which is every
time in the log, with ``Z``, since they are UTC — bytes as base64, decimals as floats, lists
and structs as lists and objects.
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import math
import os
import re
import selectors
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as time_of_day
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import IO, Any, cast

import duckdb
import pyarrow as pa
from duckdb.sqltypes import BLOB, VARCHAR

import gateway
from gateway.logs.sealed import EnvelopeError, PayloadOpener
from gateway.logs.store import LogStore, StoreBusy

log = logging.getLogger("weir.logs")
Param = str | int | float | bool | None
CHILD_MODULE = "gateway.logs.sandbox_child"
MAX_ROWS = 10_000
MAX_RESULT_BYTES = 64 * 1024 * 1024
_BATCH_ROWS = 2048
_START_WAIT = 30.0  # starting the child; its wait for a turn on the file comes on top
_GRACE = 2.0  # after the time limit the child interrupts itself; it is killed this much later
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


def run_query(
    store: LogStore,
    sql: str,
    params: Sequence[Param] = (),
    *,
    timeout: float,
    max_rows: int = MAX_ROWS,
    private_key: bytes | None = None,
    wait: float = 10.0,
) -> QueryResult:
    """Run one analyst's SELECT in a sandboxed child process (see the module's docstring).

    With ``private_key``, ``decrypt_payload`` is available to the query. Raises
    ``QueryRefused`` before starting anything for SQL that is not one SELECT, ``QueryError``
    for a failed or stopped query, ``StoreBusy`` when the log file stayed locked.
    """
    if max_rows < 1:
        raise ValueError(f"max_rows must be at least 1, got {max_rows}")
    check_params(params)
    with duckdb.connect() as scratch:  # refuse without a process start; the child checks again
        check_sql(scratch, sql)
    job = {
        "directory": str(store.directory),
        "memory_limit": store.memory_limit,
        "sql": sql,
        "params": list(params),
        "timeout": timeout,
        "max_rows": max_rows,
        "private_key": private_key.hex() if private_key is not None else None,  # stdin, never argv
        "wait": wait,
    }
    # A plain subprocess rather than multiprocessing: a gateway worker is a daemonic process,
    # which multiprocessing forbids to have children, and nothing of the caller's (threads,
    # locks, the __main__ module) needs to be in the child.
    child = subprocess.Popen(
        [sys.executable, "-m", CHILD_MODULE], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=_child_env()
    )
    try:
        message = _converse(child, job, timeout, _START_WAIT + wait)
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()
        if child.stdout is not None:
            child.stdout.close()
    if message is None:
        why = (
            f"killed by signal {-child.returncode}: past the memory limit of {_mib(store.memory_limit)}?"
            if child.returncode < 0
            else f"exit status {child.returncode}; its error output says why"
        )
        raise QueryError(f"the query process ended without an answer ({why})")
    return _outcome(message)


def _converse(
    child: subprocess.Popen[bytes], job: dict[str, Any], timeout: float, start_wait: float
) -> dict[str, Any] | None:
    """Hand ``child`` its job; its answer, or None when it ended without one. The time
    limit runs from its "ready", so neither its start nor its wait for the file counts."""
    lines = _Lines(cast(IO[bytes], child.stdout))
    started = False
    try:
        stdin = cast(IO[bytes], child.stdin)
        stdin.write(json.dumps(job).encode())
        stdin.close()
        message = lines.next(time.monotonic() + start_wait)
        if message is not None and message.get("kind") == "ready":
            started = True
            message = lines.next(time.monotonic() + timeout + _GRACE)
        return message
    except TimeoutError:
        if started:
            raise QueryError(_past_limit(timeout)) from None
        raise QueryError(f"the query process did not start within {start_wait:g} s") from None
    except ValueError as exc:
        raise QueryError(f"the query process answered something that is not JSON ({exc})") from None
    except OSError as exc:  # it died before it read its job
        log.warning("the query process could not be given its job: %s", exc)
        return None
    finally:
        lines.close()


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
                                f"the result is larger than {_mib(max_result_bytes)}; "
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


def _outcome(message: dict[str, Any]) -> QueryResult:
    kind = message.get("kind")
    if kind == "ok":
        return QueryResult(message["columns"], [tuple(row) for row in message["rows"]], message["truncated"])
    text = str(message.get("message"))
    if kind == "refused":
        raise QueryRefused(text)
    if kind == "busy":
        raise StoreBusy(text)
    if kind == "error":
        raise QueryError(text)
    raise QueryError(f"the query process answered {kind!r}, which is not an answer")


class _Lines:
    """JSON lines from the child, each awaited until a deadline; None at the end of output."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._fd = stream.fileno()
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._fd, selectors.EVENT_READ)
        self._buffer = bytearray()

    def next(self, deadline: float) -> dict[str, Any] | None:
        while True:
            end = self._buffer.find(b"\n")
            if end >= 0:
                line = bytes(self._buffer[:end])
                del self._buffer[: end + 1]
                parsed = json.loads(line)
                return parsed if isinstance(parsed, dict) else {"kind": repr(parsed)}
            left = deadline - time.monotonic()
            if left <= 0 or not self._selector.select(left):
                raise TimeoutError
            chunk = os.read(self._fd, 1 << 20)
            if not chunk:
                return None
            self._buffer += chunk

    def close(self) -> None:
        self._selector.close()


def _child_env() -> dict[str, str]:
    # The child imports this package from where the caller found it (an install, a checkout
    # on PYTHONPATH, a test run from the repository), ahead of anything else on the path.
    root = str(Path(gateway.__file__).resolve().parent.parent)
    inherited = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": os.pathsep.join([root, inherited] if inherited else [root])}


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
        return QueryError(_past_limit(timeout) if deadline.expired else "the query was interrupted")
    if isinstance(exc, (duckdb.OutOfMemoryException, MemoryError)) or text.startswith("Out of Memory Error"):
        return QueryError(out_of_memory(memory_limit, exc))
    return QueryError(error_message(exc))


def _past_limit(timeout: float) -> str:
    return f"the query ran past the {timeout:g} s limit ([logs] sql_timeout); filter, aggregate or LIMIT more"


def out_of_memory(memory_limit: int | None, exc: BaseException) -> str:
    limit = f" (the limit is {_mib(memory_limit)}: [logs] sql_memory_limit)" if memory_limit is not None else ""
    # DuckDB's first line says what failed; the rest suggests SET, which is not allowed here.
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else "an allocation failed"
    return f"the query ran out of memory{limit}; filter, aggregate or LIMIT more ({detail})"


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):g} MiB"
