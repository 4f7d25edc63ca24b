"""The request log's acceptance test, through a running gateway: bodies reach the disk only
sealed to the operator's key and open again exactly; a moved or tampered blob does not
open; the collect headers and config narrow what is stored; ``weir-metadata`` is checked
and kept as JSON; DLP findings are logged without the matched text; an upstream failure
leaves its error class and its attempt.
"""

from __future__ import annotations

import asyncio
import json
import random
import string
import time
import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from gateway.logs.sealed import EnvelopeError, PayloadOpener, generate_key_pair, write_public_key
from gateway.logs.store import LogStore
from tests.harness import Stack, running_stack

CHAT = "/v1/default/openai/chat/completions"
AUTH = {"Authorization": "Bearer sk-test", "Content-Type": "application/json"}
FLUSH_INTERVAL = "0.05s"
WRITTEN_WITHIN_S = 30.0  # generous: a loaded CI box
DOES_NOT_DECRYPT = "does not decrypt: wrong key, wrong record id or tampered ciphertext"
RNG = random.Random(11)
AWS_KEY = "AKIA" + "".join(RNG.choice(string.ascii_uppercase + string.digits) for _ in range(16))
FLAG_CREDENTIALS = """
[[dlp.rules]]
name = "flag-credentials"
topics = ["credentials"]
action = "flag"
"""


@dataclass
class Logged:
    """A running stack whose gateway logs to ``store``, and the key that opens its payloads."""

    stack: Stack
    session: aiohttp.ClientSession
    store: LogStore
    private_key: bytes

    async def post(
        self, body: bytes, headers: Mapping[str, str] | None = None, path: str = CHAT
    ) -> tuple[int, Mapping[str, str], bytes]:
        async with self.session.post(self.stack.url(path), data=body, headers={**AUTH, **(headers or {})}) as resp:
            return resp.status, resp.headers, await resp.read()

    async def wait_written(self, count: int) -> None:
        """Until the writer reports ``count`` records committed (``/metrics``), not a guess."""
        deadline = time.monotonic() + WRITTEN_WITHIN_S
        while time.monotonic() < deadline:
            async with self.session.get(self.stack.url("/metrics")) as resp:
                text = await resp.text()
            written = next(
                (float(line.split()[-1]) for line in text.splitlines() if line.startswith("weir_log_records_written")),
                0.0,
            )
            if written >= count:
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"the log writer did not commit {count} records within {WRITTEN_WITHIN_S:.0f}s")


@asynccontextmanager
async def logged_stack(tmp_path: Path, extra_toml: str = "", *, sealed: bool = True) -> AsyncIterator[Logged]:
    """The provider fakes and a gateway logging under ``tmp_path``; its bodies sealed to a
    fresh key unless ``sealed`` is False. The writer has flushed everything on exit."""
    private_key, public_key = generate_key_pair()
    logs = f'[logs]\nflush_interval = "{FLUSH_INTERVAL}"\n'
    if sealed:
        write_public_key(tmp_path / "log.pub.pem", public_key)
        logs += f'public_key_file = "{tmp_path / "log.pub.pem"}"\n'
    toml = f'[server]\ndata_dir = "{tmp_path}"\n{logs}{extra_toml}'
    async with running_stack(toml) as stack, aiohttp.ClientSession() as session:
        yield Logged(stack, session, LogStore(tmp_path / "logs"), private_key)


def chat(text: str) -> bytes:
    return json.dumps({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": text}]}).encode()


def unique(label: str) -> str:
    return f"{label}-{uuid.uuid4().hex}"


def on_disk(store: LogStore) -> bytes:
    """Every byte under the log directory: the DuckDB file and its WAL, if one exists."""
    assert store.path.is_file(), "no log file was written"
    return b"".join(path.read_bytes() for path in sorted(store.directory.iterdir()) if path.is_file())


def found_in(raw: bytes, *texts: str) -> list[str]:
    """Which of ``texts`` occur in ``raw`` (a list, so a failure names them, not the bytes)."""
    return [text for text in texts if text.encode() in raw]


def query(store: LogStore, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with store.reading() as con:
        return con.execute(sql, params or []).fetchall()


def payload(store: LogStore, log_id: str) -> tuple[bytes, bytes]:
    rows = query(store, "SELECT request, response FROM payloads WHERE request_id = ?", [log_id])
    assert len(rows) == 1, f"expected one payload row for {log_id}, got {len(rows)}"
    return rows[0]


# --- bodies are sealed, and open again exactly -------------------------------------------


async def test_bodies_reach_the_disk_only_sealed_and_open_to_the_exact_bytes(tmp_path: Path) -> None:
    prompt, canary = unique("acceptance-prompt"), unique("acceptance-canary")
    body = chat(f"please repeat {prompt}")
    async with logged_stack(tmp_path) as logged:
        status, headers, answer = await logged.post(body, {"weir-metadata": json.dumps({"canary": canary})})
        assert status == 200
        log_id = headers["weir-log-id"]
        reply = json.loads(answer)["choices"][0]["message"]["content"]
        assert prompt in reply  # the fake echoes it: the response body carries the prompt too
        await logged.wait_written(1)
        while_running = on_disk(logged.store)
    after_stop = on_disk(logged.store)
    for raw in (while_running, after_stop):
        # The control: plaintext the log does keep (the metadata) is visible to this search.
        assert found_in(raw, canary) == [canary]
        assert found_in(raw, prompt, reply, json.loads(answer)["id"]) == []
    request, response = payload(logged.store, log_id)
    opener = PayloadOpener(logged.private_key)
    assert opener.open(log_id, request) == body
    assert opener.open(log_id, response) == answer
    assert query(logged.store, "SELECT payload_stored FROM requests WHERE id = ?", [log_id]) == [(True,)]


async def test_a_tampered_moved_or_foreign_payload_does_not_open(tmp_path: Path) -> None:
    async with logged_stack(tmp_path) as logged:
        ids = []
        for _ in range(2):
            status, headers, _ = await logged.post(chat(unique("tamper")))
            assert status == 200
            ids.append(headers["weir-log-id"])
    first, second = ids
    request, _ = payload(logged.store, first)
    opener = PayloadOpener(logged.private_key)
    assert opener.open(first, request)  # the untouched blob opens
    header = 1 + 32 + 4  # version, enc, seq
    for index in (header, len(request) // 2, len(request) - 1):  # ciphertext start, middle, tag
        tampered = bytearray(request)
        tampered[index] ^= 0x01
        with pytest.raises(EnvelopeError) as info:
            opener.open(first, bytes(tampered))
        assert str(info.value) == DOES_NOT_DECRYPT
    with pytest.raises(EnvelopeError) as info:
        opener.open(second, request)  # another record's id: a blob moved between rows
    assert str(info.value) == DOES_NOT_DECRYPT
    with pytest.raises(EnvelopeError) as info:
        PayloadOpener(generate_key_pair()[0]).open(first, request)
    assert str(info.value) == DOES_NOT_DECRYPT


# --- what is collected --------------------------------------------------------------------


@pytest.mark.parametrize("header", ["weir-collect-log-payload", "cf-aig-collect-log-payload"])
async def test_collect_log_payload_false_keeps_the_row_without_its_bodies(tmp_path: Path, header: str) -> None:
    prompt = unique("no-payload")
    async with logged_stack(tmp_path) as logged:
        status, headers, _ = await logged.post(chat(prompt), {header: "false"})
        assert status == 200
        log_id = headers["weir-log-id"]
    assert query(logged.store, "SELECT status, payload_stored FROM requests WHERE id = ?", [log_id]) == [(200, False)]
    assert query(logged.store, "SELECT count(*) FROM payloads") == [(0,)]
    assert found_in(on_disk(logged.store), prompt) == []


@pytest.mark.parametrize("header", ["weir-collect-log", "cf-aig-collect-log"])
async def test_collect_log_false_stores_no_row_and_sends_no_log_id(tmp_path: Path, header: str) -> None:
    async with logged_stack(tmp_path) as logged:
        status, headers, _ = await logged.post(chat(unique("unlogged")), {header: "false"})
        assert status == 200
        assert "weir-log-id" not in headers
        status, headers, _ = await logged.post(chat(unique("logged")))  # the control: this one is logged
        assert status == 200
        logged_id = headers["weir-log-id"]
        assert len(logged.stack.openai.requests) == 2
    assert query(logged.store, "SELECT id FROM requests") == [(logged_id,)]
    assert query(logged.store, "SELECT count(*) FROM payloads") == [(1,)]


async def test_a_gateway_that_does_not_collect_payloads_stores_none(tmp_path: Path) -> None:
    gateways = "[gateways.default]\n[gateways.private]\ncollect_payloads = false\n"
    prompt = unique("private")
    async with logged_stack(tmp_path, gateways) as logged:
        status, headers, _ = await logged.post(chat(prompt), path="/v1/private/openai/chat/completions")
        assert status == 200
        private_id = headers["weir-log-id"]
        # The header cannot widen what the gateway's config collects.
        status, headers, _ = await logged.post(
            chat(prompt), {"weir-collect-log-payload": "true"}, path="/v1/private/openai/chat/completions"
        )
        assert status == 200
        widened_id = headers["weir-log-id"]
        status, headers, _ = await logged.post(chat(unique("default")))
        default_id = headers["weir-log-id"]
    rows = dict(query(logged.store, "SELECT id, payload_stored FROM requests"))
    assert rows == {private_id: False, widened_id: False, default_id: True}
    assert query(logged.store, "SELECT request_id FROM payloads") == [(default_id,)]
    assert found_in(on_disk(logged.store), prompt) == []


async def test_without_a_public_key_rows_are_stored_and_bodies_are_not(tmp_path: Path) -> None:
    prompt = unique("keyless")
    async with logged_stack(tmp_path, sealed=False) as logged:
        status, headers, _ = await logged.post(chat(prompt))
        assert status == 200
        log_id = headers["weir-log-id"]
    rows = query(logged.store, "SELECT id, status, payload_stored, input_tokens IS NOT NULL FROM requests")
    assert rows == [(log_id, 200, False, True)]
    assert query(logged.store, "SELECT count(*) FROM payloads") == [(0,)]
    assert found_in(on_disk(logged.store), prompt) == []


# --- weir-metadata ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        ("[1, 2]", "weir-metadata must be a JSON object, got a JSON array"),
        (
            json.dumps({f"k{n}": n for n in range(6)}),
            "weir-metadata has 6 entries; at most 5 are allowed",
        ),
        (
            '{"team": {"name": "search"}}',
            "weir-metadata entry 'team' must be a string, number or boolean, got a JSON object",
        ),
        ("team=search", 'weir-metadata must be a JSON object, e.g. {"team": "search"}'),
    ],
    ids=["array", "six-entries", "nested-object", "not-json"],
)
async def test_bad_metadata_is_a_400_that_names_the_problem(tmp_path: Path, metadata: str, message: str) -> None:
    async with logged_stack(tmp_path) as logged:
        status, _, answer = await logged.post(chat("hello"), {"weir-metadata": metadata})
        assert logged.stack.openai.requests == []  # refused before it went anywhere
    assert status == 400
    assert json.loads(answer)["error"]["message"] == message


async def test_good_metadata_is_stored_as_a_json_object(tmp_path: Path) -> None:
    metadata = {"team": "search", "run": 3, "beta": True, "score": 0.5, "ticket": "ENG-42"}
    async with logged_stack(tmp_path) as logged:
        status, headers, _ = await logged.post(chat("hello"), {"weir-metadata": json.dumps(metadata)})
        assert status == 200
        log_id = headers["weir-log-id"]
    [(stored,)] = query(logged.store, "SELECT metadata FROM requests WHERE id = ?", [log_id])
    assert json.loads(stored) == metadata
    [(team,)] = query(logged.store, "SELECT metadata::JSON->>'team' FROM requests WHERE id = ?", [log_id])
    assert team == "search"


# --- DLP findings and failures ------------------------------------------------------------


async def test_dlp_findings_are_logged_without_the_matched_text(tmp_path: Path) -> None:
    body = chat(f"why does {AWS_KEY} fail with AccessDenied?")
    async with logged_stack(tmp_path, FLAG_CREDENTIALS) as logged:
        status, headers, _ = await logged.post(body)
        assert status == 200  # flagged, not blocked
        log_id = headers["weir-log-id"]
    assert query(logged.store, "SELECT dlp_action, dlp_entries, dlp_topics FROM requests WHERE id = ?", [log_id]) == [
        ("flag", ["AWS_ACCESS_KEY"], ["credentials"])
    ]
    findings = query(
        logged.store,
        "SELECT direction, entry, topic, action, policy FROM findings WHERE request_id = ? ORDER BY direction",
        [log_id],
    )
    # The fake echoes the prompt, so the response carries the key too.
    assert findings == [
        ("request", "AWS_ACCESS_KEY", "credentials", "flag", "flag-credentials"),
        ("response", "AWS_ACCESS_KEY", "credentials", "flag", "flag-credentials"),
    ]
    assert found_in(on_disk(logged.store), AWS_KEY) == []
    request, _ = payload(logged.store, log_id)
    assert AWS_KEY.encode() in PayloadOpener(logged.private_key).open(log_id, request)  # kept, but only sealed


@pytest.mark.parametrize(
    ("fault", "status", "error_class", "has_error"),
    [("status=500", 500, "provider_5xx", False), ("reset_after_chunks=0", 502, "upstream_error", True)],
    ids=["provider-500", "connection-reset"],
)
async def test_an_upstream_failure_leaves_its_error_class_and_attempt(
    tmp_path: Path, fault: str, status: int, error_class: str, has_error: bool
) -> None:
    async with logged_stack(tmp_path) as logged:
        got, headers, _ = await logged.post(chat("hello"), {"x-fake-fault": fault})
        assert got == status
        log_id = headers["weir-log-id"]
    [row] = query(logged.store, "SELECT status, error_class, error IS NOT NULL FROM requests WHERE id = ?", [log_id])
    assert row == (status, error_class, has_error)
    attempts = query(
        logged.store, "SELECT attempt, provider, status, error IS NOT NULL FROM attempts WHERE request_id = ?", [log_id]
    )
    assert attempts == [(0, "openai", status, has_error)]
