"""``weir serve`` and ``weir check-config`` as a user runs them, in a subprocess."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

WEIR = [sys.executable, "-m", "gateway.cli"]
# The repository root on the path, so the command also runs from another directory.
ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(port: int, process: subprocess.Popen[bytes], timeout: float = 20) -> bytes:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read() if process.stderr else b""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
                return bytes(response.read())
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the gateway never answered /healthz")


def test_check_config_accepts_and_names_the_broken_key(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text('[providers.custom-vllm]\nbase_url = "http://127.0.0.1:8000/v1"\n')
    ok = subprocess.run([*WEIR, "check-config", str(good)], capture_output=True, text=True, check=False)
    assert ok.returncode == 0 and "ok" in ok.stdout
    bad = tmp_path / "bad.toml"
    bad.write_text("[timeouts]\nconnect = 60\n")
    broken = subprocess.run([*WEIR, "check-config", str(bad)], capture_output=True, text=True, check=False)
    assert broken.returncode == 2
    assert broken.stderr.strip() == f'weir: {bad}: timeouts.connect: expected a duration like "60s", got 60'


def test_serve_refuses_a_bad_config_without_a_trace(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[server]\nprot = 1\n")
    result = subprocess.run([*WEIR, "serve", "--config", str(bad)], capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert "server.prot: unknown key" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_starts_on_the_embedded_default_and_stops_cleanly(tmp_path: Path, workers: int) -> None:
    port = free_port()
    process = subprocess.Popen(
        [*WEIR, "serve", "--port", str(port), "--workers", str(workers)], cwd=tmp_path, env=ENV, stderr=subprocess.PIPE
    )
    try:
        assert wait_healthy(port, process) == b'{"status": "ok"}'
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as response:
            assert response.status == 200
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=15)
    assert process.returncode in (0, -signal.SIGINT)
