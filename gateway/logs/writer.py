"""The log writer: a bounded queue on the request path, one thread appending batches.

``submit`` is what the event loop pays per request: one non-blocking queue put. The
thread wakes every ``flush_interval``, turns what waited into Arrow tables (sealing the
bodies), and appends them to DuckDB in one transaction. When the queue is full a record
is *shed*: counted in ``/metrics`` (``weir_log_records_shed``) and warned about, never
dropped silently. A flush that fails (the file busy past its wait, a full disk) keeps its
records for the next one; they too are shed, and counted, only past the queue's bound.
``stop`` flushes everything before returning, so a graceful shutdown loses nothing.

Retention runs on the same thread, hourly: rows older than their gateway's retention go,
with their attempts, findings, payloads and feedback.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence

import duckdb

from gateway.exchange import Exchange
from gateway.logs.rows import Cost, to_batch, utc
from gateway.logs.store import LogStore, StoreBusy

log = logging.getLogger("weir.logs")
MAX_BATCH = 50_000
_LIGHT_BATCH = 1_000  # a flush smaller than this lets go of the file at once
RETENTION_EVERY = 3600.0
_WARN_EVERY = 10.0


class LogWriter:
    def __init__(
        self,
        store: LogStore,
        *,
        public_key: bytes | None,
        queue_size: int = 50_000,
        flush_interval: float = 1.0,
        retention: Mapping[str, float] | None = None,  # gateway -> seconds; "*" for the rest
        hold: float = 5.0,  # the longest the file stays open across flushes
        cost: Cost = lambda exchange: None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.public_key = public_key
        self.queue_size = queue_size
        self.flush_interval = flush_interval
        self.hold = hold
        self.retention = dict(retention or {})
        self.cost = cost
        self.clock = clock
        self.written = 0
        self.shed = 0
        self.failed_flushes = 0
        # A deque, not queue.Queue: append and popleft are atomic under the GIL, and the
        # request path pays ~0.1 µs for a put instead of a lock and a condition (~1 µs).
        self._queue: deque[Exchange] = deque()
        self._pending: list[Exchange] = []  # taken from the queue, not yet committed
        self._wake = threading.Event()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._last_warning = 0.0
        self._next_retention = 0.0
        self._con: duckdb.DuckDBPyConnection | None = None  # held between flushes under load
        self._held_since = 0.0

    # The event loop's side.

    def submit(self, exchange: Exchange) -> None:
        if not exchange.collect_log:
            return
        if len(self._queue) >= self.queue_size:
            self._shed(1)
        else:
            self._queue.append(exchange)

    @property
    def depth(self) -> int:
        return len(self._queue) + len(self._pending)

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="weir-log-writer", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Flush what is queued and end the thread."""
        self._stopping = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.error("the log writer did not finish within %.0f s; %d records not written", timeout, self.depth)

    # The writer thread's side.

    def _run(self) -> None:
        flushed = True
        while True:
            # A backlog of a batch or more is written at once, not one batch per interval;
            # after a failed flush the thread waits, so a broken disk is not a busy loop.
            if not flushed or self.depth < MAX_BATCH:
                self._wake.wait(self.flush_interval)
            self._wake.clear()
            stopping = self._stopping
            # Other processes (workers, readers) hold the file for milliseconds at a time:
            # waiting a couple of seconds for a turn is normal, not a failure.
            flushed = self.flush(wait=30.0 if stopping else max(2.0, self.flush_interval))
            if stopping:
                while self._pending or self._queue:  # everything, however many batches
                    if not self.flush(wait=30.0):
                        break
                self._release()
                return
            if self.clock() >= self._next_retention:
                self._next_retention = self.clock() + RETENTION_EVERY
                self._apply_retention()

    def flush(self, wait: float = 5.0) -> bool:
        """Write one batch of what waits; False when it could not be written now."""
        self._take()
        if not self._pending:
            self._release()  # idle: readers and other workers may have the file
            return True
        batch = self._pending[:MAX_BATCH]
        try:
            tables = to_batch(batch, self.public_key, self.cost)
            if self._con is None:
                self._con = self.store.acquire_writer(wait)
                self._held_since = time.monotonic()
            con = self._con
            con.execute("BEGIN")
            for name, table in zip(("requests", "attempts", "findings", "payloads"), tables, strict=True):
                if table.num_rows:
                    con.register("batch_rows", table)
                    con.execute(f"INSERT INTO {name} SELECT * FROM batch_rows")
                    con.unregister("batch_rows")
            con.execute("COMMIT")
        except (StoreBusy, duckdb.Error, OSError) as exc:
            self.failed_flushes += 1
            self._warn(f"the request log could not be written ({exc}); {len(self._pending)} records wait")
            self._release()
            return False
        del self._pending[: len(batch)]
        self.written += len(batch)
        # Under load the file stays open between flushes (opening and checkpointing cost
        # tens of milliseconds each); it is let go after ``hold`` seconds, or as soon as
        # traffic is light, so readers and other workers get their turn.
        light = len(batch) < _LIGHT_BATCH
        if light or not self.alive or self._stopping or time.monotonic() - self._held_since >= self.hold:
            self._release()
        return True

    def _release(self) -> None:
        con, self._con = self._con, None
        if con is not None:
            try:
                self.store.release_writer(con)
            except duckdb.Error as exc:
                self._warn(f"closing the request log failed ({exc}); the next flush reopens it")

    def _take(self) -> None:
        # Records waiting through failed flushes stay bounded: past the bound the queue
        # fills, and ``submit`` sheds (and counts) what arrives.
        room = min(self.queue_size - len(self._pending), len(self._queue))
        popleft, append = self._queue.popleft, self._pending.append
        for _ in range(room):
            append(popleft())

    def _shed(self, count: int) -> None:
        self.shed += count
        self._warn(f"the request log queue is full; {self.shed} records shed so far (weir_log_records_shed)")

    def _warn(self, message: str) -> None:
        now = time.monotonic()
        if now - self._last_warning >= _WARN_EVERY:
            self._last_warning = now
            log.warning("%s", message)

    def _apply_retention(self) -> None:
        if not self.retention:
            return
        self._release()
        try:
            with self.store.writing(self.flush_interval) as con:
                delete_expired(con, self.retention, self.clock())
        except (StoreBusy, duckdb.Error, OSError) as exc:
            self._warn(f"log retention did not run ({exc}); it will try again")


_EXPIRED_IDS = "SELECT id FROM requests WHERE {where}"


def delete_expired(con: duckdb.DuckDBPyConnection, retention: Mapping[str, float], now: float) -> int:
    """Delete rows past their gateway's retention (``"*"``: every other gateway); the count."""
    named = [name for name in retention if name != "*"]
    clauses: list[str] = []
    params: list[object] = []
    for name in named:
        clauses.append("(gateway = ? AND started_at < ?)")
        params += [name, utc(now - retention[name])]
    if "*" in retention:
        others = " AND ".join("gateway <> ?" for _ in named) or "TRUE"
        clauses.append(f"({others} AND started_at < ?)")
        params += [*named, utc(now - retention["*"])]
    if not clauses:
        return 0
    where = " OR ".join(clauses)
    con.execute("BEGIN")
    con.execute(f"CREATE TEMP TABLE expired AS {_EXPIRED_IDS.format(where=where)}", params)
    count = _scalar(con, "SELECT count(*) FROM expired")
    for table, column in _CHILDREN:
        con.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT id FROM expired)")
    con.execute("DELETE FROM requests WHERE id IN (SELECT id FROM expired)")
    con.execute("DROP TABLE expired")
    con.execute("COMMIT")
    return count


_CHILDREN: Sequence[tuple[str, str]] = (
    ("attempts", "request_id"),
    ("findings", "request_id"),
    ("payloads", "request_id"),
    ("feedback_events", "request_id"),
)


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0
