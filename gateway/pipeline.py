"""The request flow as an ordered list of small async stages.

A stage takes the ``Call`` and the rest of the chain; it passes the call on, answers it
itself (cache hit, block, 429), or changes it. Every route's chain is assembled in
``gateway/routes.py``; this module only knows how to link stages together.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from typing import Protocol

from aiohttp import web

from gateway.call import Call

Next = Callable[[Call], Awaitable[web.StreamResponse]]


class Stage(Protocol):
    async def __call__(self, call: Call, next_: Next) -> web.StreamResponse: ...


def chain(stages: Sequence[Stage], terminal: Next) -> Next:
    handler = terminal
    for stage in reversed(stages):
        handler = partial(stage, next_=handler)  # a C-level call, not one more Python frame
    return handler
