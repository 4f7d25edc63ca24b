from __future__ import annotations

import base64
import struct

import pytest

from gateway.translate.openai_response import ChunkBuilder, encode_embedding, error_body, error_type_for_status, usage


@pytest.mark.parametrize(
    ("status", "error_type"),
    [
        (400, "invalid_request_error"),
        (401, "authentication_error"),
        (403, "permission_error"),
        (404, "not_found_error"),
        (409, "invalid_request_error"),
        (429, "rate_limit_error"),
        (500, "api_error"),
        (529, "api_error"),
    ],
)
def test_error_type_for_status(status: int, error_type: str) -> None:
    assert error_type_for_status(status) == error_type
    assert error_body(status, "m")["error"]["type"] == error_type


def test_usage_details_only_when_reported() -> None:
    assert usage(3, 4) == {"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7}
    assert usage(3, 4, cached_tokens=0, reasoning_tokens=2) == {
        "prompt_tokens": 3,
        "completion_tokens": 4,
        "total_tokens": 7,
        "prompt_tokens_details": {"cached_tokens": 0},
        "completion_tokens_details": {"reasoning_tokens": 2},
    }


def test_chunk_builder_shares_identity_and_ends_with_usage() -> None:
    chunks = ChunkBuilder("id-1", 5, "m")
    assert chunks.delta({"content": "x"}, index=1) == {
        "id": "id-1",
        "object": "chat.completion.chunk",
        "created": 5,
        "model": "m",
        "choices": [{"index": 1, "delta": {"content": "x"}, "logprobs": None, "finish_reason": None}],
    }
    assert chunks.usage(usage(1, 1))["choices"] == []


def test_encode_embedding_base64_is_little_endian_float32() -> None:
    encoded = encode_embedding([1.0, -2.5], "base64")
    assert isinstance(encoded, str)
    assert base64.b64decode(encoded) == struct.pack("<2f", 1.0, -2.5)
    assert encode_embedding([1.0], "float") == [1.0]
