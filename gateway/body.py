"""The request-body stage: read the client's body within the size and time limits.

A client that sends its body too slowly gets 408; one over the limit gets 413, also
when the limit is only crossed after decompressing a ``Content-Encoding`` body.
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from gateway.call import Call
from gateway.codecs import BadEncoding, TooLarge, decode_body
from gateway.errors import GatewayError
from gateway.pipeline import Next


async def read_body(call: Call, next_: Next) -> web.StreamResponse:
    request = call.request
    runtime = call.runtime
    limit = runtime.config.limits.max_request_body
    if request.content_length is not None and request.content_length > limit:
        raise GatewayError(413, f"the request body is {request.content_length} bytes; the limit is {limit}")
    try:
        if request.content.is_eof():  # the whole body came with the headers: no wait, no timer
            call.body = await request.read()
        else:
            async with asyncio.timeout(runtime.config.timeouts.client_body):
                call.body = await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise GatewayError(413, f"the request body exceeds the limit of {limit} bytes") from None
    except TimeoutError:
        raise GatewayError(
            408, f"the request body did not arrive within {runtime.config.timeouts.client_body:g}s"
        ) from None
    encoding = request.headers.get("Content-Encoding")
    if encoding and call.body:
        try:
            decode_body(call.body, encoding, limit)
        except TooLarge:
            raise GatewayError(413, f"the request body exceeds the limit of {limit} bytes once decoded") from None
        except BadEncoding as exc:
            raise GatewayError(415 if "unsupported" in str(exc) else 400, str(exc)) from None
    return await next_(call)
