"""The speed half of the DLP evaluation: 4 KB prompt latency, long-input throughput,
and bounded time on pathological inputs (each in a child killed past a limit)."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Sequence
from queue import Empty
from typing import Any

from bench.dlp_corpus_load import long_input, pathological, prompt_4k
from policies import default_detectors
from policies.detectors.base import Detector
from policies.scan import scan_text

PATHOLOGICAL_LIMIT_S = 120.0


def _time_scan(text: str, detectors: Sequence[Detector]) -> float:
    start = time.perf_counter()
    scan_text(text, detectors)
    return time.perf_counter() - start


def latency_4k(detectors: Sequence[Detector], runs: int = 500) -> dict[str, float]:
    text = prompt_4k()
    for _ in range(20):
        scan_text(text, detectors)
    samples = sorted(_time_scan(text, detectors) for _ in range(runs))
    return {
        "bytes": len(text.encode()),
        "p50_ms": samples[len(samples) // 2] * 1e3,
        "p99_ms": samples[min(len(samples) - 1, int(len(samples) * 0.99))] * 1e3,
    }


def throughput(detectors: Sequence[Detector]) -> dict[str, float]:
    text = long_input()
    size = len(text.encode())
    seconds = _time_scan(text, detectors)
    return {"bytes": size, "seconds": seconds, "mb_per_s": size / 1e6 / seconds}


def _pathological_child(name: str, queue: Any) -> None:
    text = pathological()[name]
    detectors = default_detectors()
    quarter = _time_scan(text[: len(text) // 4], detectors)
    full = _time_scan(text, detectors)
    queue.put({"bytes": len(text.encode()), "seconds": full, "x4_ratio": full / quarter if quarter else None})


def pathological_times(limit_s: float = PATHOLOGICAL_LIMIT_S) -> dict[str, dict[str, Any]]:
    """Each input scanned at full size and at a quarter, in a child that is killed past ``limit_s``."""
    ctx = multiprocessing.get_context("fork")
    out: dict[str, dict[str, Any]] = {}
    for name in pathological():
        queue = ctx.Queue()
        child = ctx.Process(target=_pathological_child, args=(name, queue))
        child.start()
        child.join(limit_s)
        if child.is_alive():
            child.terminate()
            child.join()
            out[name] = {"timed_out_after_s": limit_s}
            continue
        try:
            out[name] = queue.get(timeout=5)
        except Empty:
            out[name] = {"error": f"child exited with {child.exitcode}"}
    return out


def pin_one_cpu() -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity)"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"
