"""Runs a call through its stage chain and always accounts for it.

Whatever happens — a normal answer, a gateway-made error, an upstream failure, or the
client going away — the call ends as one ``Exchange`` handed to every observer.
"""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from gateway.call import Call
from gateway.errors import GatewayError, error_response
from gateway.logs.ids import uuid7
from gateway.pipeline import Next
from gateway.runtime import LOG_ID

log = logging.getLogger("weir")
CLIENT_CLOSED = 499  # nginx's convention for "the client closed the connection"


async def dispatch(call: Call, pipeline: Next) -> web.StreamResponse:
    runtime = call.runtime
    runtime.metrics.in_flight += 1
    if runtime.log_writer is not None and runtime.config.gateways[call.gateway].collect_logs:
        call.log_id = uuid7()
        call.request[LOG_ID] = call.log_id
    else:
        call.collect_log = False
    try:
        return await pipeline(call)
    except GatewayError as exc:
        call.status = exc.status
        call.error = exc.message
        response = error_response(call.error_family, exc.status, exc.message, exc.headers)
        call.mark_first_byte()
        return response
    except Exception:  # a defect: answer in the caller's format, never with a trace
        log.exception("unhandled error on %s %s", call.request.method, call.endpoint)
        call.status, call.error = 500, "internal gateway error"
        if call.streamed:
            raise  # the status line is gone; aiohttp closes the connection
        return error_response(call.error_family, 500, "internal gateway error; the request was not completed")
    except asyncio.CancelledError:
        call.error = "the client disconnected"
        if not call.status:
            call.status = CLIENT_CLOSED
        raise
    finally:
        runtime.metrics.in_flight -= 1
        call.settle_usage()
        runtime.publish(call.to_exchange())
