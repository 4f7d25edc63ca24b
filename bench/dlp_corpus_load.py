"""Inputs for the speed figures: a realistic 4 KB prompt, ~10 MB of mixed prose and code, and
the pathological inputs that catch super-linear patterns.

All are deterministic for a seed. The 4 KB prompt is what a developer pastes into a chat: a
question, a stack trace, a code block and a config holding one key and one email address, so
the detectors do real work on it; the long input is benign so it measures the scanning floor.
"""

from __future__ import annotations

import random

from bench import dlp_corpus_code as code
from bench import dlp_corpus_keys as keys
from bench import dlp_corpus_values as values
from bench.dlp_corpus_base import Gen
from bench.dlp_corpus_benign_text import PROSE, prose

PROMPT_BYTES = 4096
LONG_BYTES = 10_000_000

_TRACE = (
    "Traceback (most recent call last):\n"
    '  File "/srv/app/worker.py", line 88, in run\n'
    "    batch = self.fetch_batch(limit=500)\n"
    '  File "/srv/app/worker.py", line 121, in fetch_batch\n'
    "    rows = self.session.execute(stmt).all()\n"
    "sqlalchemy.exc.OperationalError: (psycopg.OperationalError) connection timeout expired\n"
)


def prompt_4k(seed: int = 7) -> str:
    """A 4,096-character developer prompt: prose, a trace, code, and a config with a key and an email."""
    g = Gen(seed)
    parts = [
        "Hi, I'm stuck on a production issue and would love a second pair of eyes. " + prose(g, "en", 4),
        "Here is the stack trace from the worker:\n" + _TRACE,
        "And the relevant code:\n```python\n" + "\n".join(code.code(g, s) for s in code.SNIPPETS[:3]) + "```",
        "Config (staging):\n"
        f"storage:\n  bucket: exports-staging\n  access_key_id: {keys.aws_access_key(g)}\n"
        f"  secret_access_key: {keys.aws_secret_key(g)}\nalerts:\n  email: {values.email(g)}\n",
        "What I've tried: " + prose(g, "en", 6),
    ]
    text = "\n\n".join(parts)
    while len(text) < PROMPT_BYTES:
        text += " " + prose(g, "en", 1)
    return text[:PROMPT_BYTES]


def long_input(seed: int = 11, size: int = LONG_BYTES) -> str:
    """``size`` characters of benign prose in seven languages interleaved with code pastes."""
    g = Gen(seed)
    langs = list(PROSE)
    chunks: list[str] = []
    total = 0
    while total < size:
        chunk = prose(g, g.pick(langs), g.rng.randint(3, 8)) + "\n\n"
        if g.chance(0.4):
            chunk += "```\n" + code.code(g, g.pick(code.SNIPPETS)) + "```\n\n"
        chunks.append(chunk)
        total += len(chunk)
    return "".join(chunks)[:size]


def pathological() -> dict[str, str]:
    """Inputs that make backtracking or quadratic detectors blow up, by name."""
    brackets = 1_000_000 // 6
    return {
        "10 MB of 'a'": "a" * 10_000_000,
        "1 MB of nested brackets": "([{" * brackets + "}])" * brackets,
        "1 MB of digits": bytes(48 + b % 10 for b in random.Random(5).randbytes(1_000_000)).decode(),
        "1 MB of '-'": "-" * 1_000_000,
        "1 MB of 'sk-' repeated": "sk-" * 333_334,
    }
