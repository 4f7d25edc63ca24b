"""The query's own process, driven as ``run_query`` drives it: a JSON job on stdin, JSON
lines on stdout — "ready", then one answer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from gateway.logs.store import LogStore

CHILD = [sys.executable, "-m", "gateway.logs.sandbox_child"]


def answers(directory: Path, sql: str, **overrides: Any) -> list[dict[str, Any]]:
    job = {
        "directory": str(directory),
        "memory_limit": 64 * 1024 * 1024,
        "sql": sql,
        "params": [],
        "timeout": 5,
        "max_rows": 10,
        "private_key": None,
        "wait": 5,
        **overrides,
    }
    done = subprocess.run(CHILD, input=json.dumps(job).encode(), capture_output=True, timeout=60, check=True)
    return [json.loads(line) for line in done.stdout.splitlines()]


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    with LogStore(tmp_path).writing():
        pass
    return tmp_path


def test_a_query_answers_ready_then_its_rows(directory: Path) -> None:
    assert answers(directory, "SELECT 1 AS one, ? AS two", params=[2]) == [
        {"kind": "ready"},
        {"kind": "ok", "columns": ["one", "two"], "rows": [[1, 2]], "truncated": False},
    ]


def test_refused_sql_never_gets_ready(directory: Path) -> None:
    assert answers(directory, "SELECT 1; DROP TABLE requests") == [
        {"kind": "refused", "message": "the SQL holds 2 statements; send exactly one SELECT"}
    ]


def test_a_failed_query_answers_an_error_line(directory: Path) -> None:
    ready, answer = answers(directory, "SELECT * FROM nowhere")
    assert ready == {"kind": "ready"} and answer["kind"] == "error"
    assert answer["message"].startswith("Catalog Error: Table with name nowhere does not exist!")


def test_the_child_caps_its_own_memory(directory: Path) -> None:
    (ready, answer) = answers(directory, "SELECT len(list_resize([1], 300000000))")
    assert ready == {"kind": "ready"} and answer["kind"] == "error"
    assert answer["message"].startswith("the query ran out of memory (the limit is 64 MiB")
