"""Injected upstream faults: the ``Fault`` value, the per-fake ``FaultScript`` queue, and
the ``x-fake-fault`` request-header syntax.

A fake takes the fault for a request from the ``x-fake-fault`` header when the request
carries one (the script is then left untouched), otherwise it pops the next fault from
its script; with neither, the request is served normally. The header lets a test inject
a fault *through* the gateway, which must relay client headers upstream.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

FAULT_HEADER = "x-fake-fault"
_TRUE = frozenset({"", "1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


class FaultHeaderError(ValueError):
    """An ``x-fake-fault`` header that does not parse; the fake answers 400 with this text."""


@dataclass(frozen=True, slots=True)
class Fault:
    """How a fake misbehaves for one request. The default value is "behave normally".

    ``status``: answer with this status and the provider's own error body (429 also sets
    ``retry-after`` to ``retry_after`` seconds). ``first_byte_delay``: seconds to wait
    before the status line. ``chunk_delay``: seconds between stream chunks.
    ``reset_after_chunks``: abort the connection after that many stream chunks, never
    sending the terminal event (a non-streamed response is aborted before any byte).
    ``drop_terminal``: end the stream cleanly but without its terminal event.
    ``redirect_to``: answer 307 with this ``Location``. ``gzip``: gzip a non-streamed
    JSON body when the client accepts gzip.
    """

    status: int | None = None
    retry_after: float = 1.0
    first_byte_delay: float = 0.0
    chunk_delay: float = 0.0
    reset_after_chunks: int | None = None
    drop_terminal: bool = False
    redirect_to: str | None = None
    gzip: bool = False


NO_FAULT = Fault()
_FIELDS = {field.name: field for field in dataclasses.fields(Fault)}


class FaultScript:
    """A FIFO of faults for the next requests, in arrival order."""

    __slots__ = ("_queue",)

    def __init__(self, faults: Iterable[Fault] = ()) -> None:
        self._queue: deque[Fault] = deque(faults)

    def push(self, *faults: Fault) -> None:
        self._queue.extend(faults)

    def pop(self) -> Fault:
        """The next scripted fault, or ``NO_FAULT`` once the script is exhausted."""
        return self._queue.popleft() if self._queue else NO_FAULT

    def clear(self) -> None:
        self._queue.clear()

    def __len__(self) -> int:
        return len(self._queue)


def parse_fault_header(value: str) -> Fault:
    """``status=429;retry_after=2`` → ``Fault(status=429, retry_after=2.0)``.

    A bare boolean key (``drop_terminal``) means true; ``none`` clears an optional field.
    """
    values: dict[str, object] = {}
    for item in value.split(";"):
        item = item.strip()
        if not item:
            continue
        key, _, raw = item.partition("=")
        key, raw = key.strip(), raw.strip()
        if key not in _FIELDS:
            raise FaultHeaderError(f"{FAULT_HEADER}: unknown key {key!r}; expected one of {', '.join(_FIELDS)}")
        values[key] = _convert(key, raw)
    return Fault(**values)  # type: ignore[arg-type]


def encode_fault_header(fault: Fault) -> str:
    """The header value for ``fault`` (only the fields that differ from the default)."""
    parts = []
    for name in _FIELDS:
        value = getattr(fault, name)
        if value != getattr(NO_FAULT, name):
            parts.append(f"{name}={str(value).lower() if isinstance(value, bool) else value}")
    return ";".join(parts)


def fault_headers(fault: Fault) -> dict[str, str]:
    """Request headers that make a fake apply ``fault`` (e.g. an SDK's ``extra_headers``)."""
    return {FAULT_HEADER: encode_fault_header(fault)}


def _convert(key: str, raw: str) -> object:
    default = getattr(NO_FAULT, key)
    if isinstance(default, bool):
        if raw.lower() in _TRUE | _FALSE:
            return raw.lower() in _TRUE
        raise FaultHeaderError(f"{FAULT_HEADER}: {key}={raw!r} is not a boolean; use true or false")
    if raw.lower() == "none" and default is None:
        return None
    if key in ("status", "reset_after_chunks"):
        if raw.isdigit():
            return int(raw)
        raise FaultHeaderError(f"{FAULT_HEADER}: {key}={raw!r} is not a non-negative integer")
    if isinstance(default, float):
        try:
            return float(raw)
        except ValueError:
            raise FaultHeaderError(f"{FAULT_HEADER}: {key}={raw!r} is not a number of seconds") from None
    return raw
