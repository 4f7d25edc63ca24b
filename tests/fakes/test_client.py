import aiohttp
from aiohttp import web

from gateway.sse import encode_event
from tests.fakes.client import payloads, read_sse
from tests.fakes.server import serve


async def test_read_sse_and_payloads() -> None:
    async def events(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        await response.prepare(request)
        await response.write(encode_event('{"a": 1}', event="x"))
        await response.write(b"data: [DONE]\n\n")
        return response

    app = web.Application()
    app.router.add_get("/", events)
    async with serve(app) as base_url, aiohttp.ClientSession() as session, session.get(base_url) as response:
        received = await read_sse(response)
    assert [(event.event, event.data) for event in received] == [("x", '{"a": 1}'), (None, "[DONE]")]
    assert payloads(received) == [{"a": 1}]
