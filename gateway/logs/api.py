"""The request log over HTTP: records, feedback, analytics and SQL under ``/api``.

=========================  ===========================================================
``GET /api/logs``          records, newest first: ``since``/``until`` (ISO-8601 or epoch
                           seconds), ``gateway``, ``provider``, ``model``, ``status``
                           (``404``, ``4xx``), ``user``, ``cache_status``,
                           ``metadata.KEY=VALUE``, ``limit`` (1–1000, 50) and ``cursor``
                           → ``{"result": [...], "cursor": next page's or null}``
``GET /api/logs/{id}``     one record with its attempts, findings and feedback (never
                           its bodies) → ``{"result": {...}}``
``PATCH /api/logs/{id}``   ``{"feedback": -1|1, "score": 0-100, "comment": "…"}``, the
                           Cloudflare AI Gateway shape → ``{"result": feedback}``
``GET /api/analytics``     per ``bucket`` (minute, hour, day) × ``group_by`` (any of
                           provider, model, user, gateway), with the filters above; the
                           last day when there is no ``since`` → ``{"result": [...]}``
``POST /api/sql``          ``{"sql": "SELECT …", "params": [...]}`` through the sandbox
                           (``gateway.logs.sandbox``) → ``{"result": {"columns",
                           "rows", "truncated"}}``
=========================  ===========================================================

Every route needs an admin (``gateway.admin``) and answers 409 while the log is off. All
DuckDB work runs in the default executor, never on the event loop; a log file that
another process holds past the wait is a 503. The gateway has no private key, so
``decrypt_payload`` does not exist here: bodies are read with ``weir logs``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

import duckdb
import orjson
from aiohttp import web

from gateway.admin import ADMIN_REQUIRED, require_admin
from gateway.errors import error_response
from gateway.logs.queries import (
    RECORD_ID,
    BadParameter,
    add_feedback,
    analytics,
    feedback_of,
    page,
    parse_bucket,
    parse_cursor,
    parse_filter,
    parse_group_by,
    parse_int,
    record,
)
from gateway.logs.sandbox import run_query
from gateway.logs.statement import QueryError, check_params
from gateway.logs.store import StoreBusy
from gateway.logs.writer import LogWriter
from gateway.providers import FAMILIES
from gateway.runtime import RUNTIME

log = logging.getLogger("weir.logs")
_OPENAI = FAMILIES["openai"]
LOG_DISABLED = "the request log is disabled ([logs] enabled = false)"
NO_SUCH_RECORD = "no log record has this id"
BUSY = "the request log is busy (another process holds the file); try again shortly"
LIMIT_DEFAULT = 50
LIMIT_MAX = 1000
MAX_SQL = 100_000
MAX_COMMENT = 2000
STORE_WAIT = 5.0
_FEEDBACK_FIELDS = ("feedback", "score", "comment")
_SQL_FIELDS = ("sql", "params")


class _NotFound(Exception):
    pass


def add_log_routes(app: web.Application) -> None:
    app.router.add_get("/api/logs", handle_logs)
    app.router.add_get("/api/logs/{id}", handle_log)
    app.router.add_patch("/api/logs/{id}", handle_feedback)
    app.router.add_get("/api/analytics", handle_analytics)
    app.router.add_post("/api/sql", handle_sql)


async def handle_logs(request: web.Request) -> web.Response:
    writer = _admitted(request)
    if isinstance(writer, web.Response):
        return writer
    try:
        found, extra = parse_filter(request.query.items(), ("limit", "cursor"))
        limit = parse_int("limit", extra.get("limit"), LIMIT_DEFAULT, 1, LIMIT_MAX)
        cursor = parse_cursor(extra.get("cursor"))
    except BadParameter as exc:
        return _error(400, str(exc))
    timeout = request.app[RUNTIME].config.logs.sql_timeout

    def work() -> dict[str, Any]:
        with writer.store.reading(STORE_WAIT) as con:
            records, next_cursor = page(con, found, limit, cursor, timeout=timeout)
        return {"result": records, "cursor": next_cursor}

    return await _answer(work)


async def handle_log(request: web.Request) -> web.Response:
    writer = _admitted(request)
    if isinstance(writer, web.Response):
        return writer
    if request.query:
        return _error(400, f"unknown query parameters: {', '.join(sorted(request.query))}; this route takes none")
    record_id = request.match_info["id"]
    if RECORD_ID.fullmatch(record_id) is None:
        return _error(404, NO_SUCH_RECORD)
    timeout = request.app[RUNTIME].config.logs.sql_timeout

    def work() -> dict[str, Any]:
        with writer.store.reading(STORE_WAIT) as con:
            found = record(con, record_id, timeout=timeout)
        if found is None:
            raise _NotFound
        return {"result": found}

    return await _answer(work)


async def handle_feedback(request: web.Request) -> web.Response:
    writer = _admitted(request)
    if isinstance(writer, web.Response):
        return writer
    record_id = request.match_info["id"]
    if RECORD_ID.fullmatch(record_id) is None:
        return _error(404, NO_SUCH_RECORD)
    try:
        fields = _object(await request.read(), _FEEDBACK_FIELDS)
        feedback, score, comment = _feedback(fields)
    except BadParameter as exc:
        return _error(400, str(exc))
    timeout = request.app[RUNTIME].config.logs.sql_timeout
    # A record answered moments ago may still wait in the writer's queue: look again for
    # two flush intervals before saying it does not exist.
    patience = 2 * writer.flush_interval + 0.5
    pause = max(0.05, writer.flush_interval / 4)

    def work() -> dict[str, Any]:
        give_up = time.monotonic() + patience
        while True:
            with writer.store.writing(STORE_WAIT) as con:
                if add_feedback(con, record_id, feedback, score, comment, time.time()):
                    return {"result": {"id": record_id, **(feedback_of(con, record_id, timeout=timeout) or {})}}
            if time.monotonic() >= give_up:
                raise _NotFound
            time.sleep(pause)

    return await _answer(work)


async def handle_analytics(request: web.Request) -> web.Response:
    writer = _admitted(request)
    if isinstance(writer, web.Response):
        return writer
    try:
        found, extra = parse_filter(request.query.items(), ("bucket", "group_by"))
        bucket = parse_bucket(extra.get("bucket"))
        group_by = parse_group_by(extra.get("group_by"))
    except BadParameter as exc:
        return _error(400, str(exc))
    timeout = request.app[RUNTIME].config.logs.sql_timeout

    def work() -> dict[str, Any]:
        with writer.store.reading(STORE_WAIT) as con:
            rows = analytics(con, found, bucket, group_by, timeout=timeout)
        return {"result": rows, "bucket": bucket, "group_by": list(group_by)}

    return await _answer(work)


async def handle_sql(request: web.Request) -> web.Response:
    writer = _admitted(request)
    if isinstance(writer, web.Response):
        return writer
    try:
        fields = _object(await request.read(), _SQL_FIELDS)
        sql = fields.get("sql")
        params = fields.get("params", [])
        if not isinstance(sql, str):
            raise BadParameter('sql: expected the query as a string, e.g. {"sql": "SELECT count(*) FROM requests"}')
        if len(sql) > MAX_SQL:
            raise BadParameter(f"sql: longer than {MAX_SQL} characters")
        if not isinstance(params, list):
            raise BadParameter("params: expected a list of values for the query's ? placeholders")
        check_params(params)
    except (BadParameter, QueryError) as exc:
        return _error(400, str(exc))
    timeout = request.app[RUNTIME].config.logs.sql_timeout

    def work() -> dict[str, Any]:
        result = run_query(writer.store, sql, params, timeout=timeout, wait=STORE_WAIT)
        rows = [list(row) for row in result.rows]
        return {"result": {"columns": result.columns, "rows": rows, "truncated": result.truncated}}

    return await _answer(work)


def _admitted(request: web.Request) -> LogWriter | web.Response:
    """The log writer (and its store) for an admin's request, or the response refusing it."""
    if require_admin(request) is None:
        return _error(401, ADMIN_REQUIRED)
    writer = request.app[RUNTIME].log_writer
    if writer is None:
        return _error(409, LOG_DISABLED)
    return writer


async def _answer(work: Callable[[], dict[str, Any]]) -> web.Response:
    try:
        body = await asyncio.get_running_loop().run_in_executor(None, work)
    except _NotFound:
        return _error(404, NO_SUCH_RECORD)
    except StoreBusy:
        return _error(503, BUSY)
    except QueryError as exc:
        return _error(400, str(exc))
    except (duckdb.Error, OSError) as exc:
        log.error("the request log could not be read: %s", exc)
        return _error(500, "the request log could not be read; the gateway's log says why")
    return web.json_response(body)


def _object(raw: bytes, allowed: tuple[str, ...]) -> dict[str, Any]:
    try:
        payload = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise BadParameter(f"the request body is not valid JSON: {exc}") from None
    if not isinstance(payload, dict):
        raise BadParameter(f"the request body must be a JSON object with {', '.join(allowed)}")
    unknown = sorted(set(payload) - set(allowed))
    if unknown:
        raise BadParameter(f"unknown fields: {', '.join(unknown)}; known: {', '.join(allowed)}")
    return payload


def _feedback(fields: dict[str, Any]) -> tuple[int | None, int | None, str | None]:
    """``feedback``, ``score`` and ``comment``; a null counts as not given."""
    feedback, score, comment = (fields.get(name) for name in _FEEDBACK_FIELDS)
    if feedback is None and score is None and comment is None:
        raise BadParameter("send at least one of feedback (-1 or 1), score (0 to 100) or comment")
    if feedback is not None and (not _is_int(feedback) or feedback not in (-1, 1)):
        raise BadParameter("feedback: expected -1 (thumbs down) or 1 (thumbs up)")
    if score is not None and (not _is_int(score) or not 0 <= score <= 100):
        raise BadParameter("score: expected a whole number from 0 to 100")
    if comment is not None and (not isinstance(comment, str) or len(comment) > MAX_COMMENT):
        raise BadParameter(f"comment: expected a string of at most {MAX_COMMENT} characters")
    return feedback, score, comment


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _error(status: int, message: str) -> web.Response:
    return error_response(_OPENAI, status, message)
