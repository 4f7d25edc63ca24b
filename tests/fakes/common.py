"""The machinery every provider fake shares: request recording, fault application,
authentication and JSON parsing around each route, and the two ways of answering (a JSON
body, optionally gzipped; a stream written chunk by chunk with delays, resets and a
droppable terminal event). A provider fake subclasses ``ProviderFake`` and supplies only
its wire format: routes, error shape, credential check and payloads.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from aiohttp import web
from multidict import CIMultiDict

from tests.fakes.content import content_digest
from tests.fakes.faults import FAULT_HEADER, Fault, FaultHeaderError, FaultScript, parse_fault_header

JSON_CONTENT_TYPE = "application/json"
SSE_CONTENT_TYPE = "text/event-stream; charset=utf-8"
_REQUEST_ID = web.RequestKey("fake_request_id", str)


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One request exactly as it reached the fake."""

    method: str
    path: str  # raw path with the query string
    headers: CIMultiDict[str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True, slots=True)
class Exchange:
    """What a route handler gets: the request, its fault, its parsed JSON body, and the
    digest of that body that all ids derive from."""

    request: web.Request
    fault: Fault
    body: dict[str, Any] = field(default_factory=dict)
    digest: str = ""


Handler = Callable[[Exchange], Awaitable[web.StreamResponse]]


class ProviderFake(ABC):
    """An aiohttp application that speaks one provider's API.

    ``app`` is the application to serve; ``faults`` is the script of injected faults;
    ``requests`` lists every request received (unknown paths included). With
    ``api_keys`` given, only those credentials are accepted; otherwise any non-empty one.
    """

    request_id_header: ClassVar[str]
    request_id_prefix: ClassVar[str]

    def __init__(self, *, api_keys: Collection[str] | None = None) -> None:
        self.faults = FaultScript()
        self.requests: list[RecordedRequest] = []
        self.api_keys = frozenset(api_keys) if api_keys is not None else None
        self.app = web.Application(middlewares=[self._record])
        self.app.on_response_prepare.append(self._stamp_request_id)
        self.add_routes()

    # -- what a provider supplies -------------------------------------------------------

    @abstractmethod
    def add_routes(self) -> None: ...

    @abstractmethod
    def error(self, status: int, message: str | None = None, *, param: str | None = None) -> web.Response:
        """The provider's error response; ``message`` None means its usual text for ``status``."""

    @abstractmethod
    def credential(self, request: web.Request) -> str | None:
        """The API key the request presents, or None."""

    @abstractmethod
    def reject_credential(self, key: str | None) -> web.Response:
        """The provider's answer to a missing (None) or unknown key."""

    def check_request(self, request: web.Request) -> web.Response | None:
        """Provider checks beyond the key (e.g. a required version header)."""
        return None

    # -- routing ------------------------------------------------------------------------

    def route(self, method: str, path: str, handler: Handler, *, required: Sequence[str] = ()) -> None:
        """Serve ``handler`` at ``path`` behind faults, auth and (for POST) JSON parsing;
        a body lacking a ``required`` key gets the provider's 400 naming it."""

        async def endpoint(request: web.Request) -> web.StreamResponse:
            try:
                header = request.headers.get(FAULT_HEADER)
                fault = parse_fault_header(header) if header is not None else self.faults.pop()
            except FaultHeaderError as exc:
                return self.error(400, str(exc))
            if fault.first_byte_delay > 0:
                await asyncio.sleep(fault.first_byte_delay)
            if fault.redirect_to is not None:
                return web.Response(status=307, headers={"Location": fault.redirect_to})
            if fault.status is not None:
                return self.fault_error(fault)
            key = self.credential(request)
            if not key or (self.api_keys is not None and key not in self.api_keys):
                return self.reject_credential(key or None)
            refused = self.check_request(request)
            if refused is not None:
                return refused
            body: dict[str, Any] = {}
            if method == "POST":
                try:
                    parsed = json.loads(await request.read())
                except ValueError as exc:
                    return self.error(400, f"We could not parse the JSON body of your request: {exc}")
                if not isinstance(parsed, dict):
                    return self.error(400, "The request body must be a JSON object.")
                body = parsed
                missing = next((name for name in required if name not in body), None)
                if missing is not None:
                    return self.error(400, param=missing)
            digest = content_digest(body, scope=request.match_info.get("model", ""))
            request[_REQUEST_ID] = self.request_id_prefix + digest[:24]
            return await handler(Exchange(request=request, fault=fault, body=body, digest=digest))

        self.app.router.add_route(method, path, endpoint)

    def fault_error(self, fault: Fault) -> web.Response:
        assert fault.status is not None
        response = self.error(fault.status)
        if fault.status == 429:
            response.headers["retry-after"] = f"{fault.retry_after:g}"
        return response

    # -- answering ----------------------------------------------------------------------

    def json_response(self, exchange: Exchange, payload: object, *, status: int = 200) -> web.Response:
        """A JSON answer, gzipped under a ``gzip`` fault when the client accepts it; a
        ``reset_after_chunks`` fault aborts the connection before anything is sent."""
        if exchange.fault.reset_after_chunks is not None:
            _abort(exchange.request)
            return web.Response()
        body = json.dumps(payload).encode()
        headers = {"Content-Type": JSON_CONTENT_TYPE}
        if exchange.fault.gzip and "gzip" in exchange.request.headers.get("Accept-Encoding", "").lower():
            body = gzip.compress(body, mtime=0)
            headers["Content-Encoding"] = "gzip"
        return web.Response(status=status, body=body, headers=headers)

    async def stream(
        self,
        exchange: Exchange,
        chunks: Sequence[bytes],
        terminal: Sequence[bytes],
        *,
        unterminated: Sequence[bytes] = (),
        content_type: str = SSE_CONTENT_TYPE,
    ) -> web.StreamResponse:
        """Write ``chunks`` then ``terminal``, one ``write()`` each so every chunk reaches
        the wire on its own. ``drop_terminal`` swaps ``terminal`` for ``unterminated``;
        ``reset_after_chunks=N`` aborts after N chunks, before the terminal at the latest."""
        fault = exchange.fault
        response = web.StreamResponse(status=200, headers={"Content-Type": content_type, "Cache-Control": "no-cache"})
        await response.prepare(exchange.request)
        pieces = [*chunks, *(unterminated if fault.drop_terminal else terminal)]
        if fault.reset_after_chunks is not None:
            pieces = pieces[: min(fault.reset_after_chunks, len(chunks))]
        try:
            for index, piece in enumerate(pieces):
                if index and fault.chunk_delay > 0:
                    await asyncio.sleep(fault.chunk_delay)
                await response.write(piece)
        except ConnectionResetError:
            # The client hung up mid-stream (a gateway cancelling upstream, say): what a
            # real provider sees too, so not an error of the fake's.
            return response
        if fault.reset_after_chunks is not None:
            _abort(exchange.request)
            return response
        await response.write_eof()
        return response

    # -- middleware and signals ---------------------------------------------------------

    @web.middleware
    async def _record(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        body = await request.read()
        self.requests.append(
            RecordedRequest(
                method=request.method, path=request.raw_path, headers=CIMultiDict(request.headers), body=body
            )
        )
        digest = hashlib.sha256(f"{request.method} {request.raw_path}".encode() + body).hexdigest()
        request[_REQUEST_ID] = self.request_id_prefix + digest[:24]
        return await handler(request)

    async def _stamp_request_id(self, request: web.Request, response: web.StreamResponse) -> None:
        request_id = request.get(_REQUEST_ID)
        if request_id is not None and self.request_id_header not in response.headers:
            response.headers[self.request_id_header] = request_id


def _abort(request: web.Request) -> None:
    transport = request.transport
    if transport is not None:
        transport.abort()


def bearer_token(request: web.Request) -> str | None:
    """The token of an ``Authorization: Bearer …`` header, or None."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def json_line(payload: Mapping[str, Any] | Sequence[Any]) -> str:
    """Compact JSON, as providers put it on one SSE ``data:`` line."""
    return json.dumps(payload, separators=(",", ":"))
