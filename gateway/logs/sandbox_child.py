"""The process one sandboxed query runs in: ``python -m gateway.logs.sandbox_child``,
started by ``gateway.logs.sandbox.run_query``.

It reads its job, a JSON object, from standard input (the private key travels there, never
on the command line), opens the store's reading sandbox, checks the SQL again, registers
``decrypt_payload`` when it has a key, caps its own memory, and then writes JSON lines to
standard output: ``{"kind": "ready"}`` when the query starts — from then on the caller's
clock runs — and one answer: ``ok`` (columns, rows, truncated), ``refused``, ``error`` or
``busy`` (with a message). Standard output carries nothing else.
"""

from __future__ import annotations

import json
import re
import resource
import sys
from pathlib import Path
from typing import Any

import duckdb

from gateway.logs.sealed import PayloadOpener
from gateway.logs.statement import (
    QueryError,
    QueryRefused,
    check_sql,
    error_message,
    execute,
    out_of_memory,
    register_decrypt,
)
from gateway.logs.store import LogStore, StoreBusy

RESULT_HEADROOM = 256 * 1024 * 1024  # over DuckDB's limit: Python's own objects and the result


def main() -> int:
    job = json.loads(sys.stdin.buffer.read())
    memory_limit = int(job["memory_limit"])
    try:
        key = job["private_key"]
        opener = PayloadOpener(bytes.fromhex(key)) if key is not None else None
        with LogStore(job["directory"], memory_limit).reading(float(job["wait"])) as con:
            statement = check_sql(con, job["sql"])
            if opener is not None:
                register_decrypt(con, opener)
            cap_memory(memory_limit)
            _send({"kind": "ready"})
            result = execute(
                con,
                statement,
                job["params"],
                timeout=float(job["timeout"]),
                max_rows=int(job["max_rows"]),
                memory_limit=memory_limit,
            )
        _send({"kind": "ok", "columns": result.columns, "rows": result.rows, "truncated": result.truncated})
    except QueryRefused as exc:
        _send({"kind": "refused", "message": str(exc)})
    except QueryError as exc:
        _send({"kind": "error", "message": str(exc)})
    except StoreBusy as exc:
        _send({"kind": "busy", "message": str(exc)})
    except MemoryError as exc:
        _send({"kind": "error", "message": out_of_memory(memory_limit, exc)})
    except (duckdb.Error, OSError) as exc:
        _send({"kind": "error", "message": f"the request log could not be opened: {error_message(exc)}"})
    return 0


def cap_memory(memory_limit: int) -> None:
    """Cap this process's data segment a little above DuckDB's own ``memory_limit``.

    Linux counts heap and private mappings in ``RLIMIT_DATA``, so an allocation past the cap
    fails — DuckDB turns that into its out-of-memory error — instead of growing the
    machine's memory use. Without /proc (not Linux), DuckDB's own limit is all there is.
    """
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        return
    found = re.search(r"^VmData:\s+(\d+) kB", status, re.MULTILINE)
    if found is None:
        return
    cap = int(found.group(1)) * 1024 + memory_limit + RESULT_HEADROOM
    hard = resource.getrlimit(resource.RLIMIT_DATA)[1]
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))


def _send(message: dict[str, Any]) -> None:
    sys.stdout.buffer.write(json.dumps(message, allow_nan=False).encode() + b"\n")
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    sys.exit(main())
