"""The log's DuckDB file, and taking turns on it.

DuckDB lets one process hold a database file for writing, and no other process may open
it at the same time, not even to read. So nobody keeps the file open: the writer opens
it for each flush (about once a second, tens of milliseconds), and readers — the HTTP API,
``weir logs sql`` in another shell, the other worker processes of ``--workers N`` — open
it between flushes. Within a process a lock orders the turns; across processes DuckDB's
own file lock does, and whoever finds it taken retries shortly. Records wait in the
writer's bounded queue meanwhile, so a long analyst query delays rows, never loses them.

Every reading connection is a sandbox: read-only, no file system or network access
(``read_csv('/etc/passwd')``, ``COPY … TO``, ``ATTACH``, ``INSTALL``/``LOAD`` fail),
configuration locked (``SET`` fails), and a memory limit. ``exporting`` is the same
sandbox with exactly one file let through: the operator's ``weir logs export`` output.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import duckdb

FILE_NAME = "requests.duckdb"
_RETRY_EVERY = 0.02
_Connect = Callable[[], duckdb.DuckDBPyConnection]


class StoreBusy(Exception):
    """The log file stayed locked by another process for the whole wait."""


class LogStore:
    def __init__(self, directory: str | Path, memory_limit: int = 512 * 1024 * 1024) -> None:
        self.directory = Path(directory)
        self.path = self.directory / FILE_NAME
        self.memory_limit = memory_limit
        self._turn = threading.Lock()
        self._migrated = False

    @contextmanager
    def writing(self, wait: float = 5.0) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection, the schema migrated; closed (and checkpointed) after."""
        con = self.acquire_writer(wait)
        try:
            yield con
        finally:
            self.release_writer(con)

    def acquire_writer(self, wait: float = 5.0) -> duckdb.DuckDBPyConnection:
        """Take this process's turn and open the file read-write; ``release_writer`` gives both
        back. For a writer that holds the file across several flushes under load."""
        if not self._turn.acquire(timeout=wait):
            raise StoreBusy(f"the request log at {self.path} is busy in this process; try again")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            con = self._connect(lambda: duckdb.connect(str(self.path)), wait)
            try:
                if not self._migrated:
                    migrate(con)
                    self._migrated = True
            except BaseException:
                con.close()
                raise
            return con
        except BaseException:
            self._turn.release()
            raise

    def release_writer(self, con: duckdb.DuckDBPyConnection) -> None:
        try:
            con.close()  # checkpoints: the WAL's rows move into the file
        finally:
            self._turn.release()

    @contextmanager
    def reading(self, wait: float = 10.0) -> Iterator[duckdb.DuckDBPyConnection]:
        """A sandboxed, read-only connection (see the module's docstring)."""
        self._ensure_exists(wait)
        config = {**self._sandbox_config(), "enable_external_access": False, "lock_configuration": True}
        with self._turn_taken(wait):
            con = self._connect(lambda: duckdb.connect(str(self.path), read_only=True, config=config), wait)
            try:
                yield con
            finally:
                con.close()

    @contextmanager
    def exporting(self, output: str | Path, wait: float = 10.0) -> Iterator[duckdb.DuckDBPyConnection]:
        """The reading sandbox, except that ``COPY … TO`` may write ``output`` and no other file.

        DuckDB accepts ``allowed_paths`` only while external access is still on, and neither
        once the configuration is locked: so the connection opens with access on, lets the
        one path through, turns access off, then locks. No statement runs in between.
        """
        self._ensure_exists(wait)
        allowed = str(Path(output).resolve())
        with self._turn_taken(wait):
            con = self._connect(
                lambda: duckdb.connect(str(self.path), read_only=True, config=self._sandbox_config()), wait
            )
            try:
                con.execute("SET allowed_paths = ?", [[allowed]])
                con.execute("SET enable_external_access = false")
                con.execute("SET lock_configuration = true")
                yield con
            finally:
                con.close()

    def _ensure_exists(self, wait: float) -> None:
        if not self.path.exists():
            with self.writing(wait):
                pass  # creates the file with its schema, so a fresh gateway answers queries

    def _sandbox_config(self) -> dict[str, str | bool | int | float | list[str]]:
        return {
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            "memory_limit": f"{self.memory_limit // (1024 * 1024)}MB",
            "max_temp_directory_size": "0B",
            "threads": 2,
        }

    @contextmanager
    def _turn_taken(self, wait: float) -> Iterator[None]:
        if not self._turn.acquire(timeout=wait):
            raise StoreBusy(f"the request log at {self.path} is busy in this process; try again")
        try:
            yield
        finally:
            self._turn.release()

    def _connect(self, connect: _Connect, wait: float) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + wait
        while True:
            try:
                return connect()
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower() or time.monotonic() >= deadline:
                    if "lock" in str(exc).lower():
                        raise StoreBusy(f"the request log at {self.path} stayed locked by another process") from None
                    raise
                time.sleep(_RETRY_EVERY)


def migrations() -> list[tuple[int, str, str]]:
    """``(version, name, sql)`` of every numbered file in ``migrations/``, in order."""
    found = []
    for item in resources.files("gateway.logs").joinpath("migrations").iterdir():
        name = item.name
        if name.endswith(".sql") and name[:3].isdigit():
            found.append((int(name[:3]), name, item.read_text(encoding="utf-8")))
    return sorted(found)


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the migrations this file has not seen, each in its own transaction."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)"
    )
    done = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for version, name, sql in migrations():
        if version in done:
            continue
        con.execute("BEGIN")
        try:
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, now()::TIMESTAMP)", [version, name])
            con.execute("COMMIT")
        except duckdb.Error:
            con.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied
