"""The request log over HTTP, end to end: traffic through a real gateway, then /api/logs,
/api/logs/{id} (GET and PATCH), /api/analytics and /api/sql — filters, pages, feedback,
the admin rule, and writes, injections, file reads and runaway queries refused."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from gateway.auth import hash_token
from tests.harness import Stack, running_stack

FAST = '[logs]\nflush_interval = "0.1s"\nsql_timeout = "2s"\nsql_memory_limit = "64MiB"\n'
INJECTION = "'; DROP TABLE requests; --"
UNKNOWN_ID = "01900000-0000-7000-8000-000000000000"


@pytest.fixture
async def logged() -> AsyncIterator[tuple[Stack, aiohttp.ClientSession, list[str]]]:
    """A gateway that has logged five chat completions; and their log ids."""
    async with running_stack(FAST) as stack, aiohttp.ClientSession() as session:
        ids = [await chat(session, stack, f"question {n}", team="search" if n < 3 else "ads") for n in range(5)]
        await wait_for_rows(session, stack, 5)
        yield stack, session, ids


async def chat(session: aiohttp.ClientSession, stack: Stack, text: str, team: str = "search") -> str:
    headers = {"Authorization": "Bearer sk-test", "weir-metadata": json.dumps({"team": team})}
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": text}]}
    async with session.post(stack.url("/v1/default/openai/chat/completions"), json=body, headers=headers) as r:
        assert r.status == 200, await r.text()
        return r.headers["weir-log-id"]


async def get(session: aiohttp.ClientSession, stack: Stack, path: str, **headers: str) -> tuple[int, Any]:
    async with session.get(stack.url(path), headers=headers) as r:
        return r.status, await r.json()


async def send(
    session: aiohttp.ClientSession, stack: Stack, method: str, path: str, body: Any, **headers: str
) -> tuple[int, Any]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    async with session.request(method, stack.url(path), data=data, headers=headers) as r:
        return r.status, await r.json()


async def wait_for_rows(session: aiohttp.ClientSession, stack: Stack, count: int) -> list[dict[str, Any]]:
    for _ in range(100):
        status, body = await get(session, stack, "/api/logs?limit=1000")
        assert status == 200, body
        if len(body["result"]) >= count:
            return list(body["result"])
        await asyncio.sleep(0.05)
    raise AssertionError(f"the log never held {count} rows")


async def row_count(session: aiohttp.ClientSession, stack: Stack) -> int:
    status, body = await send(session, stack, "POST", "/api/sql", {"sql": "SELECT count(*) FROM requests"})
    assert status == 200, body
    return int(body["result"]["rows"][0][0])


async def test_logs_filter_and_page(logged: tuple[Stack, aiohttp.ClientSession, list[str]]) -> None:
    stack, session, ids = logged
    pages: list[str] = []
    path = "/api/logs?limit=2"
    while True:
        status, body = await get(session, stack, path)
        assert status == 200 and len(body["result"]) <= 2
        pages += [row["id"] for row in body["result"]]
        if body["cursor"] is None:
            break
        path = f"/api/logs?limit=2&cursor={body['cursor']}"
    assert pages == sorted(ids, reverse=True)
    status, body = await get(session, stack, "/api/logs?metadata.team=search&provider=openai&status=2xx")
    assert status == 200 and sorted(row["id"] for row in body["result"]) == sorted(ids[:3])
    assert body["result"][0]["metadata"] == {"team": "search"} and body["result"][0]["model"] == "gpt-4o-mini"
    status, body = await get(session, stack, "/api/logs?since=2000-01-01T00:00:00Z&until=2000-01-02T00:00:00Z")
    assert (status, body) == (200, {"result": [], "cursor": None})


@pytest.mark.parametrize("name", ["provider", "model", "user", "gateway", "cache_status", "metadata.team"])
async def test_an_injection_in_a_filter_is_just_a_value(
    logged: tuple[Stack, aiohttp.ClientSession, list[str]], name: str
) -> None:
    stack, session, _ = logged
    async with session.get(stack.url("/api/logs"), params={name: INJECTION}) as r:
        assert r.status == 200
        assert await r.json() == {"result": [], "cursor": None}
    assert await row_count(session, stack) == 5


BAD_QUERIES = [
    ("colour=red", "unknown query parameters: colour"),
    ("limit=0", "limit: expected a whole number from 1 to 1000"),
    ("limit=1001", "limit: expected a whole number from 1 to 1000"),
    ("limit=ten", "limit: expected a whole number"),
    ("cursor=' OR 1=1 --", "cursor: not a cursor from a previous page"),
    ("status=teapot", "status: expected a status code"),
    ("since=last-tuesday", "since: expected an ISO-8601 time"),
    ("metadata.a%22b=x", 'metadata.a"b: a metadata key is 1 to 64'),
    ("provider=a&provider=b", "provider: given more than once"),
]


@pytest.mark.parametrize(("query", "message"), BAD_QUERIES)
async def test_bad_query_parameters_are_400_naming_them(
    logged: tuple[Stack, aiohttp.ClientSession, list[str]], query: str, message: str
) -> None:
    stack, session, _ = logged
    status, body = await get(session, stack, f"/api/logs?{query}")
    assert status == 400 and body["error"]["message"].startswith(message)


async def test_one_record_and_its_feedback(logged: tuple[Stack, aiohttp.ClientSession, list[str]]) -> None:
    stack, session, ids = logged
    status, body = await get(session, stack, f"/api/logs/{ids[0]}")
    assert status == 200
    record = body["result"]
    assert record["id"] == ids[0] and record["status"] == 200 and record["feedback"] is None
    assert [a["status"] for a in record["attempts"]] == [200] and record["findings"] == []
    assert "request" not in record and "payloads" not in record
    status, body = await send(session, stack, "PATCH", f"/api/logs/{ids[0]}", {"feedback": 1, "score": 90})
    assert status == 200 and body["result"]["feedback"] == 1 and body["result"]["score"] == 90
    status, body = await send(session, stack, "PATCH", f"/api/logs/{ids[0]}", {"comment": "spot on"})
    assert status == 200
    assert {k: body["result"][k] for k in ("id", "feedback", "score", "comment")} == {
        "id": ids[0],
        "feedback": 1,
        "score": 90,
        "comment": "spot on",
    }
    status, body = await get(session, stack, f"/api/logs/{ids[0]}")
    assert body["result"]["feedback"]["comment"] == "spot on"


@pytest.mark.parametrize("path", [f"/api/logs/{UNKNOWN_ID}", "/api/logs/not-an-id", "/api/logs/%27%3B%20DROP"])
async def test_unknown_records_are_404(logged: tuple[Stack, aiohttp.ClientSession, list[str]], path: str) -> None:
    stack, session, _ = logged
    status, body = await get(session, stack, path)
    assert status == 404 and body["error"]["message"] == "no log record has this id"
    status, body = await send(session, stack, "PATCH", path, {"feedback": -1})
    assert status == 404


async def test_feedback_right_after_the_answer_waits_for_the_writer() -> None:
    async with running_stack('[logs]\nflush_interval = "0.5s"\n') as stack, aiohttp.ClientSession() as session:
        log_id = await chat(session, stack, "hello")
        status, body = await send(session, stack, "PATCH", f"/api/logs/{log_id}", {"feedback": -1})
        assert status == 200 and body["result"]["feedback"] == -1


BAD_FEEDBACK: list[tuple[Any, str]] = [
    ({}, "send at least one of feedback"),
    ({"feedback": None}, "send at least one of feedback"),
    ({"feedback": 0}, "feedback: expected -1 (thumbs down) or 1 (thumbs up)"),
    ({"feedback": True}, "feedback: expected -1"),
    ({"feedback": "1"}, "feedback: expected -1"),
    ({"score": 101}, "score: expected a whole number from 0 to 100"),
    ({"score": 50.5}, "score: expected a whole number"),
    ({"comment": "x" * 2001}, "comment: expected a string of at most 2000 characters"),
    ({"comment": 5}, "comment: expected a string"),
    ({"feedback": 1, "rating": 5}, "unknown fields: rating; known: feedback, score, comment"),
    ([1], "the request body must be a JSON object"),
    (b"{not json", "the request body is not valid JSON"),
]


@pytest.mark.parametrize(("body", "message"), BAD_FEEDBACK)
async def test_bad_feedback_is_400(
    logged: tuple[Stack, aiohttp.ClientSession, list[str]], body: Any, message: str
) -> None:
    stack, session, ids = logged
    status, answer = await send(session, stack, "PATCH", f"/api/logs/{ids[0]}", body)
    assert status == 400 and answer["error"]["message"].startswith(message)


async def test_analytics(logged: tuple[Stack, aiohttp.ClientSession, list[str]]) -> None:
    stack, session, _ = logged
    status, body = await get(session, stack, "/api/analytics?bucket=minute&group_by=provider,model,user")
    assert status == 200 and body["bucket"] == "minute" and body["group_by"] == ["provider", "model", "user"]
    assert sum(row["requests"] for row in body["result"]) == 5
    row = body["result"][0]
    assert {row["provider"], row["model"], row["user"]} == {"openai", "gpt-4o-mini", None}
    assert row["errors"] == 0 and row["input_tokens"] > 0 and row["p95_ms"] >= row["p50_ms"] > 0
    status, body = await get(session, stack, "/api/analytics?metadata.team=ads")
    assert status == 200 and sum(row["requests"] for row in body["result"]) == 2
    for query, message in [
        ("group_by=provider,status", "group_by: status cannot be grouped by"),
        ("group_by=provider;DROP TABLE requests", "group_by: provider;DROP TABLE requests cannot be grouped by"),
        ("bucket=week", "bucket: expected one of minute, hour, day"),
        ("limit=5", "unknown query parameters: limit"),
    ]:
        status, body = await get(session, stack, f"/api/analytics?{query}")
        assert status == 400 and body["error"]["message"].startswith(message), (query, body)


async def test_sql_answers_a_select_with_bound_params(logged: tuple[Stack, aiohttp.ClientSession, list[str]]) -> None:
    stack, session, ids = logged
    sql = "SELECT id, status, started_at FROM requests WHERE json_extract_string(metadata, '$.team') = ? ORDER BY id"
    status, body = await send(session, stack, "POST", "/api/sql", {"sql": sql, "params": ["ads"]})
    assert status == 200
    assert body["result"]["columns"] == ["id", "status", "started_at"] and not body["result"]["truncated"]
    assert [row[0] for row in body["result"]["rows"]] == sorted(ids[3:])
    assert body["result"]["rows"][0][2].endswith("Z")
    status, body = await send(session, stack, "POST", "/api/sql", {"sql": "SELECT ?::VARCHAR", "params": [INJECTION]})
    assert status == 200 and body["result"]["rows"] == [[INJECTION]]


SQL_REFUSED = [
    ("DROP TABLE requests", "only SELECT statements may run here, not DROP"),
    ("DELETE FROM requests", "only SELECT statements may run here, not DELETE"),
    ("UPDATE requests SET status = 500", "not UPDATE"),
    ("INSERT INTO feedback_events VALUES ('x', now(), 1, 1, 'x')", "not INSERT"),
    ("SELECT 1; DROP TABLE requests", "the SQL holds 2 statements"),
    (f"SELECT * FROM requests WHERE provider = '{INJECTION}'", "the SQL holds 2 statements"),
    ("ATTACH '/tmp/weir-api.duckdb' AS other", "not ATTACH"),
    ("COPY requests TO '/tmp/weir-api-stolen.csv'", "not COPY"),
    ("EXPORT DATABASE '/tmp/weir-api-export'", "not EXPORT"),
    ("INSTALL httpfs", "not LOAD"),
    ("LOAD httpfs", "not LOAD"),
    ("SET enable_external_access = true", "not SET"),
    ("PRAGMA disable_checkpoint_on_shutdown", "not PRAGMA"),
    ("SELECT * FROM read_csv('/etc/passwd')", "Permission Error"),
    ("SELECT * FROM read_text('/etc/passwd')", "Permission Error"),
    ("SELECT decrypt_payload(request_id, request) FROM payloads", "decrypt_payload does not exist"),
    ("", "the SQL is empty"),
]


@pytest.mark.parametrize(("sql", "message"), SQL_REFUSED)
async def test_sql_refuses_writes_files_and_stacked_statements(
    logged: tuple[Stack, aiohttp.ClientSession, list[str]], sql: str, message: str
) -> None:
    stack, session, _ = logged
    status, body = await send(session, stack, "POST", "/api/sql", {"sql": sql})
    assert status == 400 and message in body["error"]["message"], body
    assert await row_count(session, stack) == 5


async def test_sql_limits_time_and_memory(logged: tuple[Stack, aiohttp.ClientSession, list[str]]) -> None:
    stack, session, _ = logged
    runaway = {"sql": "SELECT count(*) FROM range(1000000000000) a, range(1000) b"}
    status, body = await send(session, stack, "POST", "/api/sql", runaway)
    assert status == 400 and body["error"]["message"].startswith("the query ran past the 2 s limit")
    hog = {"sql": "SELECT len(list_resize([1], 300000000))"}
    status, body = await send(session, stack, "POST", "/api/sql", hog)
    assert status == 400 and body["error"]["message"].startswith("the query ran out of memory (the limit is 64 MiB")
    status, body = await get(session, stack, "/healthz")
    assert status == 200
    assert await row_count(session, stack) == 5


BAD_SQL_BODIES: list[tuple[Any, str]] = [
    ({"query": "SELECT 1"}, "unknown fields: query; known: sql, params"),
    ({"sql": 5}, "sql: expected the query as a string"),
    ({"sql": "SELECT ?", "params": "x"}, "params: expected a list"),
    ({"sql": "SELECT ?", "params": [{"a": 1}]}, "params[0]: expected a string, number, boolean or null, got dict"),
    ({"sql": "SELECT 1 -- " + "x" * 100_000}, "sql: longer than 100000 characters"),
    (b"SELECT 1", "the request body is not valid JSON"),
]


@pytest.mark.parametrize(("body", "message"), BAD_SQL_BODIES)
async def test_bad_sql_bodies_are_400(
    logged: tuple[Stack, aiohttp.ClientSession, list[str]], body: Any, message: str
) -> None:
    stack, session, _ = logged
    status, answer = await send(session, stack, "POST", "/api/sql", body)
    assert status == 400 and answer["error"]["message"].startswith(message), answer


ADMIN, ANALYST = "wt-admin-0123456789", "wt-analyst-0123456789"
AUTH = f"""
[[gateways.default.auth.tokens]]
hash = "{hash_token(ADMIN)}"
user = "ana"
groups = ["admin"]
[[gateways.default.auth.tokens]]
hash = "{hash_token(ANALYST)}"
user = "bob"
groups = ["analysts"]
"""
ROUTES = [
    ("GET", "/api/logs", None),
    ("GET", f"/api/logs/{UNKNOWN_ID}", None),
    ("PATCH", f"/api/logs/{UNKNOWN_ID}", {"feedback": 1}),
    ("GET", "/api/analytics", None),
    ("POST", "/api/sql", {"sql": "SELECT 1"}),
]


async def test_only_admins_reach_the_log_api() -> None:
    async with running_stack(AUTH + FAST) as stack, aiohttp.ClientSession() as session:
        for method, path, body in ROUTES:
            for headers in ({}, {"weir-authorization": f"Bearer {ANALYST}"}, {"weir-authorization": "Bearer nope"}):
                status, answer = await send(session, stack, method, path, body or b"", **headers)
                assert status == 401, (method, path, headers)
                assert answer["error"]["message"] == "an admin token is required: weir-authorization: Bearer <token>"
            status, _ = await send(
                session, stack, method, path, body or b"", **{"weir-authorization": f"Bearer {ADMIN}"}
            )
            assert status in (200, 404), (method, path)


async def test_a_disabled_log_is_409() -> None:
    async with running_stack("[logs]\nenabled = false\n") as stack, aiohttp.ClientSession() as session:
        for method, path, body in ROUTES:
            status, answer = await send(session, stack, method, path, body or b"")
            assert status == 409, (method, path)
            assert answer["error"]["message"] == "the request log is disabled ([logs] enabled = false)"
