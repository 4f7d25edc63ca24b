"""The one exception every translator raises for input it cannot translate.

The message always starts with the path of the offending field
(`messages[2].content[0].type: unsupported content part "input_audio"`), so the gateway
can hand it to the client as a 400 without knowing which translator raised it.
"""

from __future__ import annotations


class TranslationError(ValueError):
    """A request or response that cannot be mapped to the other format."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}" if path else problem)
        self.path = path
        self.problem = problem


class UpstreamError(Exception):
    """A complete (non-streamed) upstream reply that reports a failure inside a 200.

    Cohere can finish a generation with `finish_reason: "ERROR"`; relaying that as a
    successful completion would hide it from retries and fallbacks. `body` is already in
    OpenAI's error shape so the gateway can send it as is with `status`.
    """

    def __init__(self, status: int, body: dict[str, object]) -> None:
        super().__init__(f"upstream error {status}")
        self.status = status
        self.body = body
