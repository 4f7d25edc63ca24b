"""A throwaway ``redis-server`` for the tests of ``[state] backend = "redis"``.

``running_redis()`` starts one on a free loopback port with no persistence, in its own
temporary directory, waits until it answers PING, yields its URL and stops it after.
The binary is ``$WEIR_REDIS_SERVER``, else ``redis-server`` on PATH, else the one
``scripts/install-redis.sh`` unpacked into ``.venv/redis`` (``make test`` runs it).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

HOST = "127.0.0.1"
REPO = Path(__file__).resolve().parents[1]
INSTALLED = REPO / ".venv" / "redis" / "bin" / "redis-server"
READY_WITHIN_S = 30.0
STOP_WITHIN_S = 10.0


def find_redis_server() -> str | None:
    configured = os.environ.get("WEIR_REDIS_SERVER")
    if configured:
        return configured
    on_path = shutil.which("redis-server")
    if on_path is not None:
        return on_path
    return str(INSTALLED) if os.access(INSTALLED, os.X_OK) else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _answers_ping(port: int) -> bool:
    with suppress(OSError), socket.create_connection((HOST, port), timeout=1) as sock:
        sock.sendall(b"PING\r\n")
        return sock.recv(64).startswith(b"+PONG")
    return False


@contextmanager
def running_redis(binary: str) -> Iterator[str]:
    """Yield ``redis://HOST:PORT/0`` of a fresh server; it is killed on the way out."""
    with tempfile.TemporaryDirectory(prefix="weir-redis-") as scratch:
        port = _free_port()
        output = Path(scratch) / "redis.log"
        args = [binary, "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no", "--dir", scratch]
        with output.open("wb") as sink:
            process = subprocess.Popen(args, cwd=scratch, stdout=sink, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + READY_WITHIN_S
            while not _answers_ping(port):
                if process.poll() is not None or time.monotonic() > deadline:
                    tail = output.read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"redis-server ({binary}) did not start on port {port}:\n{tail}")
                time.sleep(0.05)
            yield f"redis://{HOST}:{port}/0"
        finally:
            process.terminate()
            try:
                process.wait(timeout=STOP_WITHIN_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=STOP_WITHIN_S)
