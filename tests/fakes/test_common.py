import asyncio
import gzip
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from tests.fakes.common import Exchange, ProviderFake, bearer_token
from tests.fakes.faults import FAULT_HEADER, Fault
from tests.fakes.server import serve

AUTH = {"Authorization": "Bearer k"}
CHUNKS = [b"one\n", b"two\n", b"three\n"]


class TinyFake(ProviderFake):
    """The smallest provider: a JSON route and a streamed route, errors as {"err": …}."""

    request_id_header = "x-tiny-id"
    request_id_prefix = "tiny_"

    def add_routes(self) -> None:
        self.route("POST", "/echo", self._echo, required=("model",))
        self.route("POST", "/stream", self._stream)
        self.route("GET", "/ping", self._echo)

    def error(self, status: int, message: str | None = None, *, param: str | None = None) -> web.Response:
        return web.json_response({"err": message or f"status {status}", "param": param}, status=status)

    def credential(self, request: web.Request) -> str | None:
        return bearer_token(request)

    def reject_credential(self, key: str | None) -> web.Response:
        return self.error(401, "missing key" if key is None else "bad key")

    async def _echo(self, exchange: Exchange) -> web.StreamResponse:
        return self.json_response(exchange, {"body": exchange.body, "digest": exchange.digest})

    async def _stream(self, exchange: Exchange) -> web.StreamResponse:
        return await self.stream(exchange, CHUNKS, [b"END\n"], unterminated=[b"tail\n"])


@pytest.fixture
async def tiny() -> AsyncIterator[tuple[TinyFake, str, aiohttp.ClientSession]]:
    fake = TinyFake(api_keys={"k"})
    async with serve(fake.app) as base_url, aiohttp.ClientSession() as session:
        yield fake, base_url, session


Tiny = tuple[TinyFake, str, aiohttp.ClientSession]


async def _post(tiny: Tiny, path: str, body: Any, **headers: str) -> aiohttp.ClientResponse:
    _, base_url, session = tiny
    response = await session.post(base_url + path, json=body, headers={**AUTH, **headers}, allow_redirects=False)
    await response.read()
    return response


async def test_records_every_request_raw(tiny: Tiny) -> None:
    fake, base_url, session = tiny
    headers = [("Authorization", "Bearer k"), ("X-Dup", "1"), ("X-Dup", "2")]
    async with session.post(base_url + "/echo?x=1&y=%20", data=b'{"model":"m"}', headers=headers):
        pass
    async with session.get(base_url + "/nowhere"):
        pass
    first, second = fake.requests
    assert (first.method, first.path, first.body) == ("POST", "/echo?x=1&y=%20", b'{"model":"m"}')
    assert first.headers.getall("x-dup") == ["1", "2"]
    assert first.json() == {"model": "m"}
    assert (second.method, second.path) == ("GET", "/nowhere")


async def test_auth_json_and_required_fields(tiny: Tiny) -> None:
    _, base_url, session = tiny
    async with session.post(base_url + "/echo", json={"model": "m"}) as response:
        assert (response.status, await response.json()) == (401, {"err": "missing key", "param": None})
    async with session.post(base_url + "/echo", json={"model": "m"}, headers={"Authorization": "Bearer x"}) as response:
        assert (await response.json())["err"] == "bad key"
    response = await _post(tiny, "/echo", {})
    assert (response.status, (await response.json())["param"]) == (400, "model")
    async with session.post(base_url + "/echo", data=b"{nope", headers=AUTH) as response:
        assert response.status == 400
        assert "could not parse the JSON body" in (await response.json())["err"]
    response = await _post(tiny, "/echo", {"model": "m", "stream": True})
    assert response.status == 200


async def test_ids_are_deterministic_and_stamped(tiny: Tiny) -> None:
    first = await _post(tiny, "/echo", {"model": "m"})
    second = await _post(tiny, "/echo", {"model": "m", "stream": False})
    other = await _post(tiny, "/echo", {"model": "n"})
    assert (await first.json())["digest"] == (await second.json())["digest"] != (await other.json())["digest"]
    assert first.headers["x-tiny-id"] == second.headers["x-tiny-id"] != other.headers["x-tiny-id"]
    assert first.headers["x-tiny-id"].startswith("tiny_")
    unauthorised = await tiny[2].post(tiny[1] + "/echo", json={})
    assert "x-tiny-id" in unauthorised.headers


async def test_scripted_status_fault_uses_provider_shape_and_retry_after(tiny: Tiny) -> None:
    fake = tiny[0]
    fake.faults.push(Fault(status=429, retry_after=2), Fault(status=500))
    limited = await _post(tiny, "/echo", {"model": "m"})
    assert (limited.status, limited.headers["retry-after"]) == (429, "2")
    assert await limited.json() == {"err": "status 429", "param": None}
    failed = await _post(tiny, "/echo", {"model": "m"})
    assert failed.status == 500 and "retry-after" not in failed.headers
    assert (await _post(tiny, "/echo", {"model": "m"})).status == 200


async def test_header_fault_wins_and_leaves_script_alone(tiny: Tiny) -> None:
    fake = tiny[0]
    fake.faults.push(Fault(status=500))
    response = await _post(tiny, "/echo", {"model": "m"}, **{FAULT_HEADER: "status=503"})
    assert response.status == 503
    assert len(fake.faults) == 1
    bad = await _post(tiny, "/echo", {"model": "m"}, **{FAULT_HEADER: "sttaus=1"})
    assert bad.status == 400 and "unknown key 'sttaus'" in (await bad.json())["err"]


async def test_fault_precedes_auth(tiny: Tiny) -> None:
    _, base_url, session = tiny
    async with session.get(base_url + "/ping", headers={FAULT_HEADER: "status=429"}) as response:
        assert response.status == 429


async def test_first_byte_delay_holds_the_status_line(tiny: Tiny) -> None:
    _, base_url, session = tiny
    slow = aiohttp.ClientTimeout(sock_read=0.05)
    with pytest.raises(asyncio.TimeoutError):
        await session.get(base_url + "/ping", headers={**AUTH, FAULT_HEADER: "first_byte_delay=0.3"}, timeout=slow)
    async with session.get(base_url + "/ping", headers=AUTH, timeout=slow) as response:
        assert response.status == 200


async def test_redirect(tiny: Tiny) -> None:
    response = await _post(tiny, "/echo", {"model": "m"}, **{FAULT_HEADER: "redirect_to=http://elsewhere/echo"})
    assert (response.status, response.headers["Location"]) == (307, "http://elsewhere/echo")


async def test_gzip_only_when_accepted(tiny: Tiny) -> None:
    _, base_url, session = tiny
    headers = {**AUTH, FAULT_HEADER: "gzip", "Accept-Encoding": "gzip"}
    async with session.post(
        base_url + "/echo", json={"model": "m"}, headers=headers, auto_decompress=False
    ) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert json.loads(gzip.decompress(await response.read()))["body"] == {"model": "m"}
    headers["Accept-Encoding"] = "identity"
    async with session.post(base_url + "/echo", json={"model": "m"}, headers=headers) as response:
        assert "Content-Encoding" not in response.headers
        assert (await response.json())["body"] == {"model": "m"}


async def test_stream_writes_chunks_then_terminal(tiny: Tiny) -> None:
    response = await _post(tiny, "/stream", {})
    assert await response.read() == b"one\ntwo\nthree\nEND\n"
    dropped = await _post(tiny, "/stream", {}, **{FAULT_HEADER: "drop_terminal"})
    assert await dropped.read() == b"one\ntwo\nthree\ntail\n"


@pytest.mark.parametrize(("after", "expected"), [(0, b""), (2, b"one\ntwo\n"), (9, b"one\ntwo\nthree\n")])
async def test_stream_reset_aborts_before_the_terminal(tiny: Tiny, after: int, expected: bytes) -> None:
    _, base_url, session = tiny
    received = b""
    headers = {**AUTH, FAULT_HEADER: f"reset_after_chunks={after}"}
    with pytest.raises(aiohttp.ClientPayloadError):
        async with session.post(base_url + "/stream", json={}, headers=headers) as response:
            async for chunk in response.content.iter_any():
                received += chunk
    assert received == expected


async def test_reset_on_a_plain_response_drops_the_connection(tiny: Tiny) -> None:
    _, base_url, session = tiny
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await session.post(
            base_url + "/echo", json={"model": "m"}, headers={**AUTH, FAULT_HEADER: "reset_after_chunks=0"}
        )


async def test_chunk_delay_paces_the_stream(tiny: Tiny) -> None:
    _, base_url, session = tiny
    headers = {**AUTH, FAULT_HEADER: "chunk_delay=0.3"}
    async with session.post(base_url + "/stream", json={}, headers=headers) as response:
        assert await response.content.readline() == b"one\n"
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(response.content.readline(), 0.05)
