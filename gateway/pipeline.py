"""The request flow as an ordered list of small async stages.

A stage takes the ``Call`` and the rest of the chain; it passes the call on, answers it
itself (cache hit, block, 429), or changes it. Every route's chain is assembled in
``gateway/routes.py``; this module only knows how to link stages together.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from aiohttp import web

from gateway.call import Call

Next = Callable[[Call], Awaitable[web.StreamResponse]]
Stage = Callable[[Call, Next], Awaitable[web.StreamResponse]]


def chain(stages: Sequence[Stage], terminal: Next) -> Next:
    handler = terminal
    for stage in reversed(stages):
        handler = _link(stage, handler)
    return handler


def _link(stage: Stage, next_: Next) -> Next:
    async def linked(call: Call) -> web.StreamResponse:
        return await stage(call, next_)

    return linked
