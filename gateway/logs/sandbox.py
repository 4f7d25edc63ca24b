"""Running an analyst's SQL over the request log: one SELECT, sandboxed, within limits.

What a query may do is fixed in three layers:

1. **One read statement**, checked by ``statement.check_sql`` before anything starts.
2. **The store's reading sandbox** (``LogStore.reading``): read-only, no file or network
   access (``read_csv('/etc/passwd')`` fails), configuration locked, a memory limit.
3. **A process of its own.** ``run_query`` runs the query in a child process
   (``gateway.logs.sandbox_child``) whose data segment is capped (``RLIMIT_DATA``) a little
   above DuckDB's memory limit, and which is interrupted at the time limit and killed
   shortly after. DuckDB's ``memory_limit`` bounds its buffer pool, not every allocation:
   measured with DuckDB 2.0, ``SELECT len(list_resize([1], 300000000))`` grew a process to
   12 GB and ignored ``interrupt()`` for 48 s. Under the cap the same query fails within
   milliseconds with DuckDB's own out-of-memory error, and the gateway's process never
   holds that memory. The cost is a process start per query (about 0.3 s), which an
   analyst's query can afford.

The job goes to the child on stdin (the private key never appears on a command line) and
its answer comes back as JSON lines.
"""

from __future__ import annotations

import json
import logging
import os
import selectors
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any, cast

import duckdb

import gateway
from gateway.logs.statement import (
    MAX_ROWS,
    Param,
    QueryError,
    QueryRefused,
    QueryResult,
    check_params,
    check_sql,
    mib,
    past_limit,
)
from gateway.logs.store import LogStore, StoreBusy

log = logging.getLogger("weir.logs")
CHILD_MODULE = "gateway.logs.sandbox_child"
_START_WAIT = 30.0  # starting the child; its wait for a turn on the file comes on top
_GRACE = 2.0  # after the time limit the child interrupts itself; it is killed this much later


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
            f"killed by signal {-child.returncode}: past the memory limit of {mib(store.memory_limit)}?"
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
            raise QueryError(past_limit(timeout)) from None
        raise QueryError(f"the query process did not start within {start_wait:g} s") from None
    except ValueError as exc:
        raise QueryError(f"the query process answered something that is not JSON ({exc})") from None
    except OSError as exc:  # it died before it read its job
        log.warning("the query process could not be given its job: %s", exc)
        return None
    finally:
        lines.close()


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
