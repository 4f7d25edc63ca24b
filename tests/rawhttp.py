"""Raw HTTP/1.1 over a socket, for requests no well-behaved client library will send
(unnormalised paths, conflicting framing, a body that trickles in)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from yarl import URL


@dataclass
class RawResponse:
    status: int
    head: str
    body: bytes


async def raw_request(base: str, data: bytes, timeout: float = 5.0) -> RawResponse:
    """Send ``data`` as-is on a fresh connection and read the reply until the server closes
    or one Content-Length response is complete."""
    url = URL(base)
    reader, writer = await asyncio.open_connection(url.host, url.port)
    try:
        writer.write(data)
        await writer.drain()
        async with asyncio.timeout(timeout):
            head = await reader.readuntil(b"\r\n\r\n")
            text = head.decode("latin-1")
            length = next(
                (
                    int(line.split(":", 1)[1])
                    for line in text.split("\r\n")
                    if line.lower().startswith("content-length:")
                ),
                None,
            )
            body = await reader.readexactly(length) if length is not None else await reader.read()
    finally:
        writer.close()
    return RawResponse(int(text.split(" ", 2)[1]), text, body)


async def closed_by_server(reader: asyncio.StreamReader, timeout: float) -> bool:
    """True when the server closes the connection (EOF or reset) within ``timeout``."""
    try:
        async with asyncio.timeout(timeout):
            while await reader.read(1024):
                pass
        return True
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False
