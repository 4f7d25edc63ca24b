import aiohttp
import pytest
from aiohttp import web

from tests.fakes.server import serve


async def test_serve_runs_the_app_on_a_free_port_then_stops() -> None:
    async def hello(request: web.Request) -> web.Response:
        return web.Response(text="hi")

    app = web.Application()
    app.router.add_get("/", hello)
    async with serve(app) as base_url, aiohttp.ClientSession() as session:
        assert base_url.startswith("http://127.0.0.1:")
        async with session.get(base_url + "/") as response:
            assert await response.text() == "hi"
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.ClientConnectionError):
            await session.get(base_url + "/")
