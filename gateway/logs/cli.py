"""``weir logs …`` and ``weir keys generate-log-key``: the request log on the command line
(the rest of ``weir keys`` is ``gateway.keys_cli``).

::

    weir keys generate-log-key --private-key FILE --public-key FILE
    weir logs sql "SELECT …" [--format table|csv|json] [--private-key FILE] [--max-rows N]
    weir logs show ID [--private-key FILE]
    weir logs tail [-n N] [--follow]
    weir logs export --format parquet|csv [--table T] [--since T] [--until T] --output FILE

Every ``logs`` command takes ``--config FILE``, the gateway's config (for
``server.data_dir`` and the ``[logs]`` limits), and works while the gateway runs: nobody
keeps the log file open (``gateway.logs.store``). ``sql`` runs in the sandbox
(``gateway.logs.sandbox``), where ``decrypt_payload(id, blob)`` exists only with
``--private-key``. ``export`` may write its output file and nothing else
(``LogStore.exporting``); payloads leave it still sealed. A failure is one line on stderr
and exit status 2.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from config import Config, ConfigError, load_config
from gateway.logs import log_directory
from gateway.logs.queries import RECORD_ID, BadParameter, ids_since, latest, parse_time, payload, record, records_by_id
from gateway.logs.rows import utc
from gateway.logs.sandbox import run_query
from gateway.logs.sealed import (
    EnvelopeError,
    KeyFileError,
    PayloadOpener,
    generate_key_pair,
    load_private_key,
    write_private_key,
    write_public_key,
)
from gateway.logs.statement import MAX_ROWS, QueryError, QueryResult, error_message
from gateway.logs.store import LogStore, StoreBusy

COMMANDS = ("logs",)
# Tables an export may name, each with the time column its --since/--until apply to.
EXPORT_TABLES = {
    "requests": "started_at",
    "attempts": "started_at",
    "findings": "started_at",
    "payloads": "started_at",
    "feedback_events": "created_at",
}
FOLLOW_EVERY = 1.0
_Print = Callable[[str], None]


class CommandError(Exception):
    """What went wrong, as the one line the operator sees."""


def add_generate_log_key(keys_commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``weir keys generate-log-key``, on the ``keys`` command that ``gateway.keys_cli`` owns."""
    generate = keys_commands.add_parser(
        "generate-log-key", help="write a new X25519 key pair that request-log payloads are sealed to"
    )
    generate.add_argument("--private-key", required=True, help="where to write the private key (keep it elsewhere)")
    generate.add_argument("--public-key", required=True, help="where to write the public key ([logs] public_key_file)")


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    logs = commands.add_parser("logs", help="query, show, follow and export the request log")
    logs_commands = logs.add_subparsers(dest="logs_command", required=True)
    sql = logs_commands.add_parser("sql", help="run one read-only SELECT over the log (sandboxed)")
    sql.add_argument("sql", help="the query, or - to read it from standard input")
    sql.add_argument("--format", choices=("table", "csv", "json"), default="table")
    sql.add_argument("--private-key", help="the log's private key: makes decrypt_payload(id, blob) available")
    sql.add_argument("--max-rows", type=int, default=MAX_ROWS, help=f"rows to print at most (default {MAX_ROWS})")
    show = logs_commands.add_parser("show", help="one record with its attempts, findings and feedback")
    show.add_argument("id", help="the record's id (the weir-log-id response header)")
    show.add_argument("--private-key", help="the log's private key: also print the request and response bodies")
    tail = logs_commands.add_parser("tail", help="the latest records, one line each")
    tail.add_argument("-n", type=int, default=20, dest="count", help="how many (default 20)")
    tail.add_argument("--follow", action="store_true", help="keep printing records as they are written")
    export = logs_commands.add_parser("export", help="write a table's rows in a time range to Parquet or CSV")
    export.add_argument("--format", choices=("parquet", "csv"), required=True)
    export.add_argument("--table", choices=tuple(EXPORT_TABLES), default="requests")
    export.add_argument("--since", help="ISO-8601 time or epoch seconds (default: the beginning)")
    export.add_argument("--until", help="ISO-8601 time or epoch seconds, exclusive (default: now)")
    export.add_argument("--output", required=True, help="the file to write; it must not exist yet")
    for command in (sql, show, tail, export):
        command.add_argument("--config", help="the gateway's config file (default: the embedded default)")


def run(args: argparse.Namespace, out: _Print = print) -> int:
    """Run a ``logs`` command, or ``keys generate-log-key``; the exit status."""
    try:
        if args.command == "keys":
            return _generate_log_key(args, out)
        handlers = {"sql": _sql, "show": _show, "tail": _tail, "export": _export}
        return handlers[args.logs_command](args, out)
    except (CommandError, ConfigError, KeyFileError, QueryError, StoreBusy, BadParameter) as exc:
        print(f"weir: {exc}", file=sys.stderr)
    except (duckdb.Error, OSError) as exc:
        print(f"weir: the request log could not be read: {error_message(exc)}", file=sys.stderr)
    return 2


def _generate_log_key(args: argparse.Namespace, out: _Print) -> int:
    private, public = Path(args.private_key), Path(args.public_key)
    if private.resolve() == public.resolve():
        raise CommandError("--private-key and --public-key must be two different files")
    for path in (private, public):
        if path.exists():
            raise CommandError(f"{path}: already exists; refusing to overwrite a key file")
    private_key, public_key = generate_key_pair()
    write_private_key(private, private_key)
    try:
        write_public_key(public, public_key)
    except KeyFileError:
        private.unlink(missing_ok=True)  # half a pair is no use to anyone
        raise
    out(f"wrote the private key to {private} (mode 600) and the public key to {public}")
    out("put the public key in the gateway's config:")
    out("")
    out("    [logs]")
    out(f"    public_key_file = {json.dumps(str(public.resolve()))}")
    out("")
    out(
        f"then move {private} off the gateway's machine and keep it safe: it is the only way to read "
        "the logged bodies (weir logs sql/show --private-key), and losing it loses them"
    )
    return 0


def _sql(args: argparse.Namespace, out: _Print) -> int:
    config, store = _open_store(args)
    text = sys.stdin.read() if args.sql == "-" else args.sql
    if args.max_rows < 1:
        raise CommandError("--max-rows: expected a whole number of at least 1")
    key = load_private_key(args.private_key) if args.private_key else None
    result = run_query(store, text, timeout=config.logs.sql_timeout, max_rows=args.max_rows, private_key=key)
    {"table": _print_table, "csv": _print_csv, "json": _print_json}[args.format](result, out)
    if result.truncated:
        print(f"weir: only the first {args.max_rows} rows are shown; add a LIMIT or --max-rows", file=sys.stderr)
    return 0


def _show(args: argparse.Namespace, out: _Print) -> int:
    if RECORD_ID.fullmatch(args.id) is None:
        raise CommandError(f"{args.id!r} is not a log record id (a UUID like the weir-log-id header)")
    key = load_private_key(args.private_key) if args.private_key else None
    config, store = _open_store(args)
    with store.reading() as con:
        found = record(con, args.id, timeout=config.logs.sql_timeout)
        sealed = payload(con, args.id) if key is not None else None
    if found is None:
        raise CommandError(f"no log record has the id {args.id}")
    if key is not None:
        opener = PayloadOpener(key)
        request, response = sealed or (None, None)
        found["request_body"] = _open(opener, args.id, request)
        found["response_body"] = _open(opener, args.id, response)
    out(json.dumps(found, indent=2, ensure_ascii=False))
    return 0


def _tail(args: argparse.Namespace, out: _Print) -> int:
    if args.count < 1:
        raise CommandError("-n: expected a whole number of at least 1")
    config, store = _open_store(args)
    timeout = config.logs.sql_timeout
    with store.reading() as con:
        shown = latest(con, args.count, timeout=timeout)
    for row in shown:
        out(_line(row))
    if not args.follow:
        return 0
    # A record is written when its request ends, but its id and started_at are from when it
    # began: a long stream lands after shorter ones that began later. So each poll looks
    # back as far as a request may last and prints the ids it has not printed yet.
    lookback = timedelta(seconds=config.timeouts.upstream_total + 2 * config.logs.flush_interval + 5)
    seen = {row["id"] for row in shown}
    try:
        while True:
            time.sleep(FOLLOW_EVERY)
            with store.reading() as con:
                window = ids_since(con, utc(time.time()) - lookback, timeout=timeout)
                rows = records_by_id(con, [i for i in window if i not in seen], timeout=timeout)
            for row in rows:
                out(_line(row))
            seen = set(window)  # what left the window cannot come back into it
    except KeyboardInterrupt:
        return 0  # Ctrl-C is how --follow ends


def _export(args: argparse.Namespace, out: _Print) -> int:
    _, store = _open_store(args)
    output = Path(args.output)
    if output.exists():
        raise CommandError(f"{output}: already exists; choose a new file for the export")
    if not output.parent.is_dir():
        raise CommandError(f"{output.parent}: no such directory")
    since = parse_time("--since", args.since) if args.since else datetime(1970, 1, 1)
    until = parse_time("--until", args.until) if args.until else utc(time.time())
    if since >= until:
        raise CommandError("--since must be before --until")
    column = EXPORT_TABLES[args.table]  # the table and its column come from this allowlist
    options = "FORMAT parquet" if args.format == "parquet" else "FORMAT csv, HEADER"
    sql = f"COPY (SELECT * FROM {args.table} WHERE {column} >= ? AND {column} < ? ORDER BY {column}) TO ? ({options})"
    with store.exporting(output) as con:
        row = con.execute(sql, [since, until, str(output.resolve())]).fetchone()
    count = int(row[0]) if row else 0
    out(f"wrote {count} rows of {args.table} to {output}")
    return 0


def _open_store(args: argparse.Namespace) -> tuple[Config, LogStore]:
    config = load_config(args.config)
    store = LogStore(log_directory(config), config.logs.sql_memory_limit)
    if not store.path.exists():
        raise CommandError(
            f"no request log at {store.path}; pass --config with the gateway's config (its server.data_dir)"
        )
    return config, store


def _open(opener: PayloadOpener, record_id: str, blob: bytes | None) -> str | None:
    if blob is None:
        return None
    try:
        return opener.open(record_id, blob).decode("utf-8", errors="replace")
    except EnvelopeError as exc:
        raise CommandError(f"record {record_id}: {exc}") from None


def _line(row: dict[str, Any]) -> str:
    tokens = f"{row['input_tokens'] or 0}/{row['output_tokens'] or 0} tok"
    cost = f"${row['cost_usd']:.6f}" if row["cost_usd"] is not None else "-"
    return "  ".join(
        [
            str(row["started_at"]),
            row["id"],
            str(row["status"]),
            f"{row['gateway']}/{row['provider']}",
            row["model"] or "-",
            f"{row['duration_ms']:.0f} ms",
            tokens,
            cost,
            row["cache_status"] or "-",
            row["error_class"] or "",
        ]
    ).rstrip()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _print_table(result: QueryResult, out: _Print) -> None:
    cells = [[_cell(value).replace("\n", "\\n") for value in row] for row in result.rows]
    widths = [max([len(name), *(len(row[i]) for row in cells)]) for i, name in enumerate(result.columns)]
    out("  ".join(name.ljust(width) for name, width in zip(result.columns, widths, strict=True)).rstrip())
    out("  ".join("-" * width for width in widths))
    for row in cells:
        out("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    out(f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})")


def _print_csv(result: QueryResult, out: _Print) -> None:
    class _Lines:
        def write(self, line: str) -> None:
            out(line.removesuffix("\n"))

    writer = csv.writer(_Lines(), lineterminator="\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow([_cell(value) for value in row])


def _print_json(result: QueryResult, out: _Print) -> None:
    rows = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
    out(json.dumps(rows, indent=2, ensure_ascii=False))
