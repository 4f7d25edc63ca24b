"""The DLP stage: inspect what the client sends, and what the provider answers, under
the gateway's policy (the ``policies`` library does the inspecting; this module is the
HTTP side of it).

A ``block`` answers 403 in the caller's error format, naming the policy and the entry,
never the matched value. A ``redact`` rewrites the JSON body before it goes on (the
provider then receives a plain, uncompressed body). Every finding is kept on the call
for the request log, without the matched text.
"""

from __future__ import annotations

from typing import Any

import orjson
from aiohttp import web

from gateway.call import Call
from gateway.codecs import BadEncoding, TooLarge, decode_body
from gateway.errors import GatewayError
from gateway.pipeline import Next
from policies.inspector import Inspection, Located
from policies.policy import ACTION_RANK, Context
from policies.redact import Placeholders


async def inspect_request(call: Call, next_: Next) -> web.StreamResponse:
    inspector = call.runtime.inspector
    if inspector is None:
        return await next_(call)
    body = call.payload if call.payload is not None else _request_body(call)
    if body is None:
        return await next_(call)
    if isinstance(body, str):  # a text body: inspected as one segment
        inspection = inspector.inspect_text(body, context(call, "request", None))
    else:
        inspection = inspector.inspect(body, context(call, "request", body))
    if inspection.located:
        record(call, inspection, "request")
        if inspection.action == "block":
            raise GatewayError(403, blocked_message(inspection.blocking, "request"))
        if inspection.action == "redact":
            redacted = inspector.redacted(body, inspection, Placeholders())
            if call.payload is not None:
                call.payload = redacted
            else:
                call.body = redacted.encode() if isinstance(redacted, str) else orjson.dumps(redacted)
                call.body_rewritten = True
    return await next_(call)


def context(call: Call, direction: str, body: Any) -> Context:
    model = call.model
    if model is None and isinstance(body, dict) and isinstance(body.get("model"), str):
        model = body["model"]
    provider = call.provider.name if call.provider is not None else None
    return Context(call.identity, call.gateway, provider, model, "request" if direction == "request" else "response")


def record(call: Call, inspection: Inspection, direction: str) -> None:
    call.findings.extend({**finding, "direction": direction} for finding in inspection.findings())
    if ACTION_RANK[inspection.action] > ACTION_RANK[call.dlp_action]:  # type: ignore[index]
        call.dlp_action = inspection.action


def blocked_message(located: Located | None, direction: str) -> str:
    if located is None:
        return f"the {direction} was blocked by policy"
    f = located.finding
    return (
        f"the {direction} was blocked by Weir policy {located.rule!r}: it contains {f.entry} "
        f"({f.topic}, {f.level.name.lower()} confidence)"
    )


def _request_body(call: Call) -> Any:
    """The request body as JSON; as text when it is not JSON but is UTF-8; else None
    (binary uploads pass this stage; the provider sees them as sent)."""
    if not call.body:
        return None
    limit = call.runtime.config.limits.max_request_body
    try:
        raw = decode_body(call.body, call.request.headers.get("Content-Encoding"), limit)
    except (BadEncoding, TooLarge):
        return None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        pass
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def inspect_response(call: Call, raw: bytes, encoding: str | None) -> bytes | None:
    """Inspect a whole (non-streamed) JSON response. Returns a replacement body when it
    was redacted (plain JSON, to be sent without Content-Encoding), None when unchanged;
    raises ``GatewayError`` 403 when a finding blocks it."""
    inspector = call.runtime.inspector
    if inspector is None or not call.runtime.config.dlp.inspect_responses or not raw:
        return None
    try:
        body = orjson.loads(decode_body(raw, encoding, call.runtime.config.limits.max_response_body))
    except (BadEncoding, TooLarge, orjson.JSONDecodeError):
        return None
    if call.provider is not None and call.usage.model is None:
        # The body is parsed here anyway: read usage now rather than parse it again later.
        call.usage = call.provider.family.usage_from_json(body)
    inspection = inspector.inspect(body, context(call, "response", body))
    if not inspection.located:
        return None
    record(call, inspection, "response")
    if inspection.action == "block":
        raise GatewayError(403, blocked_message(inspection.blocking, "response"))
    if inspection.action == "redact":
        return orjson.dumps(inspector.redacted(body, inspection, Placeholders()))
    return None
