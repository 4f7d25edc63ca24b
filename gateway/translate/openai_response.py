"""Building the unified (OpenAI) replies: completions, stream chunks, usage, errors, embeddings.

Every provider translation ends in the same OpenAI shapes, so they are assembled here
once. The shapes follow OpenAI's own wire output field for field (`object`,
`logprobs: null`, `usage` details) because SDKs and tools parse them strictly.
"""

from __future__ import annotations

import base64
import struct
from collections.abc import Sequence
from typing import Any

# An HTTP status picks the error `type`, as OpenAI's own API does; clients branch on it.
_ERROR_TYPES: dict[int, str] = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
}


def error_type_for_status(status: int) -> str:
    if status >= 500:
        return "api_error"
    return _ERROR_TYPES.get(status, "invalid_request_error")


def error_body(status: int, message: str, *, code: str | None = None, param: str | None = None) -> dict[str, Any]:
    return {
        "error": {
            "message": message,
            "type": error_type_for_status(status),
            "param": param,
            "code": code,
        }
    }


def usage(
    prompt_tokens: int,
    completion_tokens: int,
    *,
    cached_tokens: int | None = None,
    reasoning_tokens: int | None = None,
) -> dict[str, Any]:
    """OpenAI's usage object; the detail objects appear only when the upstream reports them."""
    result: dict[str, Any] = {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }
    if cached_tokens is not None:
        result["prompt_tokens_details"] = {"cached_tokens": cached_tokens}
    if reasoning_tokens is not None:
        result["completion_tokens_details"] = {"reasoning_tokens": reasoning_tokens}
    return result


def tool_call(call_id: str, name: str, arguments: str) -> dict[str, Any]:
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}}


def assistant_message(content: str | None, tool_calls: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": content, "refusal": None}
    if tool_calls:
        message["tool_calls"] = list(tool_calls)
    return message


def choice(index: int, message: dict[str, Any], finish_reason: str | None) -> dict[str, Any]:
    return {"index": index, "message": message, "logprobs": None, "finish_reason": finish_reason}


def completion(
    *, completion_id: str, created: int, model: str, choices: list[dict[str, Any]], usage: dict[str, Any]
) -> dict[str, Any]:
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": created,
        "model": model,
        "choices": choices,
        "usage": usage,
    }


class ChunkBuilder:
    """Makes `chat.completion.chunk` dicts that share one id, timestamp and model.

    The id is often learned from the upstream's first event, so it may be set after
    construction; everything else about a stream's chunks is fixed.
    """

    __slots__ = ("completion_id", "created", "model")

    def __init__(self, completion_id: str, created: int, model: str) -> None:
        self.completion_id = completion_id
        self.created = created
        self.model = model

    def delta(self, delta: dict[str, Any], finish_reason: str | None = None, index: int = 0) -> dict[str, Any]:
        return self._chunk([{"index": index, "delta": delta, "logprobs": None, "finish_reason": finish_reason}])

    def usage(self, usage: dict[str, Any]) -> dict[str, Any]:
        # With `stream_options.include_usage`, OpenAI ends the stream with a chunk whose
        # `choices` is empty and whose `usage` covers the whole request.
        chunk = self._chunk([])
        chunk["usage"] = usage
        return chunk

    def _chunk(self, choices: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "id": self.completion_id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": self.model,
            "choices": choices,
        }


def tool_call_start(index: int, call_id: str, name: str, arguments: str = "") -> dict[str, Any]:
    """The first `delta.tool_calls` entry of a call: it alone carries id and name."""
    return {
        "index": index,
        "id": call_id,
        "type": "function",
        "function": {"name": name, "arguments": arguments},
    }


def tool_call_fragment(index: int, arguments: str) -> dict[str, Any]:
    return {"index": index, "function": {"arguments": arguments}}


def embedding_list(
    vectors: Sequence[Sequence[float]], model: str, prompt_tokens: int, encoding_format: str = "float"
) -> dict[str, Any]:
    return {
        "object": "list",
        "data": [
            {"object": "embedding", "index": index, "embedding": encode_embedding(vector, encoding_format)}
            for index, vector in enumerate(vectors)
        ],
        "model": model,
        "usage": {"prompt_tokens": prompt_tokens, "total_tokens": prompt_tokens},
    }


def encode_embedding(vector: Sequence[float], encoding_format: str) -> list[float] | str:
    """`base64` is little-endian float32, as OpenAI sends it.

    The official OpenAI Python SDK asks for base64 by default and decodes it itself, so a
    provider that only returns floats must be re-encoded or the SDK breaks.
    """
    if encoding_format != "base64":
        return list(vector)
    return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode("ascii")
