"""``weir keys generate-log-key`` and ``weir logs sql|show|tail|export``, on real DuckDB
files written by the real writer — also while a writer is flushing into them."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest

from gateway.cli import main
from gateway.logs import cli as logs_cli
from gateway.logs.ids import uuid7
from gateway.logs.sealed import generate_key_pair, load_private_key, load_public_key, write_private_key
from gateway.logs.store import LogStore
from gateway.logs.writer import LogWriter
from tests.gateway.logs.exchanges import exchange

PROMPT = '{"messages":[{"role":"user","content":"the zebra sings PURPLE-42 ünïcode"}]}'
T0 = 1_714_564_800.0  # 2024-05-01T12:00:00Z
WEIR = [sys.executable, "-m", "gateway.cli"]
ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])}


class Log:
    """A data directory with a config pointing at it and a writer sealing to a fresh key."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.config = root / "weir.toml"
        self.config.write_text(f'[server]\ndata_dir = "{root / "data"}"\n[logs]\nsql_timeout = "5s"\n')
        self.private_key, self.public_key = generate_key_pair()
        self.key_file = root / "log-private.pem"
        write_private_key(self.key_file, self.private_key)
        self.store = LogStore(root / "data" / "logs")
        self.writer = LogWriter(self.store, public_key=self.public_key, flush_interval=0.05)

    def add(self, started_at: float, **fields: Any) -> None:
        self.writer.submit(exchange(started_at=started_at, log_id=uuid7(int(started_at * 1000)), **fields))
        assert self.writer.flush()

    def weir(self, *args: str) -> int:
        return main([*args, "--config", str(self.config)])


@pytest.fixture
def log(tmp_path: Path) -> Log:
    log = Log(tmp_path)
    log.add(request_body=PROMPT.encode(), metadata='{"team":"search"}', started_at=T0)
    log.add(provider="anthropic", status=502, error="upstream failed", started_at=T0 + 60)
    log.add(collect_payload=False, started_at=T0 + 120)
    return log


def lines(text: str) -> list[str]:
    return text.strip().splitlines()


def test_generate_log_key_writes_a_pair_and_never_overwrites(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    private, public = tmp_path / "log.key", tmp_path / "log.pub"
    assert main(["keys", "generate-log-key", "--private-key", str(private), "--public-key", str(public)]) == 0
    out = capsys.readouterr().out
    assert f"public_key_file = {json.dumps(str(public.resolve()))}" in out
    assert "off the gateway's machine" in out
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert len(load_private_key(private)) == 32 and len(load_public_key(public)) == 32
    before = private.read_bytes()
    for other, existing in ((tmp_path / "new.key", public), (private, private)):
        code = main(["keys", "generate-log-key", "--private-key", str(other), "--public-key", str(public)])
        err = capsys.readouterr().err
        assert code == 2 and lines(err) == [f"weir: {existing}: already exists; refusing to overwrite a key file"]
    assert private.read_bytes() == before and not (tmp_path / "new.key").exists()


def test_sql_prints_a_table_csv_or_json(log: Log, capsys: pytest.CaptureFixture[str]) -> None:
    sql = "SELECT provider, status, metadata, groups, started_at FROM requests ORDER BY started_at"
    assert log.weir("logs", "sql", sql) == 0
    table = lines(capsys.readouterr().out)
    assert table[0].split() == ["provider", "status", "metadata", "groups", "started_at"]
    assert table[2].split() == ["openai", "200", '{"team":"search"}', "[]", "2024-05-01T12:00:00Z"]
    assert table[-1] == "(3 rows)"
    assert log.weir("logs", "sql", sql, "--format", "csv") == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["provider", "status", "metadata", "groups", "started_at"]
    assert rows[2] == ["anthropic", "502", "", "[]", "2024-05-01T12:01:00Z"]
    assert log.weir("logs", "sql", sql, "--format", "json") == 0
    records = json.loads(capsys.readouterr().out)
    assert records[0] == {
        "provider": "openai",
        "status": 200,
        "metadata": '{"team":"search"}',
        "groups": [],
        "started_at": "2024-05-01T12:00:00Z",
    }


def test_sql_says_when_rows_were_left_out(log: Log, capsys: pytest.CaptureFixture[str]) -> None:
    assert log.weir("logs", "sql", "SELECT * FROM range(100)", "--max-rows", "3", "--format", "csv") == 0
    captured = capsys.readouterr()
    assert lines(captured.out) == ["range", "0", "1", "2"]
    assert lines(captured.err) == ["weir: only the first 3 rows are shown; add a LIMIT or --max-rows"]


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("DROP TABLE requests", "weir: only SELECT statements may run here, not DROP; the request log is read-only"),
        ("SELECT 1; DELETE FROM requests", "weir: the SQL holds 2 statements; send exactly one SELECT"),
        ("COPY requests TO '/tmp/weir-cli-stolen.csv'", "weir: only SELECT statements may run here, not COPY"),
        ("SELECT * FROM read_text('/etc/passwd')", 'weir: Permission Error: Cannot access file "/etc/passwd"'),
        ("SELECT * FROM nowhere", "weir: Catalog Error: Table with name nowhere does not exist!"),
        ("SELECT decrypt_payload(request_id, request) FROM payloads", "weir: Catalog Error: Scalar Function"),
    ],
)
def test_sql_failures_are_one_line_and_exit_2(
    log: Log, capsys: pytest.CaptureFixture[str], sql: str, message: str
) -> None:
    assert log.weir("logs", "sql", sql) == 2
    err = lines(capsys.readouterr().err)
    assert len(err) == 1 and err[0].startswith(message), err
    with log.store.reading() as con:
        assert con.execute("SELECT count(*) FROM requests").fetchone() == (3,)


def test_decrypt_payload_round_trip_through_the_command(log: Log) -> None:
    """As an operator runs it, in its own process: the prompt comes back exactly."""
    sql = "SELECT decrypt_payload(request_id, request) AS prompt FROM payloads ORDER BY started_at"
    args = ["logs", "sql", sql, "--format", "json", "--config", str(log.config)]
    done = subprocess.run([*WEIR, *args, "--private-key", str(log.key_file)], capture_output=True, text=True, env=ENV)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0] == {"prompt": PROMPT}
    wrong = log.root / "wrong.pem"
    write_private_key(wrong, generate_key_pair()[0])
    failed = subprocess.run([*WEIR, *args, "--private-key", str(wrong)], capture_output=True, text=True, env=ENV)
    assert failed.returncode == 2 and failed.stdout == ""
    (line,) = lines(failed.stderr)
    assert line.startswith("weir: decrypt_payload: record ")
    assert line.endswith(": does not decrypt: wrong key, wrong record id or tampered ciphertext")


def test_a_missing_or_bad_key_file_is_one_line(log: Log, capsys: pytest.CaptureFixture[str]) -> None:
    not_a_key = log.root / "notes.txt"
    not_a_key.write_text("hello")
    for path, message in [
        (log.root / "missing.pem", "no such key file"),
        (not_a_key, "not a PEM private key"),
    ]:
        assert log.weir("logs", "sql", "SELECT 1", "--private-key", str(path)) == 2
        assert lines(capsys.readouterr().err) == [f"weir: {path}: {message}"]


def test_sql_works_while_a_writer_is_flushing(log: Log, capsys: pytest.CaptureFixture[str]) -> None:
    """The gateway's writer keeps taking turns on the file; the command gets its own."""
    log.writer.start()
    stop = threading.Event()
    submitted = 3

    def traffic() -> None:
        nonlocal submitted
        while not stop.is_set():
            log.writer.submit(exchange(log_id=uuid7()))
            submitted += 1
            time.sleep(0.002)

    producer = threading.Thread(target=traffic)
    producer.start()
    seen: list[int] = []
    try:
        for _ in range(4):
            assert log.weir("logs", "sql", "SELECT count(*) AS n FROM requests", "--format", "csv") == 0
            seen.append(int(lines(capsys.readouterr().out)[1]))
    finally:
        stop.set()
        producer.join()
        log.writer.stop()
    assert seen == sorted(seen) and seen[-1] > 3
    assert log.weir("logs", "sql", "SELECT count(*) FROM requests", "--format", "csv") == 0
    assert int(lines(capsys.readouterr().out)[1]) == submitted


def test_show_prints_the_record_and_with_the_key_its_bodies(log: Log, capsys: pytest.CaptureFixture[str]) -> None:
    with log.store.reading() as con:
        (record_id,) = con.execute("SELECT id FROM requests WHERE started_at = '2024-05-01 12:00:00'").fetchone()  # type: ignore[misc]
    assert log.weir("logs", "show", record_id) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["id"] == record_id and shown["metadata"] == {"team": "search"} and len(shown["attempts"]) == 1
    assert "request_body" not in shown
    assert log.weir("logs", "show", record_id, "--private-key", str(log.key_file)) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["request_body"] == PROMPT and shown["response_body"].startswith('{"choices"')


def test_show_failures(log: Log, capsys: pytest.CaptureFixture[str]) -> None:
    wrong = log.root / "wrong.pem"
    write_private_key(wrong, generate_key_pair()[0])
    with log.store.reading() as con:
        (record_id,) = con.execute("SELECT id FROM requests WHERE payload_stored LIMIT 1").fetchone()  # type: ignore[misc]
    cases = [
        (
            ["01900000-0000-7000-8000-000000000000"],
            "weir: no log record has the id 01900000-0000-7000-8000-000000000000",
        ),
        (["x'; DROP TABLE requests; --"], 'weir: "x\'; DROP TABLE requests; --" is not a log record id'),
        ([record_id, "--private-key", str(wrong)], f"weir: record {record_id}: does not decrypt: wrong key"),
    ]
    for args, message in cases:
        assert log.weir("logs", "show", *args) == 2
        err = lines(capsys.readouterr().err)
        assert len(err) == 1 and err[0].startswith(message), err


def test_tail_prints_the_latest_and_follows(
    log: Log, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert log.weir("logs", "tail", "-n", "2") == 0
    tail = lines(capsys.readouterr().out)
    assert len(tail) == 2 and tail[0].startswith("2024-05-01T12:01:00Z") and "502" in tail[0]
    assert "default/anthropic" in tail[0] and tail[0].endswith("upstream_error")
    # A long request: it began a minute ago (its id says so) but is written only now.
    polls = iter(
        [lambda: log.add(provider="late-stream", started_at=time.time() - 60), lambda: None, KeyboardInterrupt]
    )

    def sleep(_: float) -> None:
        step = next(polls)
        if step is KeyboardInterrupt:
            raise KeyboardInterrupt
        step()  # type: ignore[operator]

    monkeypatch.setattr(logs_cli, "time", SimpleNamespace(time=time.time, sleep=sleep))
    assert log.weir("logs", "tail", "-n", "1", "--follow") == 0
    followed = lines(capsys.readouterr().out)
    assert len(followed) == 2 and "late-stream" in followed[1]


def test_export_writes_parquet_and_csv_for_a_time_range(log: Log, capsys: pytest.CaptureFixture[str]) -> None:
    parquet = log.root / "out.parquet"
    args = ["--since", "2024-05-01T12:00:30Z", "--until", str(int(T0 + 3600))]
    assert log.weir("logs", "export", "--format", "parquet", "--output", str(parquet), *args) == 0
    assert lines(capsys.readouterr().out) == [f"wrote 2 rows of requests to {parquet}"]
    table = pq.read_table(parquet)
    assert table.num_rows == 2 and set(table.column("provider").to_pylist()) == {"anthropic", "openai"}
    sealed = log.root / "payloads.csv"
    assert log.weir("logs", "export", "--format", "csv", "--table", "payloads", "--output", str(sealed)) == 0
    exported = list(csv.reader(sealed.open()))
    assert exported[0] == ["request_id", "started_at", "request", "response"] and len(exported) == 3
    assert "PURPLE-42" not in sealed.read_text(errors="replace")  # bodies leave still sealed


def test_export_refuses_to_overwrite_and_writes_nothing_else(log: Log, capsys: pytest.CaptureFixture[str]) -> None:
    existing = log.root / "keep.csv"
    existing.write_text("precious")
    assert log.weir("logs", "export", "--format", "csv", "--output", str(existing)) == 2
    assert lines(capsys.readouterr().err) == [f"weir: {existing}: already exists; choose a new file for the export"]
    assert existing.read_text() == "precious"
    allowed, other = log.root / "allowed.csv", log.root / "other.csv"
    with log.store.exporting(allowed) as con:
        with pytest.raises(duckdb.Error, match="disabled by configuration"):
            con.execute("COPY requests TO ? (FORMAT csv)", [str(other)])
        with pytest.raises(duckdb.Error, match="disabled by configuration"):
            con.execute("SELECT * FROM read_text('/etc/passwd')")
        with pytest.raises(duckdb.Error, match="locked"):
            con.execute("SET enable_external_access = true")
        con.execute("COPY requests TO ? (FORMAT csv)", [str(allowed.resolve())])
    assert allowed.exists() and not other.exists()


def test_commands_need_an_existing_log(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "weir.toml"
    config.write_text(f'[server]\ndata_dir = "{tmp_path / "nowhere"}"\n')
    assert main(["logs", "tail", "--config", str(config)]) == 2
    err = lines(capsys.readouterr().err)
    assert err == [
        f"weir: no request log at {tmp_path / 'nowhere' / 'logs' / 'requests.duckdb'}; "
        "pass --config with the gateway's config (its server.data_dir)"
    ]
    assert main(["logs", "tail", "--config", str(tmp_path / "missing.toml")]) == 2
    assert "cannot read the file" in capsys.readouterr().err


def test_sql_reads_the_query_from_stdin(
    log: Log, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("SELECT count(*) AS n\nFROM requests\nWHERE status = 502\n"))
    assert log.weir("logs", "sql", "-", "--format", "csv") == 0
    assert lines(capsys.readouterr().out) == ["n", "1"]
